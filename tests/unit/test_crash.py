"""SIGKILL a rebuild at several moments: the last committed index still answers, the next
rebuild completes, and no worker process outlives the rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchidx.index import open_index
from searchidx.rebuild.run import rebuild
from tests.conftest import child_pids

MOMENTS = ["after-walk", "reading", "mid-commit", "before-switch", "published"]


def _write(root: Path, rel: str, title: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: 2016-04-11\n---\n{body}\n", encoding="utf-8")


def _answers(index_path: Path) -> dict[str, set[str]]:
    from whoosh.query import Term

    index = open_index(index_path)
    try:
        searcher = index.searcher()
        return {
            word: {hit["id"] for hit in searcher.search(Term("body", word), limit=None)}
            for word in ("harbour", "oil", "wheat")
        }
    finally:
        index.close()


def _kill_at(moment: str, corpus: Path, index: Path, tmp: Path, *extra: str) -> list[int]:
    """Run a rebuild in a subprocess, SIGKILL it when it reaches `moment`; its children's pids."""
    marker = tmp / f"held-{moment}"
    env = {**os.environ, "SEARCHIDX_TEST_HOLD": moment, "SEARCHIDX_TEST_HOLD_FILE": str(marker)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "searchidx",
            "rebuild",
            str(corpus),
            "--index",
            str(index),
            "--no-entities",
            "-q",
            *extra,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"rebuild ended before {moment}: {stderr}")
        assert time.monotonic() < deadline, f"rebuild never reached {moment}"
        time.sleep(0.02)
    children = child_pids(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return children


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_killed_rebuild_leaves_the_index_answering(tmp_path: Path, full: bool) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "a.txt", "Harbour", "Dockers at the harbour.")
    _write(corpus, "b.txt", "Oil", "Oil rose.")
    rebuild(index, corpus, entities=False)
    before = _answers(index)
    assert before["harbour"] == {"a.txt"}
    # a pending change: the killed rebuilds try to apply it
    _write(corpus, "c.txt", "Wheat", "Wheat and oil.")
    _write(corpus, "b.txt", "Oil", "Oil fell at the harbour.")
    for moment in MOMENTS:
        _kill_at(moment, corpus, index, tmp_path, *(["--full"] if full else []))
        answers = _answers(index)
        if moment == "published":
            assert answers["wheat"] == {"c.txt"}  # CURRENT had switched: the new one answers
        else:
            assert answers == before, moment
    report = rebuild(index, corpus, entities=False)
    assert report.exit_code == 0
    assert _answers(index) == {
        "harbour": {"a.txt", "b.txt"},
        "oil": {"b.txt", "c.txt"},
        "wheat": {"c.txt"},
    }
    assert len([p for p in index.iterdir() if p.name.startswith("gen-")]) <= 2


def test_workers_die_with_a_killed_rebuild(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    for number in range(240):  # enough to read in worker processes
        _write(corpus, f"n{number:03d}.txt", f"Story {number}", f"Harbour story {number}.")
    children = _kill_at("reading", corpus, index, tmp_path, "--jobs", "2")
    assert children, "the rebuild should have started worker processes"
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in children):
        assert time.monotonic() < deadline, "worker processes outlived the rebuild"
        time.sleep(0.05)
    assert not (index / "CURRENT").exists()
    assert rebuild(index, corpus, entities=False).articles == 240


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
