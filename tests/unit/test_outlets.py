"""Outlet spellings folded into one value (issue 20): case, www., domain against name, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.corpus.outlets import (
    OutletRulesError,
    fold_outlet,
    known_outlets,
    outlet_key,
    outlet_lines,
    parse_outlet_rules,
)
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


def test_the_users_outlet_rules_merge_and_split_spellings() -> None:
    text = """# my outlets
people: Kim Jong Un = Kim Jong-un
outlets: WAZ = Westdeutsche Allgemeine Zeitung = waz.de   # one paper
Outlet:   ! AP News
"""
    lines = outlet_lines(text)
    assert lines == "outlets: WAZ = Westdeutsche Allgemeine Zeitung = waz.de\noutlets: ! AP News"
    rules = parse_outlet_rules(lines)
    assert {
        fold_outlet(n, rules) for n in ("waz.de", "WAZ", "Westdeutsche Allgemeine Zeitung")
    } == {"WAZ"}
    split = {fold_outlet(n, rules) for n in ("AP NEWS", "apnews.com", "AP News")}
    assert split == {"AP News"}  # its own outlet, as the rule writes it: not the table's
    assert fold_outlet("Associated Press", rules) == fold_outlet("AP NEWS") == "Associated Press"
    assert fold_outlet("DW.COM", rules) == "DW"  # the table still applies to the rest


@pytest.mark.parametrize("line", ["outlets: WAZ", "outlets: = waz.de", "outlets: !"])
def test_an_unreadable_outlet_rule_names_its_line(line: str) -> None:
    with pytest.raises(OutletRulesError, match="outlet rule 1"):
        parse_outlet_rules(outlet_lines(line), "aliases.txt")


def test_the_entity_alias_file_reader_leaves_outlet_lines_to_the_files() -> None:
    from searchidx.entities.overrides import parse_overrides

    rules = parse_overrides("outlets: WAZ = waz.de\norganisations: ! AP\n")
    assert rules.splits["organisations"] == {"ap"} and not rules.merges["organisations"]
