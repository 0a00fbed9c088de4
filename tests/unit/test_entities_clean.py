"""Clean-up rules and in-article person merging (no spaCy needed)."""

from __future__ import annotations

import pytest

from searchidx.entities.clean import clean_value, strip_nationality, variant_key
from searchidx.entities.people import merge_short_names
from searchidx.entities.recognize import find_acronyms


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("places", "North Korea\u2019s", "North Korea"),
        ("places", "North Korea's", "North Korea"),
        ("places", "  the  United\u00a0States ", "United States"),
        (
            "organisations",
            "the North Korean Reconnaissance General Bureau",
            "Reconnaissance General Bureau",
        ),
        ("organisations", "South Korean Defense Ministry", "Defense Ministry"),
        ("organisations", "British Airways", "British Airways"),  # a brand keeps its word
        ("organisations", "American Express Co.", "American Express Co."),
        ("places", "U.S.", "U.S."),
        ("organisations", "\u201cReuters,\u201d", "Reuters"),
        ("people", "Mr. Kim Jong Un", "Kim Jong Un"),
        ("people", "Reagan.", "Reagan"),
        ("places", "US", "US"),  # an acronym, not the pronoun "us"
    ],
)
def test_clean_keeps_and_normalises(kind: str, raw: str, expected: str) -> None:
    assert clean_value(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("organisations", "@vicenews"),
        ("organisations", "the South's"),
        ("organisations", "#DPRK"),
        ("organisations", "https://news.vice.com"),
        ("organisations", "www.cnn.com"),
        ("places", "1987"),
        ("people", "K."),
        ("people", "He"),
        ("people", "the"),
        ("places", "North"),
        ("people", "defector"),
        ("organisations", "   "),
    ],
)
def test_clean_drops_noise(kind: str, raw: str) -> None:
    assert clean_value(kind, raw) is None


def test_variant_key_ignores_case_and_punctuation() -> None:
    assert variant_key("U.S.") == variant_key("US") == variant_key("u.s") == "us"
    assert variant_key("Jeong Joon-hee") == "jeong joon hee"
    assert variant_key("United States") != variant_key("US")


def test_strip_nationality_needs_two_words_left() -> None:
    assert strip_nationality("North Korean Reconnaissance General Bureau") == (
        "Reconnaissance General Bureau"
    )
    assert strip_nationality("British Airways") is None
    assert strip_nationality("Reconnaissance General Bureau") is None


def test_short_name_joins_its_unique_fuller_name() -> None:
    names = ["Kim Jong Un", "Kim", "Jong Un", "Moon Sang-gyun", "Moon"]
    assert merge_short_names(names) == ["Kim Jong Un", "Moon Sang-gyun"]


def test_ambiguous_short_name_is_dropped_not_guessed() -> None:
    names = ["Kim Jong Un", "Kim Yong-chol", "Kim", "Park Geun-hye"]
    assert merge_short_names(names) == ["Kim Jong Un", "Kim Yong-chol", "Park Geun-hye"]


def test_lone_short_name_stays() -> None:
    assert merge_short_names(["Reagan", "Reagan", "Baker"]) == ["Reagan", "Baker"]


def test_acronym_definitions_found_in_either_word_order() -> None:
    text = "He served in the General Reconnaissance Bureau (RGB) for years."
    assert find_acronyms(text) == [("RGB", "General Reconnaissance Bureau")]
    assert find_acronyms("the Organization of Petroleum Exporting Countries (OPEC) met") == [
        ("OPEC", "Organization of Petroleum Exporting Countries")
    ]
    assert find_acronyms("prices rose (USD) sharply") == []
