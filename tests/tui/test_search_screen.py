"""Pilot tests of the search screen on a fake backend over the seed articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.text import Text

from tests.tui.conftest import seed_fake_articles
from tests.tui.fake_backend import FakeArticle, FakeBackend
from tui.app import make_app
from tui.backend import SearchRequest
from tui.screens.article import ArticleScreen
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.widgets.facet_panel import SEP, FacetPanel
from tui.widgets.results_list import ResultsList
from tui.widgets.snippet_view import MATCH_STYLE

pytestmark = pytest.mark.anyio
SIZE = (160, 48)


def marked(text: Text) -> list[str]:
    """The substrings of `text` styled as matches."""
    return [text.plain[s.start : s.end] for s in text.spans if str(s.style) == MATCH_STYLE]


async def settle(pilot, seconds: float = 0.25) -> None:
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for _ in range(200):  # the facet counts are drawn a frame after the hits (a busy machine)
        if not any(panel.counting for panel in pilot.app.screen.query(FacetPanel)):
            return
        await pilot.pause(0.05)


async def type_query(pilot, query: str) -> None:
    await pilot.press(*query)
    await settle(pilot)


def results_of(app) -> ResultsList:
    return app.screen.query_one(ResultsList)


def facet_row(app, facet: str, value: str) -> str:
    panel = app.screen.query_one(FacetPanel)
    return str(panel.get_option(f"{facet}{SEP}{value}").prompt)


async def test_empty_box_lists_everything_newest_first(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one("#query")
        assert len(results_of(app).hits) == 2
        assert fake_backend.calls[-1].sort == "newest"
        assert "CNN" in facet_row(app, "outlet", "CNN")


async def test_typing_shows_both_articles_with_highlighted_snippets(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "defect")
        results = results_of(app)
        assert {hit.outlet for hit in results.hits} == {"CNN", "VICE News"}
        for index in range(2):
            words = marked(results.get_option_at_index(index).text)
            assert words and all(w.lower().startswith("defect") for w in words)
        assert "2 hits" in str(app.screen.query_one("#status").render())


async def test_toggling_an_outlet_leaves_one_hit_and_honest_counts(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "colonel")
        panel = app.screen.query_one(FacetPanel)
        panel.focus()
        panel.highlighted = panel.get_option_index(f"outlet{SEP}CNN")
        await pilot.press("space")
        await settle(pilot)
        assert [hit.outlet for hit in results_of(app).hits] == ["CNN"]
        assert "1 hit " in str(app.screen.query_one("#status").render()) + " "
        # the other outlet keeps its count, so it can be added to the selection
        assert facet_row(app, "outlet", "CNN").startswith("●")
        assert facet_row(app, "outlet", "VICE News").rstrip().endswith("1")
        assert "outlet=CNN" in str(app.screen.query_one("#status").render())
        await pilot.press("space")  # toggles back off
        await settle(pilot)
        assert len(results_of(app).hits) == 2


async def test_exclude_and_clear_keys(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(FacetPanel)
        panel.focus()
        panel.highlighted = panel.get_option_index(f"outlet{SEP}CNN")
        await pilot.press("x")
        await settle(pilot)
        assert [hit.outlet for hit in results_of(app).hits] == ["VICE News"]
        assert facet_row(app, "outlet", "CNN").startswith("✕")
        await pilot.press("c")
        await settle(pilot)
        assert len(results_of(app).hits) == 2


async def test_a_stray_quote_is_read_as_a_space_with_a_note(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, 'colonel "espionage')  # pasted text, a quote never closed
        assert not app.screen.query_one("#query-error").display
        assert results_of(app).hits
        assert "not closed" in str(app.screen.query_one("#status").render())


async def test_bad_query_shows_an_error_and_keeps_old_results(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "espionage")
        before = [hit.id for hit in results_of(app).hits]
        await type_query(pilot, " (colonel")
        error = str(app.screen.query_one("#query-error").render())
        assert "unclosed '('" in error
        assert app.screen.query_one("#query-error").display
        assert [hit.id for hit in results_of(app).hits] == before
        await type_query(pilot, ")")  # closing the bracket clears the error
        assert not app.screen.query_one("#query-error").display


async def test_the_article_view_shows_its_path_and_entities(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "colonel defects")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        header = str(app.screen.query_one("#article-header").render())
        assert app.screen.hit.path.endswith(".txt") and app.screen.hit.path in header
        assert "people: " in header and "organisations: " in header
        assert "places: North Korea, South Korea" in header


async def test_open_article_highlights_every_match_and_jumps(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "yonhap")
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert len(screen.spans) >= 2
        painted = [marked(p.content) for p in screen.query(".paragraph")]
        assert sum(len(words) for words in painted) == len(screen.spans) - 1  # one is "current"
        assert all(w.lower() == "yonhap" for words in painted for w in words)
        assert screen.current == 0
        await pilot.press("n")
        assert screen.current == 1
        await pilot.press("p", "p")
        assert screen.current == len(screen.spans) - 1
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


async def test_question_mark_types_in_the_box_and_opens_help_elsewhere(seed_backend):
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x", "?")
        assert app.screen.query_one("#query").value == "x?"
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one(ResultsList).focus()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_sort_toggle_and_similar(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "korea")
        await pilot.press("f2")
        await settle(pilot)
        assert fake_backend.calls[-1].sort == "newest"
        await pilot.press("f2")
        await settle(pilot)
        assert fake_backend.calls[-1].sort == "oldest"
        await pilot.press("f3")
        await settle(pilot)
        assert "similar to" in str(app.screen.query_one("#status").render())
        assert len(results_of(app).hits) == 1


async def test_export_writes_the_current_results(seed_backend, tmp_path: Path):
    app = make_app(seed_backend)
    target = tmp_path / "out.jsonl"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "restaurant")
        await pilot.press("f4")
        await pilot.pause()
        field = app.screen.query_one("#export-path")
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert {line["outlet"] for line in lines} == {"CNN", "VICE News"}


async def test_long_lists_load_more_on_demand():
    many = [
        FakeArticle(
            id=f"a{n:03d}",
            title=f"Story {n}",
            outlet="Wire",
            published=seed_fake_articles()[0].published,
            body=f"budget story {n}",
        )
        for n in range(75)
    ]
    app = make_app(FakeBackend(many))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = results_of(app)
        assert len(results.hits) == 12 and results.total == 75
        results.focus()
        await pilot.press("end")
        await settle(pilot)
        assert len(results.hits) == 42


async def test_article_markup_is_never_interpreted(fake_backend):
    fake_backend.articles[0].title = "[bold red]Not markup[/] \x1b[31m"
    fake_backend.articles[0].body += "\n[link=file:///etc/passwd]click[/link] defect"
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "defect")
        prompts = [results_of(app).get_option_at_index(i).text.plain for i in range(2)]
        assert any("[bold red]Not markup[/]" in p for p in prompts)
        assert not any("\x1b" in p for p in prompts)


async def test_pending_entities_are_announced(fake_backend):
    fake_backend.entities_pending = 12
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "still being filled" in str(app.screen.query_one("#status").render())


async def test_command_palette_carries_the_actions(fake_backend):
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {
            "Sort by newest",
            "Similar articles",
            "Export results",
            "Clear all filters",
            "Help",
            "Load more results",
            "Quit",
        } <= titles
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_did_you_mean_comes_after_the_empty_result(seed_backend):
    # the typing search skips did-you-mean (it is slow); a second search asks for it
    app = make_app(seed_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "defecton")
        await settle(pilot)
        assert results_of(app).hits == []
        expected = seed_backend.search(SearchRequest(query="defecton")).suggestion
        assert expected
        assert f"did you mean: {expected}" in str(app.screen.query_one("#status").render())


async def test_facets_are_recounted_when_the_entity_phase_ends(fake_backend):
    from dataclasses import replace as changed

    fake_backend.entities_pending = 2
    fake_backend.articles = [changed(a, people=()) for a in fake_backend.articles]
    app = make_app(fake_backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "still being filled" in str(app.screen.query_one("#status").render())
        # the entity phase ends while the screen shows its results; nobody types
        fake_backend.entities_pending = 0
        fake_backend.articles = [
            changed(a, people=("Ada Lovelace",)) for a in fake_backend.articles
        ]
        for _ in range(60):
            await pilot.pause(0.1)
            if "still being filled" not in str(app.screen.query_one("#status").render()):
                break
        await settle(pilot)
        assert "still being filled" not in str(app.screen.query_one("#status").render())
        assert "Ada Lovelace" in facet_row(app, "people", "Ada Lovelace")


@pytest.mark.parametrize(("columns", "low", "high"), [(100, 30, 30), (200, 50, 60)])
async def test_the_facet_sidebar_grows_with_the_terminal(fake_backend, columns, low, high):
    app = make_app(fake_backend)
    async with app.run_test(size=(columns, 40)) as pilot:
        await settle(pilot)
        width = app.screen.query_one(FacetPanel).size.width + 4  # border and padding
        assert low <= width <= high, width
