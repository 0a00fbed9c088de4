"""Works, products, awards and events are no people, bodies or places; venues are places (issue
17). The `work` and `venue` cues read off hand-made docs (no model needed), spaCy's other labels
kept as cues, and the corpus decisions over small invented fixtures, with the alias file's
overrides."""

from __future__ import annotations

import pytest

from searchidx.entities import AliasTable, parse_overrides
from searchidx.entities.cues import mention_cues
from searchidx.entities.recognize import _entities_of
from tests.unit.entity_fixtures import article, marked_doc


@pytest.mark.parametrize(
    ("text", "spans", "name", "work"),
    [
        ("She starred in the film Lantern Road last year.", [("Lantern Road", "ORG")],
         "Lantern Road", True),
        ("The Lyre-winning actor spoke.", [("Lyre", "PERSON")], "Lyre", True),
        ("He won a Lyre nomination.", [("Lyre", "PERSON")], "Lyre", True),
        ("She took her Lyre to the party.", [("Lyre", "PERSON")], "Lyre", True),
        ("Sales of the Zephyr games console rose.", [("Zephyr", "ORG")], "Zephyr", True),
        ("Orbitco's Zephyr sold well.", [("Orbitco", "ORG"), ("Zephyr", "ORG")], "Zephyr", True),
        ("A new Keeper of the Lamps film opens.", [("Lamps", "ORG")], "Lamps", True),
        ("Tom Quill and the Silver Gate topped the chart.", [("Tom Quill", "PERSON")],
         "Tom Quill", True),
        # names, not works
        ("Redfield's Sam Oduya scored twice.", [("Redfield", "ORG"), ("Sam Oduya", "PERSON")],
         "Sam Oduya", False),
        ("Mr Pellow said no.", [("Pellow", "PERSON")], "Pellow", False),
        ("A Dunmore MP spoke.", [("Dunmore", "ORG")], "Dunmore", False),
        ("He played with Jo Vance and The Tides.", [("Jo Vance", "PERSON")], "Jo Vance", False),
        ("Kell of the Isles spoke.", [("Kell", "PERSON")], "Kell", False),
    ],
)  # fmt: skip
def test_the_words_around_a_name_can_make_it_a_work(
    text: str, spans: list[tuple[str, str]], name: str, work: bool
) -> None:
    doc = marked_doc(text, spans)
    ent = next(e for e in doc.ents if e.text == name)
    assert ("work" in mention_cues(doc, ent)) is work


def test_spacy_s_other_labels_are_kept_as_cues() -> None:
    text = "The Lyre Gala was held as the Zephyr went on sale under the Data Act."
    doc = marked_doc(
        text, [("The Lyre Gala", "EVENT"), ("Zephyr", "PRODUCT"), ("the Data Act", "LAW")]
    )
    entities = _entities_of(doc, text, "en")
    assert ("other", "Lyre Gala", "event") in entities.cues
    assert ("other", "Zephyr", "product") in entities.cues
    assert ("other", "Data Act", "law") in entities.cues
    assert entities.organisations == entities.people == entities.places == ()


def test_a_name_the_context_calls_a_work_in_enough_articles_is_junk() -> None:
    award = ("people", "Lyre", "work")
    articles = (
        [article(people=("Lyre", "Ada Brook"), cues=(award,))] * 2
        + [article(people=("Lyre",))] * 3
        + [article(orgs=("Lyres",))] * 2
        # one article of ten with a cue is not enough
        + [article(people=("Ada Brook",), cues=(("people", "Ada Brook", "work"),))]
        + [article(people=("Ada Brook",))] * 9
    )
    table = AliasTable.build(articles)
    assert table.top("people") == [("Ada Brook", 12)]
    assert table.top("organisations") == []  # the plural of a work goes too
    reasons = {value: reason for value, reason, _ in table.junk("people")}
    assert reasons["Lyre"] == "a work, product, award or event"
    kept = AliasTable.build(articles, parse_overrides("people: + Lyre\n"))
    assert ("Lyre", 5) in kept.top("people")


def test_spacy_s_other_labels_need_half_the_articles_and_countries_never_are_works() -> None:
    product = ("other", "Zephyr", "product")
    event = ("other", "Tarnia", "event")
    articles = (
        [article(orgs=("Zephyr",), cues=(product,))] * 2
        + [article(orgs=("Zephyr",))] * 2
        + [article(orgs=("Orbitco",), cues=(("other", "Orbitco", "product"),))]
        + [article(orgs=("Orbitco",))] * 3
        + [article(places=("France",), cues=(("other", "France", "event"),))] * 2
        + [article(places=("Tarnia",), cues=(event,))]
    )
    table = AliasTable.build(articles)
    assert table.top("organisations") == [("Orbitco", 4)]
    assert ("France", 2) in table.top("places")
    assert ("Tarnia", 1) in table.top("places")  # one article is not enough


def test_at_before_a_name_marks_a_venue_but_not_an_employer() -> None:
    text = "They lost at Brackley Park. Jo Ames, an analyst at Corvex, said so."
    doc = marked_doc(text, [("Brackley Park", "ORG"), ("Corvex", "ORG")])
    park, employer = doc.ents
    assert "venue" in mention_cues(doc, park)
    assert "venue" not in mention_cues(doc, employer)


def test_a_body_named_after_at_in_half_its_articles_is_a_venue() -> None:
    venue = ("organisations", "Brackley Park", "venue")
    college = ("organisations", "Ferrow College", "venue")
    articles = (
        [article(orgs=("Brackley Park",), cues=(venue,))] * 2
        + [article(orgs=("Brackley Park",))] * 2
        + [article(orgs=("Ferrow College",), cues=(college,))] * 2
        # one article is not enough
        + [article(orgs=("Corvex",), cues=(("organisations", "Corvex", "venue"),))]
    )
    table = AliasTable.build(articles)
    assert table.top("places") == [("Brackley Park", 4)]
    # a body word keeps a college a body ("studied at Ferrow College")
    assert table.top("organisations") == [("Ferrow College", 2), ("Corvex", 1)]
    retyped = AliasTable.build(articles, parse_overrides("organisations: > Brackley Park\n"))
    assert ("Brackley Park", 4) in retyped.top("organisations")


def test_names_of_awards_are_junk() -> None:
    articles = [article(orgs=("Lyre Awards", "Corvex")), article(orgs=("Penrose Prize",))]
    table = AliasTable.build(articles)
    assert table.top("organisations") == [("Corvex", 1)]
    reasons = {value: reason for value, reason, _ in table.junk("organisations")}
    assert reasons == {"Lyre Awards": "an award", "Penrose Prize": "an award"}
