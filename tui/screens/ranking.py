"""The search screen's ranking toggle: pseudo-relevance feedback, as `searchidx query --expand`
(f10, or the command palette). It orders the matches by the query widened with the words of
its best matches; which articles match, the total and the facet counts do not change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

from tui.backend import SearchRequest


class RankingControls(Screen[None]):
    """The base of the search screen's controls (SearchScreen provides `search`)."""

    BINDINGS = [Binding("f10", "toggle_expand", "Feedback", show=False)]
    expand = False  # rank with feedback

    if TYPE_CHECKING:

        def search(self) -> None: ...

    def action_toggle_expand(self) -> None:
        self.expand = not self.expand
        self.notify(
            "Ranked with feedback from the best matches" if self.expand else "Ranked as typed",
            timeout=2,
        )
        self.search()

    def ranking_notes(self, request: SearchRequest, similar: bool) -> list[str]:
        """The status line's word on the ranking, when feedback is on and orders the hits."""
        if request.expand and request.sort == "relevance" and request.query and not similar:
            return ["ranked with feedback (f10: off)"]
        return []
