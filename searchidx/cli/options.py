"""Options shared by the reading commands (`query`, `show`, `similar`) and their error exits."""

from __future__ import annotations

import calendar
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from searchidx.errors import SearchIdxError

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def fail(error: SearchIdxError) -> NoReturn:
    """One line on stderr, the error's exit code (2 bad query, 3 no index, 1 otherwise)."""
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


def index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    # Not `exists=True`: a missing index must be our exit 3 naming `searchidx rebuild`,
    # not click's usage error (exit 2).
    return click.option(
        "--index",
        "index",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index folder (default: $SEARCHIDX_INDEX, else the nearest .searchidx/ upwards).",
    )(func)


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default="text",
            show_default=True,
            help="Output format; everything but results goes to stderr.",
        )(func)

    return decorate


class DayParam(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD; as the first (since) or last (until) day it covers."""

    name = "DATE"

    def __init__(self, last: bool):
        self.last = last

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        found = _DATE.match(str(value).strip())
        try:
            if not found:
                raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
            year = int(found.group(1))
            month = int(found.group(2) or (12 if self.last else 1))
            if found.group(3):
                day = int(found.group(3))
            else:
                day = calendar.monthrange(year, month)[1] if self.last else 1
            return date(year, month, day)
        except ValueError as error:
            self.fail(f"{value!r} is not a date: {error}", param, ctx)


def open_reading_index(index: Path | None) -> Any:
    """The index to read, or exit 3 naming the rebuild command."""
    from searchidx.config import find_index
    from searchidx.index.store import open_index

    try:
        return open_index(find_index(index))
    except SearchIdxError as error:
        fail(error)


# (option, facet, help) for the filter options `stories` and `related` share with `query`
FILTERS = (
    ("--outlet", "outlet", "Only this outlet (repeat: any of them)."),
    ("--person", "people", "Only articles naming this person (or an alias)."),
    ("--org", "organisations", "Only articles naming this organisation."),
    ("--place", "places", "Only articles naming this place."),
)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--outlet/--person/--org/--place, their --exclude-* forms, --since/--until (as `query`)."""
    func = click.option("--until", type=DayParam(last=True), help="Up to this date (inclusive).")(
        func
    )
    func = click.option("--since", type=DayParam(last=False), help="From this date on.")(func)
    for option, _, text in reversed(FILTERS):
        func = click.option(f"--exclude-{option[2:]}", multiple=True,
                            help=f"Leave out: {text[:-1].lower()}.")(func)  # fmt: skip
    for option, _, text in reversed(FILTERS):
        func = click.option(option, multiple=True, help=text)(func)
    return func


def request_filters(
    options: dict[str, Any],
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """(filters, excludes) for a SearchRequest from the values `filter_options` collected."""
    filters = tuple(
        (facet, tuple(options[option[2:]])) for option, facet, _ in FILTERS if options[option[2:]]
    )
    excludes = tuple(
        (facet, tuple(options[f"exclude_{option[2:]}"]))
        for option, facet, _ in FILTERS
        if options[f"exclude_{option[2:]}"]
    )
    return filters, excludes
