"""Rebuild: walk the corpus, re-read what changed, write a new generation, publish it atomically.

The design (generations, lock, manifest, crash moments) is in docs/index-design.md.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.query import Term

from searchidx import workers
from searchidx.config import ReadSettings, max_file_bytes
from searchidx.errors import CorpusError, IndexMissing
from searchidx.lock import RebuildLock, lock_holder
from searchidx.manifest import Change, FileState, Manifest, plan_changes
from searchidx.models import Article, IndexStatus, Problem, ReadResult
from searchidx.progress import Progress
from searchidx.schema import SCHEMA_FINGERPRINT, article_document
from searchidx.store import (
    clean_stale,
    current_generation,
    new_generation,
    publish,
    read_side_json,
    write_atomic,
    write_side_json,
)

META_NAME = "meta.json"  # per generation: corpus root, schema, counts, when it was built
LAST_RUN_NAME = "last-run.json"  # per index: the last finished rebuild, no-op runs included
PARALLEL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
WRITER_LIMIT_MB = 128


@dataclass
class RebuildReport:
    """What one rebuild did; the CLI prints it and picks the exit code from it."""

    index_path: Path
    corpus_root: Path
    indexed: int = 0  # files new to the index, read
    updated: int = 0  # files changed since the last rebuild, re-read
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0  # files the walk did not read (type, size, permissions)
    failed: int = 0  # files a reader could not read
    articles: int = 0  # in the index after the rebuild
    entities_pending: int = 0
    seconds: float = 0.0
    published: bool = False  # False: nothing changed, the live generation stayed
    new_problems: list[Problem] = field(default_factory=list)  # found by this run
    failures: list[Problem] = field(default_factory=list)  # all the index lists now

    @property
    def exit_code(self) -> int:
        return 1 if any(p.skipped for p in self.failures) else 0

    def summary(self) -> str:
        return (
            f"indexed {self.indexed:,}, updated {self.updated:,}, unchanged {self.unchanged:,}, "
            f"deleted {self.deleted:,}, skipped {self.skipped:,}, failed {self.failed:,} files; "
            f"{self.articles:,} articles in {self.seconds:.1f}s"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "index": str(self.index_path),
            "corpus_root": str(self.corpus_root),
            **{
                name: getattr(self, name)
                for name in ("indexed", "updated", "unchanged", "deleted", "skipped", "failed",
                             "articles", "entities_pending", "published")
            },
            "seconds": round(self.seconds, 3),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def hold(moment: str) -> None:
    """Test hook: at `moment`, announce the pid and wait to be killed (crash tests).

    Set SEARCHIDX_TEST_HOLD=<moment> and SEARCHIDX_TEST_HOLD_FILE=<path>; unset, it costs nothing.
    """
    if os.environ.get("SEARCHIDX_TEST_HOLD") != moment:
        return
    marker = os.environ.get("SEARCHIDX_TEST_HOLD_FILE")
    if marker:
        write_atomic(Path(marker), str(os.getpid()))
    time.sleep(600)


def corpus_root_of(index_path: Path) -> Path | None:
    """The corpus folder the index was built from, as recorded in its live generation."""
    live = current_generation(index_path)
    meta = read_side_json(live, META_NAME, {}) if live else {}
    root = meta.get("corpus_root")
    return Path(root) if root else None


def _resolve_root(index_path: Path, corpus: Path | None) -> Path:
    root = corpus if corpus is not None else corpus_root_of(index_path)
    if root is None:
        raise CorpusError(
            f"the index at {index_path} records no corpus folder: run `searchidx rebuild CORPUS`"
        )
    root = root.expanduser().absolute()
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise CorpusError(f"corpus folder {root} {what}: give an existing folder to rebuild")
    return root


def _walk(root: Path, index_path: Path, settings: ReadSettings) -> tuple[list[Any], list[Problem]]:
    from searchidx.corpus import walk

    sources: list[Any] = []
    problems: list[Problem] = []
    for item in walk(root, [index_path], settings):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            sources.append(item)
    return sources, problems


def rebuild(
    index_path: Path,
    corpus: Path | None = None,
    *,
    full: bool = False,
    jobs: int = 1,
    entities: bool = True,
    retry_failed: bool = False,
    progress: Progress | None = None,
) -> RebuildReport:
    """Bring the index at `index_path` up to date with the corpus folder; return what was done.

    Takes the rebuild lock first (IndexLocked when another rebuild holds it) and keeps it until
    the last phase ends. The live generation answers queries throughout.
    """
    started = time.monotonic()
    progress = progress or Progress(quiet=True)
    with RebuildLock(index_path):
        clean_stale(index_path)
        hold("locked")
        live = current_generation(index_path)
        root = _resolve_root(index_path, corpus)
        meta = read_side_json(live, META_NAME, {}) if live else {}
        if meta.get("schema") != SCHEMA_FINGERPRINT or meta.get("corpus_root") != str(root):
            full = True  # another schema or another corpus: nothing in the live one is reusable
        old = Manifest() if full or live is None else Manifest.load(live)
        settings = ReadSettings(max_file_bytes=max_file_bytes())

        progress.stage(f"scanning {root}")
        sources, walk_problems = _walk(root, index_path, settings)
        hold("after-walk")
        rows = ((s.rel, Path(s.path), s.size, s.mtime_ns) for s in sources)
        plan = plan_changes(old, rows, full=full, retry_failed=retry_failed)
        report = RebuildReport(index_path, root, unchanged=len(plan.unchanged))
        report.skipped = len(walk_problems)
        walk_changed = walk_problems != old.walk_problems
        report.new_problems.extend(p for p in walk_problems if p not in old.walk_problems)

        new = Manifest(
            files={r: old.files[r] for r in plan.unchanged if r in old.files},
            walk_problems=walk_problems,
        )
        if plan.empty and not walk_changed and live is not None:
            pending = int(meta.get("entities_pending", 0))
        else:
            pending = _write_generation(index_path, live, root, plan, old, new, report,
                                        settings, jobs, progress, full)
        report.entities_pending = pending
        if entities and pending:
            from searchidx.enrich import fill_entities
            from searchidx.entities import ModelMissing

            try:
                report.entities_pending = fill_entities(index_path, jobs=jobs, progress=progress)
            except ModelMissing as missing:  # the text is searchable; entities wait for a model
                progress.warn(str(missing))
        _group_stories(index_path, progress)
        report.articles = new.article_count()
        report.failures = new.failures()
        report.seconds = time.monotonic() - started
        write_atomic(index_path / LAST_RUN_NAME, json.dumps(report.to_json()))
        hold("end")
    return report


def _group_stories(index_path: Path, progress: Progress) -> None:
    # Story grouping (searchidx/story_sync.py) updates a side table of the live generation.
    from searchidx.story_sync import sync_stories

    hold("stories")
    try:
        sync_stories(index_path, progress)
    except (OSError, ValueError) as error:  # the index is fine; grouping waits for the next run
        progress.warn(f"stories could not be grouped: {error}")


def _write_generation(
    index_path: Path,
    live: Path | None,
    root: Path,
    plan: Any,
    old: Manifest,
    new: Manifest,
    report: RebuildReport,
    settings: ReadSettings,
    jobs: int,
    progress: Progress,
    full: bool,
) -> int:
    """Apply the plan to a new generation and publish it; return the entities still pending."""
    generation = new_generation(index_path, link_from=None if full else live)
    ix = whoosh_index.open_dir(str(generation))
    writer = ix.writer(limitmb=WRITER_LIMIT_MB)
    try:
        for rel in plan.deleted:
            for article_id in old.files[rel].ids:
                writer.delete_by_term("id", article_id)
        report.deleted = len(plan.deleted)
        owners = {i: rel for rel, state in new.files.items() for i in state.ids}
        progress.start("reading", len(plan.to_read))
        for change, content_hash, result, error in _read_all(plan.to_read, root, settings, jobs):
            _apply(writer, change, content_hash, result, error, new, owners, report)
            progress.advance()
            if progress.done == 1:
                hold("reading")
        progress.finish()
        progress.stage("committing")
        if os.environ.get("SEARCHIDX_TEST_HOLD") == "mid-commit":
            _hook_before_toc(writer)
        writer.commit(optimize=full)
    except BaseException:
        writer.cancel()
        raise
    hold("committed")
    searcher = ix.searcher()
    try:
        pending = len(list(searcher.docs_for_query(Term("entities_done", "0"))))
        articles = searcher.doc_count()
    finally:
        searcher.close()
    write_side_json(generation, "manifest.json", new.to_json())
    write_side_json(generation, META_NAME, {
        "corpus_root": str(root),
        "schema": SCHEMA_FINGERPRINT,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": articles,
        "entities_pending": pending,
    })
    publish(index_path, generation, before_switch=lambda: hold("before-switch"))
    progress.finish()
    report.published = True
    hold("published")
    return pending


def _hook_before_toc(writer: Any) -> None:
    # Crash-test moment inside whoosh's commit: segment files are written, the TOC is not yet.
    original = writer._commit_toc

    def hooked(*args: Any, **kwargs: Any) -> Any:
        hold("mid-commit")
        return original(*args, **kwargs)

    writer._commit_toc = hooked


def _apply(
    writer: Any,
    change: Change,
    content_hash: str,
    result: ReadResult | None,
    error: str | None,
    new: Manifest,
    owners: dict[str, str],
    report: RebuildReport,
) -> None:
    """Record one file's outcome in the writer and the new manifest."""
    previous = change.previous
    if error is None and result is None and previous is not None:
        # Touched but the same bytes: keep its articles, remember the new size and mtime.
        new.files[change.rel] = FileState(change.size, change.mtime_ns, content_hash,
                                          previous.ids, previous.problems)
        for article_id in previous.ids:
            owners[article_id] = change.rel
        report.unchanged += 1
        return
    if previous is not None:
        for article_id in previous.ids:  # delete then add: whoosh-notes trap 7
            writer.delete_by_term("id", article_id)
    state = FileState(change.size, change.mtime_ns, content_hash)
    if error is not None:
        state.problems.append((error, True))
    else:
        assert result is not None
        for article in result.articles:
            holder = owners.get(article.id)
            if holder is not None and holder != change.rel:
                state.problems.append((f"article id {article.id} is also in {holder}", False))
                continue
            owners[article.id] = change.rel
            writer.add_document(**article_document(article, content_hash, entities_done=False))
            state.ids.append(article.id)
        state.problems.extend((p.reason, p.skipped) for p in result.problems)
    new.files[change.rel] = state
    report.new_problems.extend(Problem(change.rel, r, s) for r, s in state.problems)
    if state.failed and not state.ids:
        report.failed += 1
    elif previous is None:
        report.indexed += 1
    else:
        report.updated += 1


