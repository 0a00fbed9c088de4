"""A reading worker that dies while the rebuild is busy elsewhere (between two chunks, so the
pool is already broken when the next chunk is sent) costs that file, not the rebuild: sending to
a broken pool must not raise `BrokenProcessPool` out of the reader (issue 22)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from searchidx.config import ReadSettings
from searchidx.rebuild import workers
from searchidx.rebuild.guarded import DIED, Budget, GuardedReader, Item


def test_a_worker_killed_between_two_chunks_costs_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "held"
    monkeypatch.setenv("SEARCHIDX_TEST_HOLD", "read:b.txt")  # the worker waits there to be killed
    monkeypatch.setenv("SEARCHIDX_TEST_HOLD_FILE", str(marker))
    chunks: list[list[Item[int]]] = []
    for number, name in enumerate(["a.txt", "b.txt", "c.txt"]):
        path = tmp_path / name
        path.write_text(f"---\ntitle: Oil {name}\n---\nOil rose.\n", encoding="utf-8")
        chunks.append([(number, (str(path), str(tmp_path), None, ReadSettings()))])
    killed: list[int] = []

    def kill_the_next_reader(_: int) -> None:
        """Told a.txt is done: the worker goes on to b.txt; kill it there, then give the pool
        time to notice, before the reader sends its next chunk."""
        if killed:
            return
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, "no worker reached b.txt"
            time.sleep(0.02)
        killed.append(int(marker.read_text()))
        os.kill(killed[0], signal.SIGKILL)
        time.sleep(2)

    reader: GuardedReader[int, list[workers.Outcome]] = GuardedReader(
        workers.read_many,
        lambda reason: [("", None, reason)],
        jobs=1,
        budget=Budget(),
        on_files=kill_the_next_reader,
    )
    done = [(contexts, outcome[2]) for contexts, (outcome,) in reader.run(chunks)]
    assert killed and done == [([0], None), ([1], DIED), ([2], None)]
