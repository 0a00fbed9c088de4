"""The searchidx TUI application: screens, app-wide actions, command palette entries."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.backend import Backend, Hit
from tui.screens.article import ArticleScreen
from tui.screens.help import HelpScreen
from tui.screens.no_index import NoIndexScreen
from tui.screens.search import SORTS, SearchScreen
from tui.widgets.results_list import ResultsList


class SearchApp(App[None]):
    """Faceted search over one index."""

    CSS_PATH = "app.tcss"
    TITLE = "searchidx"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self, backend: Backend, *, corpus: Path | None = None, show_query_time: bool = True
    ) -> None:
        super().__init__()
        self.backend = backend
        self.corpus = corpus
        self.show_query_time = show_query_time
        # (perf_counter, query) each time results were painted; read by the latency benchmark
        self.paint_log: list[tuple[float, str]] = []
        self.record_paints = False

    def on_mount(self) -> None:
        self._check_index()

    def _check_index(self) -> None:
        self.run_worker(self._probe, thread=True, exclusive=True, group="probe")

    def _probe(self) -> None:
        ready = self.backend.has_index()
        self.call_from_thread(self.index_ready if ready else self._no_index)

    def _no_index(self) -> None:
        self.push_screen(NoIndexScreen(self.backend.location, self.corpus))

    def index_ready(self) -> None:
        if isinstance(self.screen, NoIndexScreen):
            self.pop_screen()
        self.push_screen(SearchScreen())

    # -- app-wide actions -----------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_review(self) -> None:
        """The entity review screen over this index (v in the facets)."""
        from tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(Path(self.backend.location)))

    def open_article(self, hit: Hit, query: str) -> None:
        self.push_screen(ArticleScreen(hit, query))

    def mark_hit(self, hit: Hit, star: bool) -> None:
        """Star (or ask for tags for) an article from any screen; the search screen does it."""
        screen = self._search_screen()
        if screen is not None:
            screen.mark_hit(hit, star)

    def show_similar(self, hit: Hit) -> None:
        screen = self._search_screen()
        if screen is not None:
            screen.show_similar(hit)

    def results_shown(self, query: str) -> None:
        if self.record_paints:
            self.call_after_refresh(self._painted, query)

    def _painted(self, query: str) -> None:
        self.paint_log.append((time.perf_counter(), query))

    def _search_screen(self) -> SearchScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, SearchScreen):
                return screen
        return None

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and query syntax (f1)", self.action_help)
        search = self._search_screen()
        if search is None:
            return
        if isinstance(screen, ArticleScreen):
            yield SystemCommand("Star / unstar", "Star this article (*)", screen.action_star)
            yield SystemCommand("Tag", "Add tags to this article (t)", screen.action_tag)
            yield SystemCommand(
                "Next match", "Jump to the next match (n)", screen.action_next_match
            )
            yield SystemCommand(
                "Previous match", "Jump to the previous match (p)", screen.action_previous_match
            )
            yield SystemCommand(
                "Similar articles", "Articles like this one (s)", screen.action_similar
            )
            return
        if screen is not search:
            return
        for sort in SORTS:
            yield SystemCommand(
                f"Sort by {sort}",
                f"Order the results by {sort}",
                lambda sort=sort: search.set_sort(sort),
            )
        yield SystemCommand(
            "Cycle sort order", "relevance → newest → oldest (f2)", search.action_cycle_sort
        )
        yield SystemCommand(
            "Similar articles", "Articles like the highlighted result (f3)", search.action_similar
        )
        yield SystemCommand(
            "Export results",
            "Write the current results to .jsonl or .csv (f4)",
            search.action_export,
        )
        yield SystemCommand(
            "Clear all filters", "Remove every facet filter (f5)", search.action_clear_filters
        )
        yield SystemCommand(
            "Group by story",
            "One row per story, with its outlets (f6: toggle)",
            search.action_toggle_stories,
        )
        yield SystemCommand(
            "Fold copies / list every copy",
            'Copies of one article as one result with "also in", or each its own (toggle)',
            search.action_toggle_copies,
        )
        yield SystemCommand(
            "Other outlets' versions",
            "Every article of the highlighted result's story (f7)",
            search.action_versions,
        )
        yield SystemCommand(
            "Related names",
            "People, organisations and places seen most with the highlighted "
            "facet value, in the current results (f8; r in the facets)",
            search.action_related,
        )
        yield SystemCommand(
            "Review entities",
            "Merge, split, retype or drop entity values (v in the facets)",
            self.open_review,
        )
        yield SystemCommand(
            "Ranking feedback",
            "Rank by the query widened with its best matches' words, or as typed (f10)",
            search.action_toggle_expand,
        )
        yield SystemCommand(
            "Coverage timeline",
            "Show or hide the bars per period and outlet (f9: toggle)",
            search.action_toggle_timeline,
        )
        for interval in ("day", "week", "month"):
            yield SystemCommand(
                f"Timeline by {interval}",
                f"Matching articles per {interval}, split by outlet",
                lambda interval=interval: search.set_timeline(interval),
            )
        yield SystemCommand(
            "Star / unstar", "Star the highlighted result (* in the results)", search.action_star
        )
        yield SystemCommand(
            "Tag", "Tag the highlighted result (t in the results)", search.action_tag
        )
        yield SystemCommand(
            "Save this search", "Keep the query and filters under a name", search.action_save_search
        )
        yield SystemCommand(
            "Saved searches",
            "Reopen a saved search; shows its new articles since last opened",
            search.action_saved_searches,
        )
        yield SystemCommand(
            "Load a watchlist",
            "A file of names: each with its count, all of them as one filter",
            search.action_load_watchlist,
        )
        yield SystemCommand(
            "Focus search box", "Back to typing a query (/ or esc)", search.action_focus_search
        )
        yield SystemCommand(
            "Focus results",
            "Move to the results list",
            lambda: search.query_one("#results").focus(),
        )
        yield SystemCommand(
            "Focus facets", "Move to the facet sidebar", lambda: search.query_one("#facets").focus()
        )
        yield SystemCommand(
            "Load more results",
            "Fetch the next page of hits",
            lambda: search.post_message(ResultsList.LoadMore()),
        )


def make_app(
    backend: Backend, *, corpus: Path | None = None, show_query_time: bool = True
) -> SearchApp:
    """The TUI over `backend` (tests pass a fake; `python -m tui` passes an IndexBackend)."""
    return SearchApp(backend, corpus=corpus, show_query_time=show_query_time)


def run_tui(index: Path | None, corpus: Path | None = None) -> None:
    """Open the TUI on the index folder `index` (None: no index found; a rebuild is offered)."""
    from tui.backend import IndexBackend, corpus_for

    corpus = corpus_for(index, corpus)
    make_app(IndexBackend(index, corpus=corpus), corpus=corpus).run()


def run_review(index: Path) -> None:
    """`searchidx entities review`: the entity review screen over the index folder `index`."""
    from tui.screens.review import ReviewApp

    ReviewApp(index).run()
