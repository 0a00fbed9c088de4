"""Phase 1 of a rebuild: read and index the changed files, committing and publishing as it goes.

Reading happens here or, with many files, in worker processes that write segments themselves;
each file's outcome becomes its manifest entry.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.index.generations import (
    META_NAME,
    hold,
    scratch_folder,
    write_atomic,
    write_side_json,
)
from searchidx.index.manifest import Change, FileState, Manifest
from searchidx.index.writing import (
    GenerationWriter,
    IndexDocument,
    WorkerSegment,
    WriteEngine,
    publish_generation,
    start_generation,
)
from searchidx.models import Problem, ReadResult
from searchidx.rebuild import workers
from searchidx.rebuild.guarded import Budget, GuardedReader
from searchidx.rebuild.report import RebuildReport

WRITER_LIMIT_MB = 256  # whoosh's pool estimate; commits come before it fills (no spill to disk)
PARALLEL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
SEGMENT_BYTES = 3_000_000  # file bytes a worker indexes into one segment (memory, publish rate)
# A smaller corpus is cut into at least this many segments a worker, down to MIN_SEGMENT_BYTES:
# the writing bar moves once a segment, and BBC's 5 MB made two (the bar sat at 0 for 18 s).
SEGMENTS_PER_WORKER = 4
MIN_SEGMENT_BYTES = 200_000


class PhaseOneWriter:
    """Phase 1's writer: commits every so often (so the engine's pool never spills to disk) and,
    when allowed, publishes each commit as a generation, so articles are searchable early."""

    def __init__(
        self,
        engine: WriteEngine,
        index_path: Path,
        root: Path,
        base: Path | None,
        publish_early: bool,
    ):
        self.engine, self.index_path, self.root = engine, index_path, root
        self.publish_early = publish_early
        self.generation = start_generation(engine, index_path, link_from=base)
        self.commits = 0
        self.scratch: Path | None = None  # where workers write segments (parallel indexing)
        self._writer: GenerationWriter | None = engine.open_writer(self.generation, WRITER_LIMIT_MB)

    @property
    def writer(self) -> GenerationWriter:
        assert self._writer is not None, "the last checkpoint closed the writer"
        return self._writer

    def open_scratch(self) -> Path:
        """This rebuild's scratch folder, ready for worker processes to write segments in."""
        self.scratch = scratch_folder(self.index_path)
        self.engine.prepare_scratch(self.scratch)
        return self.scratch

    def adopt(self, segment: WorkerSegment) -> None:
        self.writer.adopt(segment)

    def checkpoint(self, manifest: Manifest, last: bool) -> int:
        """Commit; publish when this is the last commit or early publishing is on. Return the
        articles still waiting for entities in the committed index."""
        # The first commit merges nothing, so the first publish comes fast; later ones let
        # the engine merge small segments (and drop emptied ones), keeping their number low.
        self.writer.commit(merge=self.commits > 0)
        self.commits += 1
        hold("committed")
        articles, pending = self.engine.counts(self.generation)
        if last or self.publish_early:
            write_atomic(self.generation / "manifest.json", manifest.json_chunks())
            write_side_json(
                self.generation,
                META_NAME,
                {
                    "corpus_root": str(self.root),
                    "schema": self.engine.schema,
                    "engine": self.engine.name,
                    "built": datetime.now(UTC).isoformat(timespec="seconds"),
                    "articles": articles,
                    "entities_pending": pending,
                },
            )
            publish_generation(
                self.engine,
                self.index_path,
                self.generation,
                before_switch=lambda: hold("before-switch"),
            )
            hold("published")
            if not last:
                self.generation = start_generation(
                    self.engine, self.index_path, link_from=self.generation
                )
        # The old writer's pool is a web of cycles whoosh leaves to the cyclic collector; freeing
        # it now keeps memory flat from one commit to the next.
        self._writer = None
        gc.collect()
        if not last:
            self._writer = self.engine.open_writer(self.generation, WRITER_LIMIT_MB)
        return pending

    def cancel(self) -> None:
        # The engine may trip on its own temp files here; the folder is unpublished and the next
        # rebuild removes it, so the error that brought us here is the one worth raising.
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.cancel()


def _task(change: Change, root: Path, settings: ReadSettings) -> workers.Task:
    reuse = change.previous is not None and not change.settings_changed
    previous = change.previous.content_hash if change.previous and reuse else None
    return (str(change.path), str(root), previous, settings)


def read_all(
    changes: list[Change],
    root: Path,
    settings: ReadSettings,
    budget: Budget,
    on_files: Callable[[int], None],
) -> Iterator[tuple[Change, str, ReadResult | None, str | None]]:
    """Read the changed files in walk order, one at a time in one reading worker (few files, or
    `--jobs 1`): a file over the budget, or one that kills the worker, fails alone."""

    def failed(reason: str) -> list[workers.Outcome]:
        return [("", None, reason)]

    reader: GuardedReader[Change, list[workers.Outcome]] = GuardedReader(
        workers.read_many, failed, jobs=1, budget=budget, on_files=on_files
    )
    chunks = ([(change, _task(change, root, settings))] for change in changes)
    for (change,), (outcome,) in reader.run(chunks):
        yield (change, *outcome)


def interim_manifest(
    new: Manifest, remaining: Iterable[Change], outlet_rules: str = ""
) -> Manifest:
    """The manifest of a generation published before every file was read: files not read yet
    keep their previous state (their old articles are still in it), so the next rebuild reads
    them again; files new to the index are simply absent."""
    files = {c.rel: c.previous for c in remaining if c.previous is not None}
    files.update(new.files)
    # no folder settings, and `outlet_rules` as they were before this run if they changed: files
    # not read yet under the old ones are parsed again by the next rebuild
    return Manifest(files=files, walk_problems=new.walk_problems, outlet_rules=outlet_rules)


