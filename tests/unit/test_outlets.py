"""Outlet spellings folded into one value (issue 20): case, www., domain against name, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.corpus.outlets import (
    OutletRulesError,
    fold_outlet,
    known_outlets,
    outlet_at,
    outlet_key,
    outlet_lines,
    outlet_table,
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


def test_no_spelling_of_the_table_names_two_outlets() -> None:
    # a key two outlets share is dropped from the name index: it would fold one into the other
    names: dict[str, set[str]] = {}
    for row in outlet_table():
        for spelling in (row.name, *row.also, *row.domains):
            key = outlet_key(spelling)
            if spelling in row.domains and len(key) < 3:
                continue  # a two-letter address is not looked up as a name (below)
            names.setdefault(key, set()).add(row.name)
    table = known_outlets()
    assert all(key not in table for key, found in names.items() if len(found) > 1)
    assert "dn" not in table  # dn.se, dn.no and dn.pt are three papers
    # a two-letter web address is no name: "WP" is not folded into the paper at wp.pl
    assert fold_outlet("WP") == "WP" and fold_outlet("wp.pl") == "wp.pl"
    assert outlet_at("https://wiadomosci.wp.pl/a") == "Wirtualna Polska"
    assert outlet_at("https://www.dn.se/x") != outlet_at("https://www.dn.no/x")


def test_the_table_is_broad_each_row_with_a_web_domain() -> None:
    rows = outlet_table()
    assert len(rows) > 400
    assert all(row.domains for row in rows)
    suffixes = {row.domains[0].rsplit(".", 1)[-1] for row in rows}
    assert len(suffixes) > 40  # many countries, not a few
    domains = [domain for row in rows for domain in row.domains]
    assert len(domains) == len(set(domains))


def test_a_page_without_a_latin_name_is_the_outlet_its_address_is_on() -> None:
    # native-script names the table lists, or not, and an unnamed page: the address decides
    assert fold_outlet("朝日新聞デジタル") == "The Asahi Shimbun"
    assert fold_outlet("Газета", url="https://www.kommersant.ru/doc/1") == "Kommersant"
    assert fold_outlet(None, url="https://sport.bild.de/a/b.html") == "Bild"
    assert fold_outlet(None, url="https://unknown.example/a") is None
    assert fold_outlet("Пример", url="http://[::1/a") == "Пример"  # no host, no error
    # a name that is only the address's label (what a page naming nothing is given) too
    assert fold_outlet("wp", url="https://wiadomosci.wp.pl/a") == "Wirtualna Polska"


def test_a_page_naming_its_outlet_in_latin_letters_keeps_it_over_its_address() -> None:
    # syndicated pages declare their own paper and point at the first publisher's address
    syndicated = "https://www.morgenpost.de/politik/article1.html"
    assert fold_outlet("Kurier am Example", url=syndicated) == "Kurier am Example"
    assert fold_outlet("DW.COM", url=syndicated) == "DW"


def test_a_name_whose_initials_are_its_address_is_shown_with_them() -> None:
    assert fold_outlet("Neue Example Zeitung", url="https://www.nez.example/x") == (
        "Neue Example Zeitung (NEZ)"
    )
    assert fold_outlet("Neue Example Zeitung", url="https://nez.co.uk/x") == (
        "Neue Example Zeitung (NEZ)"
    )
    # not the initials, one word, or a name already short: kept as it is
    assert fold_outlet("Example Daily", url="https://www.nez.example/x") == "Example Daily"
    assert fold_outlet("Exampleblatt", url="https://e.example/x") == "Exampleblatt"
    assert fold_outlet("Neue Example Zeitung") == "Neue Example Zeitung"


def test_html_pages_get_the_outlet_of_their_address(tmp_path: Path) -> None:
    page = (
        '<html lang="ja"><head><title>見出し</title>'
        '<meta property="og:site_name" content="読売新聞オンライン">'
        '<link rel="canonical" href="https://www.yomiuri.co.jp/national/1/"></head>'
        "<body><article><h1>見出し</h1><p>"
        + "本文の段落です。" * 30
        + "</p></article></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_text(page, encoding="utf-8")
    assert read_file(path, tmp_path).articles[0].outlet == "The Yomiuri Shimbun"
    path.write_text(page.replace("読売新聞オンライン", "地方新聞"), encoding="utf-8")
    assert read_file(path, tmp_path).articles[0].outlet == "The Yomiuri Shimbun"
