"""The results list: one option per hit (title, outlet, date, highlighted snippets), paged.

More hits are asked for (a `LoadMore` message) when the cursor reaches the end of what is loaded
or the "load more" row is chosen; the screen does the fetching.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.backend import Hit
from tui.widgets.snippet_view import HitRow, hit_row, hit_text
from tui.widgets.steady import SteadyOptionList

MORE_ID = "\x1fmore"


class HitOption(Option):
    """A result row; keeps the hit's Text (what is painted) for tests and copying."""

    text: Text
    row: HitRow

    def __init__(
        self, hit: Hit, number: int, note: str = "", like: HitOption | None = None
    ) -> None:
        self.hit, self.note = hit, note
        if like is not None:  # the same hit and note in the list before: its text and lines
            self.text = like.text
            row = HitRow(number, self.text, like.row.lines)
        else:
            self.text = hit_text(hit)
            if note:  # e.g. the rest of the hit's story when results are grouped by story
                self.text.append(f"\n{note}", style="italic #98c379")
            row = hit_row(hit, number, self.text)
        self.row = row
        super().__init__(row, id=f"hit{number - 1}")


def _same(row: HitOption | None, hit: Hit, note: str) -> HitOption | None:
    return row if row is not None and row.hit == hit and row.note == note else None


class ResultsList(SteadyOptionList):
    """Hits of the current search; enter or click opens one; `*` stars it, `t` tags it."""

    BINDINGS = [
        Binding("asterisk", "screen.star", "Star"),
        Binding("t", "screen.tag", "Tag"),
    ]

    class Opened(Message):
        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class LoadMore(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self.total = 0
        self._asked_more = False
        self._shown: tuple[object, ...] | None = None
        self._rows: dict[str, HitOption] = {}  # the rows on screen by hit id, to reuse

    def show_hits(
        self,
        hits: list[Hit],
        total: int,
        append: bool = False,
        notes: dict[str, str] | None = None,
    ) -> None:
        """Replace (or extend) the list; the cursor stays on the same hit when it can. The same
        hits, notes and total as on screen (a keystroke that changed no result) rebuild nothing."""
        shown = (tuple(hits), total, tuple(sorted((notes or {}).items())))
        if not append and shown == self._shown and not self._asked_more:
            if self.hits:
                self.highlighted = 0  # as a new list would have it
            return
        keep = self.highlighted if append else None
        start = len(self.hits) if append else 0
        if not append:
            self.hits = []
        elif self.option_count and self.get_option_at_index(self.option_count - 1).id == MORE_ID:
            self.remove_option_at_index(self.option_count - 1)
        self.hits.extend(hits)
        self.total = total
        self._asked_more = False
        self._shown = None if append else shown
        before = {} if append else self._rows
        rows = [
            HitOption(hit, start + number + 1, note, _same(before.get(hit.id), hit, note))
            for number, hit in enumerate(hits)
            for note in [(notes or {}).get(hit.id, "")]
        ]
        self._rows = ({**self._rows} if append else {}) | {row.hit.id: row for row in rows}
        options: list[Option] = list(rows)
        if len(self.hits) < total:
            more = Text(f"     ↓ {total - len(self.hits)} more: enter to load", style="italic dim")
            options.append(Option(more, id=MORE_ID))
        if append:
            self.add_options(options)
        elif options:  # one swap: clearing first would hide the scrollbar and show it again
            self.set_options(options)
        else:
            self.clear_options()
        if keep is not None:
            self.highlighted = keep
        elif self.hits:
            self.highlighted = 0

    def replace_hit(self, hit: Hit) -> None:
        """Repaint the row of a hit whose tags changed (same id)."""
        for number, shown in enumerate(self.hits):
            if shown.id == hit.id:
                self.hits[number] = hit
                self._shown = None
                self._rows.pop(hit.id, None)
                self.replace_option_prompt_at_index(number, HitOption(hit, number + 1).prompt)

    @property
    def current_hit(self) -> Hit | None:
        if self.highlighted is None or self.highlighted >= len(self.hits):
            return None
        return self.hits[self.highlighted]

    def _want_more(self) -> None:
        if not self._asked_more and len(self.hits) < self.total:
            self._asked_more = True
            self.post_message(self.LoadMore())

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # reaching the last loaded hit (or the "more" row) fetches the next page
        if event.option_list is self and event.option_index >= len(self.hits) - 1:
            self._want_more()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self:
            return
        event.stop()
        if event.option.id == MORE_ID:
            self._want_more()
        elif event.option_index < len(self.hits):
            self.post_message(self.Opened(self.hits[event.option_index]))
