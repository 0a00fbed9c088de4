"""Pilot tests of the working set in the TUI, on the real backend over a fresh seed index:
star and tag keys (results and article), saving and reopening a search with its new count,
loading a watchlist."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.tui.conftest import ENTITIES, SEED
from tests.tui.test_search_screen import settle as settle_screen
from tui.app import make_app
from tui.backend import IndexBackend, SearchRequest
from tui.screens.article import ArticleScreen
from tui.screens.search import SearchScreen
from tui.screens.workset_dialogs import AskScreen, PickScreen
from tui.widgets.query_bar import QueryBar
from tui.widgets.results_list import ResultsList

pytestmark = pytest.mark.anyio
SIZE = (140, 40)
CNN = "cnn-2016-04-11-north-korean-colonel-defects.txt"


def _articles() -> list:  # type: ignore[type-arg]
    from searchidx.corpus.readers import read_file

    found = []
    for path in sorted(SEED.glob("*.txt")):
        article = read_file(path, SEED).articles[0]
        people, orgs, places = ENTITIES["cnn" if path.name.startswith("cnn") else "vice-news"]
        found.append(replace(article, people=people, organisations=orgs, places=places))
    return found


@pytest.fixture
def index_path(tmp_path: Path) -> Path:
    from searchidx.rebuild.run import index_articles

    path = tmp_path / ".searchidx"
    index_articles(path, _articles())
    return path


async def settle(pilot, seconds: float = 0.3) -> None:  # type: ignore[no-untyped-def]
    await settle_screen(pilot, seconds)


async def answer(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(pilot.app.screen, AskScreen)
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await settle(pilot)


def _hit(app, article_id: str):  # type: ignore[no-untyped-def]
    return next(h for h in app.screen.query_one(ResultsList).hits if h.id == article_id)


async def test_star_and_tag_keys_in_results_and_article(index_path: Path) -> None:
    backend = IndexBackend(index_path)
    app = make_app(backend, show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        results.focus()
        results.highlighted = [h.id for h in results.hits].index(CNN)
        await pilot.press("asterisk")
        await settle(pilot)
        assert _hit(app, CNN).tags == ("starred",)
        assert "★" in str(results.get_option_at_index(results.highlighted).prompt.text)
        await pilot.press("t")
        await settle(pilot)
        await answer(pilot, "spy, Colonel")
        assert _hit(app, CNN).tags == ("colonel", "spy", "starred")
        stored = backend.search(SearchRequest(query="tag:spy", facets=("tags",)))
        assert [h.id for h in stored.hits] == [CNN]
        assert [c.value for c in stored.facet("tags")] == ["colonel", "spy", "starred"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("asterisk")
        await settle(pilot)
        assert app.screen.hit.tags == ("colonel", "spy")
        assert "★" not in app.screen.query_one("#article-header").render().plain
        assert "#spy" in app.screen.query_one("#article-header").render().plain
        await pilot.press("t")
        await settle(pilot)
        await answer(pilot, 'bad"tag')  # refused with a message; the tags stay as they were
        assert app.screen.hit.tags == ("colonel", "spy")
        assert any("bad tag" in n.message for n in app._notifications)


async def test_saved_search_shows_new_articles(index_path: Path) -> None:
    from searchidx.rebuild.run import index_articles

    app = make_app(IndexBackend(index_path), show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.set_query("defector")
        await settle(pilot)
        screen.action_save_search()
        await settle(pilot)
        await answer(pilot, "defectors")
        late = replace(_articles()[0], id="late.txt", path="late.txt", title="Another defector",
                       published=datetime(2016, 5, 1, tzinfo=UTC))  # fmt: skip
        index_articles(index_path, [late], replace=False)
        screen.set_query("")
        await settle(pilot)
        screen.action_saved_searches()
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickScreen)
        row = picker.query_one(OptionList).get_option_at_index(0).prompt
        assert "defectors" in str(row) and "2 articles, 1 new" in str(row)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.query_one(QueryBar).value == "defector"
        assert screen.query_one(ResultsList).total == 2
        screen.action_saved_searches()  # opened: nothing is new any more
        await settle(pilot)
        row = app.screen.query_one(OptionList).get_option_at_index(0).prompt
        assert "2 articles" in str(row) and "new" not in str(row)


async def test_watchlist_names_counts_and_filter(index_path: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text(
        "org: Reconnaissance General Bureau | General Reconnaissance Bureau\n"
        "person: Nobody Known\nrank: x\n"
    )
    app = make_app(IndexBackend(index_path), show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.action_load_watchlist()
        await settle(pilot)
        await answer(pilot, str(names))
        picker = app.screen
        assert isinstance(picker, PickScreen)
        rows = [str(picker.query_one(OptionList).get_option_at_index(i).prompt) for i in range(3)]
        assert "All 2 names" in rows[0]
        assert "Reconnaissance General Bureau" in rows[1] and "2 articles" in rows[1]
        assert "Nobody Known" in rows[2] and "0 articles" in rows[2]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert 'org:"Reconnaissance General Bureau"' in screen.query_one(QueryBar).value
        assert screen.query_one(ResultsList).total == 2
