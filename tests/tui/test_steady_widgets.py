"""Pilot tests of the search box and lists that repaint without laying the screen out: typing
and new results draw what they should (box text, scrollbars, rows), with fewer layouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import Input

from tests.tui.fake_backend import FakeArticle, FakeBackend
from tests.tui.test_search_screen import settle
from tui.app import make_app
from tui.widgets.results_list import ResultsList

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


def screen_lines(app) -> list[str]:
    """The text of every row of the screen as painted."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def many_articles(count: int) -> list[FakeArticle]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    found = [
        FakeArticle(
            id=f"a{n}",
            title=f"Harbour report number {n}",
            outlet="Daily",
            published=start + timedelta(days=n),
            body=f"The harbour opened again on day {n}.",
        )
        for n in range(count)
    ]
    found.append(
        FakeArticle(
            id="lone",
            title="Lighthouse keeper retires",
            outlet="Weekly",
            published=start,
            body="The lighthouse keeper retired.",
        )
    )
    return found


async def test_typing_shows_the_text_and_lays_nothing_out(monkeypatch):
    app = make_app(FakeBackend(many_articles(3)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen, layouts = app.screen, []
        lay_out = screen._refresh_layout
        monkeypatch.setattr(
            screen, "_refresh_layout", lambda *a, **k: layouts.append(1) or lay_out(*a, **k)
        )
        await pilot.press(*"arbour")  # the same three hits all along
        await settle(pilot)
        assert any("harbour" in line for line in screen_lines(app)[:3])
        assert any("Harbour report number 2" in line for line in screen_lines(app))
        assert layouts == []


async def test_a_query_longer_than_the_box_keeps_its_end_in_view():
    app = make_app(FakeBackend(many_articles(3)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#query", Input)
        long_query = "harbour " * 12 + "lighthouse"
        await pilot.press(*long_query)
        await settle(pilot)
        assert box.value == long_query
        assert box.scroll_x > 0
        assert any("harbour lighthouse" in line for line in screen_lines(app)[:3])


async def test_the_results_scrollbar_comes_and_goes_with_the_hits():
    app = make_app(FakeBackend(many_articles(30)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press(*"harbour")
        await settle(pilot)
        assert results.show_vertical_scrollbar
        assert results.vertical_scrollbar.display
        for _ in "harbour":
            await pilot.press("backspace")
        await pilot.press(*"lighthouse")
        await settle(pilot)
        assert [h.id for h in results.hits] == ["lone"]
        assert not results.show_vertical_scrollbar
        assert any("Lighthouse keeper retires" in line for line in screen_lines(app))
        # the row is as wide as the list without a scrollbar: nothing painted where one was
        assert not results.vertical_scrollbar.display
