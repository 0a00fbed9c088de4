"""The search screen's coverage timeline: fetching it in a worker after each search while the
strip is shown, and the keys and palette entries that show, hide or re-bin it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from tui.backend import SearchIdxError, SearchRequest, Timeline
from tui.screens import search_app
from tui.screens.ranking import RankingControls
from tui.widgets.timeline_strip import TimelineStrip


class TimelineControls(RankingControls):
    """The base of SearchScreen, which provides `serial` and `request()`."""

    timeline_interval: str | None = None  # day, week or month; None while the strip is hidden
    serial: int

    if TYPE_CHECKING:

        def request(self) -> SearchRequest: ...

    @work(thread=True, exclusive=True, group="timeline")
    def _run_timeline(self, serial: int, request: SearchRequest, interval: str) -> None:
        worker = get_current_worker()
        try:
            found = search_app(self).backend.timeline(request, interval)
        except SearchIdxError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.query_one(TimelineStrip).say,
                                          f"Timeline failed: {error}")  # fmt: skip
            return
        if not worker.is_cancelled and serial == self.serial:
            self.app.call_from_thread(self._show_timeline, found)

    def _show_timeline(self, found: Timeline) -> None:
        if self.timeline_interval is not None:
            self.query_one(TimelineStrip).show(found)

    def action_toggle_timeline(self) -> None:
        self.set_timeline(None if self.timeline_interval is not None else "month")

    def set_timeline(self, interval: str | None) -> None:
        """Show the coverage timeline by `interval` (day, week, month), or hide it (None)."""
        self.timeline_interval = interval
        strip = self.query_one(TimelineStrip)
        strip.set_class(interval is not None, "visible")
        if interval is not None:
            strip.say("Counting…")
            self._run_timeline(self.serial, self.request(), interval)
