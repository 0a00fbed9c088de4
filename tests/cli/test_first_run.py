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


def test_counts_have_their_plurals_and_a_storyless_line_no_dashes(tmp_path: Path) -> None:
    index = _index(tmp_path, {"a.txt": "---\ntitle: Harbour strike\n---\nDockers strike.\n"})
    found = CliRunner().invoke(main, ["query", "harbour", *index])
    assert found.stdout.startswith("1 article, showing 1-1"), found.stdout
    stories = CliRunner().invoke(main, ["stories", "--min-articles", "1", *index])
    assert "1 article" in stories.stdout and "1 articles" not in stories.stdout
    assert "- · -" not in stories.stdout


def test_every_article_is_described_as_star_not_none(tmp_path: Path) -> None:
    index = _index(tmp_path, {"a.txt": "---\ntitle: Harbour strike\n---\nDockers strike.\n"})
    found = CliRunner().invoke(main, ["query", "--format", "json", *index])
    assert json.loads(found.stdout)["parsed_query"] == "*"


def test_pasted_text_with_a_stray_quote_searches_its_words_with_a_note(tmp_path: Path) -> None:
    index = _index(tmp_path, {"a.txt": '---\ntitle: Harbour\n---\nHe said "strike now.\n'})
    found = CliRunner().invoke(main, ["query", 'said "strike now', *index])
    assert found.exit_code == 0, found.output
    assert found.stdout.startswith("1 article")
    assert "note: the quote at character 6 is not closed" in found.stderr
    data = CliRunner().invoke(main, ["query", 'said "strike', "--format", "json", *index])
    assert json.loads(data.stdout)["notes"] == [
        "the quote at character 6 is not closed: it was read as a space "
        "(close it to search a phrase)"
    ]
    bracket = CliRunner().invoke(main, ["query", "said (strike", *index])
    assert bracket.exit_code == 2 and "unclosed '('" in bracket.stderr


def _outlets(index: list[str]) -> dict[str, int]:
    found = CliRunner().invoke(main, ["query", "--facets", "--format", "json", *index])
    return {f["value"]: f["count"] for f in json.loads(found.stdout)["facets"]["outlet"]}


def test_a_settings_file_added_or_edited_is_applied_by_the_next_rebuild(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    (corpus / "sport").mkdir(parents=True)
    for number in range(12):
        (corpus / "sport" / f"{number}.txt").write_text(f"Match {number}\n\nA goal.\n")
    (corpus / "own.txt").write_text("---\noutlet: The Paper\n---\nText.\n")
    index = ["--index", str(tmp_path / "idx")]
    runner = CliRunner()

    def rebuild() -> str:
        done = runner.invoke(main, ["rebuild", str(corpus), "--no-entities", *index])
        assert done.exit_code == 0, done.output
        return done.stderr

    rebuild()
    assert _outlets(index) == {"The Paper": 1}
    (corpus / ".searchidx.toml").write_text('outlet = "BBC News"\n')
    assert "updated 13," in rebuild()  # every file below the folder is parsed again
    assert _outlets(index) == {"BBC News": 12, "The Paper": 1}
    (corpus / "sport" / ".searchidx.toml").write_text('outlet = "BBC Sport"\n')
    assert "updated 12, unchanged 1" in rebuild()  # only the files below sport/
    assert _outlets(index) == {"BBC Sport": 12, "The Paper": 1}
    (corpus / "sport" / ".searchidx.toml").unlink()
    (corpus / ".searchidx.toml").unlink()
    rebuild()
    assert _outlets(index) == {"The Paper": 1}
    assert "updated 0, unchanged 13" in rebuild()


def test_outlet_rules_in_the_alias_file_merge_and_split_at_the_next_rebuild(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, outlet in (("a", "nkz.example"), ("b", "Nord Kurier Zeitung"), ("c", "AP")):
        (corpus / f"{name}.txt").write_text(f"---\noutlet: {outlet}\n---\nText {name}.\n")
    (corpus / "d.txt").write_text("---\noutlet: AP NEWS\n---\nText d.\n")
    aliases = tmp_path / "aliases.txt"
    index = ["--index", str(tmp_path / "idx")]
    runner = CliRunner()

    def rebuild() -> str:
        args = ["rebuild", str(corpus), "--no-entities", "--aliases-file", str(aliases), *index]
        done = runner.invoke(main, args)
        assert done.exit_code == 0, done.output
        return done.stderr

    aliases.write_text("people: Kim Jong Un = Kim Jong-un\n")
    rebuild()
    assert _outlets(index) == {
        "nkz.example": 1,
        "Nord Kurier Zeitung": 1,
        "Associated Press": 2,
    }
    aliases.write_text("outlets: NKZ = nkz.example = Nord Kurier Zeitung\n")
    assert "updated 4," in rebuild()  # same bytes, other rules: read again
    assert _outlets(index) == {"NKZ": 2, "Associated Press": 2}
    aliases.write_text("outlets: NKZ = nkz.example = Nord Kurier Zeitung\noutlets: ! AP News\n")
    rebuild()
    assert _outlets(index) == {"NKZ": 2, "Associated Press": 1, "AP News": 1}
    assert "updated 0, unchanged 4" in rebuild()

    aliases.write_text("outlets: NKZ\n")
    bad = runner.invoke(main, ["rebuild", str(corpus), "--aliases-file", str(aliases), *index])
    assert bad.exit_code == 1 and "outlet rule 1 ('outlets: NKZ')" in bad.stderr
    assert "Traceback" not in bad.output
