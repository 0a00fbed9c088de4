"""The query tree answered on a tantivy index: exact document sets, term expansion, scoring.

Leaves are tantivy searches (a term's documents, a phrase's), expanded leaves (prefix, wildcard,
fuzzy) become the index terms they stand for, read from tantivy's term dictionary, so matching
and highlighting expand alike; boolean nodes are set operations, as in the whoosh engine.
Phrases with a slop and order-free proximity keep the whoosh engine's meaning (each next word
1..slop positions from the span so far): the candidates holding every word are checked on
their analysed text, since tantivy's slop counts differently.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import tantivy

from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Token

T = TypeVar("T")
TITLE_BOOST = 0.5  # a title word's BM25 score counts half: whoosh_engine.reader.TITLE_WEIGHT
# term -> docs sets kept per generation, bounded by the document numbers they hold in all
TERM_CACHE_IDS = 500_000
_EMPTY: DocSet = frozenset()


class Opened(Protocol):
    """What matching needs of the open index (`reader.TantivyEngine` is one)."""

    schema: tantivy.Schema

    def searcher(self) -> tantivy.Searcher: ...

    def memo(self, key: str, compute: Callable[[], T]) -> T: ...

    def numbers(self, hits: Sequence[tuple[object, tantivy.DocAddress]]) -> list[int]: ...

    def live_docs(self) -> DocSet: ...

    def day_docs(self, low: int | None, high: int | None) -> DocSet: ...

    def stored_text(self, doc: int, field: str) -> str: ...

    def tokens(self, text: str, field: str = "body") -> list[Token]: ...


def search_docs(index: Opened, query: tantivy.Query) -> DocSet:
    """Every live document `query` matches."""
    searcher = index.searcher()
    total = searcher.num_docs
    if not total:
        return _EMPTY
    hits = searcher.search(query, limit=total, count=False).hits
    return frozenset(index.numbers(hits))


class TermCache(OrderedDict[tuple[str, str], DocSet]):
    """(field, term) -> documents, least recently used first, bounded by the document numbers
    it holds in all (`held`), as the whoosh engine's term cache."""

    held = 0


def term_docs(index: Opened, field: str, text: str) -> DocSet:
    cache = index.memo("term-docs", TermCache)
    key = (field, text)
    found = cache.get(key)
    if found is not None:
        cache.move_to_end(key)
        return found
    found = search_docs(index, tantivy.Query.term_query(index.schema, field, text))
    cache[key] = found
    cache.held += len(found)
    while cache.held > TERM_CACHE_IDS and len(cache) > 1:
        cache.held -= len(cache.popitem(last=False)[1])
    return found


def lexicon(index: Opened, field: str, prefix: str) -> list[str]:
    """The index terms of `field` starting with `prefix` (deleted documents' ones included)."""
    return [term for term, _ in index.searcher().terms_with_prefix(field, prefix)]


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, replace) of a and b; `limit + 1` once it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def terms_within(index: Opened, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
    found = lexicon(index, field, text[:prefix])
    return [term for term in found if levenshtein(text, term, maxdist) <= maxdist]


def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL)


def expand(index: Opened, leaf: qt.TermLeaf) -> list[str]:
    """The index terms a leaf stands for."""
    if isinstance(leaf, qt.Term):
        return [leaf.text] if term_docs(index, leaf.field, leaf.text) else []
    if isinstance(leaf, qt.Prefix):
        return lexicon(index, leaf.field, leaf.text)
    if isinstance(leaf, qt.Wildcard):
        literal = re.split(r"[*?]", leaf.pattern, maxsplit=1)[0]
        regex = _wildcard_regex(leaf.pattern)
        return [t for t in lexicon(index, leaf.field, literal) if regex.fullmatch(t)]
    return terms_within(index, leaf.field, leaf.text, leaf.maxdist, leaf.prefix_length)


def _expanded_docs(index: Opened, leaf: qt.TermLeaf) -> DocSet:
    terms = expand(index, leaf)
    if len(terms) == 1:
        return term_docs(index, leaf.field, terms[0])
    if not terms:
        return _EMPTY
    return search_docs(index, tantivy.Query.term_set_query(index.schema, leaf.field, terms))


def near(positions: list[list[int]], slop: int, ordered: bool) -> bool:
    """Whether the words (their positions, in query order) occur as the whoosh engine's phrase
    and proximity mean: each next word 1..slop positions from the span matched so far (after
    it when ordered)."""
    spans = {(p, p) for p in positions[0]}
    for following in positions[1:]:
        grown = set()
        for start, end in spans:
            for p in following:
                if ordered and p < start:
                    continue
                dist = p - end if p > end else start - p if p < start else 0
                if 1 <= dist <= slop:
                    grown.add((min(start, p), max(end, p)))
        if not grown:
            return False
        spans = grown
    return True


def phrase_docs(index: Opened, node: qt.Phrase) -> DocSet:
    words: list[str | tuple[int, str]] = list(node.words)
    parts = [term_docs(index, node.field, word) for word in node.words]
    if not parts or not all(parts):
        return _EMPTY
    if node.ordered and node.slop == 1:  # adjacent words: tantivy's exact phrase
        query = tantivy.Query.phrase_query(index.schema, node.field, words, slop=0)
        return search_docs(index, query)
    candidates = min(parts, key=len).intersection(*parts)
    found = set()
    for doc in candidates:
        where: dict[str, list[int]] = {}
        for term, position, _, _ in index.tokens(index.stored_text(doc, node.field), node.field):
            where.setdefault(term, []).append(position)
        if near([where.get(word, []) for word in node.words], node.slop, node.ordered):
            found.add(doc)
    return frozenset(found)


