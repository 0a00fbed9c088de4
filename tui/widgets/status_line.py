"""The status line: how many hits, which filters are on, the sort order and the query time."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

FilterPairs = tuple[tuple[str, tuple[str, ...]], ...]


class StatusLine(Static):
    """One line of facts about the search on screen."""

    def __init__(self, *, show_time: bool = True, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.show_time = show_time
        self._text: Text | None = None

    def show(
        self,
        *,
        total: int,
        loaded: int,
        folded: int | None = None,
        filters: FilterPairs,
        excludes: FilterPairs,
        sort: str,
        took_ms: float | None,
        note: str = "",
    ) -> None:
        text = Text()
        text.append(f"{total:,} hit{'s' if total != 1 else ''}", style="bold")
        rows = total if folded is None else folded  # `folded`: results with copies folded
        if rows != total:
            text.append(f" ({rows:,} after collapsing copies)")
        if loaded < rows:
            text.append(f" ({loaded:,} shown)", style="dim")
        text.append("  │  ", style="dim")
        parts = [f"{facet}={value}" for facet, values in filters for value in values]
        parts += [f"{facet}≠{value}" for facet, values in excludes for value in values]
        text.append("filters: " + (", ".join(parts) if parts else "none"))
        text.append("  │  ", style="dim")
        text.append(f"sort: {sort}")
        if self.show_time and took_ms is not None:
            text.append("  │  ", style="dim")
            text.append(f"{took_ms:.0f} ms", style="dim")
        if note:
            text.append("  │  ", style="dim")
            text.append(note, style="italic yellow")
        self._put(text)

    def say(self, message: str, style: str = "") -> None:
        self._put(Text(message, style=style))

    def _put(self, text: Text) -> None:
        # the line is one row high whatever it says: a new text needs a repaint, not a new
        # layout of the whole screen; the same text needs nothing
        if text != self._text:
            self._text = text
            self.update(text, layout=False)
