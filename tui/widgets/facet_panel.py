"""The facet sidebar: outlet, a year/month date histogram and the three entity facets.

The panel only shows counts and reports what the user picked (as messages); the search screen
owns the filters and runs the searches.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.backend import ENTITY_FIELDS, FacetCount, SearchResults
from tui.widgets.steady import SteadyOptionList

# (facet name, heading); year and month share the "Date" heading
SECTIONS: tuple[tuple[str, str], ...] = (
    ("outlet", "Outlet"),
    ("year", "Date"),
    ("month", ""),
    ("people", "People"),
    ("organisations", "Organisations"),
    ("places", "Places"),
    ("tags", "Tags"),  # the working set's; the section is left out while no match has any
)
FACETS: tuple[str, ...] = tuple(name for name, _ in SECTIONS)
DATE_FACETS = ("year", "month")
SEP = "\x1f"
NAME_WIDTH = 26
BAR_WIDTH = 16
# under the panel while its counts are those of the search before: a keystroke's hits are
# painted first, its counts on the next frame
STALE = "counting…"


def _mark(count: FacetCount) -> tuple[str, str]:
    if count.excluded:
        return "✕", "bold red"
    if count.selected:
        return "●", "bold green"
    return "○", "dim"


def _row(facet: str, count: FacetCount, largest: int) -> Text:
    mark, mark_style = _mark(count)
    text = Text()
    text.append(mark + " ", style=mark_style)
    if facet in DATE_FACETS:
        label = count.value if facet == "year" else "  " + count.value
        text.append(f"{label:<10}", style="strike" if count.excluded else "")
        filled = max(1, round(BAR_WIDTH * count.count / largest)) if count.count else 0
        text.append("█" * filled, style="cyan")
        text.append(" " * (BAR_WIDTH - filled))
    else:
        name = "".join(ch if ch >= " " else " " for ch in count.value)
        if len(name) > NAME_WIDTH:
            name = name[: NAME_WIDTH - 1] + "…"
        text.append(f"{name:<{NAME_WIDTH}}", style="strike" if count.excluded else "")
    text.append(f"{count.count:>6}", style="dim")
    return text


def _with_chosen(
    facet: str, counts: tuple[FacetCount, ...], results: SearchResults
) -> tuple[FacetCount, ...]:
    """The counts plus any selected or excluded value the core left out (count 0), so that a
    choice can always be undone from the panel."""
    shown = {count.value for count in counts}
    extra = [
        FacetCount(value, 0, selected=True)
        for value in results.request.filter_values(facet)
        if value not in shown
    ] + [
        FacetCount(value, 0, excluded=True)
        for value in results.request.exclude_values(facet)
        if value not in shown
    ]
    return tuple(counts) + tuple(extra)


def _signature(option: Option) -> tuple[object, ...]:
    """What an option draws and does, comparable between two searches."""
    prompt = option.prompt
    assert isinstance(prompt, Text)
    return option.id, option.disabled, prompt.plain, str(prompt.style), tuple(prompt.spans)


class FacetPanel(SteadyOptionList):
    """Facet values with counts; space/enter/click toggles, x excludes, c clears a facet."""

    BINDINGS = [
        Binding("space", "toggle_value", "Toggle", show=False),
        Binding("x", "exclude", "Exclude"),
        Binding("c", "clear_facet", "Clear facet"),
        Binding("r", "related", "Related names"),
        Binding("v", "review", "Review entities"),
        Binding("f", "find_value", "Find value"),
    ]

    class Toggled(Message):
        def __init__(self, facet: str, value: str, exclude: bool) -> None:
            super().__init__()
            self.facet, self.value, self.exclude = facet, value, exclude

    class RelatedAsked(Message):
        """Show the names seen most with this person, organisation or place."""

        def __init__(self, facet: str, value: str) -> None:
            super().__init__()
            self.facet, self.value = facet, value

    class Cleared(Message):
        def __init__(self, facet: str) -> None:
            super().__init__()
            self.facet = facet

    _shown: tuple[tuple[object, ...], ...] | None = None  # what the options now on screen show
    _held: tuple[list[Option], tuple[tuple[object, ...], ...]] | None = None  # see `hold`

    @property
    def counting(self) -> bool:
        """Whether counts are held to be drawn after the hits' paint (STALE shown till then)."""
        return self._held is not None

    def show_results(self, results: SearchResults, pending: int = 0) -> None:
        """Show the facet counts of `results`; when they would draw exactly the rows already on
        screen (a keystroke that changed no count) nothing is rebuilt or repainted."""
        if self.hold(results):
            self.show_held()

    def hold(self, results: SearchResults) -> bool:
        """Keep the rows of `results` to show with `show_held`, and mark the counts on screen
        as not current (STALE under the panel) until then; False when the rows on screen are
        the same already (nothing held, nothing marked)."""
        options = self._options_for(results)
        shown = tuple(_signature(option) for option in options)
        self._held = None if shown == self._shown else (options, shown)
        self._show_stale()
        return self._held is not None

    def show_held(self) -> None:
        """Draw the rows `hold` kept last (if any: an earlier call drew them), clear the mark."""
        if self._held is None:
            return
        options, self._shown = self._held
        self._held = None
        self._show_stale()
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        if options:  # one swap: clearing first would hide the scrollbar and show it again
            self.set_options(options)
        else:
            self.clear_options()
        if keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
            except Exception:  # the value is gone from the counts
                self.highlighted = None

    def _show_stale(self) -> None:
        """STALE under the panel while counts are held, else nothing (set only on a change:
        setting a border title repaints the panel)."""
        subtitle = STALE if self._held is not None else ""
        if (self.border_subtitle or "") != subtitle:
            self.border_subtitle = subtitle

    def _options_for(self, results: SearchResults) -> list[Option]:
        options: list[Option] = []
        errors = dict(results.facet_errors)
        for facet, heading in SECTIONS:
            counts = results.facet(facet)
            if facet == "tags" and not _with_chosen(facet, counts, results):
                continue
            if heading:
                title = Text(heading, style="bold")
                if facet in ENTITY_FIELDS and results.entities_pending:
                    title.append(" (still being filled)", style="italic dim")
                options.append(Option(title, id=f"head{SEP}{facet}", disabled=True))
            if facet in errors:
                options.append(
                    Option(Text("  could not count: " + errors[facet], style="red"), disabled=True)
                )
                continue
            if not counts and heading and not _with_chosen(facet, counts, results):
                options.append(
                    Option(Text("  none", style="dim"), id=f"none{SEP}{facet}", disabled=True)
                )
                continue
            counts = _with_chosen(facet, counts, results)
            ordered = (
                sorted(counts, key=lambda c: c.value, reverse=True)
                if (facet in DATE_FACETS)
                else list(counts)
            )
            largest = max((c.count for c in counts), default=1) or 1
            for count in ordered:
                options.append(Option(_row(facet, count, largest), id=f"{facet}{SEP}{count.value}"))
        return options

    def _picked(self) -> tuple[str, str] | None:
        option = self.highlighted_option
        if option is None or option.disabled or option.id is None or SEP not in option.id:
            return None
        facet, value = option.id.split(SEP, 1)
        return facet, value

    def action_toggle_value(self) -> None:
        picked = self._picked()
        if picked:
            self.post_message(self.Toggled(picked[0], picked[1], exclude=False))

    def action_exclude(self) -> None:
        picked = self._picked()
        if picked:
            self.post_message(self.Toggled(picked[0], picked[1], exclude=True))

    def action_clear_facet(self) -> None:
        picked = self._picked()
        if picked:
            self.post_message(self.Cleared(picked[0]))

    def action_related(self) -> None:
        picked = self._picked()
        if picked is None or picked[0] not in ENTITY_FIELDS:
            self.notify("Highlight a person, organisation or place in the facets first.",
                        severity="warning")  # fmt: skip
            return
        self.post_message(self.RelatedAsked(*picked))

    def action_find_value(self) -> None:
        """Type to find a value of the highlighted facet among all its values (f)."""
        from tui.screens.facet_search import FacetSearchScreen

        option = self.highlighted_option
        head, _, rest = (option.id or "").partition(SEP) if option is not None else ("", "", "")
        facet = rest if head in ("head", "none") else head or "people"
        request = getattr(self.screen, "request", None)
        if request is None or facet not in FACETS:
            return

        def chosen(value: str | None) -> None:
            if value:
                self.post_message(self.Toggled(facet, value, exclude=False))

        self.app.push_screen(FacetSearchScreen(facet, request()), chosen)

    def action_review(self) -> None:
        opener = getattr(self.app, "open_review", None)
        if opener is not None:
            opener()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # enter and click arrive here; turn them into a toggle the screen understands
        event.stop()
        self.action_toggle_value()
