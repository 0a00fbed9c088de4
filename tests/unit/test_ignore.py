"""`.searchidxignore` patterns: the gitignore rules people expect, and the walk honouring them."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.corpus.ignore import parse_rules
from searchidx.corpus.walk import Source, walk
from searchidx.models import Problem


@pytest.mark.parametrize(
    ("pattern", "path", "is_folder", "expected"),
    [
        ("*-strings.lc.txt", "all-people-strings.lc.txt", False, True),
        ("*-strings.lc.txt", "deep/er/all-orgs-strings.lc.txt", False, True),
        ("*-strings.lc.txt", "strings.lc.txt", False, False),
        ("*.txt", "a/b.txt", False, True),
        ("/lists/*.txt", "lists/a.txt", False, True),
        ("/lists/*.txt", "x/lists/a.txt", False, False),
        ("/lists/*.txt", "lists/deeper/a.txt", False, False),  # * never crosses a folder
        ("lists/", "lists", True, True),
        ("lists/", "lists", False, False),  # a trailing slash: folders only
        ("**/notes.txt", "notes.txt", False, True),
        ("**/notes.txt", "a/b/notes.txt", False, True),
        ("drafts/**", "drafts/a/b.txt", False, True),
        ("drafts/**", "drafts", True, False),
        ("a/**/b.txt", "a/b.txt", False, True),
        ("a/**/b.txt", "a/x/y/b.txt", False, True),
        ("cat-?.txt", "cat-1.txt", False, True),
        ("cat-?.txt", "cat-12.txt", False, False),
        ("reut2-00[0-4].sgm", "reut2-003.sgm", False, True),
        ("reut2-00[!0-4].sgm", "reut2-003.sgm", False, False),
        ("reut2-00[!0-4].sgm", "reut2-007.sgm", False, True),
        ("notes[.txt", "notes[.txt", False, True),  # an unclosed bracket is literal
        ("\\#hash.txt", "#hash.txt", False, True),
        ("Feldman*.txt", "feldman-cia.txt", False, False),  # case-sensitive, as git
    ],
)
def test_pattern(pattern: str, path: str, is_folder: bool, expected: bool) -> None:
    assert parse_rules(pattern).ignored(path, is_folder) is expected


def test_comments_blank_lines_and_the_last_match_wins() -> None:
    rules = parse_rules("# word lists\n\n*.lc.txt\n!keep.lc.txt\n#not.txt\n")
    assert len(rules.rules) == 2
    assert rules.ignored("a.lc.txt", False)
    assert not rules.ignored("keep.lc.txt", False)
    assert not rules.ignored("#not.txt", False)
    assert parse_rules("!keep.txt\n*.txt").ignored("keep.txt", False)


def _touch(root: Path, rel: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Headline\n\nText.", encoding="utf-8")


def _sources(root: Path) -> list[str]:
    return [item.rel for item in walk(root) if isinstance(item, Source)]


def test_the_walk_leaves_out_what_the_ignore_file_names(tmp_path: Path) -> None:
    for rel in (
        "reut2-000.txt",
        "all-people-strings.lc.txt",
        "cat-descriptions_120396.txt",
        "news/a.txt",
        "news/all-orgs-strings.lc.txt",
        "drafts/b.txt",
        "news/drafts/c.txt",
        "lists/keep.txt",
        "lists/drop.txt",
    ):
        _touch(tmp_path, rel)
    assert len(_sources(tmp_path)) == 9
    (tmp_path / ".searchidxignore").write_text(
        "# files shipped beside the articles\n"
        "*-strings.lc.txt\n"
        "/cat-descriptions_*.txt\n"
        "/drafts/\n"
        "lists/*\n"
        "!lists/keep.txt\n",
        encoding="utf-8",
    )
    assert _sources(tmp_path) == [
        "lists/keep.txt",
        "news/a.txt",
        "news/drafts/c.txt",  # "/drafts/" is anchored to the root
        "reut2-000.txt",
    ]


def test_an_ignored_folder_is_not_entered(tmp_path: Path) -> None:
    _touch(tmp_path, "keep.txt")
    _touch(tmp_path, "private/a.txt")
    # entering it would report a symlink loop
    (tmp_path / "private" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert any(isinstance(i, Problem) for i in walk(tmp_path))
    (tmp_path / ".searchidxignore").write_text("private/\n", encoding="utf-8")
    items = list(walk(tmp_path))
    assert [i.rel for i in items if isinstance(i, Source)] == ["keep.txt"]
    assert [i for i in items if isinstance(i, Problem)] == []


def test_an_unreadable_ignore_file_is_a_warning(tmp_path: Path) -> None:
    _touch(tmp_path, "a.txt")
    (tmp_path / ".searchidxignore").write_bytes(b"\xff\xfe\xfa not utf-8 *.txt\n")
    items = list(walk(tmp_path))
    (problem,) = [i for i in items if isinstance(i, Problem)]
    assert problem.path == ".searchidxignore" and not problem.skipped
    assert "no file is left out" in problem.reason
    assert [i.rel for i in items if isinstance(i, Source)] == ["a.txt"]
