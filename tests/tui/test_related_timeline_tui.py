"""Pilot tests of the co-occurrence view (r in the facets, f8) and the coverage timeline strip
(f9, palette intervals) on the real backend over the seed index (CNN and VICE News, one day)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.tui.test_search_screen import settle
from tui.app import make_app
from tui.screens.related import RelatedScreen
from tui.widgets.facet_panel import FacetPanel
from tui.widgets.query_bar import QueryBar
from tui.widgets.timeline_strip import TimelineStrip

pytestmark = pytest.mark.anyio
SIZE = (160, 48)


def _rows(listing: OptionList) -> list[str]:
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]


async def _highlight(pilot, panel: FacetPanel, option_id: str) -> None:  # type: ignore[no-untyped-def]
    panel.focus()
    panel.highlighted = panel.get_option_index(option_id)
    await pilot.pause()


async def test_related_view_lists_names_seen_with_a_facet_value(seed_backend) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seed_backend, show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(FacetPanel)
        await _highlight(pilot, panel, "organisations\x1fYonhap")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        summary = str(app.screen.query_one("#related-summary").render())
        assert "Yonhap (organisation) is named in 2 articles matching every article" in summary
        rows = _rows(app.screen.query_one("#related-list", OptionList))
        # both seed articles name North Korea; only CNN names Kim Jong Un
        north = next(r for r in rows if r.strip().startswith("North Korea"))
        assert north.split()[-2:] == ["2", "100%"]
        kim = next(r for r in rows if r.strip().startswith("Kim Jong Un"))
        assert kim.split()[-2:] == ["1", "50%"]
        assert not any(r.strip().startswith("Yonhap") for r in rows)  # not listed with itself

        # enter on a row: that name's own view, on top; esc comes back
        listing = app.screen.query_one("#related-list", OptionList)
        listing.highlighted = rows.index(kim)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen) and app.screen.entity == "Kim Jong Un"
        summary = str(app.screen.query_one("#related-summary").render())
        assert "named in 1 article matching" in summary
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, RelatedScreen)


async def test_related_follows_the_query_and_asks_for_an_entity(seed_backend) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seed_backend, show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"espionage")  # typed letters stay in the search box (r included)
        await settle(pilot)
        assert app.screen.query_one(QueryBar).input.value == "espionage"
        panel = app.screen.query_one(FacetPanel)
        await _highlight(pilot, panel, "outlet\x1fCNN")
        await pilot.press("f8")
        await pilot.pause()
        assert not isinstance(app.screen, RelatedScreen)  # an outlet is not a name
        await _highlight(pilot, panel, "places\x1fSeoul")
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        summary = str(app.screen.query_one("#related-summary").render())
        assert "matching “espionage”" in summary


async def test_timeline_strip_shows_bars_per_period_and_outlet(seed_backend) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seed_backend, show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        strip = app.screen.query_one(TimelineStrip)
        assert not strip.display
        await pilot.press("f9")
        await settle(pilot)
        assert strip.display
        shown = str(strip.query_one("#timeline-bars").render())
        assert "Coverage by month · 2 dated articles" in shown
        assert "CNN" in shown and "VICE News" in shown
        assert "2016-04" in shown and shown.rstrip().endswith(" 2")

        app.screen.set_timeline("day")  # what the palette's "Timeline by day" does
        await settle(pilot)
        assert "2016-04-11" in str(strip.query_one("#timeline-bars").render())

        await pilot.press(*"zzzznotaword")  # the strip follows the query
        await settle(pilot)
        assert "no dated articles match" in str(strip.query_one("#timeline-bars").render())
        await pilot.press("f9")
        await settle(pilot)
        assert not strip.display
