"""`searchidx rebuild` and `status` through click: stdout, stderr and exit codes apart."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main
from searchidx.index.lock import RebuildLock


def _corpus(root: Path) -> Path:
    for name, title in (("a.txt", "Harbour strike"), ("b.txt", "Oil prices")):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"---\ntitle: {title}\ndate: 2016-04-11\n---\n{title} text.\n")
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_env_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEARCHIDX_INDEX", raising=False)


def test_rebuild_creates_dot_searchidx_here_then_rereads_the_same_corpus(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "news")
    work = tmp_path / "work"
    (work / "deeper").mkdir(parents=True)
    monkeypatch.chdir(work)
    first = runner.invoke(main, ["rebuild", str(corpus), "--no-entities"])
    assert first.exit_code == 0, first.output
    assert (work / ".searchidx" / "CURRENT").is_file()
    assert first.stdout == ""  # stdout is for data only
    assert "indexed 2" in first.stderr

    monkeypatch.chdir(work / "deeper")  # found upwards, as git finds .git
    (corpus / "c.txt").write_text("---\ntitle: New\n---\nA new story.\n")
    again = runner.invoke(main, ["rebuild", "--no-entities"])
    assert again.exit_code == 0, again.output
    assert "indexed 1" in again.stderr and "unchanged 2" in again.stderr

    status = runner.invoke(main, ["status", "--format", "json"])
    assert status.exit_code == 0
    data = json.loads(status.stdout)
    assert data["index"] == str(work / ".searchidx")
    assert data["corpus_root"] == str(corpus)
    assert data["articles"] == 3 and data["failures"] == []
    assert data["last_rebuild"]


def test_env_index_and_read_only_corpus(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "news")
    corpus.chmod(0o555)
    try:
        monkeypatch.setenv("SEARCHIDX_INDEX", str(tmp_path / "elsewhere"))
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(main, ["rebuild", str(corpus), "-q", "--no-entities"])
        assert result.exit_code == 0, result.output
        assert result.stderr == ""  # --quiet: nothing unless something is wrong
        assert (tmp_path / "elsewhere" / "CURRENT").exists()
        assert not (corpus / ".searchidx").exists()
    finally:
        corpus.chmod(0o755)


def test_unreadable_files_exit_1_and_are_listed(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "news")
    (corpus / "empty.txt").write_bytes(b"")
    index = tmp_path / "idx"
    result = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "--no-entities"])
    assert result.exit_code == 1
    assert "failed: empty file: 1 file\n    empty.txt\n" in result.stderr
    assert "1 file could not be read" in result.stderr
    status = runner.invoke(main, ["status", "--index", str(index)])
    assert status.exit_code == 0
    assert "failed files:     1" in status.stdout and "empty.txt" in status.stdout


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    no_corpus = runner.invoke(main, ["rebuild", "--index", str(tmp_path / "new")])
    assert no_corpus.exit_code == 2
    assert "give the corpus folder" in no_corpus.stderr
    both = runner.invoke(main, ["rebuild", str(tmp_path), "--full", "--retry-failed"])
    assert both.exit_code == 2


def test_missing_corpus_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["rebuild", str(tmp_path / "nope"), "--index", str(tmp_path / "idx")]
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "nope" in result.stderr
    assert "Traceback" not in result.output


def test_lock_held_exits_4_at_once_with_the_pid(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "news")
    index = tmp_path / "idx"
    with RebuildLock(index):
        result = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index)])
    assert result.exit_code == 4
    assert f"pid {os.getpid()}" in result.stderr
    assert not (index / "CURRENT").exists()  # no work was done


def test_status_without_an_index_exits_3(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["status"])
    assert result.exit_code == 3
    assert "searchidx rebuild" in result.stderr


def test_rebuild_shows_both_phases_and_when_each_ended(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchidx.entities import ArticleEntities
    from searchidx.rebuild import enrich

    def fake_spacy(items: list[tuple[str, str, str | None]]) -> list[ArticleEntities]:
        return [ArticleEntities(places=("Hamburg",), language="en") for _ in items]

    monkeypatch.setattr(enrich, "_recognize_batch", fake_spacy)
    corpus = _corpus(tmp_path / "news")
    index = tmp_path / "idx"
    done = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    lines = done.stderr.splitlines()
    reading = max(i for i, line in enumerate(lines) if line.startswith("reading ["))
    entities = max(i for i, line in enumerate(lines) if line.startswith("entities ["))
    assert reading < entities  # phase 1's bar, then phase 2's, each ending at its total
    assert "2/2 files" in lines[reading] and "2/2 articles" in lines[entities]
    assert "searchable after" in done.stderr and "entities done after" in done.stderr
    assert "wait for entity recognition" not in done.stderr
    run = json.loads((index / "last-run.json").read_text())
    assert run["entities_pending"] == 0
    assert 0 < run["searchable_after"] <= run["text_after"] <= run["entities_after"]
    assert run["entities_after"] <= run["seconds"]


@pytest.mark.parametrize(("engine", "advised"), [("whoosh", True), ("tantivy", False)])
def test_rebuild_advises_tantivy_past_the_whoosh_size(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, advised: bool
) -> None:
    import searchidx.cli.rebuild as rebuild_cli

    monkeypatch.setattr(rebuild_cli, "TANTIVY_ADVICE_ARTICLES", 2)  # the corpus holds two
    corpus, index = _corpus(tmp_path / "news"), tmp_path / "idx"
    done = runner.invoke(
        main, ["rebuild", str(corpus), "--index", str(index), "--no-entities", "--engine", engine]
    )
    assert done.exit_code == 0, done.output
    assert ("--engine tantivy" in done.stderr) is advised
    assert "--engine tantivy" not in done.stdout
