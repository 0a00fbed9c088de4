"""Reading under a budget: files go to reading workers in chunks; a file over its time budget, or
one whose worker dies (SIGKILL, the OOM killer), costs that file, named, not the rebuild.

Workers report the file each is on (`workers.Event`). A worker on one file longer than the
budget is killed. Either way the pool breaks (`BrokenProcessPool`); the chunks not finished are
sent again to a fresh pool, in their order, without the culprit, which comes back as a failure.
When a worker died by another hand while two or more files were being read, each of those is
read alone in a pool of its own first: the one that dies again is the culprit.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from searchidx.errors import SearchIdxError
from searchidx.rebuild import workers

C = TypeVar("C")
R = TypeVar("R")
DEFAULT_FILE_SECONDS = 120.0  # a 20 MB page takes trafilatura seconds, not minutes
DEFAULT_WORKER_MEMORY = 4 * 1024**3  # address space of one reading worker
DIED = "the reading process died on this file (killed, or out of memory); skipped"
POLL_SECONDS = 0.1
MAX_BLIND_BREAKS = 3  # pool breaks with no file being read (a bug, not a file): then give up


@dataclass(frozen=True)
class Budget:
    """What reading one file may take: seconds of wall time, bytes of a worker's address space."""

    seconds: float = DEFAULT_FILE_SECONDS
    memory_bytes: int = DEFAULT_WORKER_MEMORY

    def timeout_reason(self) -> str:
        return (
            f"reading took over {self.seconds:g} s, the budget for one file; skipped "
            "(`searchidx rebuild --file-timeout SECONDS` raises it)"
        )


Item = tuple[C, workers.Task]  # a file's context (what the caller records) and its task


class _Pool:
    """One generation of reading workers and what they were doing when last heard from."""

    def __init__(self, jobs: int, budget: Budget) -> None:
        self.executor, self.events = workers.reading_pool(jobs, budget.memory_bytes)
        self.budget = budget
        self.reading: dict[int, tuple[str, float]] = {}  # worker pid -> file, since
        self.stopped: dict[str, str] = {}  # files whose worker this pool killed -> why

    def drain(self) -> list[str]:
        """Take the workers' news; return the files finished since the last call."""
        finished = []
        with contextlib.suppress(queue.Empty, OSError, EOFError):
            while True:
                pid, path, at, done = self.events.get_nowait()
                if done:
                    finished.append(path)
                    self.reading.pop(pid, None)
                else:
                    self.reading[pid] = (path, at)
        return finished

    def stop_slow(self) -> None:
        """Kill every worker that has been on one file longer than the budget."""
        now = time.monotonic()
        for pid, (path, since) in list(self.reading.items()):
            if now - since > self.budget.seconds:
                self.stopped[path] = self.budget.timeout_reason()
                del self.reading[pid]
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        # A worker exits only once its last events are in the pipe: keep reading them while
        # the pool shuts down, or a full pipe (a chunk of many files) holds it, and us, forever.
        closing = threading.Thread(
            target=self.executor.shutdown, kwargs={"wait": True, "cancel_futures": True}
        )
        closing.start()
        while closing.is_alive():
            self.drain()
            closing.join(POLL_SECONDS)
        self.events.close()


def _send(
    pool: _Pool, function: Callable[[list[workers.Task]], R], tasks: list[workers.Task]
) -> Future[R]:
    """The future of `function(tasks)` in `pool`; a pool that broke since its last answer (a
    worker died between two chunks) gives a future that holds the break, handled as any other."""
    try:
        return pool.executor.submit(function, tasks)
    except BrokenProcessPool as error:
        broken: Future[R] = Future()
        broken.set_exception(error)
        return broken


