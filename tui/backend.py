"""The TUI's one door to the core: a `Backend` protocol tests can fake, and the real one.

This is the only module under `tui/` that imports `searchidx`; screens and widgets take the
models from here. The real backend imports the search modules lazily so the TUI starts fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from searchidx.config import find_index, index_for_rebuild
from searchidx.entities.review import Candidate, ReviewLog, candidates, decision_line
from searchidx.errors import IndexMissing, QuerySyntaxError, SearchIdxError, UnknownArticle
from searchidx.models import (
    ENTITY_FIELDS,
    FacetCount,
    Hit,
    SearchRequest,
    SearchResults,
    Snippet,
    StoredArticle,
)
from searchidx.search.records import copy_text, dumps, hit_record, hits_csv
from searchidx.search.worksets import Summary
from searchidx.stories.grouped import Story, StoryResults
from searchidx.stories.related import Related, RelatedResults, UnknownEntity
from searchidx.stories.timeline import Period, Timeline
from searchidx.workset.saved import Saved
from searchidx.workset.tags import STAR
from searchidx.workset.watchlist import WatchName

if TYPE_CHECKING:
    from searchidx.index.engine import Engine

__all__ = [
    "ENTITY_FIELDS",
    "Backend",
    "Candidate",
    "FacetCount",
    "Hit",
    "IndexBackend",
    "IndexMissing",
    "Period",
    "QuerySyntaxError",
    "RebuildOutcome",
    "RebuildProgress",
    "Related",
    "RelatedResults",
    "STAR",
    "Saved",
    "SearchIdxError",
    "SearchRequest",
    "SearchResults",
    "Snippet",
    "StoredArticle",
    "Story",
    "StoryResults",
    "Summary",
    "Timeline",
    "UnknownArticle",
    "UnknownEntity",
    "WatchName",
    "collect_all",
    "copy_text",
    "decision_line",
    "corpus_for",
    "find_index",
    "review_candidates",
    "review_log",
    "write_export",
]


def review_candidates(index: Path) -> list[Candidate]:
    """Merge candidates and suspicious entity values of the index folder, most articles first."""
    from searchidx.search.entity_table import live_alias_table

    return candidates(live_alias_table(index))


def review_log(index: Path) -> ReviewLog:
    """The review decisions in the index's user alias file."""
    from searchidx.search.entity_table import review_file

    return ReviewLog(review_file(index))


@dataclass(frozen=True)
class RebuildProgress:
    """One progress report of a rebuild, in the TUI's terms."""

    phase: str  # e.g. "reading" / "entities"
    done: int
    total: int | None
    indexed: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(frozen=True)
class RebuildOutcome:
    indexed: int
    skipped: int
    failed: int
    failures: tuple[str, ...] = field(default_factory=tuple)


class Backend(Protocol):
    """What the TUI needs from an index. Every method may be slow: call it from a worker."""

    @property
    def location(self) -> str: ...

    def has_index(self) -> bool: ...

    def search(self, request: SearchRequest) -> SearchResults: ...

    def article(self, article_id: str, highlight: str | None = None) -> StoredArticle: ...

    def similar(self, article_id: str, limit: int = 20) -> SearchResults: ...

    def export(self, request: SearchRequest, path: Path) -> int: ...

    def stories(self, request: SearchRequest) -> StoryResults:
        """One page of stories (request.limit/offset count stories), each with its best hit."""
        ...

    def story_versions(self, article_id: str) -> SearchResults:
        """Every article of that article's story, earliest first."""
        ...

    def related(self, name: str, request: SearchRequest, size: int = 10) -> RelatedResults:
        """The names seen most with `name` in the articles matching the request (raises
        UnknownEntity when no person, organisation or place has that name)."""
        ...

    def timeline(self, request: SearchRequest, interval: str = "month") -> Timeline:
        """Matching articles per day, week or month, split by outlet."""
        ...

    def rebuild(
        self, corpus: Path, progress: Callable[[RebuildProgress], None]
    ) -> RebuildOutcome: ...

    # the working set: `toggle_star` and `add_tags` give the article's tags now; a saved
    # search's row counts new articles since it was opened (`open_saved` marks them seen)

    def toggle_star(self, article_id: str) -> tuple[str, ...]: ...

    def add_tags(self, article_id: str, tags: list[str]) -> tuple[str, ...]: ...

    def saved_searches(self) -> list[tuple[Saved, Summary]]: ...

    def save_search(self, name: str, request: SearchRequest) -> None: ...

    def open_saved(self, name: str) -> SearchRequest: ...

    def watchlist(self, path: Path) -> tuple[list[tuple[WatchName, Summary]], list[str]]: ...


