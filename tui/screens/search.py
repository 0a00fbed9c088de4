"""The main screen: search box, facet sidebar, results list, status line; runs the searches.

Searches run in exclusive thread workers (a new keystroke cancels the one in flight) and come
back as messages; a serial number drops any answer that arrives after a newer search started.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from tui.backend import Hit, QuerySyntaxError, SearchIdxError, SearchRequest, SearchResults
from tui.screens import search_app
from tui.screens.copies import CopiesControls
from tui.screens.search_messages import SearchDone, SearchFailed
from tui.widgets.facet_panel import FACETS, FacetPanel
from tui.widgets.query_bar import QueryBar
from tui.widgets.results_list import ResultsList
from tui.widgets.status_line import StatusLine
from tui.widgets.timeline_strip import TimelineStrip

FIRST_PAGE = 12  # about a screenful: snippets are the costly part of a search
PAGE_SIZE = 30
FACET_SIZE = 12
SORTS = ("relevance", "newest", "oldest")
SUGGEST_PAUSE_SECONDS = 0.3
ENTITY_POLL_SECONDS = 2.0  # facets recounted this often while the entity phase runs


class SearchScreen(CopiesControls):
    """Faceted search as you type."""

    BINDINGS = [
        Binding("f1", "app.help", "Help"),
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("f2", "cycle_sort", "Sort"),
        Binding("f3", "similar", "Similar"),
        Binding("f4", "export", "Export"),
        Binding("f5", "clear_filters", "Clear filters"),
        Binding("f6", "toggle_stories", "Stories", show=False),
        Binding("f7", "versions", "Versions", show=False),
        Binding("f8", "related", "Related", show=False),
        Binding("f9", "toggle_timeline", "Timeline", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("slash", "focus_search", "Search", show=False),
        Binding("down", "focus_results", "Results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.filters: dict[str, list[str]] = {}
        self.excludes: dict[str, list[str]] = {}
        self.sort = "relevance"
        self.serial = 0
        self.shown: SearchResults | None = None
        self.similar_to: Hit | None = None
        self.group_stories = False  # one row per story (its best hit), see docs/stories.md
        self.versions_of: Hit | None = None  # showing every article of this hit's story
        self.timeline_interval: str | None = None  # see TimelineControls
        self._turn = threading.Lock()
        self._answered = 0  # the serial of the last search whose results are on screen

    def compose(self) -> ComposeResult:
        yield QueryBar(id="query-bar")
        with Horizontal(id="main"):
            yield FacetPanel(id="facets")
            yield ResultsList(id="results")
        yield TimelineStrip(id="timeline")
        yield StatusLine(show_time=getattr(self.app, "show_query_time", True), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(QueryBar).input.focus()
        self.search()
        self.set_interval(ENTITY_POLL_SECONDS, self._poll_entities)

    def _poll_entities(self) -> None:
        """While the entity phase runs, the facets are counted again now and then (results
        stay as they are), the last time when it has ended: the facets end complete."""
        if self.shown is not None and self.shown.entities_pending and self.similar_to is None:
            request = replace(self.request(), limit=0, snippets=0)
            self._run_facets(self.serial, request)

    @work(thread=True, exclusive=True, group="facets")
    def _run_facets(self, serial: int, request: SearchRequest) -> None:
        try:
            with self._turn:
                if serial != self.serial:
                    return
                results = search_app(self).backend.search(request)
        except SearchIdxError:
            return  # the next poll, or the next search, tries again
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(serial, results, False, note="facets"))

    # -- the request ----------------------------------------------------------------------

    def request(self, offset: int = 0, limit: int = FIRST_PAGE) -> SearchRequest:
        query = self.query_text.strip()
        sort = "newest" if not query and self.sort == "relevance" else self.sort
        return SearchRequest(
            query=query,
            filters=tuple((f, tuple(v)) for f, v in self.filters.items() if v),
            excludes=tuple((f, tuple(v)) for f, v in self.excludes.items() if v),
            sort=sort,
            limit=limit,
            offset=offset,
            facets=FACETS,
            facet_size=FACET_SIZE,
            snippets=3,
            suggest=False,  # asked for afterwards, only when nothing matched (see _run_suggest)
            all_copies=self.all_copies,
            expand=self.expand,
        )

    def search(self) -> None:
        self.serial += 1
        self.similar_to = None
        self.versions_of = None
        self.workers.cancel_group(self, "more")
        self._run_search(self.serial, self.request())

    @work(thread=True, exclusive=True, group="search")
    def _run_search(self, serial: int, request: SearchRequest, append: bool = False) -> None:
        worker = get_current_worker()
        try:
            # a cancelled worker cannot be stopped mid-search, so searches take turns and one
            # that was superseded while it waited gives up before it starts
            with self._turn:
                if worker.is_cancelled or serial != self.serial:
                    return
                results, notes = self._fetch(request)
        except SearchIdxError as error:
            if not worker.is_cancelled:
                self.post_message(SearchFailed(serial, error))
            return
        if not worker.is_cancelled:
            self.post_message(SearchDone(serial, results, append, hit_notes=notes))

    def _fetch(self, request: SearchRequest) -> tuple[SearchResults, dict[str, str] | None]:
        """Hits, or one best hit a story (`total` then counts stories) with a line on the rest."""
        backend = search_app(self).backend
        if not self.group_stories:
            return backend.search(request), None
        found = backend.stories(request)
        notes = {}
        for story in found.stories:
            others = story.count - 1
            head = f"+{others} more in this story" if others else "only article of its story"
            notes[story.hits[0].id] = f"⎘ {head} · {', '.join(story.outlets)}"
        return replace(found.results, total=found.total_stories, collapsed_total=None), notes

    @work(thread=True, exclusive=True, group="suggest")
    def _run_suggest(self, serial: int, request: SearchRequest) -> None:
        # after the empty result is on screen, and once typing pauses: a did-you-mean search costs
        # more than the search, and the next keystroke's search would wait for it
        time.sleep(SUGGEST_PAUSE_SECONDS)
        with self._turn:
            if get_current_worker().is_cancelled or serial != self.serial:
                return
            try:
                results = search_app(self).backend.search(request)
            except SearchIdxError:
                return
        if results.suggestion and not get_current_worker().is_cancelled:
            self.post_message(SearchDone(serial, results, append=False, note="suggestion"))

    @work(thread=True, exclusive=True, group="more")
    def _run_more(self, serial: int, request: SearchRequest) -> None:
        worker = get_current_worker()
        try:
            results, notes = self._fetch(request)
        except SearchIdxError as error:
            if not worker.is_cancelled:
                self.post_message(SearchFailed(serial, error))
            return
        if not worker.is_cancelled:
            self.post_message(SearchDone(serial, results, append=True, hit_notes=notes))

    @work(thread=True, exclusive=True, group="search")
    def _run_around(self, serial: int, hit: Hit, versions: bool) -> None:
        """Articles similar to `hit`, or (versions) every article of its story."""
        worker = get_current_worker()
        backend = search_app(self).backend
        try:
            results = (backend.story_versions(hit.id) if versions
                       else backend.similar(hit.id, PAGE_SIZE))  # fmt: skip
        except SearchIdxError as error:
            if not worker.is_cancelled:
                self.post_message(SearchFailed(serial, error))
            return
        if not worker.is_cancelled:
            self.post_message(SearchDone(serial, results, append=False, note="similar"))

    # -- answers --------------------------------------------------------------------------

    def on_search_done(self, message: SearchDone) -> None:
        if message.serial != self.serial:
            return  # an older search finished after a newer one started
        results = message.results
        if message.note == "facets":
            if self.shown is not None:
                self.query_one(FacetPanel).show_results(results)
                pending = results.entities_pending
                self.shown = replace(self.shown, facets=results.facets, entities_pending=pending)
                self._show_status(self.shown)
            return
        if message.note == "suggestion":
            if self.shown is not None and not self.shown.hits:
                self.shown = replace(self.shown, suggestion=results.suggestion)
                self._show_status(self.shown)
            return
        results_list = self.query_one(ResultsList)
        self.query_one(QueryBar).show_error(None)
        rows = results.total if results.collapsed_total is None else results.collapsed_total
        results_list.show_hits(list(results.hits), rows, message.append, message.hit_notes)
        search_app(self).results_shown(self.query_text)  # after this frame, before the counts'
        if not message.append:
            if message.note != "similar":
                if (panel := self.query_one(FacetPanel)).hold(results):  # after the hits' paint
                    self.app.call_after_refresh(panel.show_held)
                if self.timeline_interval is not None:
                    self._run_timeline(message.serial, self.request(), self.timeline_interval)
            self.shown = results
            if not results.total and results.request.query and not results.request.suggest:
                self._run_suggest(
                    message.serial,
                    replace(results.request, suggest=True, limit=0, facets=(), snippets=0),
                )
        self._show_status(results)
        self._answered = self._answered if message.append else message.serial

    def on_search_failed(self, message: SearchFailed) -> None:
        if message.serial != self.serial:
            return
        error = message.error
        if isinstance(error, QuerySyntaxError):
            # the old results stay on screen: the user is probably mid-way through typing
            self.query_one(QueryBar).show_error(f"Query syntax: {error}")
        else:
            self.query_one(StatusLine).say(f"Search failed: {error}", style="bold red")
        search_app(self).results_shown(self.query_text)

    def _show_status(self, results: SearchResults) -> None:
        request = self.request()
        notes, sort = self.ranking_notes(request, self.similar_to is not None), request.sort
        if self.similar_to is not None:
            notes.append(f"similar to “{self.similar_to.title}” (esc: back)")
            sort = "similarity"
        elif self.versions_of is not None:
            notes.append(f"every version of the story of “{self.versions_of.title}” (esc: back)")
            sort = "date"
        elif self.group_stories:
            notes.append(
                "grouped by story: the total counts stories, facets articles (f6: ungroup)"
            )
        if results.entities_pending:
            notes.append(f"entity facets still being filled ({results.entities_pending:,} left)")
        if results.suggestion:
            notes.append(f"did you mean: {results.suggestion}")
        notes.extend(results.notes)  # how the query was read (a stray quote)
        self.query_one(StatusLine).show(
            total=results.total, folded=results.collapsed_total,
            loaded=len(self.query_one(ResultsList).hits),
            filters=request.filters, excludes=request.excludes,
            sort=sort, took_ms=results.took_ms, note="; ".join(notes),
        )  # fmt: skip

    # -- what the widgets report ----------------------------------------------------------

    def on_query_bar_changed(self, message: QueryBar.Changed) -> None:
        if message.query.strip() == self.query_text.strip() and self.similar_to is None:
            self.query_text = message.query  # e.g. "oil" -> "oil ": the same search
            if self._answered == self.serial:  # and its results are on screen already
                search_app(self).results_shown(self.query_text)
            return
        self.query_text = message.query
        self.search()

    def on_facet_panel_toggled(self, message: FacetPanel.Toggled) -> None:
        chosen, other = (
            (self.excludes, self.filters) if message.exclude else (self.filters, self.excludes)
        )
        values = chosen.setdefault(message.facet, [])
        if message.value in values:
            values.remove(message.value)
        else:
            values.append(message.value)
            if message.value in other.get(message.facet, []):
                other[message.facet].remove(message.value)
        self.search()

    def on_facet_panel_cleared(self, message: FacetPanel.Cleared) -> None:
        self.filters.pop(message.facet, None)
        self.excludes.pop(message.facet, None)
        self.search()

    def on_facet_panel_related_asked(self, message: FacetPanel.RelatedAsked) -> None:
        from tui.screens.related import RelatedScreen

        self.app.push_screen(RelatedScreen(message.value, self.request()))

    def on_results_list_load_more(self, message: ResultsList.LoadMore) -> None:
        if self.shown is None or self.similar_to is not None or self.versions_of is not None:
            return
        offset = len(self.query_one(ResultsList).hits)
        self._run_more(
            self.serial, replace(self.shown.request, offset=offset, limit=PAGE_SIZE, facets=())
        )

    def on_results_list_opened(self, message: ResultsList.Opened) -> None:
        search_app(self).open_article(message.hit, self.query_text.strip())

    # -- actions (also in the command palette) --------------------------------------------

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.notify(f"Sorted by {self.sort}", timeout=2)
        self.search()

    def set_sort(self, sort: str) -> None:
        self.sort = sort
        self.search()

    def action_similar(self) -> None:
        hit = self.query_one(ResultsList).current_hit
        if hit is None:
            self.notify("Pick a result first (move to it in the list).", severity="warning")
            return
        self.show_similar(hit)

    def show_similar(self, hit: Hit) -> None:
        self.serial += 1
        self.workers.cancel_group(self, "more")
        self.similar_to = hit
        self._run_around(self.serial, hit, versions=False)

    def action_toggle_stories(self) -> None:
        self.group_stories = not self.group_stories
        self.notify("Grouped by story" if self.group_stories else "One row per article", timeout=2)
        self.search()

    def action_versions(self) -> None:
        hit = self.query_one(ResultsList).current_hit
        if hit is None:
            self.notify("Pick a result first (move to it in the list).", severity="warning")
            return
        self.serial += 1
        self.workers.cancel_group(self, "more")
        self.similar_to, self.versions_of = None, hit
        self._run_around(self.serial, hit, versions=True)

    def action_related(self) -> None:
        self.query_one(FacetPanel).action_related()

    def action_back(self) -> None:
        if self.similar_to is not None or self.versions_of is not None:
            self.search()
        else:
            self.action_focus_search()

    def action_clear_filters(self) -> None:
        self.filters.clear()
        self.excludes.clear()
        self.search()

    def action_focus_search(self) -> None:
        self.query_one(QueryBar).input.focus()

    def action_focus_results(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(ResultsList).focus()

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._run_export(self.request(), path)

        self.app.push_screen(ExportScreen(), chosen)

    @work(thread=True, group="export")
    def _run_export(self, request: SearchRequest, path: Path) -> None:
        try:
            count = search_app(self).backend.export(request, path)
        except (OSError, SearchIdxError) as error:
            self.app.call_from_thread(self.notify, f"Export failed: {error}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Exported {count:,} results to {path}")
