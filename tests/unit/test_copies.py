"""Copy groups from the story state (stories/copies.py): exact copies by normalised text,
near copies inside a story within the date window, texts without words never."""

from __future__ import annotations

from pathlib import Path

from searchidx.index import open_index
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.stories.collapse import collapsed_search
from searchidx.stories.copies import find_copies, normalised
from searchidx.stories.grouping import StoryIndex, StoryInput
from tests.cli.test_copies_cli import EDITED, HARBOUR, MUSEUM

TEXT = (
    "Dock workers at the northern harbour walked out on Monday after talks over night shifts "
    "broke down, leaving container ships waiting offshore and lorries queued along the coast."
)


def _state(items: list[StoryInput]) -> StoryIndex:
    state = StoryIndex()
    state.add(items)
    return state


def test_exact_copies_by_normalised_text_whatever_the_dates() -> None:
    texts = {"a": TEXT, "b": TEXT.upper().replace(",", " ,"), "c": TEXT, "d": "Other words."}
    state = _state([
        StoryInput("a", texts["a"], day=20240304),
        StoryInput("b", texts["b"], day=20240304),
        StoryInput("c", texts["c"], day=20260110),
        StoryInput("d", texts["d"], day=20240304),
    ])  # fmt: skip
    assert normalised(texts["a"]) == normalised(texts["b"])
    assert find_copies(state, texts.get) == {"a": "a", "b": "a", "c": "a"}


def test_identical_signatures_with_other_texts_are_not_exact_copies() -> None:
    state = _state([StoryInput("a", TEXT, day=20240304), StoryInput("b", TEXT, day=20240401)])
    # the same signature (same story text), but the index holds different titles for them
    texts = {"a": "One title\n" + TEXT, "b": "Another title\n" + TEXT}
    assert find_copies(state, texts.get) == {}


def test_near_copies_need_the_date_window() -> None:
    texts = {"a": HARBOUR, "b": EDITED}  # the last of four sentences replaced
    near = _state([StoryInput("a", HARBOUR, day=20240304), StoryInput("b", EDITED, day=20240305)])
    assert find_copies(near, texts.get) == {"a": "a", "b": "a"}
    late = _state([StoryInput("a", HARBOUR, day=20240304), StoryInput("b", EDITED, day=20240401)])
    assert find_copies(late, texts.get) == {}


def test_texts_without_words_are_never_copies() -> None:
    state = _state([StoryInput("a", "", day=20240304), StoryInput("b", " — ", day=20240304)])
    assert find_copies(state, {"a": "", "b": " — "}.get) == {}


def test_a_page_is_filled_past_many_copies(tmp_path: Path) -> None:
    # eight copies of one article rank first: more than the spare matches ranked at first
    copies = [Article(id=f"c{n}", path=f"c{n}.txt", title="Harbour strike", body=HARBOUR)
              for n in range(8)]  # fmt: skip
    other = Article(id="other", path="other.txt", title="Museum", body="A harbour. " + MUSEUM * 4)
    index_articles(tmp_path / "index", [*copies, other])
    engine = open_index(tmp_path / "index")
    found = collapsed_search(engine, SearchRequest(query="harbour strike", limit=2, facets=()))
    assert (found.total, found.collapsed_total) == (9, 2)
    assert [len(hit.copies) for hit in found.hits] == [7, 0]
    assert found.hits[1].id == "other"
