"""Where the entity phase's tasks run: the executor seam, the built-in process pool, a Dask cluster.

A task is a module-level function and a payload of plain data (article text in, entity lists
out): it never needs the corpus folder or the index, so a Dask worker on another machine runs
the same function the local pool runs. `run_bounded` keeps a bounded number of tasks in flight
whichever executor runs them, so the client's memory stays flat however large the corpus.
The deployment (scheduler, workers, TLS) is in docs/scale-out.md.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future
from concurrent.futures import wait as wait_local
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from searchidx.errors import ClusterError
from searchidx.rebuild import workers

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")
CONNECT_SECONDS = 30  # to reach the scheduler, and for its first worker to join
CAPACITY_SECONDS = 5.0  # how often the Dask executor asks how many worker threads there are
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
# Dask's housekeeping in a local cluster, less often: uniform tasks need no work stealing, and
# the 10 ms profiler and 100 ms memory checks in five processes cost about a second of CPU per
# half minute; the workers keep glibc's own malloc trimming (Dask's MALLOC_TRIM_THRESHOLD_ of
# 64 KiB nearly doubled the system time of spaCy's workers). docs/benchmarks.md has the runs.
LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.tick.interval": "200ms",
}
_HOST_PORT = re.compile(r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9a-fA-F:]+\]|[^\s:/]+):\d{1,5}$")


class Executor(Protocol):
    """Runs tasks somewhere and hands their results back as they finish."""

    def capacity(self) -> int:
        """How many tasks are worth having in flight now (enough to keep every worker busy)."""
        ...

    def submit(self, function: Callable[[Any], Any], payload: Any) -> int:
        """Start `function(payload)`; return the task's number."""
        ...

    def wait(self) -> list[tuple[int, Any]]:
        """Block until at least one started task has finished; (number, result) of each finished
        task not returned before. A task's exception is raised here (a lost cluster as
        ClusterError)."""
        ...

    def close(self) -> None:
        """Stop the workers this executor started (none for an outside cluster)."""
        ...


def run_bounded(
    start: Callable[[], Executor], function: Callable[[T], R], items: Iterable[tuple[C, T | None]]
) -> Iterator[tuple[C, R | None]]:
    """(context, function(payload)) for each (context, payload), in the order the tasks finish,
    with at most `capacity()` tasks in flight: `items` is consumed lazily. Only the payload
    crosses to a worker; a None payload is not sent (its result is None, at once). The executor
    is started (`start()`) when the first payload needs it, so work the NER cache already has
    needs no worker, nor a reachable cluster; it is closed at the end, or on any error."""
    executor: Executor | None = None
    contexts: dict[int, C] = {}
    try:
        for context, payload in items:
            if payload is None:
                yield context, None
                continue
            if executor is None:
                executor = start()
            contexts[executor.submit(function, payload)] = context
            while len(contexts) >= executor.capacity():
                for number, result in executor.wait():
                    yield contexts.pop(number), cast(R, result)
        while executor is not None and contexts:
            for number, result in executor.wait():
                yield contexts.pop(number), cast(R, result)
    finally:
        if executor is not None:
            executor.close()


@dataclass(eq=False)
class _Task:
    """A task of the local pool, kept until it finishes: its payload is sent again if the pool
    breaks. `part` is (split task, slot) for one half of a task that was split."""

    function: Callable[[Any], Any]
    payload: Any
    number: int
    part: tuple[_Split, int] | None = None
    breaks: int = 0  # the pool broke while it ran among others
    deaths: int = 0  # the pool broke while it ran alone: its own worker died


@dataclass(eq=False)
class _Split:
    """A list task cut in two after its worker died twice: done when both halves are."""

    task: _Task
    results: list[Any]
    missing: int = 2


