"""The whoosh implementation of `Engine`: the live generation opened for reading, BM25 ranking.

One searcher per generation, reopened when a rebuild publishes a new one; everything derived
from it (match-set caches, facet tables, upper layers' memos) lives in `cache` and is dropped
with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import log
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from searchidx.errors import IndexCorrupt, IndexMissing
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Segment, Token
from searchidx.index.generations import current_generation, read_side_json
from searchidx.index.whoosh_engine import docsets, unpickling
from searchidx.index.whoosh_engine.analysis import (
    analyze_text,
    index_tokens,
)
from searchidx.index.whoosh_engine.compile import to_whoosh
from searchidx.index.whoosh_engine.schema import EMPTY, article_from_stored
from searchidx.models import Article

if TYPE_CHECKING:
    from searchidx.index.facet_tables import Tables, ValueTable

unpickling.install()  # before any index is opened: nothing in an index runs code

T = TypeVar("T")
BM25_K1 = 1.2
BM25_B = 0.75
TITLE_WEIGHT = 0.5  # a title word's BM25 score counts half, as in the tantivy engine


class Bm25(scoring.BM25F):
    """whoosh's BM25F with the BM25 idf of Lucene and bm25s, log(1 + (N - n + 0.5) / (n + 0.5)).

    whoosh keeps the TF-IDF idf, log(N / (n + 1)) + 1, under which a word in most articles still
    weighs at least 1: long pasted queries then rank by their common words. Measured on four IR
    collections in docs/quality.md (Relevance).
    """

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return log(1 + (total - n + 0.5) / (n + 0.5))

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        if fieldname == "title":
            return _TitleScorer(searcher, fieldname, text, self.B, self.K1, qf=qf)
        return super().scorer(searcher, fieldname, text, qf=qf)


class _TitleScorer(scoring.BM25FScorer):
    """The title scored as the tantivy engine scores it: TITLE_WEIGHT x BM25 of the title's own
    word counts. The schema's `field_boost` (TITLE_BOOST) multiplies the counts the index stores,
    before BM25 saturates them; undone here, so both engines rank alike. With the weight
    applied after saturation, CISI's nDCG@10 rose 0.3779 -> 0.3830 and Cranfield's fell 0.3799 ->
    0.3765 (docs/quality.md, Relevance)."""

    def __init__(self, searcher: Any, fieldname: str, text: str, b: float, k1: float, qf: int):
        self._unboost = 1.0 / (searcher.schema[fieldname].format.field_boost or 1.0)
        super().__init__(searcher, fieldname, text, b, k1, qf=qf)

    def _score(self, weight: float, length: int) -> float:
        tf = weight * self._unboost
        return TITLE_WEIGHT * float(scoring.bm25(self.idf, tf, length, self.avgfl, self.B, self.K1))


def ranking_model(k1: float = BM25_K1, b: float = BM25_B) -> Bm25:
    """How the index's searcher scores relevance-ordered searches."""
    return Bm25(B=b, K1=k1)


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


class WhooshSegment:
    """One whoosh segment of the open generation (see `engine.Segment`)."""

    def __init__(self, leaf: IndexReader, offset: int) -> None:
        self._leaf = leaf
        self._offset = offset

    @property
    def id(self) -> str:
        return str(self._leaf.segment().segment_id())

    def doc_count(self) -> int:
        return int(self._leaf.doc_count())

    def live(self) -> list[int]:
        return [int(local) for local in self._leaf.all_doc_ids()]

    def is_deleted(self, local: int) -> bool:
        return bool(self._leaf.is_deleted(local))

    def stored(self, local: int) -> Article:
        return article_from_stored(dict(self._leaf.stored_fields(local)))

    def doc(self, local: int) -> int:
        return self._offset + local


