"""A first run without surprises (issue 20): an empty corpus, plurals, quotes pasted in a query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main


@pytest.fixture(autouse=True)
def _no_env_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEARCHIDX_INDEX", raising=False)


def _index(tmp_path: Path, files: dict[str, str]) -> list[str]:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = str(tmp_path / "idx")
    done = CliRunner().invoke(main, ["rebuild", str(corpus), "--no-entities", "--index", index])
    assert done.exit_code == 0, done.output
    return ["--index", index]


def test_a_folder_without_a_readable_article_makes_an_empty_index_that_works(
    tmp_path: Path,
) -> None:
    index = _index(tmp_path, {"notes.bin": "x\n"})
    runner = CliRunner()
    for args in (["status"], ["query", "anything"], ["query", "--facets"], ["stories"]):
        done = runner.invoke(main, [*args, *index])
        assert done.exit_code == 0, (args, done.output)
        assert "Traceback" not in done.output
    found = runner.invoke(main, ["query", "anything", "--format", "json", "--facets", *index])
    assert json.loads(found.stdout)["total"] == 0