def write_export(hits: list[Hit], path: Path) -> int:
    """Write hits as `searchidx query --format jsonl` does, or as its CSV when the file name ends
    in .csv (searchidx.search.records: one record shape everywhere); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        text = hits_csv(hits)
    else:
        text = "\n".join(dumps(hit_record(hit)) for hit in hits)
    path.write_text(text + "\n" if text else "", encoding="utf-8")
    return len(hits)


def collect_all(
    search: Callable[[SearchRequest], SearchResults], request: SearchRequest
) -> list[Hit]:
    """Every hit of `request`, page by page, without facets or snippets (exports want all)."""
    hits: list[Hit] = []
    page = replace(request, offset=0, limit=500, facets=(), snippets=0)
    while True:
        results = search(page)
        hits.extend(results.hits)
        if not results.hits or len(hits) >= results.total:
            return hits
        page = replace(page, offset=len(hits))


def corpus_for(index: Path | None, corpus: Path | None) -> Path | None:
    """The corpus folder to offer for a rebuild: the one given, the one the index was built
    from, else ./corpus when there is one."""
    if corpus is not None:
        return corpus
    if index is not None:
        from searchidx.rebuild.run import corpus_root_of

        recorded = corpus_root_of(index) if index.is_dir() else None
        if recorded is not None:
            return recorded
    return Path("corpus").absolute() if Path("corpus").is_dir() else None


class ProgressRelay:
    """A rebuild's progress reports (searchidx.rebuild.progress.ProgressReporter), passed on to
    the TUI as `RebuildProgress` instead of drawn on stderr; called from the rebuild's thread."""

    REPORT_SECONDS = 0.05  # at most ~20 reports a second: the UI thread has painting to do

    def __init__(self, send: Callable[[RebuildProgress], None]) -> None:
        self._send_to = send
        self.phase = "starting"
        self.done = self.total = 0
        self.indexed = self.skipped = self.failed = self.warnings = 0
        self._sent = 0.0

    def _send(self) -> None:
        self._sent = time.monotonic()
        self._send_to(
            RebuildProgress(
                self.phase,
                self.done,
                self.total or None,
                indexed=self.indexed,
                skipped=self.skipped,
                failed=self.failed + self.warnings,  # files not read, and rebuild warnings
            )
        )

    def _send_soon(self) -> None:
        if time.monotonic() - self._sent >= self.REPORT_SECONDS or self.done >= self.total:
            self._send()

    def stage(self, text: str) -> None:
        self.phase, self.total, self.done = text, 0, 0
        self._send()

    def start(self, label: str, total: int, unit: str = "files", done: int = 0) -> None:
        self.phase, self.total, self.done = label, total, done
        self._send()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._send_soon()

    def pause(self, text: str) -> None:
        pass

    def resume(self) -> None:
        pass

    def finish(self) -> None:
        self.total = 0

    def warn(self, text: str) -> None:
        self.warnings += 1
        self._send()

    def line(self, text: str) -> None:
        pass

    def counts(self, indexed: int, skipped: int, failed: int) -> None:
        self.indexed, self.skipped, self.failed = indexed, skipped, failed
        self._send_soon()