class LocalPool:
    """The built-in executor: spawned worker processes on this machine (in this process when
    `jobs` is 1), `per_worker` tasks in flight for each.

    A worker that dies (SIGKILL, the OOM killer) breaks the pool: a fresh pool gets the tasks
    that were in flight. One that was in flight at two breaks runs alone, so that a death then
    is its own; a task that killed its worker twice alone is cut in two if its payload is a list
    (the function maps a list to a list of one result per item), else its result is None: an
    item that kills its worker on its own comes back as None in its list. (Dask reruns a dead
    worker's tasks too; one that keeps killing workers is a ClusterError there.)"""

    def __init__(self, jobs: int, per_worker: int) -> None:
        self._jobs = jobs
        self._per_worker = per_worker
        self._pool = workers._pool(jobs) if jobs > 1 else None
        self._numbers = itertools.count()
        self._running: dict[Future[Any], _Task] = {}
        self._waiting: list[_Task] = []  # not sent yet: only one task runs while `_alone` has any
        self._alone: list[_Task] = []  # tasks to run one at a time
        self._finished: list[tuple[int, Any]] = []  # results not returned yet

    def capacity(self) -> int:
        return 1 if self._pool is None else self._jobs * self._per_worker

    def submit(self, function: Callable[[Any], Any], payload: Any) -> int:
        number = next(self._numbers)
        if self._pool is None:
            self._finished.append((number, function(payload)))
        else:
            self._waiting.append(_Task(function, payload, number))
            self._send()
        return number

    def wait(self) -> list[tuple[int, Any]]:
        while not self._finished:
            assert self._pool is not None and self._running, "wait() with no task started"
            done, _ = wait_local(self._running, return_when=FIRST_COMPLETED)
            broken = [f for f in done if isinstance(f.exception(), BrokenProcessPool)]
            for future in done:
                if future not in broken:
                    self._complete(self._running.pop(future), future.result())
            if broken:
                self._restart()
            self._send()
        finished, self._finished = self._finished, []
        return finished

    def _send(self) -> None:
        """Give the pool what may run now: every waiting task, or one task to run alone."""
        while True:
            assert self._pool is not None
            if self._alone:
                queue, count = self._alone, 0 if self._running else 1
            else:
                queue, count = self._waiting, len(self._waiting)
            try:
                for _ in range(count):
                    future = self._pool.submit(queue[0].function, queue[0].payload)
                    self._running[future] = queue.pop(0)
                return
            except BrokenProcessPool:  # a worker died since the last wait
                self._restart()

    def _restart(self) -> None:
        """The pool broke (a worker died): count it against the tasks in flight, start a fresh
        pool; the tasks go again, alone if they were in flight at an earlier break too."""
        assert self._pool is not None
        tasks = list(self._running.values())
        self._running = {}
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = workers._pool(self._jobs)
        if len(tasks) == 1:
            (task,) = tasks  # alone in the pool: its own worker died
            task.deaths += 1
            if task.deaths < 2:
                self._alone.insert(0, task)
            else:
                self._poisoned(task)
            return
        for task in tasks:
            task.breaks += 1
            (self._alone if task.breaks >= 2 else self._waiting).append(task)

    def _poisoned(self, task: _Task) -> None:
        """`task` killed its worker twice alone: its halves run alone, or it gives None."""
        if isinstance(task.payload, list) and len(task.payload) > 1:
            middle = len(task.payload) // 2
            split = _Split(task, [None, None])
            halves = (task.payload[:middle], task.payload[middle:])
            # each half has one death already: the half that dies again alone is cut again
            self._alone[:0] = [
                _Task(task.function, half, -1, (split, slot), deaths=1)
                for slot, half in enumerate(halves)
            ]
            return
        self._complete(task, [None] * len(task.payload) if isinstance(task.payload, list) else None)

    def _complete(self, task: _Task, result: Any) -> None:
        if task.part is None:
            self._finished.append((task.number, result))
            return
        split, slot = task.part
        split.results[slot] = result
        split.missing -= 1
        if not split.missing:
            self._complete(split.task, [*split.results[0], *split.results[1]])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class ClusterAddress:
    """Where `--cluster` points: a scheduler's address, or `local:N` (a cluster started here)."""

    address: str | None  # the scheduler's address; None for a local cluster
    local_workers: int = 0

    def __str__(self) -> str:
        return self.address or f"local:{self.local_workers}"


def parse_cluster(text: str) -> ClusterAddress:
    """`local:N` or a scheduler address (`tcp://host:8786`, `tls://host:8786`, `host:8786`);
    ValueError saying what is wrong otherwise."""
    text = text.strip()
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"{text!r}: after `local:` give a number of workers, e.g. local:2")
        return ClusterAddress(None, int(count))
    found = _HOST_PORT.match(text)
    if found is None or (found["scheme"] or "tcp") not in SCHEMES:
        raise ValueError(
            f"{text!r} is not a Dask scheduler address: give tcp://HOST:PORT (or tls://...), "
            "e.g. tcp://10.0.0.5:8786, or local:N for N worker processes here"
        )
    return ClusterAddress(text if found["scheme"] else f"tcp://{text}")


