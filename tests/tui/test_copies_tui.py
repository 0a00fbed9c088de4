"""Pilot test of copies in the TUI (issue 21, item 3): folded into one result with an "also in"
line and both totals in the status line by default; the palette toggle lists every copy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from searchidx.models import Article
from searchidx.rebuild.run import index_articles
from tests.cli.test_copies_cli import EDITED, HARBOUR, MUSEUM
from tests.tui.test_search_screen import settle
from tui.app import make_app
from tui.widgets.results_list import ResultsList

pytestmark = pytest.mark.anyio
SIZE = (160, 48)


def _article(name: str, outlet: str, day: int, body: str, title: str) -> Article:
    published = datetime(2024, 3, day, tzinfo=UTC)
    return Article(id=name, path=f"{name}.txt", title=title, body=body, outlet=outlet,
                   published=published, date_only=True)  # fmt: skip


@pytest.fixture
def copies_backend(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The real backend over an index made without a rebuild: the reader finds the copies."""
    from tui.backend import IndexBackend

    strike = "Harbour strike strands ships"
    index_articles(tmp_path / "index", [
        _article("wire-a", "Wire One", 4, HARBOUR, strike),
        _article("paper-b", "Daily Paper", 4, HARBOUR, strike),
        _article("site-c", "News Site", 5, EDITED, strike),
        _article("museum-d", "City Desk", 6, MUSEUM, "Museum reopens harbour gallery"),
    ])  # fmt: skip
    return IndexBackend(tmp_path / "index")


async def test_copies_fold_and_the_toggle_lists_them(copies_backend) -> None:  # type: ignore[no-untyped-def]
    app = make_app(copies_backend, show_query_time=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"harbour")
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        status = str(app.screen.query_one("#status").render())
        assert len(results.hits) == 2
        assert "4 hits (2 after collapsing copies)" in status and "shown" not in status
        rows = [results.get_option_at_index(n).text.plain for n in range(2)]
        folded = next(row for row in rows if "also in: " in row)
        assert sum(f"{name}.txt (" in folded for name in ("wire-a", "paper-b", "site-c")) == 2
        assert not any("also in" in row and "Museum" in row for row in rows)

        app.screen.action_toggle_copies()  # the palette's "Fold copies / list every copy"
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert len(results.hits) == 4 and "collapsing" not in status
        assert not any("also in" in results.get_option_at_index(n).text.plain for n in range(4))
