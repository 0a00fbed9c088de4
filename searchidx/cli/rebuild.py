"""`searchidx rebuild` and `searchidx status`: their options, messages and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searchidx.cli.errors import translated
from searchidx.cli.options import format_option, index_option, located_index
from searchidx.cli.terminal import echo
from searchidx.config import default_jobs, index_for_rebuild
from searchidx.index.engines import (
    DEFAULT_ENGINE,
    ENGINES,
    TANTIVY_ADVICE_ARTICLES,
    engine_of,
)
from searchidx.models import IndexStatus, Problem
from searchidx.rebuild.failures import failed_files, report_lines
from searchidx.rebuild.guarded import DEFAULT_FILE_SECONDS
from searchidx.search.records import dumps

MAX_LISTED = 10  # files listed a reason after a rebuild; `searchidx status` lists them all
INTERRUPTED = (
    "interrupted: the index keeps what this rebuild had published (text, and the entities "
    "recognised so far); run `searchidx rebuild` again to finish"
)


def _list_problems(problems: list[Problem]) -> None:
    """The problems grouped by reason, the first MAX_LISTED files of each, on stderr;
    `searchidx status` lists them all."""
    for line in report_lines(problems, MAX_LISTED):
        echo(line, err=True)


def _cluster_option(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """--cluster checked before any work: `local:N` or a scheduler address (exit 2 otherwise)."""
    from searchidx.rebuild.executors import parse_cluster

    if not value:
        return None
    try:
        return str(parse_cluster(value))
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@click.command()
@click.argument("corpus", required=False, type=click.Path(file_okay=False, path_type=Path))
@index_option
@click.option("--full", is_flag=True, help="Re-read every file instead of only the changed ones.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for reading, indexing and entities (default: all cores).",
)
@click.option(
    "--no-entities",
    is_flag=True,
    help="Skip entity recognition now; a later rebuild without it fills them in.",
)
@click.option("--retry-failed", is_flag=True, help="Re-read only the files that failed before.")
@click.option(
    "--aliases-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your entity alias file for this rebuild (default: $SEARCHIDX_ALIASES, else "
    "entity-aliases.txt in the index folder); edits apply without re-running NER.",
)
@click.option(
    "--follow-outside",
    is_flag=True,
    help="Follow symlinks that lead out of the corpus folder (not followed by default).",
)
@click.option(
    "--file-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_FILE_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="Seconds one file may take to read; a slower file is skipped and reported.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="Index engine: whoosh (default for a new index) or tantivy (compiled, for large "
    "archives). Another engine than the index's rebuilds it into a new generation.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; only warnings and errors.")
@click.option(
    "--cluster",
    envvar="SEARCHIDX_CLUSTER",
    callback=_cluster_option,
    metavar="ADDRESS",
    help="Recognise entities on the Dask scheduler at ADDRESS (tcp://host:8786), or on "
    "local:N, N worker processes started here (env: SEARCHIDX_CLUSTER; docs/scale-out.md).",
)
def rebuild(
    corpus: Path | None,
    index: Path | None,
    full: bool,
    jobs: int | None,
    no_entities: bool,
    retry_failed: bool,
    aliases_file: Path | None,
    follow_outside: bool,
    file_timeout: float,
    engine: str | None,
    quiet: bool,
    cluster: str | None,
) -> None:
    """Index a folder of articles, re-reading only what changed since the last rebuild.

    New articles are searchable within seconds; entity facets fill in behind (a second phase,
    `entities_pending` in `searchidx status` and in query results until it ends).

    Exit codes: 0 done; 1 done, but some files could not be read (listed); 2 bad usage;
    4 another rebuild is running on this index; 130 interrupted (what was published stays;
    the next rebuild resumes).

    \b
    Examples:
      searchidx rebuild ~/news                  # creates ./.searchidx on first use
      searchidx rebuild                         # later: the same corpus, only the changes
      searchidx rebuild --retry-failed
      searchidx rebuild /mnt/ro/news --index ~/idx --jobs 2
      searchidx rebuild --aliases-file ~/news-aliases.txt
      searchidx rebuild --cluster tcp://10.0.0.5:8786
      searchidx rebuild --engine tantivy        # switch engine (a full rebuild)
    """
    from searchidx.cli.progress_bar import ProgressBar
    from searchidx.rebuild.run import rebuild as run_rebuild

    if full and retry_failed:
        raise click.UsageError("--full re-reads everything already; drop --retry-failed")
    index_path = located_index(index) or index_for_rebuild(index)
    if corpus is None and not (index_path / "CURRENT").exists():
        raise click.UsageError(
            f"no index at {index_path} yet: give the corpus folder, e.g. `searchidx rebuild ~/news`"
        )
    progress = ProgressBar(quiet=quiet)
    with translated(cleanup=progress.finish, interrupted=INTERRUPTED):
        report = run_rebuild(
            index_path,
            corpus,
            full=full,
            jobs=jobs or default_jobs(),
            entities=not no_entities,
            retry_failed=retry_failed,
            progress=progress,
            aliases_file=aliases_file,
            file_timeout=file_timeout,
            follow_outside=follow_outside,
            cluster=cluster,
            engine=engine,
        )
    progress.finish()  # the last stage line ends: the summary is a line of its own
    problems = report.failures
    if report.new_problems or report.exit_code:
        _list_problems(problems)
    if not quiet:
        echo(report.summary(), err=True)
        if report.entities_pending:
            echo(
                f"{report.entities_pending:,} articles wait for entity recognition: "
                "run `searchidx rebuild` without --no-entities to fill them in "
                "(stories are grouped then)",
                err=True,
            )
    if not quiet:
        _engine_advice(index_path, report.articles)
    if report.exit_code:
        count = failed_files(problems)
        echo(
            f"{count:,} file{'' if count == 1 else 's'} could not be read: the fix for each "
            "reason is above (`searchidx status` lists them again)",
            err=True,
        )
    sys.exit(report.exit_code)


def _engine_advice(index_path: Path, articles: int) -> None:
    """Suggest the tantivy engine for an archive past the size where whoosh gets slow."""
    if articles >= TANTIVY_ADVICE_ARTICLES and engine_of(index_path) == "whoosh":
        echo(
            f"{articles:,} articles: past ~{TANTIVY_ADVICE_ARTICLES:,} the tantivy engine answers "
            "much faster; switch with `searchidx rebuild --engine tantivy`",
            err=True,
        )


@click.command()
@index_option
@format_option("text", "json")
@translated()
def status(index: Path | None, fmt: str) -> None:
    """Show the index: where it is, its corpus, articles, last rebuild and failed files.

    \b
    Examples:
      searchidx status
      searchidx status --format json | jq .failures
    """
    from searchidx.cli.workset import orphaned_marks
    from searchidx.rebuild.run import index_status

    path = located_index(index)
    info = index_status(path)
    orphaned = orphaned_marks(path)
    if fmt == "json":
        echo(dumps({**_status_json(info), "orphaned_tags": orphaned}, indent=2))
        return
    last = info.last_rebuild.isoformat(sep=" ", timespec="seconds") if info.last_rebuild else "-"
    lines = [
        f"index:            {info.location}",
        f"corpus:           {info.corpus_root or '-'}",
        f"articles:         {info.articles:,}",
        f"last rebuild:     {last}",
        f"entities pending: {info.entities_pending:,}",
        f"engine:           {info.extra.get('engine', DEFAULT_ENGINE)}",
    ]
    damaged = info.extra.get("damaged")
    if damaged:
        lines.append(f"damaged:          {damaged}")
    holder = info.extra.get("rebuilding_pid")
    if holder:
        lines.append(f"rebuilding now:   pid {holder}")
    lines.append(f"failed files:     {failed_files(info.failures):,}")
    echo("\n".join(lines))
    for line in report_lines(info.failures):
        echo(line)
    if orphaned:  # the working set's marks whose article left the index (kept, not dropped)
        echo(f"tags on missing articles: {len(orphaned):,}")
        for mark in orphaned:
            echo(f"  {mark['id']} ({mark['path']}): {mark['title']}")


def _status_json(info: IndexStatus) -> dict[str, object]:
    last = info.last_rebuild
    return {
        "index": info.location,
        "corpus_root": info.corpus_root,
        "articles": info.articles,
        "last_rebuild": last.isoformat(timespec="seconds") if last else None,
        "entities_pending": info.entities_pending,
        "failures": [
            {"path": p.path, "reason": p.reason, "skipped": p.skipped} for p in info.failures
        ],
        **info.extra,
    }
