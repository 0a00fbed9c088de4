"""A file over its time budget, or one whose reading worker is killed (as the OOM killer would),
costs that file, named in the report, not the rebuild (issue 22)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchidx.rebuild.run import rebuild


def _write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {rel}\ndate: 2016-04-11\n---\n{body}\n", encoding="utf-8")


def _slow_page(path: Path) -> None:
    """A 3 MB page of many paragraphs: trafilatura takes about 20 s on it, far over a budget of
    2 s, which a small text file stays under even on a busy machine (0.3 s did not)."""
    paragraphs = "".join(f"<div><p>Paragraph {n} about the harbour strike.</p></div>" for n in
                         range(60_000))  # fmt: skip
    path.write_text(f"<html><body>{paragraphs}</body></html>", encoding="utf-8")


def test_a_file_over_the_time_budget_is_skipped_and_the_rebuild_goes_on(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "a.txt", "Dockers at the harbour.")
    _slow_page(corpus / "slow.html")
    _write(corpus, "z.txt", "Oil rose.")
    report = rebuild(index, corpus, entities=False, file_timeout=2.0)
    assert report.articles == 2
    (failure,) = [p for p in report.failures if p.skipped]
    assert failure.path == "slow.html"
    assert "over 2 s" in failure.reason and "--file-timeout" in failure.reason
    assert report.exit_code == 1


def _rebuild_killing_readers(
    corpus: Path, index: Path, tmp: Path, victim: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `searchidx rebuild` in a subprocess; SIGKILL every reading worker that reaches the
    file `victim` (the worker announces its pid at that moment); return the finished run."""
    marker = tmp / "held"
    env = {
        **os.environ,
        "SEARCHIDX_TEST_HOLD": f"read:{victim}",
        "SEARCHIDX_TEST_HOLD_FILE": str(marker),
    }
    command = [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--index", str(index)]
    process = subprocess.Popen(
        [*command, "--no-entities", "-q", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed: set[int] = set()
    deadline = time.monotonic() + 120
    while process.poll() is None:
        assert time.monotonic() < deadline, "the rebuild hangs"
        try:
            pid = int(marker.read_text())
        except (OSError, ValueError):
            pid = 0
        if pid and pid not in killed:
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
        time.sleep(0.02)
    stdout, stderr = process.communicate()
    assert killed, "no reading worker reached the victim"
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("files", [3, 240], ids=["one-worker", "two-workers"])
def test_a_killed_reading_worker_costs_one_file_named(tmp_path: Path, files: int) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    filler = " and the harbour" * 2000  # 32 KB a file: 240 make three chunks, read at once
    for number in range(files):  # 240: enough to index in worker processes
        _write(corpus, f"n{number:03d}.txt", f"Harbour story {number}{filler}.")
    done = _rebuild_killing_readers(corpus, index, tmp_path, "n001.txt", "--jobs", "2")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "BrokenProcessPool" not in done.stderr
    assert "failed: the reading process died" in done.stderr and "\n    n001.txt\n" in done.stderr
    report = rebuild(index, corpus, entities=False)  # nothing left to do but the failure
    assert report.articles == files - 1
    assert [p.path for p in report.failures if p.skipped] == ["n001.txt"]
