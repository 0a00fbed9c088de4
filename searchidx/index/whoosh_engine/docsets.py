"""Exact document sets of a compiled whoosh query, and date order, from data cached per searcher.

whoosh's `docs_for_query` walks a matcher tree one document at a time in Python, and its
NumericRange decomposes a date range into many trie terms (whoosh-notes trap 4). Here every
node is a set operation: a term is its postings (kept in a small per-searcher cache, so words
typed again or shared by queries are read once), `day` ranges come from the sorted `day`
column, and only nodes without a set meaning (phrases, ...) go back to whoosh. The result is the
same set whoosh would give; callers intersect it with the live documents.
"""

from __future__ import annotations

import copy
import heapq
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from whoosh import query as wq
from whoosh.matching import FilterMatcher, ListMatcher, NullMatcher
from whoosh.searching import Searcher

if TYPE_CHECKING:
    from searchidx.index.facet_tables import Tables

T = TypeVar("T")


class OpenIndex(Protocol):
    """What the set operations need of the open index (`reader.WhooshEngine` is one)."""

    def searcher(self) -> Searcher: ...

    def memo(self, key: str, compute: Callable[[], T]) -> T: ...

    def tables(self) -> Tables | None: ...


# term -> docs sets kept per searcher, bounded by the document numbers they hold in all
# (about 60 bytes each: 500k is ~30 MB; a word in most Reuters stories holds 15k)
TERM_CACHE_IDS = 500_000
_EMPTY: frozenset[int] = frozenset()


def live_docs(index: OpenIndex) -> frozenset[int]:
    """Every document number not deleted, once per searcher (from the generation's tables when
    it has them: whoosh checks each document's deletion in Python)."""

    def read() -> frozenset[int]:
        tables = index.tables()
        if tables is not None:
            return tables.live()
        return frozenset(index.searcher().reader().all_doc_ids())

    return index.memo("live-docs", read)


class TermCache(OrderedDict[tuple[int, str, str | bytes], frozenset[int]]):
    """(segment, field, term) -> documents, least recently used first, bounded by the document
    numbers it holds in all (`held`)."""

    held = 0


def postings_docs(reader: Any, fieldname: str, btext: bytes) -> list[int]:
    """Top-level numbers of the documents holding a term (deleted ones included), read from
    each segment a block at a time."""
    found: list[int] = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, btext) in leaf:
            ids = _leaf_ids(leaf.postings(fieldname, btext))
            found.extend(ids if not offset else [i + offset for i in ids])
    return found


def _leaf_ids(matcher: Any) -> list[int]:
    """Every id of a fresh postings matcher, read a block at a time when the codec allows."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are dropped by the caller
    if not hasattr(matcher, "_read_ids") or not hasattr(matcher, "_next_block"):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids


def _leaf_docs(
    index: OpenIndex, number: int, leaf: Any, offset: int, fieldname: str, text: str | bytes
) -> frozenset[int]:
    """Documents of one segment holding one term, as top-level numbers, through a per-searcher
    LRU cache (deleted documents included: callers drop them)."""
    cache = index.memo("term-docs", TermCache)
    key = (number, fieldname, text)
    found = cache.get(key)
    if found is not None:
        cache.move_to_end(key)
        return found
    field = leaf.schema[fieldname] if fieldname in leaf.schema.names() else None
    btext = field.to_bytes(text) if field is not None and isinstance(text, str) else text
    found = _EMPTY
    if (fieldname, btext) in leaf:
        ids = _leaf_ids(leaf.postings(fieldname, btext))
        found = frozenset(ids if not offset else [i + offset for i in ids])
    cache[key] = found
    cache.held += len(found)
    while cache.held > TERM_CACHE_IDS and len(cache) > 1:
        cache.held -= len(cache.popitem(last=False)[1])
    return found


def _union(parts: list[frozenset[int]]) -> frozenset[int]:
    return parts[0] if len(parts) == 1 else frozenset().union(*parts)


def term_docs(index: OpenIndex, fieldname: str, text: str | bytes) -> frozenset[int]:
    """Documents holding one term (deleted ones included)."""
    leaves = index.searcher().reader().leaf_readers()
    return _union(
        [
            _leaf_docs(index, number, leaf, offset, fieldname, text)
            for number, (leaf, offset) in enumerate(leaves)
        ]
    )


def _expanded_docs(index: OpenIndex, node: wq.Query) -> frozenset[int]:
    """Prefix, wildcard, fuzzy: the documents of any term the node expands to. Expanded per
    segment, as whoosh matches: a segment's fuzzy expansion can differ from the whole index's."""
    parts: list[frozenset[int]] = []
    for number, (leaf, offset) in enumerate(index.searcher().reader().leaf_readers()):
        for fieldname, btext in node.existing_terms(leaf, expand=True):
            parts.append(_leaf_docs(index, number, leaf, offset, fieldname, btext))
    return _union(parts) if parts else _EMPTY


def column(index: OpenIndex, fieldname: str) -> list[int]:
    """A numeric sortable column's value for every document number (deleted ones included)."""

    def read() -> list[int]:
        tables = index.tables()
        written = tables.column(fieldname) if tables is not None else None
        if written is not None:
            return written
        reader = index.searcher().reader()
        return list(reader.column_reader(fieldname)) if reader.doc_count_all() else []

    return index.memo(f"column:{fieldname}", read)


