"""A result row draws exactly what the two-column Rich table grid it replaces draws."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console
from rich.segment import Segment

from tui.backend import Hit, Snippet
from tui.widgets.snippet_view import HitRow, hit_text


def _hit(title: str, snippets: tuple[Snippet, ...]) -> Hit:
    return Hit(
        id="x",
        path="x.txt",
        title=title,
        outlet="Reuters",
        published=datetime(1987, 3, 2, tzinfo=UTC),
        date_only=True,
        authors=(),
        url=None,
        score=1.0,
        people=(),
        organisations=(),
        places=(),
        snippets=snippets,
    )


HITS = [
    _hit("Short", ()),
    _hit(
        "OIL PRICES SAID NOW BASED ON FUTURES PRICE",
        (
            Snippet(
                "Energy futures now set the standard for oil pricing, said the head", ((40, 43),)
            ),
            Snippet(
                "the  price   of crude [b]rackets[/b] and \x1b[31m escapes", ((4, 9), (13, 18))
            ),
        ),
    ),
    _hit(
        "A title long enough to wrap at a narrow width, and then some more words " * 2,
        (Snippet("word " * 80, ((0, 4), (395, 399))),),
    ),
]


def _lines(console: Console, renderable: object, width: int) -> list[list[tuple[str, object]]]:
    lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
    return [[(s.text, s.style) for s in Segment.simplify(line)] for line in lines]


@pytest.mark.parametrize("width", [30, 60, 100, 157])
@pytest.mark.parametrize("number", [1, 12, 999, 1000])
@pytest.mark.parametrize("which", range(len(HITS)))
def test_row_equals_the_table_grid(width: int, number: int, which: int) -> None:
    console = Console(width=200, color_system="truecolor", file=io.StringIO())
    row = HitRow(number, hit_text(HITS[which]))
    assert _lines(console, row, width) == _lines(console, row.grid, width)
    assert _lines(console, row, width) == _lines(console, row, width)  # replayed from the cache
