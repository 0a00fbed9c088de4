"""Options shared by the CLI's commands: --index, --format, the filters and dates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from searchidx.cli.errors import usage_error
from searchidx.corpus.dates import day_range
from searchidx.models import SearchRequest

if TYPE_CHECKING:
    from searchidx.index.engine import Engine

Command = TypeVar("Command", bound=Callable[..., object])


def index_option(func: Command) -> Command:
    # Not `exists=True`: a missing index must be our exit 3 naming `searchidx rebuild`,
    # not click's usage error (exit 2).
    return click.option(
        "--index",
        "index",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index folder (default: $SEARCHIDX_INDEX, else the nearest .searchidx/ upwards).",
    )(func)


def paging_options(what: str, order: str) -> Callable[[Command], Command]:
    """--sort, --limit and --offset for a command listing `what` (hits, stories) in pages."""

    def decorate(func: Command) -> Command:
        for option in (
            click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
                         help=f"{what.capitalize()} to skip first (the next page)."),
            click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
                         help=f"{what.capitalize()} to show."),
            click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
                         default="relevance", show_default=True, help=order),
        ):  # fmt: skip
            func = option(func)
        return func

    return decorate


def copies_option(func: Command) -> Command:
    """--all-copies: every copy of an article its own hit (by default copies fold into one)."""
    return click.option(
        "--all-copies",
        is_flag=True,
        help="List every copy of an article (exact or near duplicate) as its own hit; by "
        'default copies fold into one hit with "also in".',
    )(func)


def format_option(*choices: str) -> Callable[[Command], Command]:
    """--format, one of `choices`, "text" by default."""

    def decorate(func: Command) -> Command:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default="text",
            show_default=True,
            help="Output format; everything but results goes to stderr.",
        )(func)

    return decorate


class DayParam(click.ParamType[date, str | date]):
    """A --since/--until date: the first (since) or last (until) day of a year, month or day,
    read by `corpus.dates.day_range` as the query's `date:` values are."""

    name = "DATE"

    def __init__(self, last: bool):
        self.last = last

    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        try:
            first, last = day_range(value)
        except ValueError as error:
            self.fail(f"{value!r} is not a date: {error}", param, ctx)
        return last if self.last else first


def located_index(index: Path | None) -> Path | None:
    """`config.find_index`, saying on stderr which index is used when it was found by walking up
    from the current folder (so an index planted in a parent folder is never used unnoticed)."""
    from searchidx.cli.terminal import echo
    from searchidx.config import find_index, found_elsewhere

    found = find_index(index)
    if found is not None and found_elsewhere(found, index):
        echo(f"searchidx: using the index at {found}", err=True)
    return found


def open_reading_index(index: Path | None) -> Engine:
    """The index to read; IndexMissing (exit 3, naming the rebuild command) when there is none."""
    from searchidx.index import open_index

    return open_index(located_index(index))


# (option, facet, help, help of its --exclude- form) of the filters `query`, `stories` and
# `related` share
FILTERS = (
    ("--outlet", "outlet", "Only this outlet (repeat: any of them).", "Leave out this outlet."),
    ("--person", "people", "Only articles naming this person (or an alias).",
     "Leave out articles naming this person."),
    ("--org", "organisations", "Only articles naming this organisation.",
     "Leave out articles naming this organisation."),
    ("--place", "places", "Only articles naming this place.",
     "Leave out articles naming this place."),
)  # fmt: skip


def filter_options(func: Command) -> Command:
    """--outlet/--person/--org/--place (repeatable), their --exclude-* forms, --since/--until."""
    for date_option in (
        click.option("--until", type=DayParam(last=True), help="Up to this date (inclusive)."),
        click.option("--since", type=DayParam(last=False), help="From this date on (inclusive)."),
    ):
        func = date_option(func)
    for option, _, _, text in reversed(FILTERS):
        func = click.option(f"--exclude-{option[2:]}", multiple=True, help=text)(func)
    for option, _, text, _ in reversed(FILTERS):
        func = click.option(option, multiple=True, help=text)(func)
    return func


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, tuple) else ()


def _day(value: object) -> date | None:
    return value if isinstance(value, date) else None


def filtered_request(options: Mapping[str, object]) -> SearchRequest:
    """A SearchRequest with the filters, exclusions and dates `filter_options` collected (the
    caller `replace`s the rest in); exit 2 when --since is after --until."""
    since, until = _day(options["since"]), _day(options["until"])
    if since and until and since > until:
        usage_error("--since is after --until")
    return SearchRequest(
        filters=tuple(
            (facet, _strings(options[o[2:]])) for o, facet, _, _ in FILTERS if options[o[2:]]
        ),
        excludes=tuple(
            (facet, _strings(options[f"exclude_{o[2:]}"]))
            for o, facet, _, _ in FILTERS
            if options[f"exclude_{o[2:]}"]
        ),
        since=since,
        until=until,
    )
