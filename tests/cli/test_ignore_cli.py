"""A corpus's `.searchidxignore` through `searchidx rebuild`: ignored files leave the index."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main


def _ids(runner: CliRunner, index: Path) -> set[str]:
    result = runner.invoke(main, ["query", "--format", "json", "--index", str(index)])
    assert result.exit_code == 0, result.output
    return {hit["id"] for hit in json.loads(result.stdout)["hits"]}


def test_rebuild_honours_the_ignore_file_and_drops_newly_ignored_articles(tmp_path: Path) -> None:
    corpus, index = tmp_path / "news", tmp_path / "index"
    corpus.mkdir()
    (corpus / "story.txt").write_text("---\ntitle: Cocoa\n---\nCocoa showers continued.\n")
    (corpus / "all-people-strings.lc.txt").write_text("abdel-hadi-kandeel\nalfonsin\namato\n")
    runner = CliRunner()
    args = ["rebuild", str(corpus), "--index", str(index), "--no-entities"]
    assert runner.invoke(main, args).exit_code == 0
    assert _ids(runner, index) == {"story.txt", "all-people-strings.lc.txt"}

    (corpus / ".searchidxignore").write_text("# word lists, not articles\n*-strings.lc.txt\n")
    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert _ids(runner, index) == {"story.txt"}
