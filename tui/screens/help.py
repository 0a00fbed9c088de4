"""The help screen: key bindings and the query syntax, in words."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("type", "search as you type; an empty box lists every article, newest first"),
    ("↓ / tab", "from the search box to the results / the next panel"),
    ("enter / click", "open the result under the cursor; toggle a facet value"),
    ("space", "toggle the facet value under the cursor"),
    ("x", "exclude the facet value under the cursor (facet panel)"),
    ("c", "clear the filters of that facet (facet panel)"),
    ("r or f8", "names seen most with the highlighted facet name"),
    ("f2", "sort: relevance → newest → oldest"),
    ("f3", "articles similar to the result under the cursor"),
    ("f4", "export the current results to a .jsonl or .csv file"),
    ("f5", "clear every filter"),
    ("f6 / f7", "group by story / every version of the result's story"),
    ("f9", "coverage timeline by outlet; by day or week: ctrl+p"),
    ("f10", "rank with feedback from the best matches (query --expand) / as typed"),
    ("/ or esc", "back to the search box"),
    ("n / p", "next / previous match (article view)"),
    ("s", "similar articles (article view)"),
    ("ctrl+p", "command palette: every action, themes"),
    ("f1 or ?", "this help (? when the search box is not focused)"),
    ("ctrl+q", "quit"),
)

SYNTAX: tuple[tuple[str, str], ...] = (
    ("colonel defector", "articles with these words (the more of them, the higher)"),
    ("colonel AND defector", "both words; +word also makes a word required"),
    ("colonel OR general", "either word"),
    ("korea NOT south", "korea without south (also: -south)"),
    ('"military official"', "the exact phrase"),
    ('"north defector"~3', "the words within 3 positions of each other"),
    ("defect*  def?ct", "wildcards: any ending / any one letter"),
    ("colonal~", "fuzzy: words one edit away (colonal~2: two edits)"),
    ('person:"Kim Jong Un"', "a field: title, text, outlet, person, org, place, author"),
    ("date:2016-04", "a year, month or day; date:>=2016-03; date:[2016-01 to 2016-06]"),
    ("(a OR b) AND c", "group with parentheses"),
)


def _table(title: str, rows: tuple[tuple[str, str], ...]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        show_header=False,
        box=None,
        expand=True,
        title_style="bold",
        padding=(0, 2, 0, 0),
    )
    table.add_column(style="bold cyan", no_wrap=True, min_width=22)
    table.add_column()
    for key, meaning in rows:
        table.add_row(Text(key), Text(meaning))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and query syntax; any of esc, q, f1 or ? closes it."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("searchidx — help", style="bold"), id="help-title")
            yield Static(_table("Keys", KEYS))
            yield Static(_table("Query syntax", SYNTAX))
            yield Static(Text("esc closes this help", style="dim"))
