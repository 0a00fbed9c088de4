"""`searchidx stories` (matches grouped into stories) and `searchidx related` (co-occurrence)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from searchidx.cli.errors import translated
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


@click.command()
@click.argument("text", metavar="[QUERY]", required=False, default="")
@filter_options
@paging_options("stories", "Order of stories, by their best-placed article.")
@click.option("--min-articles", type=click.IntRange(min=1), default=2, show_default=True,
              help="Only stories with at least this many matching articles.")  # fmt: skip
@click.option("--articles", type=click.IntRange(min=1), default=10, show_default=True,
              help="Articles listed per story (best match first, then by date).")  # fmt: skip
@click.option("--snippets", type=click.IntRange(min=0), default=3, show_default=True,
              help="Snippets of each story's best match (0: none).")  # fmt: skip
@click.option("--literal", is_flag=True, help="Search the text as plain words, no syntax.")
@copies_option
@format_option("text", "json", "jsonl", "csv")
@index_option
@translated()
def stories(
    text: str,
    sort: str,
    limit: int,
    offset: int,
    min_articles: int,
    articles: int,
    snippets: int,
    literal: bool,
    all_copies: bool,
    fmt: str,
    index: Path | None,
    **filters: object,
) -> None:
    """List stories: articles about one event, across outlets, among the matches.

    Same query language and filters as `searchidx query`; an empty query lists every story.
    Grouping rules are in docs/stories.md. JSON is a list of stories, each with `id`,
    `articles` (hit objects), `outlets` (earliest publisher first), `first_published`,
    `first_outlet`, `count` (matching articles), `collapsed_count` (copies of one article
    counted once: they are one entry, with "also in"; --all-copies lists each) and `size`.

    \b
    Examples:
      searchidx stories defection
      searchidx stories --since 1987-03-01 --until 1987-03-31 --format json
      searchidx stories --outlet CNN --min-articles 1
    """
    from searchidx.cli.output import use_colour
    from searchidx.cli.story_output import render_stories
    from searchidx.stories.grouped import search_stories

    request = replace(
        filtered_request(filters), query=text, sort=sort, limit=limit, offset=offset,
        snippets=snippets, literal=literal, all_copies=all_copies,
    )  # fmt: skip
    found = search_stories(
        open_reading_index(index), request, min_articles=min_articles, articles=articles
    )
    if found.stale and fmt != "text":
        echo("warning: story grouping is behind the index: run `searchidx rebuild`", err=True)
    colour = use_colour(sys.stdout)
    output = render_stories(found, fmt, colour)
    if output:
        echo(output, styled=colour)


@click.command()
@click.argument("entity")
@click.option("--query", "-q", "text", default="", help="Only articles matching this query.")
@filter_options
@click.option("--size", type=click.IntRange(min=1), default=10, show_default=True,
              help="Names listed per kind.")  # fmt: skip
@format_option("text", "json")
@index_option
@translated()
def related(
    entity: str, text: str, size: int, fmt: str, index: Path | None, **filters: object
) -> None:
    """List the people, organisations and places named most often with ENTITY.

    ENTITY is a person, organisation or place (a name or an alias, any case). Counts are over
    the articles naming it that match --query and the filters. Exit 1 when no entity has that
    name.

    \b
    Examples:
      searchidx related "Kim Yong-chol"
      searchidx related "General Reconnaissance Bureau" --outlet CNN --format json
      searchidx related OPEC -q oil --since 1987-03
    """
    from searchidx.cli.story_output import render_related
    from searchidx.stories.related import related as find_related

    request = replace(filtered_request(filters), query=text)
    found = find_related(open_reading_index(index), entity, request, size=size)
    echo(render_related(found, fmt))
