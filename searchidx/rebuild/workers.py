"""Worker processes (file reading, entity recognition): spawned, lock-free, die with the rebuild."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.queues import Queue
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.index.engines import write_engine
from searchidx.index.manifest import hash_file
from searchidx.index.writing import IndexDocument, WorkerSegment
from searchidx.models import ReadResult

Task = tuple[str, str, str | None, ReadSettings]  # path, corpus root, previous hash, settings
Outcome = tuple[str, ReadResult | None, str | None]  # content hash, what was read, error

# What indexing one file in a worker gave: content hash, error, article ids (in the order they
# went into the segment), problems as (reason, skipped), same bytes as before, characters indexed
Indexed = tuple[str, str | None, list[str], list[tuple[str, bool]], bool, int]
IndexedChunk = tuple[WorkerSegment | None, list[Indexed]]  # a chunk's segment, what each file gave
PR_SET_PDEATHSIG = 1
_ticks: Queue[int] | None = None  # a queue the rebuild reads: one item per file a worker finished


def read_one(task: Task) -> Outcome:
    """Hash one file; parse it only when its bytes changed. Never raises: a reader's bug fails
    that file, not the rebuild."""
    path, root, previous_hash, settings = task
    try:
        content_hash = hash_file(Path(path))
    except OSError as error:
        return "", None, f"cannot read the file: {error.strerror or error}"
    if previous_hash is not None and previous_hash == content_hash:
        return content_hash, None, None
    try:
        from searchidx.corpus.readers import read_file

        return content_hash, read_file(Path(path), Path(root), settings), None
    except Exception as error:  # any reader failure becomes this file's reason
        return content_hash, None, f"could not be read ({type(error).__name__}: {error})"


def index_many(task: tuple[str, str, list[Task]]) -> IndexedChunk:
    """Read a chunk of files and index their articles into one new segment of the scratch folder
    with the engine named in `task` (the writing half of phase 1, run in a worker); return the
    segment and what each file gave."""
    engine, scratch, tasks = task
    documents: list[IndexDocument] = []
    indexed: list[Indexed] = []
    for file_task in tasks:
        content_hash, result, error = read_one(file_task)
        if result is None:
            indexed.append((content_hash, error, [], [], error is None, 0))
        else:
            chars = 0
            for article in result.articles:
                documents.append(IndexDocument(article, content_hash, entities_done=False))
                chars += len(article.body or "") + len(article.title or "")
            problems = [(p.reason, p.skipped) for p in result.problems]
            indexed.append(
                (content_hash, None, [a.id for a in result.articles], problems, False, chars)
            )
        if _ticks is not None:
            _ticks.put(1)
    return write_engine(engine).write_segment(Path(scratch), documents), indexed


def _die_with_parent(parent: int, ticks: Queue[int] | None = None) -> None:
    global _ticks
    _ticks = ticks
    # The kernel sends SIGKILL to this worker when the rebuild dies, even by SIGKILL itself.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the pool's pipes still close when the parent goes
    if os.getppid() != parent:
        os._exit(1)  # the parent died before prctl took effect
    # Ctrl-C goes to the whole process group: only the rebuild decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool(jobs: int, ticks: Queue[int] | None = None) -> ProcessPoolExecutor:
    # Spawn, not fork: a forked child would share the flock of the rebuild lock.
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_die_with_parent,
        initargs=(os.getpid(), ticks),
    )


def pool_with_ticks(jobs: int) -> tuple[ProcessPoolExecutor, Queue[int]]:
    """A worker pool whose workers report each finished file on the returned queue."""
    ticks = multiprocessing.get_context("spawn").Queue()
    return _pool(jobs, ticks), ticks
