"""The co-occurrence view: the people, organisations and places named most often with one name,
within the search screen's current query and filters (opened from a highlighted facet value)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.backend import RelatedResults, SearchIdxError, SearchRequest
from tui.screens import search_app
from tui.widgets.snippet_view import clean_text

HEADINGS = {"people": "People", "organisations": "Organisations", "places": "Places"}
KIND_NAMES = {"people": "person", "organisations": "organisation", "places": "place"}
SEP = "\x1f"
NAME_WIDTH = 34
BAR_WIDTH = 20
SIZE = 10


def _scope(request: SearchRequest) -> str:
    parts = [f"“{request.query}”"] if request.query else []
    parts += [f"{facet}={value}" for facet, values in request.filters for value in values]
    parts += [f"{facet}≠{value}" for facet, values in request.excludes for value in values]
    return " · ".join(parts) if parts else "every article"


def related_rows(found: RelatedResults) -> list[Option]:
    """Headed sections of names, each with its count, a bar and its share of the articles."""
    options: list[Option] = []
    for kind, heading in HEADINGS.items():
        options.append(Option(Text(heading, style="bold"), id=f"head{SEP}{kind}", disabled=True))
        rows = found.related.get(kind, ())
        if not rows:
            options.append(Option(Text("  none", style="dim"), disabled=True))
        for row in rows:
            name = clean_text(row.value)
            name = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
            filled = max(1, round(BAR_WIDTH * row.share))
            text = Text(f"  {name:<{NAME_WIDTH}} ")
            text.append("█" * filled, style="cyan")
            text.append(" " * (BAR_WIDTH - filled))
            text.append(f" {row.count:>5}  {row.share:>4.0%}", style="dim")
            options.append(Option(text, id=f"{kind}{SEP}{row.value}"))
    return options


class RelatedScreen(ModalScreen[None]):
    """Names seen with one name; enter on a row shows that name's own, esc goes back."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, name: str, request: SearchRequest) -> None:
        super().__init__()
        self.entity = name
        self.request = request

    def compose(self) -> ComposeResult:
        with Vertical(id="related"):
            yield Static(Text(f"Seen with {clean_text(self.entity)}", style="bold"),
                         id="related-title")  # fmt: skip
            yield Static(Text("Counting…", style="dim"), id="related-summary")
            yield OptionList(id="related-list")
            yield Static(Text("enter: names seen with that one · esc: back", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#related-list").focus()
        self._load()

    @work(thread=True, exclusive=True, group="related")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            found = search_app(self).backend.related(self.entity, self.request, SIZE)
        except SearchIdxError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, found)

    def _failed(self, message: str) -> None:
        self.query_one("#related-summary", Static).update(Text(message, style="bold red"))

    def _show(self, found: RelatedResults) -> None:
        kinds = " and ".join(KIND_NAMES.get(k, k) for k in found.kinds)
        summary = Text(f"{clean_text(found.entity)} ({kinds}) is named in ")
        summary.append(f"{found.total:,} article{'s' if found.total != 1 else ''}", style="bold")
        summary.append(f" matching {_scope(self.request)}")
        self.query_one("#related-summary", Static).update(summary)
        listing = self.query_one("#related-list", OptionList)
        listing.clear_options()
        listing.add_options(related_rows(found))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id and SEP in option_id and not option_id.startswith("head"):
            self.app.push_screen(RelatedScreen(option_id.split(SEP, 1)[1], self.request))
