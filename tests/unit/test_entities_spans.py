"""Spans spaCy runs across results tables are cut into names, and their sports-result cues
(issue 17); hand-made docs with hand-set entity spans, so no model is needed."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from searchidx.entities.cues import mention_cues
from searchidx.entities.recognize import _entities_of
from tests.unit.entity_fixtures import NLP, marked_doc


@pytest.mark.parametrize(
    ("text", "span", "label", "people", "organisations"),
    [
        ("Norwich 1 Wolverhampton 0", "Norwich 1 Wolverhampton 0", "ORG", (),
         ("Norwich", "Wolverhampton")),
        ("Surrey 468 ( J. Ratcliffe 63 )", "Surrey 468", "PERSON", ("Surrey",), ()),
        ("64 Bob Estes", "64 Bob Estes", "PERSON", ("Bob Estes",), ()),
        ("Scott Draper ( Australia ) lost", "Scott Draper ( Australia", "ORG", (),
         ("Scott Draper", "Australia")),
        ("Romania - Cosmin Contra ( 31st )", "Romania - Cosmin Contra", "ORG", (),
         ("Romania", "Cosmin Contra")),
        # a number inside an organisation's name stays; hyphens inside a name do not cut it
        ("He watched Channel 4 News.", "Channel 4 News", "ORG", (), ("Channel 4 News",)),
        ("Moon Sang-gyun spoke.", "Moon Sang-gyun", "PERSON", ("Moon Sang-gyun",), ()),
    ],
)  # fmt: skip
def test_spans_are_cut_at_numbers_brackets_and_dashes(
    text: str, span: str, label: str, people: tuple[str, ...], organisations: tuple[str, ...]
) -> None:
    entities = _entities_of(marked_doc(text, [(span, label)]), text, "en")
    assert entities.people == people
    assert entities.organisations == organisations


def test_both_sides_of_a_result_line_are_teams() -> None:
    text = "Minnesota 6 Milwaukee 1\nHe lives in Milwaukee ."
    doc = marked_doc(text, [("Minnesota", "GPE"), ("Milwaukee 1", "GPE")])
    home, away = doc.ents
    assert mention_cues(doc, home) == {"club"}
    assert mention_cues(doc, away) == {"club"}
    city = doc.char_span(text.rindex("Milwaukee"), text.rindex("Milwaukee") + 9, label="GPE")
    assert mention_cues(doc, city) == set()


def test_the_kind_of_most_mentions_and_untagged_capitalised_runs_are_recorded() -> None:
    text = "Arbil fell and Troops left Arbil as Shells hit Arbil .\nSussex 363 , Lancashire 197-8"
    doc = NLP(text)
    starts = [i for i, token in enumerate(doc) if token.text == "Arbil"]
    doc.ents = [
        Span(doc, i, i + 1, label=label)
        for i, label in zip(starts, ("GPE", "GPE", "ORG"), strict=True)
    ]
    entities = _entities_of(doc, text, "en")
    assert ("places", "Arbil", "most") in entities.cues
    runs = {(value, cue) for kind, value, cue in entities.cues if kind == ""}
    assert ("Lancashire", "run") in runs
    assert ("Sussex", "first") in runs  # opens a line
    assert ("Troops", "run") in runs and ("Troops", "first") not in runs
    assert not any(value == "Arbil" for value, _ in runs)


def test_sides_of_result_lines_are_marked_but_not_players_scores() -> None:
    text = (
        "Alloa 2 Clyde 1\nMILWAUKEE 64 71 .474\nPete Sampras beat Todd Martin 6-3\nI. Austin 4-37"
    )
    entities = _entities_of(marked_doc(text, []), text, "en")
    result = {value for kind, value, cue in entities.cues if kind == "" and cue == "result"}
    assert result == {"Alloa", "Clyde", "MILWAUKEE"}


def test_person_spans_are_cut_at_minutes_and_lower_case_words_but_keep_particles() -> None:
    text = "Robert Pires 46th , Yorkshire at Headingley , Joost van der Westhuizen"
    spans = [("Robert Pires 46th", "PERSON"), ("Yorkshire at Headingley", "PERSON"),
             ("Joost van der Westhuizen", "PERSON")]  # fmt: skip
    entities = _entities_of(marked_doc(text, spans), text, "en")
    assert set(entities.people) == {"Robert Pires", "Yorkshire", "Headingley",
                                    "Joost van der Westhuizen"}  # fmt: skip


def test_runs_keep_initials_and_note_a_country_in_brackets() -> None:
    text = "Hove : W. Athey 111 , Pete Sampras ( U.S. ) beat Jiri Novak ( Czech Republic )"
    entities = _entities_of(marked_doc(text, []), text, "en")
    runs = {(value, cue) for kind, value, cue in entities.cues if kind == ""}
    assert ("W. Athey", "run") in runs
    assert ("Pete Sampras", "nation") in runs
    assert ("Jiri Novak", "nation") in runs
    assert ("Hove", "nation") not in runs


def test_schedule_lines_are_cut_at_at_and_v_and_the_venue_is_marked() -> None:
    text = "BALTIMORE AT SEATTLE\nBirmingham v Barnsley"
    doc = marked_doc(text, [("BALTIMORE AT SEATTLE", "ORG"), ("Birmingham v Barnsley", "ORG")])
    entities = _entities_of(doc, text, "en")
    assert entities.organisations == ("BALTIMORE", "SEATTLE", "Birmingham", "Barnsley")
    assert ("organisations", "SEATTLE", "venue") in entities.cues
    assert ("organisations", "BALTIMORE", "venue") not in entities.cues


@pytest.mark.parametrize(
    "text",
    ["BOXING - HAMED RETAINS TITLE .\nDUBLIN 1996-08-31\nHamed won.",
     "Hamed wins\nDUBLIN, Aug 31 - Hamed won."],
)  # fmt: skip
def test_a_dateline_is_marked(text: str) -> None:
    entities = _entities_of(marked_doc(text, []), text, "en")
    assert ("", "DUBLIN", "dateline") in entities.cues
    assert not any(cue == "dateline" and value != "DUBLIN" for _, value, cue in entities.cues)
