"""Pilot test of the entity review screen on a real index built with spaCy: a merge decision
goes to the alias file (undo removes it), and the next rebuild applies it with no NER run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import OptionList

from searchidx.cli import main
from tui.app import make_app
from tui.backend import IndexBackend
from tui.screens.review import ReviewScreen
from tui.widgets.facet_panel import FacetPanel

pytestmark = pytest.mark.anyio
ARTICLES = {
    "a.txt": "Microsoft Research opens lab in Brighton\n\nMicrosoft Research opened a lab in"
    " Brighton on Monday. Staff at Microsoft Research said the lab would hire 50 people. Gordon"
    " Brown spoke at 1400 GMT.\n",
    "b.txt": "Microsoft plans new tablet\n\nMicrosoft said on Tuesday that the tablet would ship"
    " in May. Microsoft managers met in London with Gordon Brown.\n",
}


def _organisations(runner: CliRunner, index: Path) -> dict[str, int]:
    result = runner.invoke(main, ["entities", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["value"]: row["articles"] for row in json.loads(result.output)["organisations"]}


def _rows(listing: OptionList) -> list[str]:
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]


async def test_review_decisions_go_to_the_alias_file_and_apply_without_ner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index = tmp_path / "news", tmp_path / "idx"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "-q", "-j", "1"])
    assert built.exit_code == 0, built.output
    assert _organisations(runner, index) == {"Microsoft Research": 1, "Microsoft": 1}

    app = make_app(IndexBackend(index), show_query_time=False)
    async with app.run_test(size=(150, 44)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one(FacetPanel).focus()
        await pilot.press("v")  # from the facet panel
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        listing = screen.query_one("#review-list", OptionList)
        rows = _rows(listing)
        merge = next(i for i, r in enumerate(rows) if "Microsoft  →  Microsoft Research" in r)
        assert any("GMT" in r and "time zone" in r for r in rows)  # a dropped value, shown
        listing.highlighted = merge
        await pilot.press("m")
        await pilot.pause()
        aliases = index / "entity-aliases.txt"
        assert "organisations: Microsoft Research = Microsoft" in aliases.read_text(
            encoding="utf-8"
        )
        history = _rows(screen.query_one("#review-history", OptionList))
        assert history == ["organisations: Microsoft Research = Microsoft"]
        await pilot.press("u")  # undo: the line is gone
        await pilot.pause()
        assert "Microsoft" not in aliases.read_text(encoding="utf-8")
        assert _rows(screen.query_one("#review-history", OptionList)) == []
        listing.highlighted = merge
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)

    def no_ner(items: object) -> object:
        raise AssertionError("the rebuild after an alias file edit ran NER")

    monkeypatch.setattr("searchidx.rebuild.enrich._recognize_batch", no_ner)
    again = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "-q", "-j", "1"])
    assert again.exit_code == 0, again.output
    assert _organisations(runner, index) == {"Microsoft Research": 2}


async def test_facet_value_search_finds_values_beyond_the_shown_ones(seed_backend) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.facet_search import FacetSearchScreen

    app = make_app(seed_backend, show_query_time=False)
    async with app.run_test(size=(150, 44)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(FacetPanel)
        panel.focus()
        panel.highlighted = panel.get_option_index("head\x1fpeople")
        await pilot.press("f")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, FacetSearchScreen)
        await pilot.press(*"jin")
        await pilot.pause()
        rows = _rows(app.screen.query_one("#facet-search-list", OptionList))
        assert [r.split()[0:2] for r in rows] == [["Lee", "Jin-man"]]
        assert rows[0].split()[-1] == "1"
        await pilot.press("enter")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, FacetSearchScreen)
        assert app.screen.filters == {"people": ["Lee Jin-man"]}  # type: ignore[attr-defined]
