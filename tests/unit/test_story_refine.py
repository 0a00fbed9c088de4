"""The second look at a placed batch (stories/refine.py): an article in the wrong story moves to
its event's story, two stories of one event merge, but not across the window, and a look-alike
event or an unrelated article is left where it is."""

from __future__ import annotations

import pytest

from searchidx.stories import grouping
from searchidx.stories.grouping import StoryIndex, StoryInput
from searchidx.stories.refine import MERGE_LINK, _assign, _merge_alike, refine
from tests.unit.test_story_text_links import FILLERS, QUAKES, _items

# A write-up long enough (25 distinct words without digits or more) for the second look
LATE = (
    "Peru counts quake damage in Arequipa\nPresident Humala said the earthquake that killed "
    "twelve people in Arequipa and Moquegua destroyed four hundred adobe houses in southern "
    "Peru; engineers will inspect schools and bridges before classes resume, and the "
    "government promised cheap loans to families rebuilding their homes."
)


BOUNDS = (grouping.TEXT_LINK, grouping.PLAIN_LINK, grouping.STORY_SPAN_DAYS)


def _placed(items: list[StoryInput] | None = None) -> StoryIndex:
    index = StoryIndex()
    index.add(items or _items())
    return index


def _story(index: StoryIndex, article_id: str) -> str:
    story = index.story_of(article_id)
    assert story is not None
    return story


def test_an_article_in_a_look_alike_story_moves_back_to_its_event() -> None:
    index = _placed()
    peru, iran = _story(index, "peru0"), _story(index, "iran0")
    assert peru != iran
    _assign(index, ["peru1"], iran)  # as an early join before Peru's story existed would leave it
    refine(index, {"peru1": grouping.TEXT_LINK}, BOUNDS)
    assert _story(index, "peru1") == peru
    assert set(index.stories()[iran]) == {"iran0", "iran1", "iran2"}


def test_an_unrelated_article_is_not_moved_into_a_story() -> None:
    index = _placed()
    before = index.stories()
    refine(index, {f"f{n}": grouping.TEXT_LINK for n in range(len(FILLERS))}, BOUNDS)
    assert index.stories() == before


def test_two_stories_of_one_event_merge() -> None:
    index = _placed()
    peru = _story(index, "peru0")
    _assign(index, ["peru1", "peru2"], "s-apart")
    assert _story(index, "peru1") != peru
    _merge_alike(index, "s-apart", MERGE_LINK, *BOUNDS[1:])
    assert _story(index, "peru0") == _story(index, "peru1") == _story(index, "peru2")
    assert _story(index, "iran0") != _story(index, "peru0")


def test_stories_further_apart_than_the_window_do_not_merge() -> None:
    # The same event's write-ups, the second pair a week later (a topic, not one event any more)
    texts = QUAKES["peru"]
    items = [StoryInput("a0", texts[0], 20160404), StoryInput("b0", texts[1], 20160411),
             StoryInput("b1", texts[2], 20160411)]  # fmt: skip
    fillers = [StoryInput(f"f{n}", t, 20160404 + n) for n, t in enumerate(FILLERS)]
    index = _placed(items + fillers)
    assert _story(index, "a0") != _story(index, "b0")
    _merge_alike(index, _story(index, "b0"), MERGE_LINK, *BOUNDS[1:])
    _merge_alike(index, _story(index, "a0"), MERGE_LINK, *BOUNDS[1:])
    assert _story(index, "a0") != _story(index, "b0")


def test_a_one_file_rebuild_moves_only_the_new_article_and_its_story() -> None:
    index = _placed()
    before = {article: _story(index, article) for article in index.members}
    index.add([StoryInput("peru3", LATE, 20160411)])
    assert _story(index, "peru3") == _story(index, "peru0")
    assert {article: _story(index, article) for article in before} == before


def test_short_texts_keep_their_first_placement(monkeypatch: pytest.MonkeyPatch) -> None:
    # A price table or a flash (under SHORT_WORDS distinct letter words) is not looked at again:
    # intraday tables of one day would merge into one story of every hour's table.
    looked_at: list[str] = []

    def record(state: StoryIndex, bars: dict[str, float], bounds: object) -> None:
        looked_at.extend(bars)

    monkeypatch.setattr(grouping, "refine", record)
    table = StoryInput("t0", "CBT 10:40 EDT\nWHEAT MAY 287 1/2 UP 1 JUL 271 OFF 1/4", 19870407)
    index = StoryIndex()
    index.add([*_items(), table, StoryInput("late", LATE, 20160411)])
    assert "t0" not in looked_at and "f0" not in looked_at
    assert looked_at == ["late"]
