"""The tantivy implementation of `Engine`: the live generation opened for reading.

Documents are numbered 0..n-1 in tantivy's (segment, local) order of the live documents, once
per generation; one searcher per generation, reopened when a rebuild publishes a new one, and
everything derived from it (term sets, columns, facet tables, upper layers' memos) lives in
`cache` and goes with it.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from math import log
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import tantivy

from searchidx.errors import IndexCorrupt, IndexMissing
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Segment, Token
from searchidx.index.generations import current_generation, read_side_json
from searchidx.index.tantivy_engine import matching
from searchidx.index.tantivy_engine.schema import (
    analyze_text,
    article_from_stored,
    make_schema,
    text_tokens,
)
from searchidx.index.tantivy_engine.writing import generation_id, index_folder, live_addresses
from searchidx.models import Article

if TYPE_CHECKING:
    from searchidx.index.facet_tables import Tables, ValueTable

T = TypeVar("T")
# above this many values a field's value -> documents map is read from stored documents, not
# one search a value
SEARCHED_VALUES = 2000
MORE_LIKE_TERMS = 10  # as the whoosh engine's more_like


class TantivySegment:
    """The open generation as one segment (tantivy's own segments are not exposed)."""

    def __init__(self, engine: TantivyEngine) -> None:
        self._engine = engine

    @property
    def id(self) -> str:
        return self._engine.memo("generation-id", lambda: generation_id(self._engine.generation))

    def doc_count(self) -> int:
        return len(self._engine.addresses)

    def live(self) -> range:
        return range(len(self._engine.addresses))

    def is_deleted(self, local: int) -> bool:
        return False

    def stored(self, local: int) -> Article:
        return self._engine.stored(local)

    def doc(self, local: int) -> int:
        return local


class TantivyEngine:
    """A readable tantivy index: the live generation, reopened when a rebuild publishes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = make_schema()
        self._generation: Path | None = None
        self._searcher: tantivy.Searcher | None = None
        self.addresses: list[tantivy.DocAddress] = []
        self._numbers: dict[tuple[int, int], int] = {}
        self.cache: dict[str, object] = {}
        self.refresh()

    @classmethod
    def open(cls, path: Path) -> TantivyEngine:
        if current_generation(path) is None:
            raise IndexMissing(f"no index at {path}: run `searchidx rebuild CORPUS --index {path}`")
        return cls(path)

    @property
    def generation(self) -> Path:
        assert self._generation is not None
        return self._generation

    def refresh(self) -> bool:
        live = current_generation(self.path)
        if live is None:
            raise IndexMissing(f"no index at {self.path}: run `searchidx rebuild CORPUS`")
        if live == self._generation:
            return False
        try:
            index = tantivy.Index.open(str(index_folder(live)))
            searcher = index.searcher()
            addresses = live_addresses(searcher)
        except (ValueError, OSError) as error:
            raise IndexCorrupt(f"cannot open the index at {live}: {error}") from error
        self._generation, self._searcher, self.addresses = live, searcher, addresses
        self._numbers = {(a.segment_ord, a.doc): n for n, a in enumerate(addresses)}
        self.cache = {}
        return True

    def searcher(self) -> tantivy.Searcher:
        assert self._searcher is not None
        return self._searcher

    def close(self) -> None:
        self._searcher = None

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self.cache:
            self.cache[key] = compute()
        return cast(T, self.cache[key])

    def side_json(self, name: str, default: object = None) -> object:
        return self.memo(f"side:{name}", lambda: read_side_json(self.generation, name, default))

    def numbers(self, hits: Sequence[tuple[object, tantivy.DocAddress]]) -> list[int]:
        numbers = self._numbers
        return [numbers[(a.segment_ord, a.doc)] for _, a in hits]

    def _fields(self, doc: int) -> dict[str, list[Any]]:
        fields: dict[str, list[Any]] = self.searcher().doc(self.addresses[doc]).to_dict()
        return fields

    def stored_text(self, doc: int, field: str) -> str:
        values = self._fields(doc).get(field) or [""]
        return str(values[0])

    # -- matching

    def live_docs(self) -> DocSet:
        return self.memo("live-docs", lambda: frozenset(range(len(self.addresses))))

    def match(self, query: qt.QueryNode) -> DocSet:
        # the same query again at once (folding copies, stories: counts, then their own order)
        last = self.cache.get("match:last")
        if isinstance(last, tuple) and last[0] == query:
            return cast(DocSet, last[1])
        docs = matching.match(self, query) & self.live_docs()
        self.cache["match:last"] = (query, docs)
        return docs

    def _by_day(self) -> tuple[list[int], list[int]]:
        def order() -> tuple[list[int], list[int]]:
            days = self.number_column("day")
            pairs = sorted((day, doc) for doc, day in enumerate(days))
            return [p[0] for p in pairs], [p[1] for p in pairs]

        return self.memo("by-day", order)

    def day_docs(self, low: int | None, high: int | None) -> DocSet:
        days, docs = self._by_day()
        start = bisect_left(days, 1 if low is None else low)  # day 0: undated
        end = len(days) if high is None else bisect_right(days, high)
        return frozenset(docs[start:end]) if start < end else frozenset()

    def date_ordered(self, docs: DocSet, newest: bool, limit: int) -> list[int]:
        stamps, days = self.number_column("published_ts"), self.number_column("day")
        dated = [d for d in docs if days[d]]
        pick = heapq.nlargest if newest else heapq.nsmallest
        ordered = pick(limit, dated, key=lambda d: (stamps[d], d))
        if len(ordered) < limit and len(dated) < len(docs):
            ordered += heapq.nsmallest(limit - len(ordered), (d for d in docs if not days[d]))
        return ordered

    def rank(
        self, query: qt.QueryNode, within: DocSet, limit: int | None
    ) -> list[tuple[int, float]]:
        wanted = len(within) if limit is None else min(limit, len(within))
        if not wanted:
            return []
        searcher, scoring = self.searcher(), matching.scoring_query(self, query)
        total = max(searcher.num_docs, 1)
        asked = min(max(wanted * 2, 50), total)
        while True:
            hits = searcher.search(scoring, limit=asked, count=False).hits
            numbers = self.numbers(hits)
            ranked = [(n, float(s)) for (s, _), n in zip(hits, numbers, strict=True) if n in within]
            if len(ranked) >= wanted or asked >= total:
                break
            asked = min(asked * 4, total)
        ranked = ranked[:wanted]
        if len(ranked) < wanted:  # matched, but not by the scoring query: last, unscored
            seen = {n for n, _ in ranked}
            rest = sorted(d for d in within if d not in seen)
            ranked += [(d, 0.0) for d in rest[: wanted - len(ranked)]]
        return ranked

    def more_like(self, doc: int, limit: int) -> list[tuple[int, float]]:
        """The documents best matching the body's key terms (the most frequent in it, weighed by
        rarity in the index, as whoosh's `more_like` picks them)."""
        searcher, counts = self.searcher(), Counter[str]()
        for term, _, _, _ in text_tokens(self.stored_text(doc, "body")):
            counts[term] += 1
        total = max(searcher.num_docs, 1)

        def weight(term: str) -> float:
            held = searcher.doc_freq("body", term)
            return counts[term] * log(1 + (total - held + 0.5) / (held + 0.5))

        keys = heapq.nlargest(MORE_LIKE_TERMS, counts, key=weight)
        if not keys:
            return []
        should = tantivy.Occur.Should
        query = tantivy.Query.boolean_query(
            [(should, tantivy.Query.term_query(self.schema, "body", key)) for key in keys]
        )
        hits = searcher.search(query, limit=limit + 1, count=False).hits
        found = [(n, float(s)) for (s, _), n in zip(hits, self.numbers(hits), strict=True)]
        return [(n, s) for n, s in found if n != doc][:limit]

    # -- documents and fields

    def stored(self, doc: int) -> Article:
        return article_from_stored(self._fields(doc))

    def doc_of(self, article_id: str) -> int | None:
        query = tantivy.Query.term_query(self.schema, "id", article_id)
        hits = self.searcher().search(query, limit=1, count=False).hits
        return self.numbers(hits)[0] if hits else None

    def field_values(self, field: str) -> Mapping[str, DocSet]:
        return self.memo(f"values:{field}", lambda: self._values(field))

    def _values(self, field: str) -> dict[str, DocSet]:
        terms = matching.lexicon(self, field, "")
        if len(terms) <= SEARCHED_VALUES:
            found = {term: matching.term_docs(self, field, term) for term in terms}
            return {term: docs for term, docs in found.items() if docs}
        table: dict[str, set[int]] = {}
        for doc in range(len(self.addresses)):
            for value in self._fields(doc).get(field) or []:
                if value:
                    table.setdefault(str(value), set()).add(doc)
        return {value: frozenset(docs) for value, docs in table.items()}

    def tables(self) -> Tables | None:
        def load() -> Tables | None:
            from searchidx.index.facet_tables import open_tables  # numpy: only with tables

            segment = TantivySegment(self)
            return open_tables(self.generation, [(segment.id, segment.doc_count())])

        return self.memo("facet-tables", load)

    def facet_table(self, field: str) -> ValueTable | None:
        tables = self.tables()
        return tables.field(field) if tables is not None else None

    def number_column(self, field: str) -> Sequence[int]:
        def read() -> list[int]:
            values = self.searcher().fast_field_values(field, self.addresses)
            return [int(v or 0) for v in values]

        return self.memo(f"column:{field}", read)

    def text_column(self, field: str) -> Sequence[str]:
        def read() -> list[str]:
            column = [""] * len(self.addresses)
            for value, docs in self.field_values(field).items():
                for doc in docs:
                    column[doc] = value
            return column

        return self.memo(f"texts:{field}", read)

    def segments(self) -> Sequence[Segment]:
        return [TantivySegment(self)]

    # -- terms and analysis

    def analyze(self, text: str, field: str = "body") -> list[str]:
        return analyze_text(text, field)

    def tokens(self, text: str, field: str = "body") -> list[Token]:
        return text_tokens(text, field)

    def term_frequency(self, field: str, term: str) -> int:
        """Documents holding the term (tantivy keeps no collection frequency a Python caller
        can read; the whoosh engine counts occurrences)."""
        return int(self.searcher().doc_freq(field, term))

    def doc_frequency(self, field: str, term: str) -> int:
        return int(self.searcher().doc_freq(field, term))

    def terms_within(self, field: str, term: str, maxdist: int) -> list[str]:
        return matching.terms_within(self, field, term, maxdist)

    def expand(self, leaf: qt.TermLeaf) -> list[str]:
        return matching.expand(self, leaf)

    def describe(self, query: qt.QueryNode) -> str:
        return matching.describe(query)
