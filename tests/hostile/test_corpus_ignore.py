"""Hostile `.searchidxignore` files: matched in linear time, bad lines warned about (issue 22)."""

from __future__ import annotations

from pathlib import Path

from searchidx.corpus.ignore import parse_rules
from searchidx.corpus.walk import walk
from searchidx.models import Problem
from tests.hostile.conftest import run_python

WALK = """
from pathlib import Path
from searchidx.corpus.walk import walk
print(sum(1 for _ in walk(Path({root!r}))))
"""


def test_a_backtracking_pattern_does_not_hang_the_walk(tmp_path: Path) -> None:
    (tmp_path / ".searchidxignore").write_text("*a" * 30 + "*b\n", encoding="utf-8")
    for number in range(20):
        (tmp_path / ("a" * 35 + f"{number:02d}.txt")).write_text("Harbour.", encoding="utf-8")
    done = run_python(WALK.format(root=str(tmp_path)), timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "20"


def test_the_pattern_still_matches_what_it_says() -> None:
    rule = parse_rules("*a" * 30 + "*b")
    assert rule.ignored("a" * 30 + "b", False)
    assert rule.ignored("x/" + "ab" * 30, False)
    assert not rule.ignored("a" * 5 + "b", False)  # short: a backtracking matcher ends too


def test_a_backwards_range_is_a_warning_and_the_other_lines_hold(tmp_path: Path) -> None:
    (tmp_path / ".searchidxignore").write_text("[z-a].txt\nskip.txt\n", encoding="utf-8")
    for name in ("skip.txt", "keep.txt", "b.txt"):
        (tmp_path / name).write_text("Harbour.", encoding="utf-8")
    found = list(walk(tmp_path))
    problems = [item for item in found if isinstance(item, Problem)]
    assert [(p.path, p.skipped) for p in problems] == [(".searchidxignore", False)]
    assert "line 1" in problems[0].reason and "z-a" in problems[0].reason
    assert sorted(i.rel for i in found if not isinstance(i, Problem)) == ["b.txt", "keep.txt"]
