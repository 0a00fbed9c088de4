"""Worker processes (file reading, entity recognition): spawned, lock-free, die with the rebuild.

Reading workers tell the rebuild which file each one is on (`Event`s on a queue), so that
`rebuild.guarded` can stop one that is over its time budget and name the file a dead worker was
reading; their address space is capped (RLIMIT_AS), so a file that needs too much memory fails
with MemoryError instead of taking the machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.queues import Queue
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.index.engines import write_engine
from searchidx.index.generations import hold
from searchidx.index.manifest import hash_file
from searchidx.index.writing import IndexDocument, WorkerSegment
from searchidx.models import ReadResult

Task = tuple[str, str, str | None, ReadSettings]  # path, corpus root, previous hash, settings
Outcome = tuple[str, ReadResult | None, str | None]  # content hash, what was read, error
MEMORY_REASON = "needed more memory than a reading worker may use; skipped"

# What indexing one file in a worker gave: content hash, error, article ids (in the order they
# went into the segment), problems as (reason, skipped), same bytes as before, characters indexed
Indexed = tuple[str, str | None, list[str], list[tuple[str, bool]], bool, int]
IndexedChunk = tuple[WorkerSegment | None, list[Indexed]]  # a chunk's segment, what each file gave
# What a reading worker tells the rebuild: (pid, path, monotonic time, done) when it starts a
# file (done False) and when it is done with it. CLOCK_MONOTONIC is one clock for every process.
Event = tuple[int, str, float, bool]
PR_SET_PDEATHSIG = 1
_events: Queue[Event] | None = None  # the queue the rebuild reads, in reading workers


def _tell(path: str, done: bool) -> None:
    if _events is not None:
        _events.put((os.getpid(), path, time.monotonic(), done))


def read_one(task: Task) -> Outcome:
    """Hash one file; parse it only when its bytes changed. Never raises: a reader's bug fails
    that file, not the rebuild."""
    path, root, previous_hash, settings = task
    hold(f"read:{Path(path).name}")  # a crash test kills this worker here
    try:
        content_hash = hash_file(Path(path))
    except OSError as error:
        return "", None, f"cannot read the file: {error.strerror or error}"
    except MemoryError:
        return "", None, MEMORY_REASON
    if previous_hash is not None and previous_hash == content_hash:
        return content_hash, None, None
    try:
        from searchidx.corpus.readers import read_file

        return content_hash, read_file(Path(path), Path(root), settings), None
    except MemoryError:
        return content_hash, None, MEMORY_REASON
    except Exception as error:  # any reader failure becomes this file's reason
        return content_hash, None, f"could not be read ({type(error).__name__}: {error})"


def read_many(tasks: list[Task]) -> list[Outcome]:
    """`read_one` of each task, telling the rebuild which file is being read."""
    outcomes = []
    for task in tasks:
        _tell(task[0], False)
        outcomes.append(read_one(task))
        _tell(task[0], True)
    return outcomes


def index_many(engine: str, scratch: str, tasks: list[Task]) -> IndexedChunk:
    """Read a chunk of files and index their articles into one new segment of the scratch folder
    with the engine named `engine` (the writing half of phase 1, run in a worker); return the
    segment and what each file gave."""
    documents: list[IndexDocument] = []
    indexed: list[Indexed] = []
    for file_task in tasks:
        _tell(file_task[0], False)
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
        _tell(file_task[0], True)
    return write_engine(engine).write_segment(Path(scratch), documents), indexed


def _die_with_parent(
    parent: int, events: Queue[Event] | None = None, memory_bytes: int | None = None
) -> None:
    global _events
    _events = events
    if memory_bytes is not None:
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit holds already
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
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


def _pool(
    jobs: int, events: Queue[Event] | None = None, memory_bytes: int | None = None
) -> ProcessPoolExecutor:
    # Spawn, not fork: a forked child would share the flock of the rebuild lock.
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_die_with_parent,
        initargs=(os.getpid(), events, memory_bytes),
    )


def reading_pool(jobs: int, memory_bytes: int) -> tuple[ProcessPoolExecutor, Queue[Event]]:
    """A pool of reading workers, each capped at `memory_bytes` of address space, that report
    the file they are on to the returned queue."""
    events: Queue[Event] = multiprocessing.get_context("spawn").Queue()
    return _pool(jobs, events, memory_bytes), events