def _read_all(
    changes: list[Change], root: Path, settings: ReadSettings, jobs: int
) -> Iterator[tuple[Change, str, ReadResult | None, str | None]]:
    """Read the changed files in walk order, in worker processes when there are many."""
    tasks = [
        (str(c.path), str(root), c.previous.content_hash if c.previous else None, settings)
        for c in changes
    ]
    if jobs > 1 and len(changes) >= PARALLEL_MIN_FILES:
        outcomes: Iterable[tuple[str, ReadResult | None, str | None]] = workers.map_in_workers(
            workers.read_one, tasks, jobs
        )
    else:
        outcomes = map(workers.read_one, tasks)
    for change, (content_hash, result, error) in zip(changes, outcomes, strict=True):
        yield change, content_hash, result, error


def index_status(index_path: Path | None) -> IndexStatus:
    """What `searchidx status` shows, read from the live generation and the last run."""
    if index_path is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    live = current_generation(index_path)
    if live is None:
        raise IndexMissing(f"no index at {index_path}: run `searchidx rebuild CORPUS`")
    meta = read_side_json(live, META_NAME, {})
    last_run = read_side_json(index_path, LAST_RUN_NAME, {})
    stamp = last_run.get("finished") or meta.get("built")
    extra: dict[str, object] = {"generation": live.name}
    holder = lock_holder(index_path)
    if holder:
        extra["rebuilding_pid"] = holder
    ix = whoosh_index.open_dir(str(live))
    try:
        articles = ix.doc_count()
    finally:
        ix.close()
    return IndexStatus(
        location=str(index_path),
        corpus_root=meta.get("corpus_root"),
        articles=articles,
        last_rebuild=datetime.fromisoformat(stamp) if stamp else None,
        failures=tuple(Manifest.load(live).failures()),
        entities_pending=int(meta.get("entities_pending", 0)),
        extra=extra,
    )


def index_articles(index_path: Path, articles: Iterable[Article], *, replace: bool = True) -> Path:
    """Write `articles` as a new generation (all of them when `replace`, else added to the live
    one) and publish it. Used by tests to make small indexes without a corpus folder."""
    live = None if replace else current_generation(index_path)
    generation = new_generation(index_path, link_from=live)
    ix = whoosh_index.open_dir(str(generation))
    writer = ix.writer()
    for article in articles:
        writer.delete_by_term("id", article.id)
        writer.add_document(**article_document(article))
    writer.commit()
    publish(index_path, generation)
    return generation