def _by_day(index: OpenIndex) -> tuple[list[int], list[int]]:
    """(days, docs): live documents sorted by their `day` (yyyymmdd, 0 undated), for bisecting."""

    def order() -> tuple[list[int], list[int]]:
        days = column(index, "day")
        pairs = sorted((days[d], d) for d in live_docs(index))
        return [p[0] for p in pairs], [p[1] for p in pairs]

    return index.memo("by-day", order)


def day_docs(index: OpenIndex, low: int | None, high: int | None) -> frozenset[int]:
    """Live documents whose day lies in [low, high] (None: open end)."""
    days, docs = _by_day(index)
    start = 0 if low is None else bisect_left(days, low)
    end = len(days) if high is None else bisect_right(days, high)
    return frozenset(docs[start:end]) if start < end else _EMPTY


def query_docs(index: OpenIndex, node: wq.Query) -> frozenset[int]:
    """The documents `node` matches, as whoosh would match them (deleted ones may remain)."""
    if isinstance(node, wq.Every) and not node.fieldname:
        return live_docs(index)
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return _EMPTY
    if isinstance(node, wq.Term):
        return term_docs(index, node.fieldname, node.text)
    if isinstance(node, wq.NumericRange) and node.fieldname == "day":
        low = None if node.start is None else node.start + (1 if node.startexcl else 0)
        high = None if node.end is None else node.end - (1 if node.endexcl else 0)
        return day_docs(index, low, high)
    if isinstance(node, wq.MultiTerm):  # Prefix, Wildcard, FuzzyTerm, ...
        return _expanded_docs(index, node)
    if isinstance(node, wq.AndNot):
        return query_docs(index, node.a) - query_docs(index, node.b)
    if isinstance(node, wq.AndMaybe):
        return query_docs(index, node.a)
    if isinstance(node, wq.Require):
        return query_docs(index, node.a) & query_docs(index, node.b)
    if isinstance(node, wq.Not):
        return live_docs(index) - query_docs(index, node.query)
    if type(node) in (wq.And, wq.Or) and node.subqueries and not getattr(node, "minmatch", 0):
        parts = [query_docs(index, child) for child in node.subqueries]
        if isinstance(node, wq.And):
            result = min(parts, key=len)
            for part in sorted(parts, key=len):
                result = result & part
            return result
        return _union(parts)
    # Phrases, spans and anything else: whoosh's own matcher.
    return frozenset(index.searcher().docs_for_query(node))


def date_ordered(index: OpenIndex, docs: frozenset[int], newest: bool, limit: int) -> list[int]:
    """The first `limit` of `docs` by publication time, undated articles last in both orders
    (as Elasticsearch places missing values).

    Dated ties go as whoosh's sorting collector orders them (by document number, that order
    reversed too for newest first); undated articles follow in document number order. Undated
    means `day` 0: `published_ts` is 0 for them, which would sort them first when oldest (and
    among 1970's articles), and before any article older than 1970 when newest."""
    stamps, days = column(index, "published_ts"), column(index, "day")
    dated = [d for d in docs if days[d]]
    if newest:
        ordered = heapq.nlargest(limit, dated, key=lambda d: (stamps[d], d))
    else:
        ordered = heapq.nsmallest(limit, dated, key=lambda d: (stamps[d], d))
    if len(ordered) < limit and len(dated) < len(docs):
        undated = heapq.nsmallest(limit - len(ordered), (d for d in docs if not days[d]))
        ordered += undated
    return ordered


class KnownDocs(wq.Query):
    """Matches a known set of (top-level) document numbers, each with the same score.

    Stands in for a `day` range when ranking: whoosh scores a NumericRange as a constant
    (its ConstantScoreQuery gives a ListMatcher with one weight) but first walks the many trie
    terms of the range for every search; here the documents come from the day column."""

    def __init__(self, docs: frozenset[int], score: float, original: wq.Query) -> None:
        self.known = docs
        self.score = score
        self.original = original
        self.boost = score

    def __str__(self) -> str:
        return str(self.original)

    def __repr__(self) -> str:
        return f"KnownDocs({self.original!r})"

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, reader: Any) -> int:
        return len(self.known)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        offset = 0
        parent = searcher.get_parent()
        for sub, start in parent.subsearchers or ():
            if sub is searcher:
                offset = start
        end = offset + searcher.reader().doc_count_all()
        ids = sorted(d - offset for d in self.known if offset <= d < end)
        return ListMatcher(ids, all_weights=self.score) if ids else NullMatcher


def ranking_query(index: OpenIndex, node: wq.Query) -> wq.Query:
    """`node` with every constant-score `day` range replaced by its known documents (same
    matches, same scores, without whoosh expanding the range on every search)."""
    if _is_day_range(node):
        return KnownDocs(query_docs(index, node), node.boost, node)
    if node.is_leaf() or not any(_is_day_range(leaf) for leaf in node.leaves()):
        return node
    # a shallow copy with new children: whoosh's own `apply` drops an Or's `scale`
    copied = copy.copy(node)
    if isinstance(node, wq.CompoundQuery):
        copied.subqueries = [ranking_query(index, child) for child in node.subqueries]
    elif isinstance(node, wq.BinaryQuery):
        copied.a, copied.b = ranking_query(index, node.a), ranking_query(index, node.b)
    elif isinstance(node, wq.Not):
        copied.query = ranking_query(index, node.query)
    elif isinstance(node, wq.WrappingQuery):
        copied.child = ranking_query(index, node.child)
    else:
        return node
    return copied


def _is_day_range(node: wq.Query) -> bool:
    return isinstance(node, wq.NumericRange) and node.fieldname == "day" and node.constantscore
