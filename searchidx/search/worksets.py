"""Running the working set's searches: one summary row per watched name, batch query or saved
search (total, first and last date, top outlets, the newest hits), and what is new since the
last run. The stores are in `searchidx.workset`; this module is where they meet `search`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from searchidx.errors import SearchIdxError
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine
from searchidx.models import ENTITY_FIELDS, Hit, SearchRequest
from searchidx.search.facets import FACETS, EntityFacet
from searchidx.search.searching import (
    compile_query,
    hit_for,
    matched_docs,
    query_marks,
    ranked_docs,
)
from searchidx.workset import saved as saved_store
from searchidx.workset import seen
from searchidx.workset.tags import folder_of, without_tags
from searchidx.workset.watchlist import WatchName, read_watchlist, scope

TOP_OUTLETS = 3


@dataclass(frozen=True)
class Summary:
    """One row: what a name or query matched (only the new articles with `new`)."""

    label: str
    total: int = 0
    first: date | None = None
    last: date | None = None
    outlets: tuple[tuple[str, int], ...] = ()
    hits: tuple[Hit, ...] = ()
    error: str | None = None
    new: int | None = None  # articles not matched at the last run (None: not asked)


def _day(index: Engine, docs: DocSet, newest: bool) -> date | None:
    found = index.date_ordered(docs, newest, 1)
    return index.stored(found[0]).day if found else None


def summarize(
    index: Engine, label: str, q: qt.QueryNode, docs: DocSet, hits: int, sort: str = "newest"
) -> Summary:
    """The row of a match set: counts, date span, top outlets and the first `hits` hits."""
    outlets: Counter[str] = Counter()
    column = index.text_column("outlet")
    for doc in docs:
        if column[doc]:
            outlets[column[doc]] += 1
    marks = query_marks(index, q) if hits else None
    shown = tuple(
        hit_for(index, doc, score, marks, 1 if marks else 0)
        for doc, score in ranked_docs(index, without_tags(q), docs, sort, hits)
    ) if hits and docs else ()  # fmt: skip
    top = tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_OUTLETS])
    return Summary(label, len(docs), _day(index, docs, False), _day(index, docs, True), top, shown)


def _ids(index: Engine, docs: DocSet) -> dict[str, int]:
    """id -> document of each of `docs`: from stored fields for a few, else from the id
    postings read once per generation (reading 1,500 stored articles took ~150 ms)."""
    if len(docs) <= 64:
        return {index.stored(doc).id: doc for doc in docs}

    def invert() -> dict[int, str]:
        return {doc: key for key, found in index.field_values("id").items() for doc in found}

    ids = index.memo("workset-ids", invert)
    return {ids[doc]: doc for doc in docs if doc in ids}


def only_new(
    index: Engine, docs: DocSet, scope_name: str, remember: bool = True
) -> tuple[DocSet, int]:
    """(the documents of `docs` not matched at the scope's last run, their count); with
    `remember`, this run is recorded as the last one."""
    folder = folder_of(index)
    before = seen.seen_ids(folder, scope_name)
    ids = _ids(index, docs)
    fresh = frozenset(d for i, d in ids.items() if before is None or i not in before)
    if remember:
        seen.remember(folder, scope_name, ids)
    return fresh, len(fresh)


def name_query(index: Engine, name: WatchName) -> qt.QueryNode:
    """Every spelling of a watched name as an entity value (through the alias table, so each
    variant counts) and as a phrase in the title or body."""
    kinds = (name.kind,) if name.kind else ENTITY_FIELDS
    spellings = list(name.spellings)
    leaves: list[qt.QueryNode] = []
    for kind in kinds:
        facet = FACETS[kind]
        assert isinstance(facet, EntityFacet)
        for spelling in name.spellings:
            for value in facet.stored_values(index, spelling):
                leaves.append(qt.Term(kind, value))
                if value.lower() not in {s.lower() for s in spellings}:
                    spellings.append(value)
    for spelling in spellings:
        for field in ("title", "body"):
            terms = index.analyze(spelling, field)
            if len(terms) == 1:
                leaves.append(qt.Term(field, terms[0]))
            elif terms:
                leaves.append(qt.Phrase(field, tuple(terms)))
    return qt.Or(tuple(dict.fromkeys(leaves))) if leaves else qt.Nothing()


def watch(
    index: Engine, path: Path, names: list[WatchName], new: bool, hits: int = 0
) -> list[Summary]:
    """One row per name; with `new`, only articles not matched at the file's last `watch`.
    Every run is remembered, so `--new` next time is relative to this one."""
    rows = []
    for name in names:
        q = name_query(index, name)
        docs = index.match(q)
        fresh, count = only_new(index, docs, scope(path, name))
        row = summarize(index, name.name, q, fresh if new else docs, hits)
        rows.append(replace(row, new=count) if new else row)
    return rows


def run_query(index: Engine, request: SearchRequest, hits: int = 0) -> Summary:
    """A batch line's row; a query that does not parse is a row with its error."""
    try:
        q, docs = matched_docs(index, request)
    except SearchIdxError as error:
        return Summary(request.query, error=str(error))
    return summarize(index, request.query, q, docs, hits, request.sort)


def run_saved(
    index: Engine, name: str, new: bool = False, hits: int = 20, remember: bool = True
) -> tuple[saved_store.Saved, Summary]:
    """A saved search's row (the hits: new ones only with `new`), its new count set; recorded
    as opened when `remember`."""
    folder = folder_of(index)
    stored = saved_store.get(folder, name)
    q, docs = matched_docs(index, stored.request)
    fresh, count = only_new(index, docs, saved_store.scope(stored.name), remember)
    row = summarize(index, stored.name, q, fresh if new else docs, hits, stored.request.sort)
    if remember:
        saved_store.mark_opened(folder, stored.name)
    return stored, replace(row, new=count)


def watch_file(index: Engine, path: Path) -> tuple[list[tuple[WatchName, Summary]], list[str]]:
    """A watchlist file's names with their rows, and its skipped lines (for the TUI)."""
    names, problems = read_watchlist(path)
    rows = watch(index, path, names, new=False)
    return list(zip(names, rows, strict=True)), [str(p) for p in problems]


def saved_overview(index: Engine) -> list[tuple[saved_store.Saved, Summary]]:
    """Every saved search with its total and new count, none marked as opened."""
    return [
        run_saved(index, saved.name, hits=0, remember=False)
        for saved in saved_store.all_saved(folder_of(index))
    ]


def save_checked(index: Engine, name: str, request: SearchRequest) -> saved_store.Saved:
    """Save a search after checking its query parses (QuerySyntaxError otherwise); what it
    matches now counts as seen, so its new articles are those that come after."""
    compile_query(index, request.query, request.literal)
    saved = saved_store.save(folder_of(index), name, request)
    run_saved(index, saved.name, hits=0)
    return saved