class GuardedReader(Generic[C, R]):
    """Runs `function` over chunks of file tasks in reading workers; see the module docstring.

    `failed(reason)` makes the result of a one-file chunk that could not be read;
    `on_files(n)` is told as workers finish files (progress), each file once.
    """

    def __init__(
        self,
        function: Callable[[list[workers.Task]], R],
        failed: Callable[[str], R],
        *,
        jobs: int,
        budget: Budget,
        on_files: Callable[[int], None],
    ) -> None:
        self.function, self.failed, self.jobs, self.budget = function, failed, jobs, budget
        self.on_files = on_files
        self.counted: set[str] = set()
        self.blind_breaks = 0

    def _count(self, finished: list[str]) -> None:
        new = [path for path in dict.fromkeys(finished) if path not in self.counted]
        self.counted.update(new)
        if new:
            self.on_files(len(new))

    def run(self, chunks: Iterable[list[Item[C]]]) -> Iterator[tuple[list[C], R]]:
        """(contexts, result) for every chunk or piece of one, in the order of `chunks`."""
        pending = iter(chunks)
        pool = _Pool(self.jobs, self.budget)
        out: deque[tuple[list[Item[C]], Future[R]]] = deque()

        def submit(piece: list[Item[C]]) -> None:
            out.append((piece, _send(pool, self.function, [t for _, t in piece])))

        def submit_next() -> None:
            chunk = next(pending, None)
            if chunk:
                submit(chunk)

        try:
            for _ in range(self.jobs + 1):
                submit_next()
            while out:
                piece, future = out[0]
                try:
                    result = future.result(timeout=POLL_SECONDS)
                except TimeoutError:
                    self._count(pool.drain())
                    pool.stop_slow()
                    continue
                except BrokenProcessPool:
                    entries = list(out)
                    out.clear()
                    tasks = {item[1][0]: item[1] for piece, _ in entries for item in piece}
                    verdicts = self._verdicts(pool, tasks)
                    self._count(list(verdicts))  # a file that failed is finished too
                    pool = _Pool(self.jobs, self.budget)
                    for entry in entries:
                        self._resend(entry, verdicts, out, submit)
                    continue
                # a result can arrive before its workers' last "done" event: count its files
                self._count([*pool.drain(), *(task[0] for _, task in piece)])
                out.popleft()
                submit_next()
                yield [context for context, _ in piece], result
        finally:
            pool.close()

    def _verdicts(self, pool: _Pool, tasks: dict[str, workers.Task]) -> dict[str, R]:
        """After a break: the result for each file it concerns (a failure for the culprit,
        the file's own result for a suspect that read fine alone)."""
        self._count(pool.drain())
        stopped = dict(pool.stopped)
        suspects = sorted({path for path, _ in pool.reading.values()} - stopped.keys())
        pool.close()
        verdicts = {path: self.failed(reason) for path, reason in stopped.items()}
        if stopped:
            return verdicts  # the files read beside a stopped one are innocent: sent again
        if not suspects:
            self.blind_breaks += 1
            if self.blind_breaks >= MAX_BLIND_BREAKS:
                raise SearchIdxError("reading workers keep dying between files: giving up")
            return verdicts
        if len(suspects) == 1:
            verdicts[suspects[0]] = self.failed(DIED)
            return verdicts
        return verdicts | {path: self._alone(tasks[path]) for path in suspects}

    def _alone(self, task: workers.Task) -> R:
        """One suspect's result, read in a pool of its own (a failure when it dies again)."""
        pool = _Pool(1, self.budget)
        try:
            future = _send(pool, self.function, [task])
            while True:
                try:
                    result = future.result(timeout=POLL_SECONDS)
                except TimeoutError:
                    self._count(pool.drain())
                    pool.stop_slow()
                    continue
                except BrokenProcessPool:
                    return self.failed(pool.stopped.get(task[0], DIED))
                self._count(pool.drain())
                return result
        finally:
            pool.close()

    def _resend(
        self,
        entry: tuple[list[Item[C]], Future[R]],
        verdicts: dict[str, R],
        out: deque[tuple[list[Item[C]], Future[R]]],
        submit: Callable[[list[Item[C]]], None],
    ) -> None:
        """Queue a chunk again after a break: its finished result as it is, else its files in
        order, those with a verdict as pieces of one with that result, the rest sent again."""
        piece, future = entry
        if future.done() and not future.cancelled() and future.exception() is None:
            out.append(entry)
            return
        run: list[Item[C]] = []
        for item in piece:
            path = item[1][0]
            if path not in verdicts:
                run.append(item)
                continue
            if run:
                submit(run)
                run = []
            settled: Future[R] = Future()
            settled.set_result(verdicts[path])
            out.append(([item], settled))
        if run:
            submit(run)
