"""`searchidx watch`, `saved`, `tag`, `untag` and `note`: the investigator's working set,
kept in the SQLite database beside the index (searchidx.workset)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchidx.cli.errors import translated
from searchidx.cli.options import (
    filter_options,
    filtered_request,
    format_option,
    index_option,
    open_reading_index,
)
from searchidx.cli.terminal import echo
from searchidx.errors import SearchIdxError, UnknownArticle
from searchidx.models import SearchRequest
from searchidx.search.records import Record

if TYPE_CHECKING:
    from searchidx.index.engine import Engine

_FIND_IDS: dict[type[SearchIdxError], str] = {
    UnknownArticle: "find ids with `searchidx query WORDS`"
}


def _echo(text: str) -> None:
    if text:
        echo(text)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--new", is_flag=True, help="Only articles not matched at this file's last watch.")
@click.option("--hits", type=click.IntRange(min=0), default=0, show_default=True,
              help="Articles listed per name, newest first.")  # fmt: skip
@format_option("text", "json", "jsonl", "csv")
@index_option
@translated()
def watch(file: Path, new: bool, hits: int, fmt: str, index: Path | None) -> None:
    """Report where each name of a watchlist file is mentioned: count, first and last date,
    top outlets (and with --hits, the articles).

    FILE has one name a line, with an optional kind (person, org, place) and aliases after `|`;
    `#` starts a comment. A name matches its entity values (through the alias table) and its
    words as a phrase in the text. Each run is remembered: `--new` lists only what the names
    matched since the last `watch` of the same file. A bad line is reported and skipped.

    \b
    Example:
      printf 'org: Reconnaissance General Bureau | RGB\\nperson: Kim Jong Un\\n' > names.txt
      searchidx watch names.txt --hits 3
      searchidx watch names.txt --new --format csv
    """
    from searchidx.cli.workset_output import render_summaries
    from searchidx.search.worksets import watch as run_watch
    from searchidx.workset.watchlist import read_watchlist

    names, problems = read_watchlist(file)
    for problem in problems:
        echo(f"warning: skipped {problem}", err=True)
    rows = run_watch(open_reading_index(index), file, names, new, hits)
    extra: list[Record] = [{"kind": n.kind, "aliases": list(n.aliases)} for n in names]
    _echo(render_summaries(rows, fmt, "name", extra))


@click.group()
def saved() -> None:
    """Saved searches: a name for a query and its filters, with what is new since last run.

    \b
    Example:
      searchidx saved add bureau 'org:"General Reconnaissance Bureau"' --since 2016
      searchidx saved list
      searchidx saved run bureau --new
    """


@saved.command("add")
@click.argument("name")
@click.argument("text", metavar="QUERY", default="")
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="newest",
              show_default=True, help="Order of the hits when it runs.")  # fmt: skip
@index_option
@translated(literal=True)
def saved_add(name: str, text: str, sort: str, index: Path | None, **filters: object) -> None:
    """Save a search (query, filters, dates) under NAME; an existing NAME is replaced. What
    it matches now counts as seen: `saved run NAME --new` lists what comes after.

    \b
    Example:
      searchidx saved add defectors 'defect* place:"North Korea"' --outlet CNN
    """
    from searchidx.search.worksets import save_checked

    # a query that does not parse is refused now, not at every run
    request = replace(filtered_request(filters), query=text, sort=sort)
    stored = save_checked(open_reading_index(index), name, request)
    echo(f"saved {stored.name!r}: {text or '(every article)'}", err=True)


@saved.command("list")
@format_option("text", "json")
@index_option
@translated()
def saved_list(fmt: str, index: Path | None) -> None:
    """List saved searches with their totals and new articles since each was last run.

    \b
    Example:
      searchidx saved list --format json
    """
    from searchidx.cli.workset_output import render_summaries
    from searchidx.search.worksets import run_saved
    from searchidx.workset.saved import all_saved
    from searchidx.workset.tags import folder_of

    ix = open_reading_index(index)
    found = all_saved(folder_of(ix))
    rows = [run_saved(ix, s.name, hits=0, remember=False)[1] for s in found]
    extra: list[Record] = [{"query_text": s.request.query, "opened": s.opened} for s in found]
    if fmt == "json":
        _echo(render_summaries(rows, "json", "name", extra))
        return
    for entry, row in zip(found, rows, strict=True):
        when = entry.opened or "never"
        echo(f"{entry.name}\t{entry.request.query or '*'}\t{row.total} articles, "
                   f"{row.new} new (last run: {when})")  # fmt: skip
    if not found:
        echo("no saved searches yet: `searchidx saved add NAME QUERY`", err=True)


@saved.command("run")
@click.argument("name")
@click.option("--new", is_flag=True, help="Only articles not matched at its last run.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Articles to list.")  # fmt: skip
@format_option("text", "json", "jsonl", "csv")
@index_option
@translated()
def saved_run(name: str, new: bool, limit: int, fmt: str, index: Path | None) -> None:
    """Run a saved search: total, new since its last run, dates, outlets and its articles.

    \b
    Example:
      searchidx saved run defectors --new --format json
    """
    from searchidx.cli.workset_output import render_summaries
    from searchidx.search.worksets import run_saved

    _, row = run_saved(open_reading_index(index), name, new=new, hits=limit)
    _echo(render_summaries([row], fmt, "name"))


@saved.command("remove")
@click.argument("name")
@index_option
@translated()
def saved_remove(name: str, index: Path | None) -> None:
    """Forget a saved search.

    \b
    Example:
      searchidx saved remove defectors
    """
    from searchidx.workset import saved as store
    from searchidx.workset.tags import folder_of

    store.remove(folder_of(open_reading_index(index)), name)
    echo(f"removed {name!r}", err=True)


def _mark_line(article_id: str, tags: tuple[str, ...], note: str) -> str:
    line = f"{article_id}\ttags: {' '.join(tags) or '-'}"
    return f"{line}\tnote: {note}" if note else line


@click.command()
@click.argument("article_id", metavar="ID")
@click.argument("tags", metavar="TAG...", nargs=-1, required=True)
@index_option
@translated(hints=_FIND_IDS)
def tag(article_id: str, tags: tuple[str, ...], index: Path | None) -> None:
    """Tag an article (the tag `starred` is the TUI's star); find them with `tag:NAME`.

    \b
    Example:
      searchidx tag cnn-2016-04-11-north-korean-colonel-defects defector starred
      searchidx query 'tag:defector' --facets
    """
    from searchidx.workset.tags import add_tags

    mark = add_tags(open_reading_index(index), article_id, tags)
    echo(_mark_line(mark.article_id, mark.tags, mark.note))


@click.command()
@click.argument("article_id", metavar="ID")
@click.argument("tags", metavar="[TAG]...", nargs=-1)
@index_option
@translated(hints=_FIND_IDS)
def untag(article_id: str, tags: tuple[str, ...], index: Path | None) -> None:
    """Take tags off an article; without TAG, all of them (the note stays).

    \b
    Example:
      searchidx untag cnn-2016-04-11-north-korean-colonel-defects starred
    """
    from searchidx.workset.tags import remove_tags

    mark = remove_tags(open_reading_index(index), article_id, tags)
    echo(_mark_line(mark.article_id, mark.tags, mark.note))


@click.command()
@click.argument("article_id", metavar="ID")
@click.argument("text", metavar="TEXT")
@index_option
@translated(hints=_FIND_IDS)
def note(article_id: str, text: str, index: Path | None) -> None:
    """Write a note on an article (replacing its note; TEXT `-` reads stdin, "" removes it).

    \b
    Example:
      searchidx note cnn-2016-04-11-north-korean-colonel-defects 'check the colonel name'
    """
    from searchidx.workset.tags import set_note

    if text == "-":
        text = sys.stdin.read()
    mark = set_note(open_reading_index(index), article_id, text)
    echo(_mark_line(mark.article_id, mark.tags, mark.note))


def query_rows(
    index: Engine, request: SearchRequest, path: Path, column: str | None, hits: int, fmt: str
) -> int:
    """`query --queries FILE`: one row per query, a bad query a row with its error; the exit
    code (2 when a line failed, after every row was printed)."""
    from searchidx.cli.workset_output import render_summaries
    from searchidx.search.worksets import run_query
    from searchidx.workset.queryfile import read_queries

    rows = [run_query(index, replace(request, query=q), hits) for q in read_queries(path, column)]
    for row in rows:
        if row.error is not None:
            echo(f"error: {row.label!r}: {row.error}", err=True)
    _echo(render_summaries(rows, fmt))
    return 2 if any(r.error is not None for r in rows) else 0


def orphaned_marks(index_path: Path | None) -> list[Record]:
    """For `status`: tags and notes whose article is gone (no id, no article with its text)."""
    from searchidx.index import open_index
    from searchidx.workset.db import db_path
    from searchidx.workset.tags import orphans

    if index_path is None or not db_path(index_path).exists():
        return []
    try:
        found = orphans(open_index(index_path))
    except SearchIdxError:
        return []
    return [
        {"id": m.article_id, "path": m.path, "title": m.title, "tags": list(m.tags), "note": m.note}
        for m in found
    ]
