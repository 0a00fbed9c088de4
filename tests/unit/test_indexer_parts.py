"""The rebuild's parts: the manifest and its change plan, and the progress display."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from searchidx.cli.progress_bar import ProgressBar
from searchidx.index.generations import write_atomic
from searchidx.index.manifest import (
    MANIFEST_NAME,
    FileState,
    Manifest,
    hash_file,
    plan_changes,
)
from searchidx.models import Problem


def _manifest() -> Manifest:
    return Manifest(
        files={
            "same.txt": FileState(10, 100, "h1", ["same.txt"]),
            "touched.txt": FileState(10, 100, "h2", ["touched.txt"]),
            "gone.txt": FileState(10, 100, "h3", ["gone.txt"]),
            "broken.txt": FileState(5, 100, "h4", [], [("binary file, not text", True)]),
        },
        walk_problems=[Problem("big.txt", "larger than 20 MB")],
    )


def _walk() -> list[tuple[str, str, int, int]]:
    return [
        ("same.txt", "same.txt", 10, 100),
        ("touched.txt", "touched.txt", 10, 200),
        ("new.txt", "new.txt", 3, 100),
        ("broken.txt", "broken.txt", 5, 100),
    ]


def test_manifest_round_trip(tmp_path: Path) -> None:
    manifest = _manifest()
    (tmp_path / "manifest.json").write_text(json.dumps(manifest.to_json()))
    loaded = Manifest.load(tmp_path)
    assert loaded == manifest
    assert loaded.article_count() == 3
    assert [str(p) for p in loaded.failures()] == [
        "big.txt: larger than 20 MB",
        "broken.txt: binary file, not text",
    ]


def test_plan_reads_new_and_changed_drops_deleted_keeps_the_rest() -> None:
    plan = plan_changes(_manifest(), _walk())
    assert [c.rel for c in plan.to_read] == ["touched.txt", "new.txt"]
    assert plan.unchanged == ["same.txt", "broken.txt"]  # a failed file waits for --retry-failed
    assert plan.deleted == ["gone.txt"]
    assert plan.to_read[0].previous is not None and plan.to_read[1].previous is None


def test_plan_retry_failed_reads_only_the_failed_files() -> None:
    plan = plan_changes(_manifest(), _walk(), retry_failed=True)
    assert [c.rel for c in plan.to_read] == ["broken.txt"]
    assert plan.deleted == ["gone.txt"]


def test_plan_full_reads_everything() -> None:
    plan = plan_changes(_manifest(), _walk(), full=True)
    assert len(plan.to_read) == 4 and not plan.unchanged


def test_manifest_of_a_large_corpus_loads_fast(tmp_path: Path) -> None:
    files = {
        f"reuters/{n:05d}.txt": FileState(
            1234, 1_700_000_000_000_000_000 + n, "ab" * 16, [f"reuters/{n:05d}.txt"]
        )
        for n in range(21_577)
    }
    (tmp_path / "manifest.json").write_text(json.dumps(Manifest(files=files).to_json()))
    started = time.process_time()  # CPU time: wall time on a shared busy machine says little
    loaded = Manifest.load(tmp_path)
    assert len(loaded.files) == 21_577
    assert time.process_time() - started < 1.0


def test_hash_file_follows_content(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one")
    first = hash_file(path)
    path.write_text("two")
    assert hash_file(path) != first


def test_progress_counts_every_file_and_ends_at_the_total() -> None:
    stream = io.StringIO()
    progress = ProgressBar(stream=stream)
    progress.stage("scanning corpus")
    progress.start("reading", 3)
    for _ in range(3):
        progress.advance()
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "scanning corpus..."
    assert "3/3 files" in lines[-1] and "took" in lines[-1]
    assert progress.done == progress.total or progress.total == 0


def test_progress_on_a_terminal_redraws_in_place() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = ProgressBar(stream=stream)
    progress.start("reading", 2)
    progress.advance()
    progress.advance()
    progress.finish()
    text = stream.getvalue()
    assert "\r" in text and text.endswith("\n")
    assert "2/2 files" in text.rsplit("\r", 1)[-1]


def test_quiet_progress_prints_nothing_but_warnings() -> None:
    stream = io.StringIO()
    progress = ProgressBar(stream=stream, quiet=True)
    progress.stage("scanning")
    progress.start("reading", 1)
    progress.advance()
    progress.warn("odd file")
    assert stream.getvalue() == "warning: odd file\n"


def test_the_manifest_written_in_pieces_is_the_same_json_text(tmp_path: Path) -> None:
    manifest = _manifest()
    manifest.files["dossier/été “quoted”.txt"] = FileState(7, 9, "h", ["dossier/été.txt#2"])
    manifest.walk_problems.append(Problem("big.txt", "too large", True))
    manifest.folder_settings["dossier"] = "abc"
    manifest.outlet_rules = "rules"
    for number, one in enumerate((manifest, Manifest())):
        assert "".join(one.json_chunks()) == json.dumps(one.to_json(), ensure_ascii=False)
        generation = tmp_path / str(number)
        generation.mkdir()
        write_atomic(generation / MANIFEST_NAME, one.json_chunks())
        assert Manifest.load(generation) == one
