"""Pilot tests of the no-index path: it says so, offers a rebuild, shows progress and failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, ProgressBar

from tests.tui.conftest import SEED, seed_fake_articles
from tests.tui.fake_backend import FakeBackend
from tui.app import make_app
from tui.backend import IndexBackend
from tui.screens.no_index import NoIndexScreen
from tui.screens.search import SearchScreen

pytestmark = pytest.mark.anyio


async def test_missing_real_index_offers_a_rebuild(tmp_path: Path):
    app = make_app(IndexBackend(tmp_path / ".searchidx"), corpus=SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoIndexScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "No index yet" in text and str(tmp_path / ".searchidx") in text
        assert app.screen.query_one("#rebuild", Button).label == "Build the index"
        assert app.screen.query_one("#corpus-path").value == str(SEED)


async def test_rebuild_shows_progress_failures_then_searches():
    backend = FakeBackend(seed_fake_articles(), present=False)
    app = make_app(backend, corpus=SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, NoIndexScreen)
        await pilot.click("#rebuild")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(ProgressBar).progress == 2
        counts = str(screen.query_one("#rebuild-counts").render())
        assert "indexed 2" in counts and "failed 1" in counts
        failures = "\n".join(str(line.text) for line in screen.query_one("#rebuild-failures").lines)
        assert "broken.html: not valid HTML" in failures
        assert "1 file could not be indexed, by reason" in failures
        button = screen.query_one("#rebuild", Button)
        assert button.label == "Open the search"
        # Textual ignores a press while the button still shows its 0.2 s "pressed" effect from the
        # first click; the fake rebuild ends sooner than that, so wait for the effect to end.
        for _ in range(100):
            if not button.has_class("-active"):
                break
            await pilot.pause(0.05)
        await pilot.press("enter")  # the button has the focus
        for _ in range(100):  # the switch happens on the next message round, which load delays
            if isinstance(app.screen, SearchScreen):
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, SearchScreen)


async def test_bad_corpus_folder_is_one_clear_line(tmp_path: Path):
    backend = FakeBackend(seed_fake_articles(), present=False)
    app = make_app(backend, corpus=tmp_path / "nowhere")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await pilot.click("#rebuild")
        await pilot.pause()
        assert "does not exist" in str(app.screen.query_one("#rebuild-phase").render())
        assert backend.present is False


def _phase(app) -> str:
    return str(app.screen.query_one("#rebuild-phase").render())


async def test_the_path_box_has_the_focus_and_an_empty_path_is_refused():
    backend = FakeBackend(seed_fake_articles(), present=False)
    app = make_app(backend)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        path_box = app.screen.query_one("#corpus-path", Input)
        assert app.focused is path_box
        await pilot.press("enter")  # nothing typed: not the current directory
        await pilot.pause()
        assert "Type the corpus folder" in _phase(app)
        assert backend.present is False
        await pilot.press(*str(SEED))  # typed text lands in the box
        assert path_box.value == str(SEED)


async def test_a_file_is_not_a_folder(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    backend = FakeBackend(seed_fake_articles(), present=False)
    app = make_app(backend, corpus=tmp_path / "a.txt")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a folder" in _phase(app)
        assert backend.present is False


async def test_the_home_folder_is_asked_about_before_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    home = tmp_path / "home" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    backend = FakeBackend(seed_fake_articles(), present=False)
    app = make_app(backend, corpus=home.parent)  # an ancestor of home
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "holds your home folder" in _phase(app)
        assert backend.present is False
        await pilot.press("enter")  # asked once; the second time it is confirmed
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backend.present is True


def test_failures_are_grouped_by_reason_with_their_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The backend gives the TUI the report `rebuild` prints: by reason, in files, the fix."""
    from searchidx.entities import ArticleEntities
    from searchidx.rebuild import enrich

    def recognise(items):
        return [ArticleEntities(language="en") for _ in items]

    monkeypatch.setattr(enrich, "_recognize_batch", recognise)  # no spaCy model to load here
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text("---\ntitle: Harbour\n---\nDockers at the harbour.\n")
    (corpus / "MANIFEST.json").write_text('[{"name": "a"}, {"name": "b"}, {"name": "c"}]')
    outcome = IndexBackend(tmp_path / ".searchidx").rebuild(corpus, lambda progress: None)
    assert outcome.failed == 1
    text = "\n".join(outcome.failures)
    assert "MANIFEST.json (3 records)" in text and "fix:" in text and ".searchidxignore" in text
    assert text.count("MANIFEST.json") == 1  # one line for the file, not one a record
