"""SVG snapshots (pytest-textual-snapshot) of the main screen, the article view and the help.

The fake backend over the seed articles (so a change in the core's snippet choice does not
move these pictures; the real backend is covered by the Pilot tests), a fixed 140x40 terminal,
the query time hidden. After an intended
change of look: `.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
the SVGs before committing them.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import seed_fake_articles
from tests.tui.fake_backend import FakeBackend
from tui.app import make_app

SIZE = (140, 40)


async def _settle(pilot) -> None:
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    # A blinking cursor is caught on or off at random: keep it steadily on for the picture.
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def _app():
    return make_app(FakeBackend(seed_fake_articles()), show_query_time=False)


def test_main_screen_with_results_and_facets(snap_compare):
    async def search(pilot) -> None:
        await _settle(pilot)
        # "defect" matches both titles and the CNN headline that opens its body: the picture
        # shows styled title words and a snippet with no "…" before it
        await pilot.press(*"defect")
        await _settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=search)


def test_article_view(snap_compare):
    async def open_article(pilot) -> None:
        await _settle(pilot)
        await pilot.press(*"yonhap")
        await _settle(pilot)
        await pilot.press("down", "enter")
        await _settle(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=SIZE, run_before=open_article)


def test_help_screen(snap_compare):
    async def open_help(pilot) -> None:
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=SIZE, run_before=open_help)
