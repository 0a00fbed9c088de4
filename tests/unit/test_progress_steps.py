"""Progress that ends with the work (issue 20): each bar covers its own work, the model loading is
a step before the entity bar, and the summary after a stage is a line of its own."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from searchidx.cli.progress_bar import ProgressBar
from searchidx.entities import ArticleEntities
from searchidx.rebuild import enrich
from searchidx.rebuild.run import rebuild
from searchidx.rebuild.textphase import PARALLEL_MIN_FILES
from tests.conftest import PROJECT

Event = tuple[str, str, int]


class Recorder:
    """A `ProgressReporter` that keeps what it was told, in order."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def stage(self, text: str) -> None:
        self.events.append(("stage", text, 0))

    def start(self, label: str, total: int, unit: str = "files", done: int = 0) -> None:
        self.events.append(("start", label, total))
        if done:
            self.events.append(("done at start", label, done))

    def advance(self, count: int = 1) -> None:
        self.events.append(("advance", "", count))

    def pause(self, text: str) -> None:
        self.events.append(("pause", text, 0))

    def resume(self) -> None:
        pass

    def finish(self) -> None:
        self.events.append(("finish", "", 0))

    def warn(self, text: str) -> None:
        self.events.append(("warn", text, 0))

    def line(self, text: str) -> None:
        pass

    def counts(self, indexed: int, skipped: int, failed: int) -> None:
        pass

    def bars(self) -> dict[str, int]:
        """Each bar's label -> the items advanced while it was open."""
        done: dict[str, int] = {}
        label = ""
        for kind, text, count in self.events:
            if kind == "start":
                label = text
                done[label] = 0
            elif kind in ("advance", "done at start"):
                assert label, "an advance outside a bar"
                done[label] += count
            elif kind in ("finish", "stage"):
                label = ""
        return done


def _corpus(root: Path, count: int) -> Path:
    root.mkdir()
    for number in range(count):
        (root / f"s{number}.txt").write_text(
            f"---\ntitle: Harbour story {number}\n---\nDockers at the harbour, {number}.\n"
        )
    return root


def test_workers_writing_is_a_bar_of_its_own_after_the_reading_bar(tmp_path: Path) -> None:
    files = PARALLEL_MIN_FILES
    corpus = _corpus(tmp_path / "c", files)
    progress = Recorder()
    rebuild(tmp_path / "idx", corpus, jobs=2, entities=False, progress=progress)
    labels = [text for kind, text, _ in progress.events if kind == "start"]
    assert labels == ["reading", "writing"]
    assert progress.bars() == {"reading": files, "writing": files}
    begun = [e for e in progress.events if e[0] == "done at start"]
    assert all(e[1] == "writing" for e in begun)  # segments written while files were read
    stages = [text for kind, text, _ in progress.events if kind == "stage"]
    assert stages.index("committing") > 0


def test_a_bar_begun_part_done_shows_those_files_but_not_in_its_rate() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream=stream)
    bar.start("writing", 298, done=121)
    assert bar.render().endswith("121/298 files 0/s ETA --:--")  # was 31,258,077/s


def test_model_loading_is_a_step_before_the_entity_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def recognise(items: list[tuple[str, str, str | None]]) -> list[ArticleEntities]:
        return [ArticleEntities(places=("London",), language="en") for _ in items]

    monkeypatch.setattr(enrich, "_recognize_batch", recognise)
    corpus = _corpus(tmp_path / "c", 3)
    progress = Recorder()
    rebuild(tmp_path / "idx", corpus, jobs=1, progress=progress)
    kinds = [(kind, text) for kind, text, _ in progress.events if kind in ("stage", "start")]
    loading = kinds.index(("stage", "loading the entity model"))
    assert kinds[loading + 1] == ("start", "entities")
    assert progress.bars()["entities"] == 3


def test_the_summary_is_a_line_of_its_own_on_a_terminal(tmp_path: Path) -> None:
    import pty

    corpus = _corpus(tmp_path / "c", 2)
    main, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "NO_COLOR": "1"}
    env.pop("SEARCHIDX_INDEX", None)
    command = [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--no-entities"]
    command += ["--index", str(tmp_path / "idx")]
    done = subprocess.run(command, stderr=follower, stdout=subprocess.DEVNULL, env=env, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    text = b"".join(chunks).decode()
    assert done.returncode == 0, text
    lines = text.replace("\r\n", "\n").split("\n")
    summary = [line for line in lines if "indexed 2" in line]
    assert summary and summary[0].startswith("indexed 2"), text


def test_a_small_corpus_is_cut_into_several_segments_a_worker() -> None:
    from searchidx.index.manifest import Change
    from searchidx.rebuild.textphase import (
        MIN_SEGMENT_BYTES,
        SEGMENT_BYTES,
        chunks_by_size,
        segment_bytes,
    )

    def files(count: int, size: int) -> list[Change]:
        return [Change(f"{n}.txt", f"{n}.txt", size, 0, None) for n in range(count)]

    bbc = files(2225, 2300)  # BBC: 5 MB of files, read by two workers
    assert len(chunks_by_size(bbc, segment_bytes(bbc, 2))) >= 8  # the bar moves 8 times
    assert segment_bytes(files(21578, 1300), 2) == SEGMENT_BYTES  # Reuters: as before
    assert segment_bytes(files(10, 100), 2) == MIN_SEGMENT_BYTES
