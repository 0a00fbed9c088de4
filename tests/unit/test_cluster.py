"""The entity phase on a Dask cluster: the same entities as the local pool, a worker killed
mid-phase loses nothing, a scheduler going away ends the rebuild with one line and the index
answering. Real Dask: a LocalCluster over loopback TCP, and `dask scheduler` / `dask worker`
started as commands, as a user would (tests/unit/test_cluster_parts.py has the small parts)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from searchidx.index.engines import write_engine
from searchidx.index.generations import META_NAME, current_generation, read_side_json
from searchidx.rebuild import enrich
from searchidx.rebuild.progress import SilentProgress
from searchidx.rebuild.run import rebuild
from tests.conftest import PROJECT, shared_corpus

ARTICLES = 128  # the first Reuters stories of reut2-000.sgm: two batches of 64
DASK = Path(sys.executable).parent / "dask"
Entities = dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]


def _corpus(folder: Path) -> Path:
    """A folder with one .sgm file: the first ARTICLES stories of Reuters-21578."""
    raw = (shared_corpus("reuters21578") / "reut2-000.sgm").read_text(encoding="latin-1")
    stories = re.findall(r"<REUTERS.*?</REUTERS>\n", raw, re.S)[:ARTICLES]
    folder.mkdir()
    (folder / "reut2-000.sgm").write_text(
        '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n' + "".join(stories), encoding="latin-1"
    )
    return folder


def entities_of(index_path: Path) -> Entities:
    """Every article's (people, organisations, places) as the live generation stores them."""
    live = current_generation(index_path)
    assert live is not None
    engine = write_engine(read_side_json(live, META_NAME, {})["engine"])
    found: Entities = {}

    def record(stored: object) -> str:
        article = stored.article  # type: ignore[attr-defined]
        found[article.id] = (article.people, article.organisations, article.places)
        return ""

    _, pending = engine.scan(live, record)
    assert pending == []
    return found


@pytest.fixture(scope="module")
def reuters(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Entities]:
    """The small corpus and its entities through the built-in executor (in this process)."""
    base = tmp_path_factory.mktemp("cluster")
    corpus = _corpus(base / "corpus")
    report = rebuild(base / "local", corpus, jobs=1)
    assert report.entities_pending == 0
    expected = entities_of(base / "local")
    assert len(expected) == ARTICLES
    assert sum(bool(people or orgs or places) for people, orgs, places in expected.values()) > 50
    return corpus, expected


def test_a_local_cluster_gives_the_entities_of_the_local_pool(
    reuters: tuple[Path, Entities], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, expected = reuters
    monkeypatch.setattr(enrich, "BATCH", 16)  # eight tasks, shared by the two workers
    report = rebuild(tmp_path / "idx", corpus, jobs=1, cluster="local:2")
    assert report.entities_pending == 0
    assert entities_of(tmp_path / "idx") == expected


# -- a cluster started as commands --------------------------------------------------------------


def _wait(condition: Callable[[], object], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class Cluster:
    """`dask scheduler` and `dask worker ADDRESS` processes; stop() kills whatever is left."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "PYTHONPATH": str(PROJECT)}  # the workers import this checkout
        self.processes: list[subprocess.Popen[bytes]] = []
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.address = ""

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"dask-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [str(DASK), *args], stdout=log, stderr=log, env=self.env, start_new_session=True
        )
        log.close()
        self.processes.append(process)
        return process

    def start(self, workers: int) -> None:
        info = self.folder / "scheduler.json"
        self.scheduler = self._start(
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(info),
        )  # fmt: skip
        _wait(lambda: info.exists() and info.stat().st_size, "the scheduler's address file")
        self.address = json.loads(info.read_text())["address"]
        for number in range(workers):
            self.workers.append(
                self._start(
                    "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                    "--name", f"w{number}", "--death-timeout", "60",
                )
            )  # fmt: skip
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=90)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    started = Cluster(tmp_path)
    try:
        yield started
    finally:
        started.stop()


class KillOnFirstResult(SilentProgress):
    """Kills a worker (SIGKILL) as the first recognised batch comes back, mid entity phase."""

    def __init__(self, victim: subprocess.Popen[bytes]) -> None:
        self.victim = victim
        self.label = ""
        self.advanced = 0  # articles the entity bar counted

    def start(self, label: str, total: int, unit: str = "files", done: int = 0) -> None:
        self.label = label

    def advance(self, count: int = 1) -> None:
        if self.label != "entities":
            return
        if not self.advanced:
            os.kill(self.victim.pid, signal.SIGKILL)
            self.victim.wait(timeout=30)
        self.advanced += count


def test_a_worker_killed_mid_phase_loses_nothing(
    reuters: tuple[Path, Entities],
    cluster: Cluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus, expected = reuters
    monkeypatch.setattr(enrich, "BATCH", 8)  # sixteen tasks: most still to run at the kill
    cluster.start(workers=2)
    progress = KillOnFirstResult(cluster.workers[0])
    report = rebuild(tmp_path / "idx", corpus, jobs=1, cluster=cluster.address, progress=progress)
    assert cluster.workers[0].returncode == -signal.SIGKILL
    assert cluster.workers[1].poll() is None
    assert progress.advanced == ARTICLES  # the bar counted each article once, as it came back
    assert report.entities_pending == 0
    assert entities_of(tmp_path / "idx") == expected


def _cached(index_path: Path) -> int:
    path = index_path / "entities-cache.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT count(*) FROM ner").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


def test_the_scheduler_going_away_ends_the_rebuild_in_one_line(
    reuters: tuple[Path, Entities],
    cluster: Cluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus, expected = reuters
    cluster.start(workers=1)  # one worker: the two batches of 64 run one after the other
    index_path = tmp_path / "idx"
    command = [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--index",
               str(index_path), "--cluster", cluster.address, "--quiet"]  # fmt: skip
    user = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=cluster.env)
    try:
        _wait(lambda: _cached(index_path) or user.poll() is not None, "the first batch")
        assert cluster.scheduler is not None
        cluster.scheduler.send_signal(signal.SIGTERM)  # the scheduler stops mid-phase
        _, stderr = user.communicate(timeout=120)
    finally:
        if user.poll() is None:
            user.kill()
    lines = stderr.strip().splitlines()
    assert user.returncode == 1, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: lost the connection to the Dask scheduler at tcp://")
    assert "run `searchidx rebuild` again" in lines[0]

    # The index answers with every article (phase 1), the first batch's entities published.
    from searchidx.index import open_index
    from searchidx.models import SearchRequest
    from searchidx.search.searching import search

    index = open_index(index_path)
    try:
        results = search(index, SearchRequest(query="said", facets=("places",)))
    finally:
        index.close()
    assert results.total > 0
    assert 0 < results.entities_pending < ARTICLES

    # The next rebuild (here: the built-in pool) recognises only what the cache lacks.
    recognised: list[int] = []
    spacy = enrich._recognize_batch

    def counting(items: list[tuple[str, str, str | None]]) -> list[object]:
        recognised.append(len(items))
        return list(spacy(items))

    monkeypatch.setattr(enrich, "_recognize_batch", counting)
    report = rebuild(index_path, jobs=1)
    assert report.entities_pending == 0
    assert recognised == [ARTICLES - 64]  # the second batch only: the first came from the cache
    assert entities_of(index_path) == expected
