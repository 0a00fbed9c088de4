"""Result rows: matched title words styled, "…" only on a side where a snippet was cut."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rich.text import Text

from tests.tui.test_search_screen import SIZE, marked, results_of, settle, type_query
from tui.app import make_app
from tui.backend import Hit, Snippet
from tui.screens.article import ArticleScreen
from tui.widgets.snippet_view import MATCH_STYLE, hit_text

pytestmark = pytest.mark.anyio


def title_marks(text: Text) -> list[tuple[int, int]]:
    """Offsets of the match-styled spans inside the first line (the title)."""
    title_end = text.plain.index("\n")
    return [
        (s.start, s.end) for s in text.spans if str(s.style) == MATCH_STYLE and s.end <= title_end
    ]


def snippet_lines(text: Text) -> list[str]:
    return text.plain.split("\n")[2:]  # after the title and the outlet line


@pytest.mark.parametrize("backend", ["fake_backend", "seed_backend"])
async def test_title_words_styled_and_no_leading_ellipsis_at_the_start(backend, request):
    app = make_app(request.getfixturevalue(backend))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "senior")
        results = results_of(app)
        rows = {
            hit.outlet: results.get_option_at_index(n).text for n, hit in enumerate(results.hits)
        }
        assert set(rows) == {"CNN", "VICE News"}
        for hit in results.hits:
            assert hit.title_spans, hit.title
            text = rows[hit.outlet]
            assert title_marks(text) == list(hit.title_spans)
            assert {text.plain[s:e].lower() for s, e in hit.title_spans} == {"senior"}
        # the CNN article opens with its headline, which matches: that snippet is not cut before
        cnn = snippet_lines(rows["CNN"])
        assert cnn[0].startswith("Senior North Korean"), cnn
        assert cnn[0].endswith(" …")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        header = app.screen.query_one("#article-header").content
        assert [w.lower() for w in marked(header)] == ["senior"]


def test_ellipses_follow_the_cut_flags():
    snippets = (
        Snippet("Whole  [b]story[/b]", ((10, 15),)),
        Snippet("From the start", ((0, 4),), cut_end=True),
        Snippet("in the middle", ((3, 6),), cut_start=True, cut_end=True),
        Snippet("to the end", ((7, 10),), cut_start=True),
    )
    hit = Hit(
        id="x",
        path="x.txt",
        title="A [red]story[/red]",
        outlet="Reuters",
        published=datetime(1987, 3, 2, tzinfo=UTC),
        date_only=True,
        authors=(),
        url=None,
        score=1.0,
        snippets=snippets[:3],
        title_spans=((7, 12),),
    )
    text = hit_text(hit)
    assert snippet_lines(text) == [
        "Whole [b]story[/b]",
        "From the start …",
        "… in the middle …",
    ]
    assert marked(text)[:2] == ["story", "story"]  # title markup shown as typed, span intact
    assert text.plain.startswith("A [red]story[/red]\n")
    last = hit_text(Hit(**{**hit.__dict__, "snippets": snippets[3:]}))
    assert snippet_lines(last) == ["… to the end"]