def match(index: Opened, node: qt.QueryNode) -> DocSet:
    """Exactly the documents `node` matches (callers intersect with the live ones)."""
    if isinstance(node, qt.Every):
        return index.live_docs()
    if isinstance(node, qt.Nothing):
        return _EMPTY
    if isinstance(node, qt.Term):
        return term_docs(index, node.field, node.text)
    if isinstance(node, qt.Phrase):
        return phrase_docs(index, node)
    if isinstance(node, qt.Prefix | qt.Wildcard | qt.Fuzzy):
        return _expanded_docs(index, node)
    if isinstance(node, qt.DayRange):
        return index.day_docs(node.low, node.high)
    if isinstance(node, qt.And):
        parts = sorted((match(index, child) for child in node.children), key=len)
        return parts[0].intersection(*parts[1:]) if parts else _EMPTY
    if isinstance(node, qt.Or):
        return frozenset().union(*(match(index, child) for child in node.children))
    if isinstance(node, qt.AndMaybe):
        return match(index, node.required)
    return match(index, node.positive) - match(index, node.negative)


def _boosted(field: str, query: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boost_query(query, TITLE_BOOST) if field == "title" else query


def scoring_query(index: Opened, node: qt.QueryNode) -> tantivy.Query:
    """A tantivy query scoring what `node` matches (BM25); `rank` keeps only matched documents."""
    schema, q = index.schema, tantivy.Query
    if isinstance(node, qt.Every):
        return q.all_query()
    if isinstance(node, qt.Nothing):
        return q.empty_query()
    if isinstance(node, qt.Term):
        return _boosted(node.field, q.term_query(schema, node.field, node.text))
    if isinstance(node, qt.Phrase):
        if node.ordered and node.slop == 1:
            words: list[str | tuple[int, str]] = list(node.words)
            return _boosted(node.field, q.phrase_query(schema, node.field, words))
        every = [(tantivy.Occur.Must, q.term_query(schema, node.field, w)) for w in node.words]
        return _boosted(node.field, q.boolean_query(every))
    if isinstance(node, qt.Prefix | qt.Wildcard | qt.Fuzzy):
        expanded = expand(index, node)
        found = q.term_set_query(schema, node.field, expanded) if expanded else q.empty_query()
        return _boosted(node.field, found)
    if isinstance(node, qt.DayRange):
        low, high = node.low if node.low is not None else 1, node.high
        return q.range_query(schema, "day", tantivy.FieldType.Unsigned, low, high or 99_991_231)
    occur = tantivy.Occur
    if isinstance(node, qt.And):
        return q.boolean_query([(occur.Must, scoring_query(index, c)) for c in node.children])
    if isinstance(node, qt.Or):
        either = q.boolean_query([(occur.Should, scoring_query(index, c)) for c in node.children])
        return either if node.boost == 1.0 else q.boost_query(either, node.boost)
    if isinstance(node, qt.AndMaybe):
        required, optional = (
            scoring_query(index, node.required),
            scoring_query(index, node.optional),
        )
        return q.boolean_query([(occur.Must, required), (occur.Should, optional)])
    positive, negative = scoring_query(index, node.positive), scoring_query(index, node.negative)
    return q.boolean_query([(occur.Must, positive), (occur.MustNot, negative)])


def term_scores(
    index: Opened, terms: Sequence[tuple[str, str, float]], docs: Sequence[int]
) -> list[float]:
    """`Engine.term_scores`: one search of the weighted terms within `docs` (their ids, a
    zero-scoring filter)."""
    if not docs or not terms:
        return [0.0] * len(docs)
    q, should, must = tantivy.Query, tantivy.Occur.Should, tantivy.Occur.Must
    scored = [
        (should, q.boost_query(scoring_query(index, qt.Term(field, term)), weight))
        for field, term, weight in terms
    ]
    ids = q.term_set_query(index.schema, "id", [index.stored_text(doc, "id") for doc in docs])
    query = q.boolean_query([*scored, (must, q.const_score_query(ids, 0.0))])
    hits = index.searcher().search(query, limit=len(docs), count=False).hits
    found = dict(zip(index.numbers(hits), (float(score) for score, _ in hits), strict=True))
    return [found.get(doc, 0.0) for doc in docs]


def describe(node: qt.QueryNode) -> str:
    """The tree as text, in the whoosh engine's notation where the two agree."""
    if isinstance(node, qt.Every):
        return "*"
    if isinstance(node, qt.Nothing):
        return "<nothing>"
    if isinstance(node, qt.Term):
        return f"{node.field}:{node.text}"
    if isinstance(node, qt.Phrase):
        slop = "" if node.ordered and node.slop == 1 else f"~{node.slop}"
        return f'{node.field}:"{" ".join(node.words)}"{slop}'
    if isinstance(node, qt.Prefix):
        return f"{node.field}:{node.text}*"
    if isinstance(node, qt.Wildcard):
        return f"{node.field}:{node.pattern}"
    if isinstance(node, qt.Fuzzy):
        return f"{node.field}:{node.text}~{node.maxdist}"
    if isinstance(node, qt.DayRange):
        low, high = node.low or "", node.high or ""
        return f"day:[{low} TO {high}]"
    if isinstance(node, qt.And | qt.Or):
        joiner = " AND " if isinstance(node, qt.And) else " OR "
        text = "(" + joiner.join(describe(c) for c in node.children) + ")"
        return text if isinstance(node, qt.And) or node.boost == 1.0 else f"{text}^{node.boost:g}"
    if isinstance(node, qt.AndMaybe):
        return f"({describe(node.required)} ANDMAYBE {describe(node.optional)})"
    return f"({describe(node.positive)} ANDNOT {describe(node.negative)})"
