"""`searchidx query`, `show` and `similar`: the scripted face of the search API.

The search modules (and so whoosh) are imported inside the commands, so `searchidx --help` and
the other commands do not pay for them; spaCy, trafilatura and textual are never imported here.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from searchidx.cli.options import (
    DayParam,
    fail,
    format_option,
    index_option,
    open_reading_index,
)
from searchidx.errors import QuerySyntaxError, SearchIdxError
from searchidx.models import FACET_NAMES, SearchRequest


def _echo(text: str) -> None:
    if text:
        click.echo(text)


def _message(error: SearchIdxError) -> str:
    """The error in the CLI's words: a query that plain words would fix names `--literal`."""
    if isinstance(error, QuerySyntaxError) and error.literal_helps:
        return f"{error} (--literal)"
    return str(error)


def _fail(error: SearchIdxError) -> NoReturn:
    click.echo(f"error: {_message(error)}", err=True)
    sys.exit(error.exit_code)


@click.command()
@click.argument("text", metavar="[QUERY]", required=False, default="")
@click.option("--outlet", multiple=True, help="Only this outlet (repeat: any of them).")
@click.option("--person", multiple=True, help="Only articles naming this person (or an alias).")
@click.option("--org", multiple=True, help="Only articles naming this organisation.")
@click.option("--place", multiple=True, help="Only articles naming this place.")
@click.option("--exclude-outlet", multiple=True, help="Leave out this outlet (repeatable).")
@click.option("--exclude-person", multiple=True, help="Leave out articles naming this person.")
@click.option("--exclude-org", multiple=True, help="Leave out articles naming this organisation.")
@click.option("--exclude-place", multiple=True, help="Leave out articles naming this place.")
@click.option("--since", type=DayParam(last=False), help="From this date on (inclusive).")
@click.option("--until", type=DayParam(last=True), help="Up to this date (inclusive).")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--facets", "with_facets", is_flag=True, help="Count outlet, year, month, entities.")
@click.option("--facet-size", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--snippets", type=click.IntRange(min=0), default=3, show_default=True)
@click.option("--literal", is_flag=True, help="Search the text as plain words, no syntax.")
@click.option("--batch", is_flag=True, help="Read one query per line from stdin; JSON per line.")
@click.option(
    "--group-stories",
    is_flag=True,
    help="One hit per story (its best), with the story's count and outlets.",
)
@click.option(
    "--timeline",
    "interval",
    type=click.Choice(["day", "week", "month"]),
    default=None,
    help="Add matches per period, split by outlet (JSON key `timeline`).",
)
@format_option("text", "json", "jsonl", "csv")
@index_option
def query(
    text: str,
    outlet: tuple[str, ...],
    person: tuple[str, ...],
    org: tuple[str, ...],
    place: tuple[str, ...],
    exclude_outlet: tuple[str, ...],
    exclude_person: tuple[str, ...],
    exclude_org: tuple[str, ...],
    exclude_place: tuple[str, ...],
    since: Any,
    until: Any,
    sort: str,
    limit: int,
    offset: int,
    with_facets: bool,
    facet_size: int,
    snippets: int,
    literal: bool,
    batch: bool,
    group_stories: bool,
    interval: str | None,
    fmt: str,
    index: Path | None,
) -> None:
    """Search the index; print hits (and facet counts) as text, JSON, JSONL or CSV.

    The query language is in docs/query.md: words, "phrases", "near words"~5, AND / OR / NOT,
    +must -mustnot, (groups), defect*, defector~1, title: outlet: person: org: place: author:,
    date:2016-04, date:[2016-01-01 to 2016-06-30], date:>=2016-03. An empty query lists all.

    Exit codes: 0 ok (also no hits); 1 error; 2 bad usage or bad query; 3 no index.

    \b
    Examples:
      searchidx query defection --format json
      searchidx query 'defect* date:2016' --outlet CNN --facets
      searchidx query --org "General Reconnaissance Bureau" --sort newest
      printf 'defection\\nespionage\\n' | searchidx query --batch --limit 5
      searchidx query oil --group-stories --timeline week --format json
    """
    from searchidx.cli.output import dumps, render_results, use_colour
    from searchidx.search.searching import search

    filters = tuple(
        (name, values)
        for name, values in (
            ("outlet", outlet),
            ("people", person),
            ("organisations", org),
            ("places", place),
        )
        if values
    )
    excludes = tuple(
        (name, values)
        for name, values in (
            ("outlet", exclude_outlet),
            ("people", exclude_person),
            ("organisations", exclude_org),
            ("places", exclude_place),
        )
        if values
    )
    if since and until and since > until:
        click.echo("error: --since is after --until", err=True)
        sys.exit(2)

    def request(line: str) -> SearchRequest:
        return SearchRequest(
            query=line,
            filters=filters,
            excludes=excludes,
            since=since,
            until=until,
            sort=sort,
            limit=limit,
            offset=offset,
            facets=FACET_NAMES if with_facets else (),
            facet_size=facet_size,
            snippets=snippets,
            literal=literal,
        )

    ix = open_reading_index(index)
    if batch:
        if text:
            click.echo("error: give queries on stdin with --batch, not as an argument", err=True)
            sys.exit(2)
        failed = 0
        for raw in sys.stdin:
            line = raw.rstrip("\r\n")
            try:
                document = _document(ix, request(line), with_facets, group_stories, interval)
            except SearchIdxError as error:
                # Keep one output line per input line so scripts can zip them.
                failed += 1
                document = {"query": line, "error": _message(error)}
                click.echo(f"error: {line!r}: {_message(error)}", err=True)
            click.echo(dumps(document))
        sys.exit(2 if failed else 0)
    if group_stories or interval:
        try:
            _extended(ix, request(text), with_facets, group_stories, interval, fmt)
        except SearchIdxError as error:
            _fail(error)
        return
    try:
        results = search(ix, request(text))
    except SearchIdxError as error:
        _fail(error)
    for name, reason in results.facet_errors:
        click.echo(f"warning: the {name} facet could not be counted: {reason}", err=True)
    if results.suggestion and fmt != "text":  # the text renderer shows it with the results
        click.echo(f"did you mean: {results.suggestion}", err=True)
    _echo(render_results(results, fmt, with_facets, use_colour(sys.stdout)))


def _document(
    ix: Any, request: SearchRequest, with_facets: bool, group: bool, interval: str | None
) -> dict[str, Any]:
    """The JSON object of one query, with the story and timeline additions when asked."""
    from searchidx.cli.output import results_json
    from searchidx.search.searching import search

    if not group and not interval:
        return results_json(search(ix, request), with_facets)
    return _extended_json(ix, request, with_facets, group, interval)[0]


def _extended_json(
    ix: Any, request: SearchRequest, with_facets: bool, group: bool, interval: str | None
) -> tuple[dict[str, Any], Any, Any, Any]:
    from searchidx.cli.output import results_json
    from searchidx.cli.story_output import grouped_hits_json
    from searchidx.search.searching import search
    from searchidx.stories.grouped import search_stories
    from searchidx.stories.timeline import timeline, timeline_json

    found = search_stories(ix, request, articles=1) if group else None
    results = found.results if found else search(ix, request)
    document = results_json(results, with_facets)
    if found is not None:
        document["hits"] = grouped_hits_json(found)
        document["stories_total"] = found.total_stories
    line = timeline(ix, request, interval) if interval else None
    if line is not None:
        document["timeline"] = timeline_json(line)
    return document, results, found, line


def _extended(
    ix: Any, request: SearchRequest, with_facets: bool, group: bool, interval: str | None,
    fmt: str,
) -> None:  # fmt: skip
    from searchidx.cli.output import dumps, results_text, use_colour
    from searchidx.cli.story_output import grouped_text
    from searchidx.stories.timeline import timeline_text

    document, results, found, line = _extended_json(ix, request, with_facets, group, interval)
    for name, reason in results.facet_errors:
        click.echo(f"warning: the {name} facet could not be counted: {reason}", err=True)
    if found is not None and found.stale:
        click.echo("warning: story grouping is behind the index: run `searchidx rebuild`",
                   err=True)  # fmt: skip
    if fmt == "json":
        _echo(dumps(document))
        return
    if fmt == "jsonl":
        _echo("\n".join(dumps(hit) for hit in document["hits"]))
        return
    if fmt == "csv":
        from searchidx.cli.output import render_results
        from searchidx.cli.story_output import stories_csv

        _echo(stories_csv(found) if found is not None else render_results(results, "csv", False,
                                                                          False))  # fmt: skip
        return
    colour = use_colour(sys.stdout)
    if found is None:
        text = results_text(results, with_facets, colour)
    else:
        # Counts, suggestion and facets from the plain renderer; one block per story for hits.
        head, *rest = results_text(replace(results, hits=()), with_facets, colour).split("\n\n")
        first = request.offset + 1
        last = first + len(found.stories) - 1
        shown = f", showing stories {first}-{last}" if found.stories else ""
        noun = "story" if found.total_stories == 1 else "stories"
        head = f"{head} in {found.total_stories} {noun}{shown}"
        text = "\n\n".join([head, *grouped_text(found, colour), *rest])
    if line is not None:
        text += "\n\n" + timeline_text(line)
    _echo(text)


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--highlight", metavar="QUERY", help="Mark this query's words in the body.")
@format_option("text", "json")
@index_option
def show(article_id: str, highlight: str | None, fmt: str, index: Path | None) -> None:
    """Print one stored article: its metadata, entity names and body.

    IDs come from `searchidx query` (the `id` of each hit). Exit code 1 for an unknown id.

    \b
    Examples:
      searchidx show cnn-2016-04-11-north-korean-colonel-defects.txt --format json
      searchidx show cnn-2016-04-11-north-korean-colonel-defects.txt --highlight defect
    """
    from searchidx.cli.output import render_article, use_colour
    from searchidx.search.searching import get_article
    from searchidx.search.snippets import fragments

    ix = open_reading_index(index)
    try:
        article = get_article(ix, article_id, highlight=highlight)
    except SearchIdxError as error:
        if error.exit_code == 1:
            click.echo(f"error: {error}; find ids with `searchidx query WORDS`", err=True)
            sys.exit(1)
        fail(error)
    snippets = fragments(article.body, article.body_spans)
    _echo(render_article(article, fmt, use_colour(sys.stdout), snippets))


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@format_option("text", "json", "jsonl", "csv")
@index_option
def similar(article_id: str, limit: int, fmt: str, index: Path | None) -> None:
    """List articles like the given one (more-like-this on the body's key terms).

    \b
    Example:
      searchidx similar cnn-2016-04-11-north-korean-colonel-defects.txt --limit 5
    """
    from searchidx.cli.output import render_results, use_colour
    from searchidx.search.searching import similar as find_similar

    ix = open_reading_index(index)
    try:
        results = find_similar(ix, article_id, limit=limit)
    except SearchIdxError as error:
        fail(error)
    _echo(render_results(results, fmt, False, use_colour(sys.stdout)))
