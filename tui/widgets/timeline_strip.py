"""The coverage timeline strip: matching articles per day, week or month as bars split by outlet.

The strip only draws a `Timeline` it is given; the search screen fetches it (in a worker) after
each search while the strip is shown.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.backend import Timeline

# one colour per outlet, busiest outlet first; the rest share the last one
OUTLET_STYLES = ("cyan", "magenta", "green", "yellow", "blue", "bright_black")
LABEL_WIDTH = 10
MIN_BAR = 10


def _segments(outlets: tuple[tuple[str, int], ...], length: int, total: int) -> list[int]:
    """Split a bar of `length` cells between outlets in proportion, never losing a cell."""
    cells, done, counted = [], 0, 0
    for _, count in outlets:
        counted += count
        end = round(length * counted / total) if total else 0
        cells.append(end - done)
        done = end
    return cells


def timeline_text(timeline: Timeline, width: int) -> Text:
    """The strip's lines: a legend, then one bar per period, the busiest `width` wide."""
    styles = {name: OUTLET_STYLES[min(n, len(OUTLET_STYLES) - 1)]
              for n, name in enumerate(timeline.outlets)}  # fmt: skip
    text = Text()
    total = sum(p.count for p in timeline.periods)
    text.append(f"Coverage by {timeline.interval}", style="bold")
    text.append(f" · {total:,} dated article{'s' if total != 1 else ''}", style="dim")
    if timeline.undated:
        text.append(f" · {timeline.undated:,} undated", style="dim")
    text.append("  ")
    for name in timeline.outlets[: len(OUTLET_STYLES) - 1]:
        text.append("■ ", style=styles[name])
        text.append(f"{name}  ")
    if len(timeline.outlets) >= len(OUTLET_STYLES):
        text.append("■ ", style=OUTLET_STYLES[-1])
        text.append("other outlets")
    if not timeline.periods:
        text.append("\nno dated articles match", style="dim")
        return text
    top = max(p.count for p in timeline.periods)
    bar_width = max(MIN_BAR, width - LABEL_WIDTH - 9)
    for period in timeline.periods:
        text.append(f"\n{period.label:<{LABEL_WIDTH}} ")
        length = max(1, round(bar_width * period.count / top))
        for (name, _), cells in zip(
            period.outlets, _segments(period.outlets, length, period.count), strict=True
        ):
            text.append("█" * cells, style=styles.get(name, OUTLET_STYLES[-1]))
        text.append(f" {period.count:,}", style="dim")
    return text


class TimelineStrip(VerticalScroll):
    """A scrollable strip under the results; hidden until the screen shows a timeline."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline: Timeline | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the timeline…", style="dim"), id="timeline-bars")

    def show(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._draw()

    def say(self, message: str) -> None:
        self.timeline = None
        self.query_one("#timeline-bars", Static).update(Text(message, style="dim"))

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.timeline is not None:
            width = max(self.scrollable_content_region.width - 1, MIN_BAR + LABEL_WIDTH)
            self.query_one("#timeline-bars", Static).update(timeline_text(self.timeline, width))
