"""Outlet spellings folded into one value (issue 20): case, www., domain against name, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.corpus.outlets import fold_outlet, known_outlets, outlet_key
from searchidx.corpus.readers import read_file


@pytest.mark.parametrize(
    ("spellings", "shown"),
    [
        (["AP NEWS", "AP News", "apnews.com", "Associated Press"], "Associated Press"),
        (["dw.com", "DW.COM", "Deutsche Welle (www.dw.com)", "www.dw.com"], "DW"),
        (["MDR", "mdr.de"], "MDR"),
        (["boersen-zeitung", "Börsen-Zeitung"], "Börsen-Zeitung"),
    ],
)
def test_spellings_of_a_known_outlet_are_one_value(spellings: list[str], shown: str) -> None:
    assert {fold_outlet(name) for name in spellings} == {shown}


def test_an_unknown_outlet_is_kept_tidied() -> None:
    assert fold_outlet("Some Local Paper") == "Some Local Paper"
    assert fold_outlet("www.Example.com") == fold_outlet("example.com") == "example.com"
    assert fold_outlet("The Daily Thing (www.dailything.example)") == "The Daily Thing"
    assert fold_outlet("  ") is None and fold_outlet(None) is None


def test_the_table_ships_with_the_package_and_has_no_clashes() -> None:
    table = known_outlets()
    assert table[outlet_key("reuters.com")] == "Reuters"
    assert len(set(table.values())) > 30


def test_files_are_read_with_folded_outlets(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("---\ntitle: T\noutlet: DW.COM\n---\nText.\n", encoding="utf-8")
    assert read_file(path, tmp_path).articles[0].outlet == "DW"