class IndexBackend:
    """The real backend: one index folder, opened lazily, shared by the worker threads."""

    def __init__(self, path: Path | None, corpus: Path | None = None) -> None:
        # with no index found, a rebuild writes where `searchidx rebuild` would
        self._path = path if path is not None else index_for_rebuild(None)
        self.corpus = corpus
        self._index: Engine | None = None
        self._engine: str | None = None  # the engine the open index was written with
        # whoosh searchers are not documented as thread-safe; workers take turns
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        return str(self._path)

    def _open(self) -> Engine:
        from searchidx.index.engines import engine_of, open_index

        engine = engine_of(self._path)
        if self._index is None or engine != self._engine:  # a rebuild may switch engines
            if self._index is not None:
                self._index.close()
            self._index, self._engine = open_index(self._path), engine
        else:
            self._index.refresh()
        return self._index

    def has_index(self) -> bool:
        try:
            with self._lock:
                self._open()
        except SearchIdxError:
            return False
        return True

    def search(self, request: SearchRequest) -> SearchResults:
        from searchidx.search.searching import search
        from searchidx.stories.collapse import collapsed_search

        with self._lock:
            return (search if request.all_copies else collapsed_search)(self._open(), request)

    def article(self, article_id: str, highlight: str | None = None) -> StoredArticle:
        from searchidx.search.searching import get_article

        with self._lock:
            return get_article(self._open(), article_id, highlight=highlight)

    def similar(self, article_id: str, limit: int = 20) -> SearchResults:
        from searchidx.search.searching import similar

        with self._lock:
            return similar(self._open(), article_id, limit)

    def export(self, request: SearchRequest, path: Path) -> int:
        return write_export(collect_all(self.search, request), path)

    def stories(self, request: SearchRequest) -> StoryResults:
        from searchidx.stories.grouped import search_stories

        with self._lock:
            return search_stories(self._open(), request, articles=1)

    def story_versions(self, article_id: str) -> SearchResults:
        from searchidx.stories.grouped import story_articles

        with self._lock:
            return story_articles(self._open(), article_id)

    def related(self, name: str, request: SearchRequest, size: int = 10) -> RelatedResults:
        from searchidx.stories.related import related

        with self._lock:
            return related(self._open(), name, request, size)

    def timeline(self, request: SearchRequest, interval: str = "month") -> Timeline:
        from searchidx.stories.timeline import timeline

        with self._lock:
            return timeline(self._open(), request, interval)

    def rebuild(self, corpus: Path, progress: Callable[[RebuildProgress], None]) -> RebuildOutcome:
        from searchidx.rebuild.failures import failed_files, report_lines
        from searchidx.rebuild.run import rebuild

        report = rebuild(self._path, corpus, progress=ProgressRelay(progress))
        self._index = None
        return RebuildOutcome(
            indexed=report.indexed + report.updated,
            skipped=report.skipped,
            failed=failed_files(report.failures),
            failures=tuple(line.strip() for line in report_lines(report.failures, 10)),
        )

    def toggle_star(self, article_id: str) -> tuple[str, ...]:
        from searchidx.workset.tags import toggle_star

        with self._lock:
            return toggle_star(self._open(), article_id).tags

    def add_tags(self, article_id: str, tags: list[str]) -> tuple[str, ...]:
        from searchidx.workset.tags import add_tags

        with self._lock:
            return add_tags(self._open(), article_id, tags).tags

    def saved_searches(self) -> list[tuple[Saved, Summary]]:
        from searchidx.search.worksets import saved_overview

        with self._lock:
            return saved_overview(self._open())

    def save_search(self, name: str, request: SearchRequest) -> None:
        from searchidx.search.worksets import save_checked

        with self._lock:
            save_checked(self._open(), name, request)

    def open_saved(self, name: str) -> SearchRequest:
        from searchidx.search.worksets import run_saved

        with self._lock:
            return run_saved(self._open(), name, hits=0)[0].request

    def watchlist(self, path: Path) -> tuple[list[tuple[WatchName, Summary]], list[str]]:
        from searchidx.search.worksets import watch_file

        with self._lock:
            return watch_file(self._open(), path)