def apply(
    writer: GenerationWriter,
    change: Change,
    content_hash: str,
    result: ReadResult | None,
    error: str | None,
    new: Manifest,
    owners: dict[str, str],
    report: RebuildReport,
) -> int:
    """Record one file's outcome in the writer and the new manifest; return the characters of
    text added (what the writer's memory grows with)."""
    previous = change.previous
    if error is None and result is None and previous is not None:
        _keep_touched(change, content_hash, new, owners, report)
        return 0
    if previous is not None:
        for article_id in previous.ids:  # delete then add: whoosh-notes trap 7
            writer.delete(article_id)
    state = FileState(change.size, change.mtime_ns, content_hash)
    added = 0
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
            writer.add(IndexDocument(article, content_hash, entities_done=False))
            state.ids.append(article.id)
            added += len(article.body or "") + len(article.title or "")
        state.problems.extend((p.reason, p.skipped) for p in result.problems)
    _record(change, state, new, report)
    return added


def _record(change: Change, state: FileState, new: Manifest, report: RebuildReport) -> None:
    new.files[change.rel] = state
    report.new_problems.extend(Problem(change.rel, r, s) for r, s in state.problems)
    if state.failed and not state.ids:
        report.failed += 1
    elif change.previous is None:
        report.indexed += 1
    else:
        report.updated += 1


def _keep_touched(
    change: Change,
    content_hash: str,
    new: Manifest,
    owners: dict[str, str],
    report: RebuildReport,
) -> None:
    # Touched but the same bytes: keep its articles, remember the new size and mtime.
    previous = change.previous
    assert previous is not None
    new.files[change.rel] = FileState(
        change.size, change.mtime_ns, content_hash, previous.ids, previous.problems
    )
    for article_id in previous.ids:
        owners[article_id] = change.rel
    report.unchanged += 1


def segment_bytes(changes: list[Change], jobs: int) -> int:
    """File bytes a worker puts into one segment: SEGMENT_BYTES, or less for a corpus too small
    to give every worker SEGMENTS_PER_WORKER of them (never under MIN_SEGMENT_BYTES)."""
    share = sum(change.size for change in changes) // (max(jobs, 1) * SEGMENTS_PER_WORKER)
    return min(SEGMENT_BYTES, max(MIN_SEGMENT_BYTES, share))


def chunks_by_size(changes: list[Change], size: int) -> list[list[Change]]:
    """Consecutive runs of changes of about `size` bytes of files each (walk order kept)."""
    chunks: list[list[Change]] = [[]]
    total = 0
    for change in changes:
        if total >= size:
            chunks.append([])
            total = 0
        chunks[-1].append(change)
        total += change.size
    return [c for c in chunks if c]


def apply_indexed(
    writer: GenerationWriter,
    segment: WorkerSegment | None,
    first_docnum: int,
    change: Change,
    indexed: workers.Indexed,
    new: Manifest,
    owners: dict[str, str],
    report: RebuildReport,
) -> int:
    """Record one file a worker indexed into `segment` (its articles from `first_docnum` on);
    return the docnum after its last article."""
    content_hash, error, ids, problems, same_bytes, _ = indexed
    if same_bytes and change.previous is not None:
        _keep_touched(change, content_hash, new, owners, report)
        return first_docnum
    if change.previous is not None:
        for article_id in change.previous.ids:  # delete then add: whoosh-notes trap 7
            writer.delete(article_id)
    state = FileState(change.size, change.mtime_ns, content_hash)
    if error is not None:
        state.problems.append((error, True))
    for offset, article_id in enumerate(ids):
        holder = owners.get(article_id)
        if holder is not None and holder != change.rel:
            assert segment is not None  # the file's articles went into it
            segment.delete(first_docnum + offset)
            state.problems.append((f"article id {article_id} is also in {holder}", False))
            continue
        owners[article_id] = change.rel
        state.ids.append(article_id)
    state.problems.extend(problems)
    _record(change, state, new, report)
    return first_docnum + len(ids)


def index_in_workers(
    out: PhaseOneWriter,
    changes: list[Change],
    root: Path,
    settings: ReadSettings,
    jobs: int,
    budget: Budget,
    record: Callable[[list[Change], WorkerSegment | None, list[workers.Indexed]], None],
    on_files: Callable[[int], None],
) -> None:
    """Phase 1 with the indexing itself in worker processes: each task reads about
    SEGMENT_BYTES of files and writes them as one segment into `out.scratch`; results are taken
    in walk order (`record` gets each chunk, or piece of one, its segment and what each file
    gave) while at most `jobs + 1` tasks are out. `on_files(n)` is told as workers finish files.
    """

    def failed(reason: str) -> workers.IndexedChunk:
        return None, [("", reason, [], [], False, 0)]

    function = functools.partial(workers.index_many, out.engine.name, str(out.scratch))
    reader: GuardedReader[Change, workers.IndexedChunk] = GuardedReader(
        function, failed, jobs=jobs, budget=budget, on_files=on_files
    )
    chunks = (
        [(change, _task(change, root, settings)) for change in chunk]
        for chunk in chunks_by_size(changes, segment_bytes(changes, jobs))
    )
    for piece, (segment, indexed) in reader.run(chunks):
        record(piece, segment, indexed)