class WhooshEngine:
    """A readable whoosh index: the live generation, reopened when a rebuild publishes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._generation: Path | None = None
        self._searcher: Searcher | None = None
        # per-searcher caches: match sets, facet tables, upper layers' memos
        self.cache: dict[str, object] = {}
        self.refresh()

    @classmethod
    def open(cls, path: Path) -> WhooshEngine:
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
            searcher = whoosh_index.open_dir(str(live)).searcher(weighting=ranking_model())
        except Exception as error:  # whoosh raises many kinds
            raise IndexCorrupt(f"cannot open the index at {live}: {error}") from error
        if self._searcher is not None:
            self._searcher.close()
        self._generation, self._searcher = live, searcher
        self.cache = {}
        return True

    def searcher(self) -> Searcher:
        """The whoosh searcher of the open generation (for this package and its tests)."""
        assert self._searcher is not None
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self.cache:
            self.cache[key] = compute()
        return cast(T, self.cache[key])

    def side_json(self, name: str, default: object = None) -> object:
        return self.memo(f"side:{name}", lambda: read_side_json(self.generation, name, default))

    # -- matching

    def live_docs(self) -> DocSet:
        return docsets.live_docs(self)

    def match(self, query: qt.QueryNode) -> DocSet:
        if isinstance(query, qt.Every):
            return self.live_docs()
        # the same query again at once (folding copies, stories: counts, then their own order)
        last = self.cache.get("match:last")
        if isinstance(last, tuple) and last[0] == query:
            return cast(DocSet, last[1])
        docs = docsets.query_docs(self, to_whoosh(query)) & self.live_docs()
        self.cache["match:last"] = (query, docs)
        return docs

    def day_docs(self, low: int | None, high: int | None) -> DocSet:
        return docsets.day_docs(self, 1 if low is None else low, high)  # day 0: undated

    def date_ordered(self, docs: DocSet, newest: bool, limit: int) -> list[int]:
        return docsets.date_ordered(self, docs, newest, limit)

    def rank(
        self, query: qt.QueryNode, within: DocSet, limit: int | None
    ) -> list[tuple[int, float]]:
        # Always filtered: whoosh's AndNot matcher can let a negated document through (its first
        # posting is not checked), while `within` is exact.
        ranking = docsets.ranking_query(self, to_whoosh(query))
        results = self.searcher().search(ranking, limit=limit, filter=set(within))
        return [
            (results.docnum(i), results.score(i) or 0.0) for i in range(results.scored_length())
        ]

    def term_scores(
        self, terms: Sequence[tuple[str, str, float]], docs: Sequence[int]
    ) -> list[float]:
        # one term's postings at a time, each skipping to the documents asked for: a leaf
        # matcher scores alike however it is reached (a union matcher's skip_to does not)
        totals = [0.0] * len(docs)
        order = sorted(range(len(docs)), key=docs.__getitem__)
        for leaf, offset in self.searcher().leaf_searchers():
            end = offset + leaf.reader().doc_count_all()
            wanted = [(docs[i] - offset, i) for i in order if offset <= docs[i] < end]
            if not wanted:
                continue
            for field, term, weight in terms:
                found = wq.Term(field, term).matcher(leaf)
                for local, i in wanted:
                    if not found.is_active():
                        break
                    if found.id() < local:
                        found.skip_to(local)
                    if found.is_active() and found.id() == local:
                        totals[i] += weight * float(found.score())
        return totals

    def more_like(self, doc: int, limit: int) -> list[tuple[int, float]]:
        searcher = self.searcher()
        body = str(searcher.stored_fields(doc).get("body") or "")
        found = searcher.more_like(doc, "body", text=body, top=limit, numterms=10)
        return [(hit.docnum, hit.score or 0.0) for hit in found]

    # -- documents and fields

    def stored(self, doc: int) -> Article:
        return article_from_stored(dict(self.searcher().stored_fields(doc)))

    def doc_of(self, article_id: str) -> int | None:
        doc = self.searcher().document_number(id=article_id)
        return None if doc is None else int(doc)

    def field_values(self, field: str) -> Mapping[str, DocSet]:
        return self.memo(f"postings:{field}", lambda: self._postings(field))

    def value_count(self, field: str, value: str) -> int:
        return len(self.field_values(field).get(value, frozenset()))

    def _postings(self, field: str) -> dict[str, DocSet]:
        reader = self.searcher().reader()
        live = self.live_docs()
        table: dict[str, DocSet] = {}
        if field in reader.indexed_field_names():
            for term in reader.lexicon(field):
                value = _text(term)
                if not value or value == EMPTY:
                    continue
                docs = frozenset(docsets.postings_docs(reader, field, term)) & live
                if docs:
                    table[value] = docs
        return table

    def tables(self) -> Tables | None:
        """The facet tables and columns written with the open generation, when they match it."""

        def load() -> Tables | None:
            from searchidx.index.facet_tables import open_tables  # numpy: only with tables

            leaves = self._segment_leaves()
            found = [(str(leaf.segment().segment_id()), leaf.doc_count_all()) for leaf, _ in leaves]
            return open_tables(self.generation, found)

        return self.memo("facet-tables", load)

    def facet_table(self, field: str) -> ValueTable | None:
        tables = self.tables()
        return tables.field(field) if tables is not None else None

    def number_column(self, field: str) -> Sequence[int]:
        return docsets.column(self, field)  # the column date order and day ranges read too

    def text_column(self, field: str) -> Sequence[str]:
        def read() -> list[str]:
            if not self._segment_leaves():
                return []  # whoosh's EmptyReader has no columns
            return [str(value or "") for value in self.searcher().reader().column_reader(field)]

        return self.memo(f"texts:{field}", read)

    def segments(self) -> Sequence[Segment]:
        return [WhooshSegment(leaf, offset) for leaf, offset in self._segment_leaves()]

    def _segment_leaves(self) -> list[tuple[IndexReader, int]]:
        """The leaf readers that hold a segment: an empty generation (no readable article) is
        read through whoosh's EmptyReader, a leaf without one, and has no segments at all."""
        leaves = self.searcher().reader().leaf_readers()
        return [(leaf, offset) for leaf, offset in leaves if leaf.segment() is not None]

    # -- terms and analysis

    def analyze(self, text: str, field: str = "body") -> list[str]:
        return analyze_text(text, field)

    def tokens(self, text: str, field: str = "body") -> list[Token]:
        # the title and body analyzers are one pipeline: `index_tokens` is its faster form
        return index_tokens(text)

    def term_frequency(self, field: str, term: str) -> int:
        return int(self.searcher().reader().frequency(field, term))

    def doc_frequency(self, field: str, term: str) -> int:
        return int(self.searcher().reader().doc_frequency(field, term))

    def terms_within(self, field: str, term: str, maxdist: int) -> list[str]:
        return [_text(t) for t in self.searcher().reader().terms_within(field, term, maxdist)]

    def expand(self, leaf: qt.TermLeaf) -> list[str]:
        reader = self.searcher().reader()
        found = to_whoosh(leaf).existing_terms(reader, expand=True)
        return [_text(text) for name, text in found if name == leaf.field]

    def describe(self, query: qt.QueryNode) -> str:
        # whoosh prints Every() (all documents) as "None:*"
        return str(to_whoosh(query)).replace("None:*", "*")
