"""Pilot tests of the work a keystroke saves: what would draw the same is not rebuilt."""

from __future__ import annotations

import pytest

from tests.tui.test_search_screen import settle
from tui.app import make_app
from tui.screens.search import SearchScreen
from tui.widgets.facet_panel import FacetPanel
from tui.widgets.results_list import ResultsList
from tui.widgets.status_line import StatusLine

pytestmark = pytest.mark.anyio
SIZE = (160, 48)


async def test_the_same_answer_again_keeps_the_facet_and_result_rows(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"cnn")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        panel, results = screen.query_one(FacetPanel), screen.query_one(ResultsList)
        facet_rows, result_rows = list(panel.options), list(results.options)
        asked = len(fake_backend.calls)
        screen.search()  # the same request: the same counts and hits come back
        await settle(pilot)
        assert len(fake_backend.calls) == asked + 1
        assert all(a is b for a, b in zip(panel.options, facet_rows, strict=True))
        assert all(a is b for a, b in zip(results.options, result_rows, strict=True))


async def test_changed_counts_are_drawn_again(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(FacetPanel)
        everything = [str(option.prompt) for option in panel.options]
        await pilot.press(*"cnn")
        await settle(pilot)
        assert [str(option.prompt) for option in panel.options] != everything
        await pilot.press("backspace", "backspace", "backspace")
        await settle(pilot)
        assert [str(option.prompt) for option in panel.options] == everything


async def test_a_trailing_space_runs_no_search_and_counts_as_shown(fake_backend):
    app = make_app(fake_backend)
    app.record_paints = True
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"cnn")
        await settle(pilot)
        asked = len(fake_backend.calls)
        status = str(app.screen.query_one(StatusLine).render())
        await pilot.press("space")
        await settle(pilot)
        assert len(fake_backend.calls) == asked
        assert app.paint_log[-1][1] == "cnn "
        assert str(app.screen.query_one(StatusLine).render()) == status
        await pilot.press("c")
        await settle(pilot)
        assert len(fake_backend.calls) == asked + 1
        assert fake_backend.calls[-1].query == "cnn c"


async def test_a_hit_listed_again_under_another_number_keeps_its_wrapped_lines(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        first, second = results.hits[:2]
        results.show_hits([first, second], 2)
        await pilot.pause()
        lines = results.options[1].row.lines
        assert lines  # painted, so wrapped once
        results.show_hits([second], 1)
        await pilot.pause()
        row = results.options[0]
        assert row.row.lines is lines and row.row.label == "1."
        assert "1." in str(row.prompt.label) and row.text.plain.startswith(second.title)


async def test_a_keystrokes_hits_are_painted_before_its_counts_which_are_marked_until_then(
    fake_backend, monkeypatch
):
    from tests.tui.test_steady_widgets import screen_lines
    from tui.widgets.facet_panel import STALE

    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(FacetPanel)
        everything = [str(option.prompt) for option in panel.options]
        held, after_refresh = [], app.call_after_refresh

        def hold_facets(callback, *args):  # the panel's step waits; anything else runs
            if getattr(callback, "__func__", None) is FacetPanel.show_held:
                held.append(callback)
                return True
            return after_refresh(callback, *args)

        monkeypatch.setattr(app, "call_after_refresh", hold_facets)
        await pilot.press(*"cnn")
        await settle(pilot)
        assert {hit.outlet for hit in screen.query_one(ResultsList).hits} == {"CNN"}
        assert [str(option.prompt) for option in panel.options] == everything  # the old counts
        assert any(STALE in line for line in screen_lines(app))  # ... marked as such
        for callback in held:
            callback()
        await pilot.pause()
        assert [str(option.prompt) for option in panel.options] != everything
        assert not any("VICE" in str(option.prompt) for option in panel.options)
        assert not any(STALE in line for line in screen_lines(app))


async def test_unchanged_counts_are_not_marked(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"cnn")
        await settle(pilot)
        panel = app.screen.query_one(FacetPanel)
        assert not panel.border_subtitle
        assert not panel.hold(app.screen.shown)  # the counts on screen: nothing to redraw
        assert not panel.border_subtitle
