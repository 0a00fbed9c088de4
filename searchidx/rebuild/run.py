"""Rebuild: walk the corpus, re-read what changed, write a new generation, publish it atomically.

The design (generations, lock, manifest, crash moments) is in docs/index-design.md.
"""

from __future__ import annotations

import errno
import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from searchidx.config import ReadSettings, max_file_bytes, private_files
from searchidx.errors import CorpusError, SearchIdxError
from searchidx.index.engines import DEFAULT_ENGINE, write_engine
from searchidx.index.generations import (
    META_NAME,
    clean_stale,
    current_generation,
    hold,
    read_side_json,
    recover,
    write_atomic,
)
from searchidx.index.lock import RebuildLock, make_index_folder
from searchidx.index.manifest import Change, Manifest, Plan, plan_changes
from searchidx.index.writing import (
    IndexDocument,
    WorkerSegment,
    WriteEngine,
    ensure_facet_tables,
    replace_documents,
)
from searchidx.models import Article, Problem
from searchidx.rebuild.guarded import DEFAULT_FILE_SECONDS, Budget
from searchidx.rebuild.inherited import inherited
from searchidx.rebuild.progress import ProgressReporter, SilentProgress
from searchidx.rebuild.repair import generation_damage, repair_aliases
from searchidx.rebuild.report import RebuildReport
from searchidx.rebuild.status import LAST_RUN_NAME, index_status
from searchidx.rebuild.textphase import (
    PARALLEL_MIN_FILES,
    PhaseOneWriter,
    apply_indexed,
    index_in_workers,
    interim_manifest,
    read_all,
)
from searchidx.rebuild.textphase import apply as apply_outcome
from searchidx.rebuild.workers import Indexed

__all__ = ["RebuildReport", "corpus_root_of", "index_articles", "index_status", "rebuild"]
NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # disk or quota full, file size limit
FIRST_PUBLISH_SECONDS = 5.0  # a first build goes live after this much reading and indexing
PUBLISH_CHARS = 6_000_000  # then a commit (and publish) per this much text: whoosh's pool holds
# it in memory (256 MB by its estimate, about 300 MB of RSS) and never spills runs to disk


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


def _walk(
    root: Path, index_path: Path, settings: ReadSettings, follow_outside: bool
) -> tuple[list[tuple[str, str, int, int]], list[Problem]]:
    """The files to index as (rel, path, size, mtime_ns) (plain tuples and strings: a million
    `Source`s with their `Path`s took ~0.6 GB), and the problems of the walk."""
    from searchidx.corpus.walk import Source, walk

    sources: list[tuple[str, str, int, int]] = []
    problems: list[Problem] = []
    for item in walk(root, [index_path], settings, follow_outside=follow_outside):
        if isinstance(item, Source):
            sources.append((item.rel, str(item.path), item.size, item.mtime_ns))
        else:
            problems.append(item)
    return sources, problems


