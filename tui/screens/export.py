"""Asks for the file name to export the current results to (.jsonl, or .csv by extension)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ExportScreen(ModalScreen[Path | None]):
    """A one-line dialog; enter exports, esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(Text("Export the current results", style="bold"))
            yield Static(Text("File name (.jsonl for JSON lines, .csv for CSV):", style="dim"))
            yield Input(value="results.jsonl", id="export-path")
            yield Static("", id="export-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            self.query_one("#export-error", Static).update(Text("Give a file name.", style="red"))
            return
        path = Path(name).expanduser()
        if path.suffix.lower() not in (".jsonl", ".json", ".csv"):
            self.query_one("#export-error", Static).update(
                Text("Use a name ending in .jsonl or .csv.", style="red")
            )
            return
        self.dismiss(path.absolute())

    def action_cancel(self) -> None:
        self.dismiss(None)
