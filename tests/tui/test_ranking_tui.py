"""Pilot test of the ranking toggle (f10): feedback on asks the backend for `expand`, says so on
the status line, and goes off again; by date it is not mentioned (it orders nothing there)."""

from __future__ import annotations

import pytest

from tests.tui.test_search_screen import SIZE, settle, type_query
from tui.app import make_app

pytestmark = pytest.mark.anyio


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_f10_toggles_feedback(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        assert fake_backend.calls[-1].expand is False
        assert "feedback" not in status(app)
        await pilot.press("f10")
        await settle(pilot)
        assert fake_backend.calls[-1].expand is True
        assert fake_backend.calls[-1].query == "korea"
        assert "ranked with feedback (f10: off)" in status(app)
        await pilot.press("f2")  # sorted by date: feedback orders nothing
        await settle(pilot)
        assert fake_backend.calls[-1].sort == "newest"
        assert "feedback" not in status(app)
        await pilot.press("f2", "f2", "f10")  # back to relevance, feedback off
        await settle(pilot)
        assert fake_backend.calls[-1].expand is False
        assert fake_backend.calls[-1].sort == "relevance"
        assert "feedback" not in status(app)