def rebuild(
    index_path: Path,
    corpus: Path | None = None,
    *,
    full: bool = False,
    jobs: int = 1,
    entities: bool = True,
    retry_failed: bool = False,
    progress: ProgressReporter | None = None,
    aliases_file: Path | None = None,
    engine: str | None = None,
    file_timeout: float = DEFAULT_FILE_SECONDS,
    follow_outside: bool = False,
    cluster: str | None = None,
) -> RebuildReport:
    """Bring the index at `index_path` up to date with the corpus folder; return what was done.

    Takes the rebuild lock first (IndexLocked when another rebuild holds it) and keeps it until
    the last phase ends. The live generation answers queries throughout. `aliases_file` is the
    user's alias file for this run (default: $SEARCHIDX_ALIASES, else <index>/entity-aliases.txt).
    Stories are not grouped while many articles wait for entities (see `_group_stories`).
    `engine` names the index engine to write with (one of `engines.ENGINES`; another one than
    the live generation's means a full rebuild); None keeps the index's own. `file_timeout`
    is the seconds one file may take to read (over it, the file is skipped and reported);
    `follow_outside` follows symlinks that lead out of the corpus folder. `cluster`: the
    Dask scheduler (`tcp://host:8786`, or `local:N`) that recognises entities instead of `jobs`
    local processes (docs/scale-out.md).
    """
    started = time.monotonic()
    progress = progress or SilentProgress()

    def since() -> float:
        return time.monotonic() - started

    make_index_folder(index_path)  # one line, not a traceback, when it cannot be made
    with private_files(index_path), RebuildLock(index_path) as lock:
        repaired = recover(
            index_path, generation_damage
        )  # before the cleanup, which trusts CURRENT
        clean_stale(index_path)  # then: a full disk gets its room back before anything is written
        lock.write_pid()
        try:
            for message in (repaired, repair_aliases(index_path)):
                if message:
                    progress.warn(f"the index was damaged: {message}")
            hold("locked")
            live = current_generation(index_path)
            root = _resolve_root(index_path, corpus)
            meta = read_side_json(live, META_NAME, {}) if live else {}
            writer_engine = write_engine(engine or meta.get("engine", DEFAULT_ENGINE))
            if (
                meta.get("schema") != writer_engine.schema
                or meta.get("engine", DEFAULT_ENGINE) != writer_engine.name
                or meta.get("corpus_root") != str(root)
            ):
                full = True  # another schema, engine or corpus: nothing in the live one is reusable
            old = Manifest() if full or live is None else Manifest.load(live)
            settings = ReadSettings(max_file_bytes=max_file_bytes())

            progress.stage(f"scanning {root}")
            sources, walk_problems = _walk(root, index_path, settings, follow_outside)
            hold("after-walk")
            outside = inherited(root, [s[0] for s in sources], old, index_path, aliases_file)
            settings = replace(settings, outlet_rules=outside.outlet_rules)
            plan = plan_changes(
                old, sources, full=full, retry_failed=retry_failed, settings_changed=outside.changed
            )
            del sources  # the plan holds what is needed
            report = RebuildReport(index_path, root, unchanged=len(plan.unchanged))
            report.skipped = len(walk_problems)
            progress.counts(0, report.skipped, 0)
            walk_changed = walk_problems != old.walk_problems
            report.new_problems.extend(p for p in walk_problems if p not in old.walk_problems)

            new = Manifest(
                files={r: old.files[r] for r in plan.unchanged if r in old.files},
                walk_problems=walk_problems,
                folder_settings=old.folder_settings if retry_failed else outside.folder_settings,
                outlet_rules=old.outlet_rules if retry_failed else outside.outlet_stamp,
            )
            if plan.empty and not walk_changed and live is not None:
                pending = int(meta.get("entities_pending", 0))
            else:
                pending = _write_generation(
                    writer_engine,
                    index_path,
                    live,
                    root,
                    plan,
                    old,
                    new,
                    report,
                    settings,
                    Budget(seconds=file_timeout),
                    jobs,
                    progress,
                    full,
                    since,
                )
                report.text_after = since()
            report.entities_pending = pending
            if entities:  # also with nothing pending: the alias file may have changed
                from searchidx.entities import ModelMissing
                from searchidx.rebuild.enrich import fill_entities

                try:
                    report.entities_pending = fill_entities(
                        writer_engine,
                        index_path,
                        jobs=jobs,
                        progress=progress,
                        aliases_file=aliases_file,
                        cluster=cluster,
                    )
                    if pending:
                        report.entities_after = since()
                except ModelMissing as missing:  # the text is searchable; entities wait for a model
                    progress.warn(str(missing))
            # an index written before facet tables existed gets them once (a no-op rebuild too)
            ensure_facet_tables(writer_engine, index_path)
            report.stories_deferred = not _group_stories(
                index_path, progress, report.entities_pending
            )
            report.articles = new.article_count()
            report.failures = new.failures()
            report.seconds = time.monotonic() - started
            write_atomic(index_path / LAST_RUN_NAME, json.dumps(report.to_json()))
            hold("end")
        except (OSError, sqlite3.OperationalError) as error:
            reason = _no_room(error)
            if reason is None:
                raise
            clean_stale(index_path)  # the unfinished generation goes, and the room it took
            raise SearchIdxError(
                f"could not write the index at {index_path} ({reason}): the unfinished "
                "generation was removed and the index is as it was; free some space and run "
                "`searchidx rebuild` again"
            ) from None
    return report


def _no_room(error: OSError | sqlite3.OperationalError) -> str | None:
    """Why writing failed when the disk, a quota or a size limit is full, else None. sqlite (the
    NER cache) says "database or disk is full", or "disk I/O error" when it cannot even grow
    its journal."""
    if isinstance(error, OSError):
        return (error.strerror or str(error)) if error.errno in NO_ROOM else None
    text = str(error)
    return text if "disk is full" in text or "disk I/O error" in text else None


def _group_stories(index_path: Path, progress: ProgressReporter, pending: int) -> bool:
    """Update the story side table of the live generation (searchidx.stories.sync); False when
    grouping waits for the rebuild that fills in the entities."""
    from searchidx.stories.sync import READER_SYNC_LIMIT, sync_stories

    if pending > READER_SYNC_LIMIT:
        # Same-event links need entities, and the entity phase rewrites every article it fills
        # (grouping would then run again for each): on Reuters with --no-entities, grouping was
        # ~8 s and ~120 MB spent twice. Few pending articles are grouped now (cheap; readers
        # would otherwise group them on each open).
        return False
    hold("stories")
    try:
        sync_stories(index_path, progress.stage)
    except (OSError, ValueError) as error:  # the index is fine; grouping waits for the next run
        progress.warn(f"stories could not be grouped: {error}")
    return True


