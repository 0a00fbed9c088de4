"""The messages a search worker posts back to the search screen."""

from __future__ import annotations

from textual.message import Message

from tui.backend import SearchIdxError, SearchResults


class SearchDone(Message):
    def __init__(
        self,
        serial: int,
        results: SearchResults,
        append: bool,
        note: str = "",
        hit_notes: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.serial, self.results, self.append, self.note = serial, results, append, note
        self.hit_notes = hit_notes  # hit id -> a line under the hit (its story, when grouped)


class SearchFailed(Message):
    def __init__(self, serial: int, error: SearchIdxError) -> None:
        super().__init__()
        self.serial, self.error = serial, error
