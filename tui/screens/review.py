"""Entity review: merge candidates and suspicious values, most articles first, with keys to
merge, split, retype, drop, keep, skip and undo. Each decision is a line of the user alias file
(shown below the list as history); the next rebuild applies it without running NER."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.backend import Candidate, SearchIdxError, review_candidates, review_log

WHAT = {"merge": "merge?", "retype": "kind?", "junk": "dropped"}
KIND_KEYS = {"p": "people", "o": "organisations", "l": "places"}


def _row(candidate: Candidate) -> Text:
    text = Text()
    text.append(f"{WHAT[candidate.what]:<8}", style="bold cyan")
    text.append(f"{candidate.articles:>6}  ", style="dim")
    text.append(candidate.value, style="bold")
    if candidate.what == "merge":
        text.append(f"  →  {candidate.other}")
    text.append(f"  ({candidate.kind}; {candidate.why})", style="dim")
    return text


class ReviewScreen(Screen[None]):
    """The review list over the index folder `index`."""

    BINDINGS = [
        Binding("m", "decide('merge')", "Merge"),
        Binding("s", "decide('split')", "Split"),
        Binding("p", "retype('p')", "→ people"),
        Binding("o", "retype('o')", "→ orgs"),
        Binding("l", "retype('l')", "→ places"),
        Binding("d", "decide('drop')", "Drop"),
        Binding("k", "decide('keep')", "Keep"),
        Binding("n", "skip", "Skip"),
        Binding("u", "undo", "Undo"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, index: Path) -> None:
        super().__init__()
        self.index = index
        self.decisions = review_log(index)
        self.items: list[Candidate] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-summary")
        yield OptionList(id="review-list")
        yield Static("History (alias file, u undoes the last):", classes="review-heading")
        yield OptionList(id="review-history")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.items = review_candidates(self.index)
        except SearchIdxError as error:
            self.query_one("#review-summary", Static).update(Text(str(error), style="red"))
            return
        listing = self.query_one("#review-list", OptionList)
        listing.add_options(Option(_row(c), id=str(i)) for i, c in enumerate(self.items))
        listing.focus()
        self._refresh()

    def _refresh(self) -> None:
        history = self.decisions.history()
        summary = (
            f"{len(self.items)} to review · {len(history)} decisions in {self.decisions.path}"
            " · they apply at the next `searchidx rebuild` (no NER)"
        )
        self.query_one("#review-summary", Static).update(summary)
        shown = self.query_one("#review-history", OptionList)
        shown.clear_options()
        shown.add_options(Option(Text(line)) for line in reversed(history))

    def _current(self) -> tuple[int, Candidate] | None:
        listing = self.query_one("#review-list", OptionList)
        option = listing.highlighted_option
        if option is None or option.id is None:
            return None
        return listing.highlighted or 0, self.items[int(option.id)]

    def _next(self, position: int) -> None:
        listing = self.query_one("#review-list", OptionList)
        if listing.option_count:
            listing.highlighted = min(position + 1, listing.option_count - 1)

    def _write(self, action: str, kind: str | None = None) -> None:
        from tui.backend import decision_line

        current = self._current()
        if current is None:
            return
        position, candidate = current
        if action == "merge" and candidate.what != "merge":
            self.notify("No merge partner for this value: retype, drop or skip it.")
            return
        if action == "keep" and candidate.what != "junk":
            self.notify("Keep is for a dropped value.")
            return
        try:
            self.decisions.append(decision_line(action, candidate, kind))
        except (OSError, SearchIdxError) as error:
            self.notify(f"Not written: {error}", severity="error")
            return
        self._refresh()
        self._next(position)

    def action_decide(self, action: str) -> None:
        self._write(action)

    def action_retype(self, key: str) -> None:
        self._write("retype", KIND_KEYS[key])

    def action_skip(self) -> None:
        current = self._current()
        if current is not None:
            self._next(current[0])

    def action_undo(self) -> None:
        undone = self.decisions.undo()
        self.notify(f"Undone: {undone}" if undone else "Nothing to undo.")
        self._refresh()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()


class ReviewApp(App[None]):
    """`searchidx entities review`: the review screen on its own."""

    TITLE = "searchidx · entity review"

    def __init__(self, index: Path) -> None:
        super().__init__()
        self.index = index

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.index))