def _write_generation(
    engine: WriteEngine,
    index_path: Path,
    live: Path | None,
    root: Path,
    plan: Plan,
    old: Manifest,
    new: Manifest,
    report: RebuildReport,
    settings: ReadSettings,
    budget: Budget,
    jobs: int,
    progress: ProgressReporter,
    full: bool,
    since: Callable[[], float],
) -> int:
    """Apply the plan: commit every PUBLISH_CHARS of text (or more: see `after`), publishing a
    first generation after FIRST_PUBLISH_SECONDS. A --full rebuild over a live index publishes
    only at the end (the live one keeps answering in full meanwhile). Return the entities still
    pending."""
    out = PhaseOneWriter(
        engine, index_path, root, None if full else live, publish_early=not full or not live
    )
    started, chars, done, ticks, before = time.monotonic(), 0, 0, 0, 0

    def after(files: int, added: int) -> None:
        # A checkpoint when the first seconds are over (searchable early), then per PUBLISH_CHARS;
        # an engine that bounds its own memory waits for as much text as all before, so its
        # checkpoints (each reads the whole index for facet tables) are few at any size.
        nonlocal chars, done, before
        chars, done = chars + added, done + files
        progress.counts(report.indexed + report.updated, report.skipped, report.failed)
        first = not out.commits and time.monotonic() - started >= FIRST_PUBLISH_SECONDS
        step = max(PUBLISH_CHARS, before if engine.flushes_itself else 0)
        if done < len(plan.to_read) and (first or chars >= step):
            progress.pause("committing")
            rules = "?" if new.outlet_rules != old.outlet_rules else new.outlet_rules
            out.checkpoint(interim_manifest(new, plan.to_read[done:], rules), last=False)
            if out.publish_early and report.searchable_after is None:
                report.searchable_after = since()
            progress.resume()
            before, chars = before + chars, 0

    def ticked(count: int) -> None:
        nonlocal ticks
        ticks += count
        progress.advance(count)
        if ticks == count:  # the first files are read
            hold("reading")

    def read_in_workers(count: int) -> None:
        # Workers read files, then write their segment, then the results are taken in walk
        # order: once every file is read, the rest is writing, a bar of its own (on BBC the
        # reading bar sat full for ~20 s before this).
        ticked(count)
        if ticks >= len(plan.to_read) and done < ticks:
            progress.finish()
            progress.start("writing", len(plan.to_read), done=done)

    try:
        for rel in plan.deleted:
            for article_id in old.files[rel].ids:
                out.writer.delete(article_id)
        report.deleted = len(plan.deleted)
        owners = {i: rel for rel, state in new.files.items() for i in state.ids}
        progress.start("reading", len(plan.to_read))
        if jobs > 1 and len(plan.to_read) >= PARALLEL_MIN_FILES:
            out.open_scratch()

            def record(
                chunk: list[Change], segment: WorkerSegment | None, indexed: list[Indexed]
            ) -> None:
                docnum = 0
                for change, item in zip(chunk, indexed, strict=True):
                    docnum = apply_indexed(
                        out.writer, segment, docnum, change, item, new, owners, report
                    )
                if segment is not None:
                    out.adopt(segment)
                after(len(chunk), sum(item[5] for item in indexed))
                if ticks >= len(plan.to_read):
                    progress.advance(len(chunk))  # the writing bar

            index_in_workers(
                out, plan.to_read, root, settings, jobs, budget, record, read_in_workers
            )
        else:
            for outcome in read_all(plan.to_read, root, settings, budget, ticked):
                added = apply_outcome(out.writer, *outcome, new, owners, report)
                after(1, added)
        progress.finish()
        progress.stage("committing")
        pending = out.checkpoint(new, last=True)
        if report.searchable_after is None:
            report.searchable_after = since()
    except BaseException:
        out.cancel()
        raise
    finally:
        if out.scratch is not None:
            shutil.rmtree(out.scratch, ignore_errors=True)
    progress.finish()
    report.published = True
    return pending


def index_articles(
    index_path: Path,
    articles: Iterable[Article],
    *,
    replace: bool = True,
    engine: str = DEFAULT_ENGINE,
) -> Path:
    """Write `articles` as a new generation (all of them when `replace`, else added to the live
    one) and publish it. Used by tests to make small indexes without a corpus folder."""
    documents = (IndexDocument(article) for article in articles)
    live = current_generation(index_path)
    meta = {} if replace or live is None else read_side_json(live, META_NAME, {})
    side = {META_NAME: {**meta, "engine": engine}}
    return replace_documents(write_engine(engine), index_path, documents, side, fresh=replace)
