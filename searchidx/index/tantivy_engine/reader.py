"""The tantivy implementation of `Engine`: the live generation opened for reading.

Documents are numbered 0..n-1 in tantivy's (segment, local) order of the live documents
(numbering.py); one searcher per generation, reopened when a rebuild publishes a new one, and
everything derived from it (term sets, columns, facet tables, upper layers' memos) lives in
`cache` and goes with it. Date order and day ranges read the generation's written columns
(numpy) when it has them, tantivy's fast fields otherwise.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from math import log
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
import tantivy

from searchidx.errors import IndexCorrupt, IndexMissing
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Segment, Token
from searchidx.index.generations import current_generation, read_side_json
from searchidx.index.tantivy_engine import matching
from searchidx.index.tantivy_engine.numbering import Numbering
from searchidx.index.tantivy_engine.schema import (
    analyze_text,
    article_from_stored,
    make_schema,
    text_tokens,
)
from searchidx.index.tantivy_engine.writing import generation_id, index_folder
from searchidx.index.whoosh_engine.analysis import index_tokens
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
        return self._engine.size

    def live(self) -> range:
        return range(self._engine.size)

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
        self._numbering: Numbering | None = None
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
            numbering = Numbering(index_folder(live), searcher)
        except (ValueError, OSError) as error:
            raise IndexCorrupt(f"cannot open the index at {live}: {error}") from error
        self._generation, self._searcher, self._numbering = live, searcher, numbering
        self.cache = {}
        return True

    def searcher(self) -> tantivy.Searcher:
        assert self._searcher is not None
        return self._searcher

    @property
    def numbering(self) -> Numbering:
        assert self._numbering is not None
        return self._numbering

    @property
    def size(self) -> int:
        """Live documents: numbered 0..size-1."""
        return self.numbering.size

    def close(self) -> None:
        self._searcher = None

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self.cache:
            self.cache[key] = compute()
        return cast(T, self.cache[key])

    def side_json(self, name: str, default: object = None) -> object:
        return self.memo(f"side:{name}", lambda: read_side_json(self.generation, name, default))

    def numbers(self, hits: Sequence[tuple[object, tantivy.DocAddress]]) -> list[int]:
        return self.numbering.numbers(hits)

    def _fields(self, doc: int) -> dict[str, list[Any]]:
        fields: dict[str, list[Any]] = self.searcher().doc(self.numbering.address(doc)).to_dict()
        return fields

    def stored_text(self, doc: int, field: str) -> str:
        values = self._fields(doc).get(field) or [""]
        return str(values[0])

    # -- matching

    def live_docs(self) -> DocSet:
        return self.memo("live-docs", lambda: frozenset(range(self.size)))

    def match(self, query: qt.QueryNode) -> DocSet:
        # the same query again at once (folding copies, stories: counts, then their own order);
        # every number is a live document's (tantivy searches only live ones): no intersection
        last = self.cache.get("match:last")
        if isinstance(last, tuple) and last[0] == query:
            return cast(DocSet, last[1])
        docs = matching.match(self, query)
        self.cache["match:last"] = (query, docs)
        return docs

    def _by_day(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        def order() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
            days = self._column_array("day")
            docs = np.argsort(days, kind="stable")
            return days[docs], docs

        return self.memo("by-day", order)

    def day_docs(self, low: int | None, high: int | None) -> DocSet:
        days, docs = self._by_day()
        start = int(np.searchsorted(days, 1 if low is None else low, "left"))  # day 0: undated
        end = len(days) if high is None else int(np.searchsorted(days, high, "right"))
        return frozenset(docs[start:end].tolist()) if start < end else frozenset()

    def date_ordered(self, docs: DocSet, newest: bool, limit: int) -> list[int]:
        """The first `limit` of `docs` by (published, number), newest or oldest first; undated
        ones after, by number."""
        if limit <= 0 or not docs:
            return []
        stamps, days = self._column_array("published_ts"), self._column_array("day")
        chosen = np.fromiter(docs, dtype=np.int64, count=len(docs))
        is_dated = days[chosen] != 0
        dated, undated = chosen[is_dated], chosen[~is_dated]
        ordered = _by_stamp(dated, stamps[dated], newest, limit)
        if len(ordered) < limit and len(undated):
            ordered += heapq.nsmallest(limit - len(ordered), undated.tolist())
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
        return self.memo(f"values:{field}", lambda: FieldValues(self, field))

    def value_count(self, field: str, value: str) -> int:
        """tantivy's count of the term's live documents (a rebuild's entity phase leaves most
        documents waiting at first: none is listed to count them)."""
        query = tantivy.Query.term_query(self.schema, field, value)
        found = self.searcher().search(query, limit=1, count=True)
        return int(getattr(found, "count", None) or 0)

    def _values(self, field: str) -> dict[str, DocSet]:
        terms = matching.lexicon(self, field, "")
        if len(terms) <= SEARCHED_VALUES:
            found = {term: matching.term_docs(self, field, term) for term in terms}
            return {term: docs for term, docs in found.items() if docs}
        table: dict[str, set[int]] = {}
        for doc in range(self.size):
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
        return self.memo(f"column:{field}", lambda: self._column_array(field).tolist())

    def _column_array(self, field: str) -> npt.NDArray[np.int64]:
        """A numeric column by document number: the generation's written one, else read from
        tantivy's fast fields (every document's address made once)."""

        def read() -> npt.NDArray[np.int64]:
            tables = self.tables()
            written = tables.column_array(field) if tables is not None else None
            if written is not None and len(written) == self.size:
                return written
            addresses = self.numbering.addresses()
            values = self.searcher().fast_field_values(field, addresses)
            return np.fromiter((int(v or 0) for v in values), dtype=np.int64, count=len(values))

        return self.memo(f"column-array:{field}", read)

    def text_column(self, field: str) -> Sequence[str]:
        def read() -> list[str]:
            column = [""] * self.size
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
        # the title and body analyzers are one pipeline: `index_tokens` is its faster form
        return index_tokens(text)

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


def _by_stamp(
    docs: npt.NDArray[np.int64], stamps: npt.NDArray[np.int64], newest: bool, limit: int
) -> list[int]:
    """The first `limit` documents by (stamp, number): descending when `newest`."""
    if len(docs) > limit:  # keep the ones at least as new (old) as the limit-th, ties included
        if newest:
            floor = np.partition(stamps, len(stamps) - limit)[len(stamps) - limit]
            kept = stamps >= floor
        else:
            ceiling = np.partition(stamps, limit - 1)[limit - 1]
            kept = stamps <= ceiling
        docs, stamps = docs[kept], stamps[kept]
    order = np.lexsort((docs, stamps))
    if newest:
        order = order[::-1]
    return [int(d) for d in docs[order[:limit]]]


class FieldValues(Mapping[str, DocSet]):
    """A keyword field's value -> its documents, one value searched when asked for (a search
    asks whether any document waits for entities: `["0"]`, never the value every one holds);
    listing them reads them all, once."""

    def __init__(self, engine: TantivyEngine, field: str) -> None:
        self._engine, self._field = engine, field
        self._every: dict[str, DocSet] | None = None

    def __getitem__(self, value: str) -> DocSet:
        if self._every is not None:
            return self._every[value]
        docs = matching.term_docs(self._engine, self._field, value) if value else frozenset()
        if not docs:
            raise KeyError(value)
        return docs

    def _all(self) -> dict[str, DocSet]:
        if self._every is None:
            self._every = self._engine._values(self._field)
        return self._every

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
