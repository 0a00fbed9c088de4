"""Story grouping: wire copies and same-event write-ups join; unrelated articles do not."""

from __future__ import annotations

from pathlib import Path

from searchidx.stories.grouping import StoryIndex, StoryInput

WIRE = (
    "The central bank raised its benchmark interest rate by a quarter point on Tuesday, "
    "citing persistent inflation in services and a tight labour market, and signalled that "
    "further increases were possible if price pressures did not ease in the coming months."
)


def _event(article_id: str, day: int, text: str, **entities: tuple[str, ...]) -> StoryInput:
    return StoryInput(id=article_id, text=text, day=day, **entities)


def test_near_duplicate_wire_copies_share_a_story() -> None:
    index = StoryIndex()
    index.add(
        [
            StoryInput("a", WIRE, 20160411),
            StoryInput("b", WIRE.replace("Tuesday", "Tuesday afternoon"), 20160412),
            StoryInput("c", "Football club wins the league after a dramatic final day.", 20160411),
        ]
    )
    assert index.story_of("a") == index.story_of("b")
    assert index.story_of("c") != index.story_of("a")


def test_a_recurring_template_weeks_apart_is_not_one_story() -> None:
    index = StoryIndex()
    index.add([StoryInput("march", WIRE, 19870302), StoryInput("april", WIRE, 19870402),
               StoryInput("undated", WIRE, 0)])  # fmt: skip
    assert index.story_of("march") != index.story_of("april")
    assert index.story_of("undated") in (index.story_of("march"), index.story_of("april"))


def test_shared_entities_within_the_window_link_different_write_ups() -> None:
    bureau = ("Reconnaissance General Bureau", "Yonhap")
    index = StoryIndex()
    index.add(
        [
            _event(
                "cnn",
                20160411,
                "A North Korean intelligence colonel defected to the South last year, Seoul said.",
                organisations=bureau,
                places=("North Korea", "South Korea"),
            ),
            _event(
                "vice",
                20160411,
                "Seoul says a senior North Korean army colonel defected to the South.",
                organisations=bureau,
                places=("North Korea", "Seoul"),
            ),
            _event("later", 20160601, "Another story.", organisations=bureau),
            _event(
                "other",
                20160411,
                "Rates rise.",
                organisations=("Federal Reserve",),
                places=("North Korea",),
            ),
        ]
    )
    assert index.story_of("cnn") == index.story_of("vice")
    assert index.story_of("later") != index.story_of("cnn")  # outside the date window
    assert index.story_of("other") != index.story_of("cnn")  # one shared place is not enough


def test_shared_names_with_unrelated_openings_do_not_link() -> None:
    # Same day, the same three distinctive names, but the texts tell different events: a theme.
    names = {"organisations": ("Farm Credit System", "General Accounting Office"),
             "people": ("Richard Lyng",)}  # fmt: skip
    others = [_event(f"n{n}", 19870310, f"Note {n}.", organisations=(f"Company {n}",))
              for n in range(6)]  # fmt: skip
    index = StoryIndex()
    index.add(
        [
            *others,
            _event("loans", 19870311, "Farm lenders could lose seven billion dollars in "
                   "delinquent loans, auditors told a Senate panel.", **names),
            _event("bonus", 19870311, "Export bonuses helped bring farm subsidies into the "
                   "new round of global trade talks, a report found.", **names),
            _event("again", 19870312, "Auditors told the Senate panel that delinquent loans "
                   "could cost farm lenders seven billion dollars.", **names),
        ]
    )  # fmt: skip
    assert index.story_of("loans") != index.story_of("bonus")
    assert index.story_of("again") == index.story_of("loans")


def test_the_idf_of_openings_counts_every_article_placed() -> None:
    # A full rebuild places thousands of articles in one batch: every opening must count towards
    # the IDF, not only those placed before the first same-event comparison.
    import numpy as np

    index = StoryIndex()
    index.add([_event(f"a{n}", 20160411, f"Story {n} about harbour cranes.",
                      organisations=(f"Port {n}",)) for n in range(5)])  # fmt: skip
    index.add([_event("b", 20160412, "Harbour cranes again.", organisations=("Port 1",))])
    index.remove(["a0"])
    counted = index._df
    assert counted is not None and index._df_docs == len(index.members) == 5
    expected = np.zeros_like(counted)
    for member in index.members.values():
        expected[member.terms] += 1
    assert (counted == expected).all()


def test_state_round_trips_and_removal_keeps_the_rest(tmp_path: Path) -> None:
    index = StoryIndex()
    index.add([StoryInput("a", WIRE, 20160411), StoryInput("b", WIRE, 20160411)])
    index.save(tmp_path)
    loaded = StoryIndex.load(tmp_path)
    assert loaded.stories() == index.stories()
    loaded.remove(["a"])
    loaded.add([StoryInput("c", WIRE, 20160412)])
    assert loaded.story_of("c") == loaded.story_of("b")
    assert "a" not in loaded.members


def test_damaged_state_starts_afresh(tmp_path: Path) -> None:
    (tmp_path / "stories.pickle").write_bytes(b"not a pickle")
    assert StoryIndex.load(tmp_path).members == {}


def test_entity_links_do_not_chain_beyond_the_story_span() -> None:
    # The same names every day for a week: a running topic, not one event.
    names = {"organisations": ("Agriculture Department", "Wheat Board"),
             "people": ("Richard Lyng",), "places": ("Washington",)}  # fmt: skip
    index = StoryIndex()
    text = (
        "Agriculture Secretary Richard Lyng told the Wheat Board in Washington that the "
        "export subsidy offer for wheat to the Soviet Union would stand, report number {}."
    )
    index.add([_event(f"day{n}", 19870301 + n, text.format(n), **names) for n in range(7)])
    assert index.story_of("day0") == index.story_of("day1") == index.story_of("day3")
    assert index.story_of("day6") != index.story_of("day0")


def test_a_loaded_state_finds_near_duplicates_with_and_without_buckets(tmp_path: Path) -> None:
    from searchidx.stories import grouping as stories

    index = StoryIndex()
    index.add([StoryInput("a", WIRE, 20160411), StoryInput("x", "Other news entirely.", 20160411)])
    index.save(tmp_path)
    few = StoryIndex.load(tmp_path)  # one new article: placed by scanning the signatures
    few.add([StoryInput("b", WIRE + " More.", 20160411)])
    assert few.story_of("b") == few.story_of("a") and not few._bucketed
    many = StoryIndex.load(tmp_path)  # a big batch builds the buckets first
    batch = [StoryInput(f"n{i}", f"Unrelated note number {i}.", 20160411)
             for i in range(stories.SCAN_LIMIT)]  # fmt: skip
    many.add([*batch, StoryInput("b", WIRE + " More.", 20160411)])
    assert many._bucketed and many.story_of("b") == many.story_of("a")
    many.remove(["a"])
    assert all("a" not in ids for ids in many._buckets.values())
