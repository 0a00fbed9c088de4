"""No index yet: says so, offers to build one from a corpus folder, shows progress and failures.

The rebuild runs in a thread worker and reports through `call_from_thread`, so the screen keeps
painting (and can be left with ctrl+q) while it works.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, ProgressBar, RichLog, Static

from tui.backend import RebuildOutcome, RebuildProgress, SearchIdxError
from tui.screens import search_app


class NoIndexScreen(Screen[None]):
    """Offer a rebuild; when it succeeds the app switches to the search screen."""

    BINDINGS = [Binding("f1", "app.help", "Help")]

    def __init__(self, location: str, corpus: Path | None = None) -> None:
        super().__init__()
        self.location = location
        self.corpus = corpus
        self.running = False
        self.confirmed: Path | None = None  # the home folder (or above) the user said to index

    def compose(self) -> ComposeResult:
        with Vertical(id="no-index"):
            yield Static(Text("No index yet", style="bold"), id="no-index-title")
            yield Static(
                Text(
                    f"There is no search index at {self.location}.\n"
                    "Build one now from a folder of saved articles (.txt with front matter, .html, "
                    ".jsonl), or quit (ctrl+q) and run `searchidx rebuild FOLDER`."
                )
            )
            yield Static(Text("Corpus folder:", style="dim"))
            with Horizontal(id="rebuild-row"):
                yield Input(
                    value=str(self.corpus or ""),
                    placeholder="path to the corpus folder",
                    id="corpus-path",
                )
                yield Button("Build the index", variant="primary", id="rebuild")
            yield Static("", id="rebuild-phase")
            yield ProgressBar(id="rebuild-progress", show_eta=False)
            yield Static("", id="rebuild-counts")
            yield RichLog(id="rebuild-failures", wrap=True, markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rebuild-failures").display = False
        self.query_one("#rebuild-progress").display = False
        self.query_one("#corpus-path", Input).focus()  # typing goes to the path at once

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "rebuild" and event.button.label == "Open the search":
            search_app(self).index_ready()
        else:
            self.start()

    def start(self) -> None:
        if self.running:
            return
        typed = self.query_one("#corpus-path", Input).value.strip()
        refusal = _refusal(typed)
        if refusal:
            self._phase(Text(refusal, style="red"))
            self.query_one("#corpus-path", Input).focus()
            return
        folder = Path(typed).expanduser().resolve()
        if _holds_home(folder) and self.confirmed != folder:
            self.confirmed = folder
            self._phase(
                Text(
                    f"{folder} holds your home folder: indexing reads every file under it. "
                    "Press Build again to index it anyway, or type the corpus folder.",
                    style="bold yellow",
                )
            )
            return
        self.running = True
        self.query_one("#rebuild", Button).disabled = True
        self.query_one("#rebuild-progress").display = True
        self._phase(Text(f"Indexing {folder}…"))
        self._rebuild(folder)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.confirmed = None  # a confirmation is for the folder it was asked about

    def _phase(self, text: Text) -> None:
        self.query_one("#rebuild-phase", Static).update(text)

    @work(thread=True, exclusive=True, group="rebuild")
    def _rebuild(self, folder: Path) -> None:
        def report(progress: RebuildProgress) -> None:
            self.app.call_from_thread(self._progress, progress)

        try:
            outcome = search_app(self).backend.rebuild(folder, report)
        except SearchIdxError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        except Exception as error:  # a bug in the rebuild must not take the TUI down with it
            self.app.call_from_thread(self._failed, f"{type(error).__name__}: {error}")
            return
        self.app.call_from_thread(self._done, outcome)

    def _progress(self, progress: RebuildProgress) -> None:
        bar = self.query_one("#rebuild-progress", ProgressBar)
        bar.update(total=progress.total, progress=progress.done)
        self._phase(Text(f"Phase: {progress.phase}", style="bold"))
        self._counts(progress)

    def _counts(self, files: RebuildProgress | RebuildOutcome) -> None:
        self.query_one("#rebuild-counts", Static).update(
            Text(f"indexed {files.indexed:,} · skipped {files.skipped:,} · failed {files.failed:,}")
        )

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#rebuild", Button).disabled = False
        self._phase(Text(f"The rebuild failed: {message}", style="bold red"))

    def _done(self, outcome: RebuildOutcome) -> None:
        self.running = False
        self._phase(Text("Done.", style="bold green"))
        bar = self.query_one("#rebuild-progress", ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        self._counts(outcome)
        if outcome.failures:
            log = self.query_one("#rebuild-failures", RichLog)
            log.display = True
            files = f"{outcome.failed:,} file{'' if outcome.failed == 1 else 's'}"
            log.write(Text(f"{files} could not be indexed, by reason:", style="bold"))
            for failure in outcome.failures:
                log.write(Text(failure, style="italic" if failure.startswith("fix:") else ""))
        button = self.query_one("#rebuild", Button)
        button.label = "Open the search"
        button.disabled = False
        button.focus()


def _refusal(typed: str) -> str:
    """Why a typed corpus path cannot be indexed, or "" when it can."""
    if not typed:
        return "Type the corpus folder first (the folder of saved articles)."
    folder = Path(typed).expanduser()
    if not folder.exists():
        return f"{folder} does not exist: type the corpus folder."
    if not folder.is_dir():
        return f"{folder} is not a folder: type the corpus folder."
    return ""


def _holds_home(folder: Path) -> bool:
    """The home folder or one above it (/, /home): indexing it is rarely what was meant."""
    home = Path.home().resolve()
    return folder == home or folder in home.parents
