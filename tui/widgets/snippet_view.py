"""Snippets and article text as Rich `Text`: matched spans styled, article text never parsed.

Everything here builds `Text` objects directly from plain strings (never `Text.from_markup`), so
square brackets or escape codes inside an article are shown as typed.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.backend import STAR, Hit, Snippet, copy_text

MATCH_STYLE = "bold #1d1d1d on #e5c07b"
CURRENT_MATCH_STYLE = "bold #1d1d1d on #61afef"


def clean_text(text: str) -> str:
    # control characters (escape sequences included) would move the cursor or recolour the
    # terminal; they are shown as spaces instead
    return "".join(ch if ch >= " " or ch in "\n\t" else " " for ch in text)


def highlighted(
    text: str,
    spans: tuple[tuple[int, int], ...],
    style: str = MATCH_STYLE,
    current: int | None = None,
    base: str = "",
) -> Text:
    """`text` (in the `base` style) with each [start, end) span styled; span number `current`
    stands out."""
    result = Text(clean_text(text), style=base)
    for number, (start, end) in enumerate(spans):
        if 0 <= start < end <= len(text):
            result.stylize(CURRENT_MATCH_STYLE if number == current else style, start, end)
    return result


def snippet_text(snippet: Snippet) -> Text:
    """The snippet with its matches styled, and "…" only on a side where it was cut out of the
    article (a fragment from the very start or end of an article is not marked there)."""
    text = Text()
    if snippet.cut_start:
        text.append("… ", style="dim")
    text.append_text(highlighted(" ".join(snippet.text.split()), _squeezed_spans(snippet)))
    if snippet.cut_end:
        text.append(" …", style="dim")
    return text


def title_text(hit: Hit) -> Text:
    """The hit's title in bold, the words the query matched there styled as in snippets."""
    if not hit.title:
        return Text("(untitled)", style="bold")
    return highlighted(hit.title, hit.title_spans, base="bold")


def _squeezed_spans(snippet: Snippet) -> tuple[tuple[int, int], ...]:
    """Map spans onto the snippet with runs of whitespace squeezed to one space."""
    mapping: list[int] = []
    position = 0
    previous_space = True  # leading whitespace is dropped
    for ch in snippet.text:
        if ch.isspace():
            mapping.append(position)
            if not previous_space:
                position += 1
            previous_space = True
        else:
            mapping.append(position)
            position += 1
            previous_space = False
    mapping.append(position)
    squeezed = []
    for start, end in snippet.spans:
        if 0 <= start < end <= len(snippet.text):
            squeezed.append((mapping[start], mapping[end - 1] + 1))
    return tuple(squeezed)


def hit_date(hit: Hit) -> str:
    if hit.published is None:
        return "no date"
    return hit.published.strftime("%Y-%m-%d" if hit.date_only else "%Y-%m-%d %H:%M")


def hit_text(hit: Hit) -> Text:
    """One result without its number: title, outlet and date, then up to three snippets."""
    text = Text()
    text.append_text(title_text(hit))
    text.append("\n")
    text.append(clean_text(hit.outlet or "unknown outlet"), style="italic")
    text.append(" · ", style="dim")
    text.append(hit_date(hit), style="dim")
    if hit.tags or hit.note:
        text.append("  ").append_text(marks_text(hit))
    for snippet in hit.snippets[:3]:
        text.append("\n")
        text.append_text(snippet_text(snippet))
    if hit.copies:  # copies of this article folded into it (`searchidx query`'s "also in")
        also = "; ".join(copy_text(c) for c in hit.copies)
        text.append("\n").append(clean_text(f"also in: {also}"), style="dim #98c379")
    return text


def marks_text(hit: Hit) -> Text:
    """The working set's marks on a hit: ★ for a star, #tags, ✎ and the note's start."""
    parts = [Text("★", style="bold #e5c07b")] if STAR in hit.tags else []
    parts += [Text(f"#{clean_text(tag)}", style="#61afef") for tag in hit.tags if tag != STAR]
    if hit.note:
        parts.append(Text("✎ " + clean_text(hit.note[:60]), style="italic dim"))
    return Text(" ").join(parts)


NUMBER_WIDTH = 4  # cells for "12." before a result, right-aligned
Lines = dict[tuple[object, ...], list[list[Segment]]]
_DIM = Style.parse("dim")
_PLAIN = Style()


class HitRow:
    """A numbered result: the number right-aligned, then the text with its wrapped lines
    indented under it, as a two-column Rich table grid draws it (a test holds the two equal).

    Drawn by hand and once per width: the option list renders a prompt again for its height
    and on every repaint, and a Rich table took ~1 ms a time, which made painting the results
    list the largest part of a keystroke's latency."""

    def __init__(self, number: int, text: Text, lines: Lines | None = None) -> None:
        self.label = f"{number}."
        self.text = text
        self.grid = Table.grid(padding=(0, 1))
        self.grid.add_column(width=NUMBER_WIDTH, justify="right", style="dim")
        self.grid.add_column(ratio=1)
        self.grid.add_row(self.label, text)
        # the text's lines without the number, by width: a row for the same text under another
        # number (the next keystroke's list) shares them instead of wrapping the text again
        self.lines: Lines = {} if lines is None else lines

    def _body(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        room = options.max_width - NUMBER_WIDTH - 1
        # the grid sizes the text column to the text's widest line when that is narrower
        width = min(room, Measurement.get(console, options.update_width(room), self.text).maximum)
        body = console.render_lines(self.text, options.update_width(width), new_lines=False)
        return [[Segment(s.text, s.style or _PLAIN, s.control) for s in line] for line in body]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = len(self.label) > NUMBER_WIDTH  # drawn by the grid itself, number included
        key = (
            self.label if wide else "",
            options.max_width,
            options.min_width,
            options.height,
            options.no_wrap,
            options.overflow,
            options.justify,
        )
        lines = self.lines.get(key)
        if lines is None:
            lines = (
                console.render_lines(self.grid, options, pad=False, new_lines=False)
                if wide
                else self._body(console, options)
            )
            if len(self.lines) > 8:  # widths seen while a terminal is resized
                self.lines.clear()
            self.lines[key] = lines
        new_line = Segment.line()
        first = [Segment(self.label.rjust(NUMBER_WIDTH), _DIM), Segment(" ", _DIM)]
        indent = [Segment(" " * (NUMBER_WIDTH + 1), _DIM)]
        for number, line in enumerate(lines):
            if not wide:
                yield from first if number == 0 else indent
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.grid)


def hit_row(hit: Hit, number: int, text: Text | None = None) -> HitRow:
    """The result as a numbered row, so wrapped snippet lines stay indented."""
    return HitRow(number, text if text is not None else hit_text(hit))
