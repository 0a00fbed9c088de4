"""The search screen's working set: star and tag the current article, save the search and
reopen saved ones (with their new articles), load a watchlist as a filter. Every backend call
runs in a thread worker; answers come back to the UI thread with `call_from_thread`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from tui.backend import STAR, Hit, SearchIdxError, SearchRequest
from tui.screens import search_app
from tui.screens.timeline import TimelineControls
from tui.screens.workset_dialogs import AskScreen, PickScreen
from tui.widgets.query_bar import QueryBar
from tui.widgets.results_list import ResultsList


class WorksetControls(TimelineControls):
    """The base of SearchScreen (which provides `search`, `filters`, `excludes`, `sort`)."""

    query_text: str
    filters: dict[str, list[str]]
    excludes: dict[str, list[str]]
    sort: str

    if TYPE_CHECKING:

        def search(self) -> None: ...

    # -- stars and tags ---------------------------------------------------------------------

    def _current(self) -> Hit | None:
        hit = self.query_one(ResultsList).current_hit
        if hit is None:
            self.notify("Pick a result first (move to it in the list).", severity="warning")
        return hit

    def action_star(self) -> None:
        hit = self._current()
        if hit is not None:
            self.mark_hit(hit, star=True)

    def action_tag(self) -> None:
        hit = self._current()
        if hit is not None:
            self.mark_hit(hit, star=False)

    def mark_hit(self, hit: Hit, star: bool) -> None:
        """Star or unstar `hit`, or ask for tags to add to it."""
        if star:
            self._run_mark(hit, None)
            return

        def chosen(answer: str | None) -> None:
            if answer:
                self._run_mark(hit, answer.replace(",", " ").split())

        shown = " ".join(f"#{t}" for t in hit.tags) or "none yet"
        self.app.push_screen(
            AskScreen(f"Tag “{hit.title[:60]}”", f"Tags to add, separated by spaces ({shown}):"),
            chosen,
        )

    @work(thread=True, group="marks")
    def _run_mark(self, hit: Hit, tags: list[str] | None) -> None:
        backend = search_app(self).backend
        try:
            now = backend.toggle_star(hit.id) if tags is None else backend.add_tags(hit.id, tags)
        except SearchIdxError as error:
            self.app.call_from_thread(self.notify, f"Not saved: {error}", severity="error")
            return
        self.app.call_from_thread(self._marked, replace(hit, tags=now), tags is None)

    def _marked(self, hit: Hit, star: bool) -> None:
        self.query_one(ResultsList).replace_hit(hit)
        marked = getattr(self.app.screen, "marked", None)
        if callable(marked) and getattr(self.app.screen, "hit", None) is not None:
            marked(hit)
        if star:
            self.notify("Starred" if STAR in hit.tags else "Star removed", timeout=2)
        else:
            self.notify("Tags: " + " ".join(f"#{t}" for t in hit.tags), timeout=3)

    # -- saved searches -----------------------------------------------------------------------

    def action_save_search(self) -> None:
        request = replace(self.request(), offset=0, facets=())

        def chosen(name: str | None) -> None:
            if name:
                self._run_save(name, request)

        what = request.query or "every article"
        self.app.push_screen(AskScreen("Save this search", f"A name for “{what}”:"), chosen)

    @work(thread=True, group="saved")
    def _run_save(self, name: str, request: SearchRequest) -> None:
        try:
            search_app(self).backend.save_search(name, request)
        except SearchIdxError as error:
            self.app.call_from_thread(self.notify, f"Not saved: {error}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Saved “{name}”", timeout=2)

    @work(thread=True, group="saved")
    def action_saved_searches(self) -> None:
        try:
            found = search_app(self).backend.saved_searches()
        except SearchIdxError as error:
            self.app.call_from_thread(self.notify, f"Saved searches: {error}", severity="error")
            return
        if not found:
            self.app.call_from_thread(
                self.notify, "No saved searches yet (palette: Save this search)", timeout=3
            )
            return
        rows = []
        for saved, row in found:
            text = Text(saved.name, style="bold")
            text.append(f"  {saved.request.query or '*'}", style="dim")
            text.append(f"  {row.total:,} article{'' if row.total == 1 else 's'}")
            if row.new:
                text.append(f", {row.new:,} new", style="bold #98c379")
            rows.append(text)
        names = [saved.name for saved, _ in found]

        def chosen(number: int | None) -> None:
            if number is not None:
                self._run_open_saved(names[number])

        self.app.call_from_thread(
            self.app.push_screen, PickScreen("Saved searches (new since last opened)", rows), chosen
        )

    @work(thread=True, group="saved")
    def _run_open_saved(self, name: str) -> None:
        try:
            request = search_app(self).backend.open_saved(name)
        except SearchIdxError as error:
            self.app.call_from_thread(self.notify, f"Cannot open: {error}", severity="error")
            return
        self.app.call_from_thread(self.apply_request, request)

    def apply_request(self, request: SearchRequest) -> None:
        """Show a saved search: its query in the box, its filters, dates aside, and sort."""
        self.filters = {f: list(v) for f, v in request.filters}
        self.excludes = {f: list(v) for f, v in request.excludes}
        self.sort = request.sort
        self.set_query(request.query)

    def set_query(self, query: str) -> None:
        self.query_text = query
        self.query_one(QueryBar).input.value = query  # its Changed matches: no second search
        self.search()

    # -- watchlists -----------------------------------------------------------------------------

    def action_load_watchlist(self) -> None:
        def chosen(answer: str | None) -> None:
            if answer:
                self._run_watchlist(Path(answer).expanduser())

        self.app.push_screen(
            AskScreen("Load a watchlist", "Watchlist file (one name a line, `org: Name | alias`):"),
            chosen,
        )

    @work(thread=True, group="watch")
    def _run_watchlist(self, path: Path) -> None:
        try:
            found, skipped = search_app(self).backend.watchlist(path)
        except SearchIdxError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if skipped:
            self.app.call_from_thread(
                self.notify, f"Skipped {len(skipped)} line(s): {skipped[0]}", severity="warning"
            )
        if not found:
            return
        rows = [Text(f"All {len(found)} names as one filter", style="bold")]
        for name, row in found:
            line = Text(name.name, style="bold")
            if name.aliases:
                line.append(f"  ({', '.join(name.aliases)})", style="dim")
            line.append(f"  {row.total:,} article{'' if row.total == 1 else 's'}")
            rows.append(line)
        queries = [" OR ".join(f"({name.query})" for name, _ in found)]
        queries += [name.query for name, _ in found]

        def chosen(number: int | None) -> None:
            if number is not None:
                self.set_query(queries[number])

        self.app.call_from_thread(
            self.app.push_screen, PickScreen(f"Watchlist {path.name}", rows), chosen
        )
