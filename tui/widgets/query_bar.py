"""The search box and the line under it that explains a query syntax error in words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui.widgets.steady import SteadyInput

PLACEHOLDER = 'Search: words, "phrases", AND/OR/NOT, person:"Kim Jong Un", date:2016 — f1 help'


class QueryBar(Vertical):
    """Search box; reports the query as `QueryBar.Changed`."""

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def compose(self) -> ComposeResult:
        yield SteadyInput(placeholder=PLACEHOLDER, id="query")
        yield Static("", id="query-error")

    @property
    def input(self) -> Input:
        return self.query_one("#query", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def on_input_changed(self, event: Input.Changed) -> None:
        # No pause before searching: a search superseded while it waits for its turn gives up
        # (see SearchScreen._run_search), so keys typed during a search cost one search, not one
        # each, and a pause would only add its length to every keystroke's latency.
        event.stop()
        self.post_message(self.Changed(self.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Changed(self.value))

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#query-error", Static)
        if not message:
            if not error.has_class("visible"):
                return  # already hidden and empty: touching it would lay the screen out again
            error.update("")
            error.remove_class("visible")
            return
        text = Text("✗ ", style="bold red")
        text.append(message, style="red")
        text.append("  (the results below are from the last query that worked)", style="dim")
        error.update(text)
        error.add_class("visible")
