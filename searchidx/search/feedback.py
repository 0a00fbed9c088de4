"""Pseudo-relevance feedback (`--expand`): the query widened with the words of its best matches.

RM3, as in Lavrenko and Croft's relevance model and Anserini's `-rm3`: the first `docs` articles
of the query's own ranking are taken as relevant, each weighed by its score (a softmax of the
BM25 scores, so the best match counts most); a word's feedback weight is the sum over them of
weight x its share of the article's words (title and body, stop words left out, stemmed as the
index is). The `terms` heaviest words, their weights normalised to sum 1, are added to the query,
whose own words keep `original` of the total weight. The expanded query only orders the
articles the query matched: totals, facets and highlighting stay those of the query as typed.
Parameters chosen by `python -m bench.quality.ranking_search` (docs/quality.md, Relevance).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from math import exp

from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine

TEXT_FIELDS = ("title", "body")


@dataclass(frozen=True)
class Feedback:
    """RM3 settings: feedback articles, added words, the query's own share of the weight, and the
    softmax temperature over the first ranking's scores (in BM25 score units)."""

    docs: int = 10
    terms: int = 20
    original: float = 0.7
    temperature: float = 1.0
    # a word in more than this share of the articles is not added: it tells little (its idf is
    # low; "said" in most Reuters stories). Lower limits make whoosh's second ranking cheaper
    # but cost CISI its lead (docs/quality.md, Relevance)
    max_share: float = 0.5
    # the first ranking's best this many articles are reordered by the widened query (the rest
    # follow in their first order): the added words' postings are read for these alone
    pool: int = 300


DEFAULT = Feedback()


def query_terms(node: qt.QueryNode) -> list[str]:
    """The body-field words of a query (repeats kept: a repeated word weighs more in BM25 too),
    leaving out what it excludes."""
    if isinstance(node, qt.Term):
        return [node.text] if node.field == "body" else []
    if isinstance(node, qt.Phrase):
        return list(node.words) if node.field == "body" else []
    if isinstance(node, qt.AndNot):
        return query_terms(node.positive)
    return [word for child in qt.children(node) for word in query_terms(child)]


def feedback_weights(
    index: Engine, ranked: list[tuple[int, float]], settings: Feedback
) -> dict[str, float]:
    """word -> weight over the feedback articles (summing to 1 over the `terms` kept)."""
    if not ranked:
        return {}
    best = max(score for _, score in ranked)
    raw = [exp((score - best) / settings.temperature) for _, score in ranked]
    total = sum(raw)
    weights: defaultdict[str, float] = defaultdict(float)
    for (doc, _), share in zip(ranked, raw, strict=True):
        stored = index.stored(doc)
        counts = Counter(index.analyze(f"{stored.title}\n{stored.body}", "body"))
        length = sum(counts.values())
        if not length:
            continue
        for word, count in counts.items():
            weights[word] += share / total * count / length
    common = settings.max_share * max(len(index.live_docs()), 1)
    # heaviest first, ties by the word so that a run is repeatable
    ordered = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    kept: list[tuple[str, float]] = []
    for word, weight in ordered:
        if len(kept) == settings.terms:
            break
        if index.doc_frequency("body", word) <= common:
            kept.append((word, weight))
    mass = sum(weight for _, weight in kept)
    return {word: weight / mass for word, weight in kept} if mass > 0 else {}


def expanded_query(
    index: Engine, q: qt.QueryNode, first: list[tuple[int, float]], settings: Feedback = DEFAULT
) -> qt.QueryNode:
    """`q` plus the feedback words of the best of its `first` ranking, weighted as RM3 mixes
    them; `q` itself when there is nothing to learn from (no words, no match)."""
    if not _learns(q, settings):
        return q
    added = _learned(index, first, settings)
    if not added:
        return q
    own = qt.Or((q,), boost=_own_weight(q, settings))
    extra = tuple(
        qt.Or(
            tuple(qt.Term(field, word) for field in TEXT_FIELDS),
            boost=(1 - settings.original) * weight,
        )
        for word, weight in sorted(added.items())
    )
    return qt.Or((own, *extra))


def _learns(q: qt.QueryNode, settings: Feedback) -> bool:
    """Whether `q` and the settings leave feedback anything to learn."""
    return not isinstance(q, qt.Every | qt.Nothing) and settings.docs > 0 and settings.terms > 0


def _learned(index: Engine, best: list[tuple[int, float]], settings: Feedback) -> dict[str, float]:
    """`feedback_weights` of the matching ones of the best `docs` of a ranking."""
    ranked = [(doc, score) for doc, score in best[: settings.docs] if score > 0]
    return feedback_weights(index, ranked, settings)


def _own_weight(q: qt.QueryNode, settings: Feedback) -> float:
    # each of the query's words weighs original / len(words): the query's score is their sum
    return settings.original / max(len(query_terms(q)), 1)


def summed(node: qt.QueryNode) -> qt.QueryNode:
    """`node` with no coordination bonus: each Or scores the sum of its matching parts, as
    tantivy scores every Or. whoosh's bonus for the default group multiplies a 2-word query's
    score by about 1/2 (3 words: 2/3), which would tilt the balance of the query's own weight
    and the added words' by query length and engine."""
    if isinstance(node, qt.Or):
        return qt.Or(tuple(summed(child) for child in node.children), boost=node.boost)
    if isinstance(node, qt.And):
        return qt.And(tuple(summed(child) for child in node.children))
    if isinstance(node, qt.AndMaybe):
        return qt.AndMaybe(summed(node.required), summed(node.optional))
    if isinstance(node, qt.AndNot):
        return qt.AndNot(summed(node.positive), node.negative)
    return node


def feedback_ranking(
    index: Engine,
    q: qt.QueryNode,
    matched: DocSet,
    limit: int | None,
    settings: Feedback = DEFAULT,
) -> list[tuple[int, float]]:
    """(document, score) of the best `limit` of `matched` (all: None): the `summed` ranking's
    best `pool` reordered by the expanded query (`expanded_query`'s scores, computed for them
    alone: the query's own score from that ranking plus the added words' `term_scores`), the
    feedback words taken from the query's best `docs` as it ranks without feedback."""
    depth = None if limit is None else max(limit, settings.docs, settings.pool)
    plain = summed(q)
    first = index.rank(plain, matched, depth)
    if not _learns(q, settings):
        return first[:limit]
    # the feedback articles: the query's best as it ranks without feedback (coordination kept:
    # articles holding more of its words; MED +0.0256 / NPL +0.0212 on whoosh against +0.0232 /
    # +0.0189 when taken from the summed ranking)
    best = first if plain == q else index.rank(q, matched, settings.docs)
    added = _learned(index, best, settings)
    if not added:
        return first[:limit]
    own = _own_weight(q, settings)
    terms = [
        (field, word, (1 - settings.original) * weight)
        for word, weight in sorted(added.items())
        for field in TEXT_FIELDS
    ]
    pool = first[: settings.pool]
    extra = index.term_scores(terms, [doc for doc, _ in pool])
    rescored = [(doc, own * score + more) for (doc, score), more in zip(pool, extra, strict=True)]
    rescored.sort(key=lambda item: (-item[1], item[0]))
    # the rest keep their order, below the pool: own x score <= every pool article's new score
    rest = [(doc, own * score) for doc, score in first[settings.pool :]]
    return (rescored + rest)[:limit]
