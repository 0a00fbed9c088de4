"""A spaCy worker killed during the entity phase (as the OOM killer would) costs nothing: a fresh
pool reruns what was in flight and the rebuild completes with the entities of a clean one; a task
that kills its worker every time is cut down to the article that does, which is left without
entities (issue 22, item 9)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchidx.rebuild import enrich
from searchidx.rebuild.executors import LocalPool, run_bounded
from searchidx.rebuild.run import rebuild
from tests.conftest import PROJECT, child_pids, shared_corpus
from tests.unit.test_cluster import entities_of

ARTICLES = 96  # two batches (64 and 32): both in flight at once with --jobs 2


def _corpus(folder: Path, articles: int = ARTICLES) -> Path:
    """A folder with one .sgm file: the first `articles` stories of Reuters-21578."""
    raw = (shared_corpus("reuters21578") / "reut2-000.sgm").read_text(encoding="latin-1")
    stories = re.findall(r"<REUTERS.*?</REUTERS>\n", raw, re.S)[:articles]
    folder.mkdir()
    (folder / "reut2-000.sgm").write_text(
        '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n' + "".join(stories), encoding="latin-1"
    )
    return folder


def _runs_spacy(pid: int) -> bool:
    """The worker has loaded spaCy: it is recognising a batch (reading workers never load it)."""
    try:
        return "/spacy/" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_a_killed_entity_worker_loses_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    clean = rebuild(tmp_path / "clean", corpus, jobs=1)
    assert clean.entities_pending == 0
    expected = entities_of(tmp_path / "clean")
    assert len(expected) == ARTICLES

    command = [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--jobs", "2"]
    process = subprocess.Popen(
        [*command, "--index", str(tmp_path / "killed")],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = 0
    deadline = time.monotonic() + 120
    while process.poll() is None:
        assert time.monotonic() < deadline, "the rebuild hangs"
        if not killed:
            for pid in child_pids(process.pid):
                if _runs_spacy(pid):
                    os.kill(pid, signal.SIGKILL)
                    killed = pid
                    break
        time.sleep(0.02)
    stdout, stderr = process.communicate()
    assert killed, "no spaCy worker was seen"
    assert "Traceback" not in stdout + stderr
    assert process.returncode == 0, stderr
    assert entities_of(tmp_path / "killed") == expected


def recognise_or_die(items: list[str]) -> list[int]:
    """A task over a list: each item's length, but the worker dies on the item "poison"."""
    if "poison" in items:
        os.kill(os.getpid(), signal.SIGKILL)
    return [len(item) for item in items]


def test_a_task_that_kills_its_worker_every_time_is_cut_down_to_the_culprit() -> None:
    batches = [[f"item{n}-{m}" for m in range(4)] for n in range(3)]
    batches[1][2] = "poison"

    def start() -> LocalPool:
        return LocalPool(2, 2)

    results = dict(run_bounded(start, recognise_or_die, ((n, b) for n, b in enumerate(batches))))
    expected = {n: [len(item) for item in batch] for n, batch in enumerate(batches)}
    expected[1][2] = None  # type: ignore[call-overload]
    assert results == expected


HUGE = "Chancellor Gerhard Schroeder met Airbus in Toulouse. " * 20  # the article spaCy "OOMs" on


def recognise_or_oom(items: list[tuple[str, str, str | None]]) -> list[object]:
    """The real recognition, in a worker that dies as the OOM killer would kill it on HUGE."""
    if any(body == HUGE.strip() for _, body, _ in items):
        os.kill(os.getpid(), signal.SIGKILL)
    return list(enrich._recognize_batch(items))


def test_an_article_that_kills_its_worker_twice_is_named_and_left_without_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path / "corpus", 15)
    (corpus / "huge.txt").write_text(f"---\ntitle: Huge\n---\n{HUGE}\n", encoding="utf-8")
    monkeypatch.setattr(enrich, "_recognize_batch", recognise_or_oom)
    report = rebuild(tmp_path / "index", corpus, jobs=2)
    assert report.entities_pending == 0 and report.exit_code == 0
    (warning,) = [line for line in capfd.readouterr().err.splitlines() if "twice" in line]
    assert warning.startswith("warning: huge.txt (article ")
    assert warning.endswith("the article stays searchable without entities")
    found = entities_of(tmp_path / "index")
    assert len(found) == 16
    (huge,) = [values for article, values in found.items() if article in warning]
    assert huge == ((), (), ())
    assert sum(bool(people or orgs or places) for people, orgs, places in found.values()) > 8
