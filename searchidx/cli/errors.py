"""The CLI's one error translator: a SearchIdxError becomes one line on stderr and its exit code.

Exit codes (docs/cli.md): 0 ok, 1 error, 2 bad usage or query, 3 no index, 4 index locked by
another rebuild, 130 interrupted. The codes live on the exceptions (`exit_code`); click itself
gives 2 for its usage errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import NoReturn

from searchidx.cli.terminal import echo
from searchidx.errors import QuerySyntaxError, SearchIdxError

INTERRUPTED = 130
USAGE = 2


def message(error: SearchIdxError, literal: bool = False) -> str:
    """The error in the CLI's words; with `literal`, a query that plain words would fix names
    the command's `--literal` option."""
    if literal and isinstance(error, QuerySyntaxError) and error.literal_helps:
        return f"{error} (--literal)"
    return str(error)


def usage_error(text: str) -> NoReturn:
    """A usage problem click cannot see (two options that contradict each other): exit 2."""
    echo(f"error: {text}", err=True)
    sys.exit(USAGE)


@contextmanager
def translated(
    *,
    literal: bool = False,
    hints: Mapping[type[SearchIdxError], str] | None = None,
    interrupted: str | None = None,
    cleanup: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Run a command's work, turning a SearchIdxError into `error: ...` and its exit code.

    Use it as a decorator of a click command (`@translated()`) or around part of one.
    `hints`: a next step added to the message of an error of that class; `interrupted`: the
    message for ctrl-c (exit 130; without it ctrl-c is click's); `cleanup` runs before an
    error is shown (e.g. to clear a progress bar from the terminal).
    """
    try:
        yield
    except SearchIdxError as error:
        if cleanup is not None:
            cleanup()
        text = message(error, literal)
        for kind, hint in (hints or {}).items():
            if isinstance(error, kind):
                text = f"{text}; {hint}"
                break
        echo(f"error: {text}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        echo(f"\n{interrupted}", err=True)
        sys.exit(INTERRUPTED)
