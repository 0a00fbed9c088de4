"""The query tree compiled into whoosh queries, and the order-free proximity matcher.

Each node becomes the whoosh query the parser built before the tree existed, so matching,
ranking and the text of `parsed_query` (`str` of the whoosh query) stay what they were.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.query.spans import SpanNear2

from searchidx.index import querytree as qt


class Proximity(wq.Phrase):
    """`"a b"~N`: the words within N positions of each other, in any order (as Lucene's and
    Recoll's proximity), where whoosh's Phrase with a slop keeps them in order. Scored, counted
    and highlighted like a phrase; only the matcher differs."""

    def __str__(self) -> str:
        return f'{self.fieldname}:"{" ".join(self.words)}"~{self.slop}'

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            if (self.fieldname, field.to_bytes(word)) not in reader:
                return NullMatcher()  # a word the field lacks: nothing can be near it
            terms.append(wq.Term(self.fieldname, word))
        near = SpanNear2(terms, slop=self.slop, ordered=False, mindist=1)
        found: Matcher = near.matcher(searcher, context)
        return WrappingMatcher(found, boost=self.boost) if self.boost != 1.0 else found


def day_range_query(low: int | None, high: int | None) -> wq.Query:
    # Undated articles have day 0: an open lower end still starts at 1 so they never match.
    return wq.NumericRange("day", low if low is not None else 1, high)


def to_whoosh(node: qt.QueryNode) -> wq.Query:
    """The whoosh query matching and scoring as `node` means."""
    if isinstance(node, qt.Every):
        return wq.Every()
    if isinstance(node, qt.Nothing):
        return wq.NullQuery
    if isinstance(node, qt.Term):
        return wq.Term(node.field, node.text)
    if isinstance(node, qt.Phrase):
        kind = wq.Phrase if node.ordered else Proximity
        return kind(node.field, list(node.words), slop=node.slop)
    if isinstance(node, qt.Prefix):
        return wq.Prefix(node.field, node.text)
    if isinstance(node, qt.Wildcard):
        return wq.Wildcard(node.field, node.pattern)
    if isinstance(node, qt.Fuzzy):
        return wq.FuzzyTerm(
            node.field, node.text, maxdist=node.maxdist, prefixlength=node.prefix_length
        )
    if isinstance(node, qt.DayRange):
        return day_range_query(node.low, node.high)
    if isinstance(node, qt.And):
        return wq.And([to_whoosh(child) for child in node.children])
    if isinstance(node, qt.Or):
        children = [to_whoosh(child) for child in node.children]
        if len(children) == 1:  # whoosh's Or of one query drops its own boost
            return children[0].with_boost(children[0].boost * node.boost)
        return wq.Or(children, boost=node.boost, scale=node.scale)
    if isinstance(node, qt.AndMaybe):
        return wq.AndMaybe(to_whoosh(node.required), to_whoosh(node.optional))
    return wq.AndNot(to_whoosh(node.positive), to_whoosh(node.negative))
