"""Damaged index folders: detected by a plain rebuild, repaired from the last good generation,
reported by `status` in one line (issue 22). The damage is done to real files by each test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main
from searchidx.index import open_index
from searchidx.rebuild.run import rebuild


def _write(corpus: Path, name: str, body: str) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / name).write_text(f"---\ntitle: {name}\ndate: 2016-04-11\n---\n{body}\n", "utf-8")


def _two_generations(tmp_path: Path) -> tuple[Path, Path]:
    """An index with a live generation and the one before it (both intact)."""
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "a.txt", "Dockers at the harbour.")
    _write(corpus, "b.txt", "Oil rose.")
    rebuild(index, corpus, entities=False)
    _write(corpus, "c.txt", "Wheat fell at the harbour.")
    rebuild(index, corpus, entities=False)
    assert len(list(index.glob("gen-*"))) == 2
    return corpus, index


def _live(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def _answers(index: Path) -> int:
    engine = open_index(index)
    from searchidx.models import SearchRequest
    from searchidx.search.searching import search

    return search(engine, SearchRequest(query="harbour OR oil OR wheat", limit=10)).total


def _status(index: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["status", "--index", str(index)])
    return result.exit_code, result.output


def _assert_one_line(output: str, *words: str) -> None:
    assert "Traceback" not in output and "Aborted" not in output, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), output
    assert all(word in lines[0] for word in words), output


@pytest.mark.parametrize("what", ["toc", "segment"])
def test_a_truncated_file_is_found_by_a_plain_rebuild_and_repaired(
    tmp_path: Path, what: str
) -> None:
    corpus, index = _two_generations(tmp_path)
    live = _live(index)
    pattern = "*.toc" if what == "toc" else "*.seg"
    victim = max(live.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
    os.truncate(victim, victim.stat().st_size // 2)
    code, output = _status(index)
    assert code == 1
    _assert_one_line(output, "damaged", victim.name, "searchidx rebuild")
    report = rebuild(index, corpus, entities=False)  # a plain one, no --full
    assert report.exit_code == 0 and report.articles == 3
    assert _answers(index) == 3
    assert _status(index)[0] == 0


@pytest.mark.parametrize(
    "garble",
    ["CURRENT:gen-9\x00\xff", "CURRENT:../../etc", "meta.json:{not json", "manifest.json:[1"],
)
def test_garbled_pointer_or_side_files_do_not_crash_every_rebuild(
    tmp_path: Path, garble: str
) -> None:
    corpus, index = _two_generations(tmp_path)
    name, text = garble.split(":", 1)
    target = index / name if name == "CURRENT" else _live(index) / name
    target.write_text(text, encoding="utf-8")
    code, output = _status(index)
    assert code == 1
    _assert_one_line(output, "damaged")
    report = rebuild(index, corpus, entities=False)
    assert report.exit_code == 0 and report.articles == 3
    assert _answers(index) == 3
    assert _live(index).parent == index  # CURRENT names a generation of this index again


def test_a_current_pointing_outside_the_index_is_not_followed(tmp_path: Path) -> None:
    _, index = _two_generations(tmp_path)
    outside = tmp_path / "planted"
    outside.mkdir()
    (index / "CURRENT").write_text("../planted\n", encoding="utf-8")
    code, output = _status(index)
    assert code == 1
    _assert_one_line(output, "not a generation folder")


def test_a_garbled_aliases_file_is_written_again(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "a.txt", "Angela Merkel met Emmanuel Macron in Paris.")
    rebuild(index, corpus, jobs=1)
    aliases = _live(index) / "aliases.json"
    assert aliases.exists()
    aliases.write_text("{garbled", encoding="utf-8")
    rebuild(index, corpus, jobs=1)
    import json

    assert isinstance(json.loads((_live(index) / "aliases.json").read_text()), dict)


def test_status_says_a_garbled_last_run_in_one_line(tmp_path: Path) -> None:
    _, index = _two_generations(tmp_path)
    (index / "last-run.json").write_text("[oops", encoding="utf-8")
    code, output = _status(index)
    assert code == 0, output
    assert [line for line in output.splitlines() if line.startswith("damaged:")] == [
        "damaged:          last-run.json is garbled: the last run is not known"
    ]


def test_an_unwritable_index_folder_is_one_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus, "a.txt", "Harbour.")
    if os.geteuid() == 0:
        where = Path("/sys/searchidx-test-index")  # sysfs refuses even root a new folder
        if not Path("/sys").is_dir():
            pytest.skip("running as root without /sys: no folder refuses root")
    else:
        (tmp_path / "locked").mkdir(mode=0o500)
        where = tmp_path / "locked" / "idx"
    result = CliRunner().invoke(main, ["rebuild", str(corpus), "--index", str(where), "-q"])
    assert result.exit_code == 1
    _assert_one_line(result.output, "cannot write in the index folder")


def test_retry_failed_reads_a_file_the_size_limit_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "small.txt", "Oil.")
    _write(corpus, "large.txt", "Harbour " * 200)
    monkeypatch.setenv("SEARCHIDX_MAX_FILE_BYTES", "500")
    report = rebuild(index, corpus, entities=False)
    assert [p.path for p in report.failures if p.skipped] == ["large.txt"]
    monkeypatch.setenv("SEARCHIDX_MAX_FILE_BYTES", "100000")
    report = rebuild(index, corpus, entities=False, retry_failed=True)
    assert report.failures == [] and report.articles == 2
