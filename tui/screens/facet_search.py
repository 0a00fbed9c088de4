"""Facet value search: type to filter one facet's values over all of them (not only the top N
the sidebar shows), with their counts in the current results; enter filters by the value."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.backend import FacetCount, SearchIdxError, SearchRequest

ALL_VALUES = 1_000_000  # facet size asked for: every value with a count
SHOWN = 200  # rows listed at most


def matching(values: list[FacetCount], text: str) -> list[FacetCount]:
    """The values containing `text` (case-blind), in their count order."""
    wanted = text.strip().lower()
    return [v for v in values if wanted in v.value.lower()][:SHOWN]


class FacetSearchScreen(ModalScreen[str | None]):
    """Find a value of `facet` among all values matching `request`; returns the value chosen."""

    BINDINGS = [Binding("escape", "dismiss_none", "Back")]

    def __init__(self, facet: str, request: SearchRequest) -> None:
        super().__init__()
        self.facet = facet
        self.request = replace(request, facets=(facet,), facet_size=ALL_VALUES, limit=1)
        self.values: list[FacetCount] = []
        self.shown: list[FacetCount] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="facet-search"):
            yield Static(f"Find a value of {self.facet} (enter filters by it, esc goes back)")
            yield Input(placeholder="type part of a name", id="facet-search-input")
            yield Static(id="facet-search-summary")
            yield OptionList(id="facet-search-list")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="facet-search")
    def _load(self) -> None:
        backend = getattr(self.app, "backend", None)
        if backend is None:
            return
        try:
            results = backend.search(self.request)
        except SearchIdxError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._loaded, list(results.facet(self.facet)))

    def _failed(self, error: str) -> None:
        self.query_one("#facet-search-summary", Static).update(Text(error, style="red"))

    def _loaded(self, values: list[FacetCount]) -> None:
        self.values = values
        self._show(self.query_one(Input).value)

    def _show(self, text: str) -> None:
        found = matching(self.values, text)
        total = sum(1 for v in self.values if text.strip().lower() in v.value.lower())
        summary = f"{total:,} of {len(self.values):,} values" + (
            f" (first {SHOWN} shown)" if total > SHOWN else ""
        )
        self.query_one("#facet-search-summary", Static).update(summary)
        listing = self.query_one("#facet-search-list", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(Text(f"{v.value:<40} {v.count:>6}"), id=f"v{i}") for i, v in enumerate(found)
        )
        self.shown = found
        if found:
            listing.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        listing = self.query_one("#facet-search-list", OptionList)
        if listing.highlighted is not None and self.shown:
            self.dismiss(self.shown[listing.highlighted].value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index].value)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
