"""Ranking metrics over one query's ranked document ids and its judgements: nDCG@k, AP, recall@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain at `k`, with gains as judged (linear, log2 discount).

    The ideal ranking orders all judged documents by gain; a query with none scores 0.
    """
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    if not ideal:
        return 0.0
    ideal_dcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    dcg = sum(judged.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(_unique(ranking)[:k]))
    return dcg / ideal_dcg


def average_precision(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    """Mean of the precision at each relevant document's rank, over all relevant documents
    (relevant ones never retrieved count as precision 0)."""
    relevant = {doc for doc, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for rank, doc in enumerate(_unique(ranking), start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def recall_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 100) -> float:
    relevant = {doc for doc, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_unique(ranking)[:k])) / len(relevant)


def _unique(ranking: Sequence[str]) -> list[str]:
    # A document listed twice must not be counted twice (no engine should, but a bug would inflate).
    seen: set[str] = set()
    return [doc for doc in ranking if not (doc in seen or seen.add(doc))]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