class DaskExecutor:
    """Tasks on a Dask cluster (`distributed`): the scheduler at an address, or a LocalCluster of
    worker processes started here. Dask reruns the tasks of a worker that dies on the others;
    losing the scheduler is a ClusterError. TLS comes from Dask's own configuration
    (`distributed.comm.tls.*`)."""

    def __init__(self, where: ClusterAddress, per_worker: int) -> None:
        import dask
        from distributed import Client, LocalCluster

        self._where = where
        self._per_worker = per_worker
        self._cluster: LocalCluster | None = None
        self._gone = False  # the scheduler went away
        # Dask logs (with tracebacks) what the rebuild reports itself, in one line; its config
        # gives some of its loggers levels of their own, so each one is quieted.
        self._levels = {
            name: logging.getLogger(name).level
            for name in ["distributed", *logging.root.manager.loggerDict]
            if name == "distributed" or name.startswith("distributed.")
        }
        for name in self._levels:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            if where.address is None:
                # One thread a process: spaCy holds the GIL; processes (with nannies that
                # restart a dead worker), over loopback TCP like a real cluster.
                with dask.config.set(LOCAL_CLUSTER_CONFIG):  # the nannies pass it on
                    self._cluster = LocalCluster(
                        n_workers=where.local_workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        silence_logs=logging.CRITICAL,
                    )
                self._client: Client = Client(self._cluster, timeout=CONNECT_SECONDS)
            else:
                self._client = Client(where.address, timeout=CONNECT_SECONDS)
            self._client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, TypeError, ValueError) as error:  # TypeError: no TLS set
            self.close()
            hint = (
                "check Dask's TLS settings (distributed.comm.tls.*)"
                if isinstance(error, TypeError | ValueError)
                else "start the scheduler (`dask scheduler`) and a worker (`dask worker ADDRESS`)"
            )
            raise ClusterError(
                f"cannot use the Dask cluster at {where}: {_reason(error)}; {hint}, or rebuild "
                "without --cluster (see docs/scale-out.md)"
            ) from error
        self._numbers = itertools.count()
        self._run = uuid.uuid4().hex[:12]  # task keys unique on a scheduler other clients share
        self._running: dict[Any, int] = {}  # distributed.Future -> task number
        self._threads = 1
        self._counted = 0.0

    def capacity(self) -> int:
        now = time.monotonic()
        if now - self._counted > CAPACITY_SECONDS:
            with contextlib.suppress(OSError, TimeoutError):  # wait() says what happened
                self._threads = max(1, sum(self._client.nthreads().values()))
            self._counted = now
        return self._threads * self._per_worker

    def submit(self, function: Callable[[Any], Any], payload: Any) -> int:
        if self._client.status != "running":
            raise self._lost()
        number = next(self._numbers)
        key = f"searchidx-entities-{self._run}-{number}"
        future = self._client.submit(function, payload, pure=False, key=key)
        self._running[future] = number
        return number

    def wait(self) -> list[tuple[int, Any]]:
        from distributed import wait as wait_dask
        from distributed.scheduler import KilledWorker

        try:
            done, _ = wait_dask(list(self._running), return_when="FIRST_COMPLETED")
            finished = [future for future in self._running if future in done]
            results = self._client.gather(finished)
        except KilledWorker as error:
            raise ClusterError(
                "Dask workers kept dying while running a task of the entity phase "
                f"({_reason(error)}); check the workers' memory and logs, then run "
                "`searchidx rebuild` again (entities recognised so far are kept)"
            ) from error
        except (CancelledError, OSError, TimeoutError) as error:  # Dask cancels on a lost link
            raise self._lost() from error
        pairs = zip(finished, results, strict=True)
        return [(self._running.pop(future), result) for future, result in pairs]

    def _lost(self) -> ClusterError:
        self._gone = True
        return ClusterError(
            f"lost the connection to the Dask scheduler at {self._where} during entity "
            "recognition; the index keeps what was published and the entities recognised so "
            "far are cached: restart the scheduler and run `searchidx rebuild` again"
        )

    def close(self) -> None:
        client = getattr(self, "_client", None)
        try:
            if client is not None:
                client.close(timeout=5)
            if self._cluster is not None:
                self._cluster.close(timeout=10)
        except (OSError, TimeoutError, RuntimeError):
            pass  # a scheduler already gone: nothing left to stop
        finally:
            # The client's reconnection loop logs its failure (with a traceback) a moment after
            # it is closed: after a lost scheduler, Dask's logs stay quiet.
            if not self._gone:
                for name, level in self._levels.items():
                    logging.getLogger(name).setLevel(level)


def _reason(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def open_executor(cluster: str | None, jobs: int, per_worker: int) -> Executor:
    """The built-in pool of `jobs` processes, or the Dask cluster `cluster` names."""
    if cluster is None:
        return LocalPool(jobs, per_worker)
    try:
        where = parse_cluster(cluster)
    except ValueError as error:
        raise ClusterError(str(error)) from error
    return DaskExecutor(where, per_worker)
