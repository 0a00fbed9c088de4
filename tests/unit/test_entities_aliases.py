"""Corpus-wide alias table, user overrides and the NER cache (no spaCy needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchidx.entities import (
    AliasTable,
    ArticleEntities,
    EntityCache,
    OverridesError,
    content_key,
    parse_overrides,
)


def orgs(*values: str, acronyms: tuple[tuple[str, str, str], ...] = ()) -> ArticleEntities:
    return ArticleEntities(organisations=values, language="en", acronyms=acronyms)


def places(*values: str) -> ArticleEntities:
    return ArticleEntities(places=values, language="en")


def test_word_order_variants_share_the_most_used_form() -> None:
    table = AliasTable.build(
        [
            orgs("Reconnaissance General Bureau"),
            orgs("General Reconnaissance Bureau"),
            orgs("Reconnaissance General Bureau", "CNN"),
        ]
    )
    assert table.canonical("organisations", "General Reconnaissance Bureau") == (
        "Reconnaissance General Bureau"
    )
    assert table.variants("organisations", "general reconnaissance bureau") == (
        "Reconnaissance General Bureau",
        "General Reconnaissance Bureau",
    )


def test_ties_go_to_the_longest_then_alphabetical() -> None:
    table = AliasTable.build([places("U.S."), places("US")])
    assert table.canonical("places", "US") == "U.S."
    table = AliasTable.build([orgs("Bureau General"), orgs("General Bureau")])
    assert table.canonical("organisations", "General Bureau") == "Bureau General"


def test_country_abbreviations_merge_but_america_stays_apart() -> None:
    table = AliasTable.build(
        [places("United States"), places("United States"), places("U.S."), places("America")]
    )
    assert table.canonical("places", "u.s.") == "United States"
    assert table.canonical("places", "USA") == "United States"
    assert table.canonical("places", "America") == "America"


def test_acronym_defined_in_text_joins_its_full_form() -> None:
    defined = (("organisations", "RGB", "General Reconnaissance Bureau"),)
    table = AliasTable.build(
        [orgs("General Reconnaissance Bureau", acronyms=defined), orgs("RGB"), orgs("RGB")]
    )
    # "RGB" is used by more articles, so it is the canonical form of the one entity
    assert table.canonical("organisations", "General Reconnaissance Bureau") == "RGB"
    assert set(table.variants("organisations", "rgb")) == {"RGB", "General Reconnaissance Bureau"}


def test_acronym_with_two_meanings_is_not_merged() -> None:
    table = AliasTable.build(
        [
            orgs(
                "Palestinian Authority",
                acronyms=(("organisations", "PA", "Palestinian Authority"),),
            ),
            orgs("Press Association", acronyms=(("organisations", "PA", "Press Association"),)),
            orgs("PA"),
        ]
    )
    assert table.canonical("organisations", "PA") == "PA"
    assert table.canonical("organisations", "Press Association") == "Press Association"


def test_apply_makes_values_canonical_sorted_and_unique() -> None:
    table = AliasTable.build([places("U.S.", "Seoul"), places("US"), places("U.S.")])
    applied = table.apply(places("US", "Seoul", "U.S.", "Busan"))
    assert applied.places == ("Busan", "Seoul", "U.S.")
    assert applied.language == "en"


def test_overrides_merge_split_and_drop(tmp_path: Path) -> None:
    path = tmp_path / "entity-aliases.txt"
    path.write_text(
        "# my corrections\n"
        "places: United States = America   # in my corpus America is the country\n"
        "organisations: !Bureau General\n"
        "people: - Yonhap\n",
        encoding="utf-8",
    )
    table = AliasTable.build(
        [
            places("America"),
            places("United States"),
            orgs("General Bureau"),
            orgs("Bureau General"),
            ArticleEntities(people=("Yonhap", "Kim Jong Un")),
        ],
        overrides=path,
    )
    assert table.canonical("places", "America") == "United States"
    assert table.canonical("organisations", "Bureau General") == "Bureau General"
    assert table.canonical("organisations", "General Bureau") == "General Bureau"
    assert table.apply(ArticleEntities(people=("Yonhap", "Kim Jong Un"))).people == ("Kim Jong Un",)


@pytest.mark.parametrize(
    "line", ["nonsense line", "people: Kim", "animals: Cat = Dog", "places: !", "people: = Kim"]
)
def test_bad_override_line_names_the_line(line: str) -> None:
    with pytest.raises(OverridesError, match=r":1: "):
        parse_overrides(line)


def test_json_round_trip_and_search_mapping() -> None:
    table = AliasTable.build([places("U.S."), places("US"), orgs("General Reconnaissance Bureau")])
    data = json.loads(json.dumps(table.to_json()))
    # the mapping the search side reads: lowercased variant -> canonical, per kind
    assert data["places"]["us"] == "U.S."
    assert data["places"]["u.s."] == "U.S."
    assert data["organisations"]["general reconnaissance bureau"] == "General Reconnaissance Bureau"
    assert all(
        key == key.lower() for kind in ("people", "organisations", "places") for key in data[kind]
    )
    again = AliasTable.from_json(data)
    assert again.canonical("places", "us") == "U.S."
    assert again.variants("places", "US") == table.variants("places", "US")
    # the bare mapping alone is enough to rebuild lookups
    bare = AliasTable.from_json({k: data[k] for k in ("people", "organisations", "places")})
    assert bare.canonical("places", "US") == "U.S."


def test_cache_round_trip_keyed_by_model(tmp_path: Path) -> None:
    key = content_key("Title", "Body text")
    assert key != content_key("Title", "Body text.")
    entities = ArticleEntities(
        people=("Kim Jong Un",),
        places=("North Korea",),
        language="en",
        acronyms=(("organisations", "RGB", "General Reconnaissance Bureau"),),
    )
    with EntityCache(tmp_path, model="model-a") as cache:
        cache.put_many({key: entities})
        assert cache.get_many([key, "missing"]) == {key: entities}
    with EntityCache(tmp_path, model="model-a") as cache:
        assert cache.get_many([key]) == {key: entities}  # survives reopening
    with EntityCache(tmp_path, model="model-b") as cache:
        assert cache.get_many([key]) == {}  # a new model version re-runs NER
