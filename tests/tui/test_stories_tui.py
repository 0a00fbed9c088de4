"""Pilot tests of the story toggle (f6) and the other outlets' versions (f7) on the real backend
over the seed index: the CNN and VICE News articles are one story."""

from __future__ import annotations

import pytest

from tests.tui.test_search_screen import settle
from tui.app import make_app
from tui.widgets.results_list import ResultsList

pytestmark = pytest.mark.anyio
SIZE = (160, 48)


async def test_story_toggle_groups_and_versions_list_every_outlet(seed_backend) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seed_backend, show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        assert len(results.hits) == 2
        await pilot.press("f6")
        await settle(pilot)
        assert len(results.hits) == 1
        row = results.get_option_at_index(0).text.plain
        assert "+1 more in this story" in row and "CNN" in row and "VICE News" in row
        status = str(app.screen.query_one("#status").render())
        assert "grouped by story" in status and "facets articles" in status  # what each counts

        await pilot.press("f7")
        await settle(pilot)
        assert [h.outlet for h in results.hits] == ["CNN", "VICE News"]  # same day: by docnum
        assert "every version" in str(app.screen.query_one("#status").render())

        await pilot.press("escape")
        await settle(pilot)
        assert len(results.hits) == 1  # back to the grouped list
        await pilot.press("f6")
        await settle(pilot)
        assert len(results.hits) == 2
