"""`searchidx query`, `show` and `similar`: the reading commands' options and output.

whoosh and the renderers are imported inside the commands, so `--help` and the other commands
do not pay for them; spaCy, trafilatura and textual are never imported here.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from searchidx.cli.errors import message, translated, usage_error
from searchidx.cli.options import (
    copies_option,
    filter_options,
    filtered_request,
    format_option,
    index_option,
    open_reading_index,
    paging_options,
)
from searchidx.cli.terminal import echo
from searchidx.errors import SearchIdxError, UnknownArticle
from searchidx.models import FACET_NAMES


def _echo(text: str, colour: bool) -> None:
    if text:
        echo(text, styled=colour)


def _warn_facet_errors(facet_errors: tuple[tuple[str, str], ...], notes: tuple[str, ...]) -> None:
    for name, reason in facet_errors:
        echo(f"warning: the {name} facet could not be counted: {reason}", err=True)
    for note in notes:  # how the query was read (a stray quote), never an error
        echo(f"note: {note}", err=True)


def _batch_error(error: Exception) -> str:
    """A failed `--batch` line's message: a SearchIdxError's own; any other error named, since
    one line must never stop the lines after it."""
    if isinstance(error, SearchIdxError):
        return message(error, literal=True)
    return f"unexpected {type(error).__name__}: {error}; please report it with this query"


@click.command()
@click.argument("text", metavar="[QUERY]", required=False, default="")
@filter_options
@paging_options("hits", "Order of hits (by date: undated articles last).")
@click.option("--facets", "with_facets", is_flag=True, help="Count outlet, year, month, entities.")
@click.option("--facet-size", type=click.IntRange(min=1), default=10, show_default=True,
              help="Values counted per facet.")  # fmt: skip
@click.option("--snippets", type=click.IntRange(min=0), default=3, show_default=True,
              help="Snippets per hit (0: none).")  # fmt: skip
@click.option("--literal", is_flag=True, help="Search the text as plain words, no syntax.")
@click.option("--expand", is_flag=True,
              help="Rank by the query widened with its best matches' words.")  # fmt: skip
@click.option("--batch", is_flag=True, help="Read one query per line from stdin; JSON per line.")
@click.option(
    "--queries",
    "queries_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Batch search: one row per query of this file (total, dates, outlets).",
)
@click.option("--column", metavar="NAME", help="With --queries: the file is CSV; use this column.")
@click.option("--hits", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --queries: hits listed per query.")  # fmt: skip
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
@copies_option
@format_option("text", "json", "jsonl", "csv")
@index_option
@translated(literal=True)
def query(
    text: str,
    sort: str,
    limit: int,
    offset: int,
    with_facets: bool,
    facet_size: int,
    snippets: int,
    literal: bool,
    expand: bool,
    batch: bool,
    queries_file: Path | None,
    column: str | None,
    hits: int,
    group_stories: bool,
    interval: str | None,
    all_copies: bool,
    fmt: str,
    index: Path | None,
    **filters: object,
) -> None:
    """Search the index; print hits (and facet counts) as text, JSON, JSONL or CSV.

    The query language is in docs/query.md: words, "phrases", "near words"~5, AND / OR / NOT,
    +must -mustnot, (groups), defect*, defector~1, title: outlet: person: org: place: author:,
    date:2016-04, date:[2016-01-01 to 2016-06-30], date:>=2016-03. An empty query lists all.
    Copies of one article (the same text, or a near duplicate) are one hit with "also in",
    and the count says both numbers; --all-copies lists every copy.

    Exit codes: 0 ok (also no hits); 1 error; 2 bad usage or bad query; 3 no index.

    \b
    Examples:
      searchidx query defection --format json
      searchidx query 'defect* date:2016' --outlet CNN --facets
      searchidx query --org "General Reconnaissance Bureau" --sort newest
      printf 'defection\\nespionage\\n' | searchidx query --batch --limit 5
      searchidx query --queries names.csv --column name --format csv
      searchidx query oil --group-stories --timeline week --format json
      searchidx query "tony blair" --all-copies
    """
    from searchidx.cli.output import render_results, use_colour
    from searchidx.search.records import Record, dumps
    from searchidx.search.searching import search
    from searchidx.stories.collapse import collapsed_search

    request = replace(
        filtered_request(filters), sort=sort, limit=limit, offset=offset,
        facets=(*FACET_NAMES, "tags") if with_facets else (), facet_size=facet_size,
        snippets=snippets, literal=literal, expand=expand,
    )  # fmt: skip
    ix = open_reading_index(index)
    if queries_file is None and (column or hits):
        usage_error("--column and --hits go with --queries FILE")
    if queries_file is not None:
        from searchidx.cli.workset import query_rows

        if text or batch:
            usage_error("--queries reads the queries from its file: no QUERY, no --batch")
        sys.exit(query_rows(ix, request, queries_file, column, hits, fmt))
    if batch or group_stories or interval:
        # story grouping and timelines only when asked: a plain query does not import them
        from searchidx.cli.query_extras import extended_search, render_extended
    if batch:
        if text:
            usage_error("give queries on stdin with --batch, not as an argument")
        failed = False
        # bytes, decoded here: a line that is not UTF-8 gets its own error line, and must not
        # stop the reading of the lines after it
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
            record: Record
            try:
                found = extended_search(
                    ix, replace(request, query=line), group_stories, interval, all_copies
                )
                record = found.record(with_facets)
            except Exception as error:
                # Keep one output line per input line so scripts can zip them, whatever failed.
                failed = True
                text = _batch_error(error)
                record = {"query": line, "error": text}
                echo(f"error: {line!r}: {text}", err=True)
            echo(dumps(record))
        sys.exit(2 if failed else 0)
    request = replace(request, query=text)
    if group_stories or interval:
        extended = extended_search(ix, request, group_stories, interval, all_copies)
        _warn_facet_errors(extended.results.facet_errors, extended.results.notes)
        if extended.found is not None and extended.found.stale:
            echo("warning: story grouping is behind the index: run `searchidx rebuild`", err=True)
        colour = use_colour(sys.stdout)
        _echo(render_extended(extended, fmt, with_facets, colour), colour)
        return
    results = search(ix, request) if all_copies else collapsed_search(ix, request)
    _warn_facet_errors(results.facet_errors, results.notes)
    if results.suggestion and fmt != "text":  # the text renderer shows it with the results
        echo(f"did you mean: {results.suggestion}", err=True)
    colour = use_colour(sys.stdout)
    _echo(render_results(results, fmt, with_facets, colour), colour)


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--highlight", metavar="QUERY", help="Mark this query's words in the body.")
@format_option("text", "json")
@index_option
@translated(hints={UnknownArticle: "find ids with `searchidx query WORDS`"})
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

    article = get_article(open_reading_index(index), article_id, highlight=highlight)
    snippets = fragments(article.body, article.body_spans)
    colour = use_colour(sys.stdout)
    _echo(render_article(article, fmt, colour, snippets), colour)


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="Articles to list.")  # fmt: skip
@format_option("text", "json", "jsonl", "csv")
@index_option
@translated()
def similar(article_id: str, limit: int, fmt: str, index: Path | None) -> None:
    """List articles like the given one (more-like-this on the body's key terms).

    \b
    Example:
      searchidx similar cnn-2016-04-11-north-korean-colonel-defects.txt --limit 5
    """
    from searchidx.cli.output import render_results, use_colour
    from searchidx.search.searching import similar as find_similar

    results = find_similar(open_reading_index(index), article_id, limit=limit)
    colour = use_colour(sys.stdout)
    _echo(render_results(results, fmt, False, colour), colour)
