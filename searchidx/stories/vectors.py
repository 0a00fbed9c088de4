"""Text links: a TF-IDF vector of each article's title and body (entity names added as boosted
terms), compared by cosine with a story's centroid, the sum of its members' unit vectors (the
online clustering of streaming news in Miranda et al., EMNLP 2018).

Vectors are weighed when the article is placed, with the document frequencies known then (a
rebuild's batch counts every article before any is placed), and kept as they are: a centroid is
a sum of fixed vectors, so its norm can be cached. Candidate stories come from an inverted index
of each member's heaviest terms, so a new article is compared only with stories that share one.
"""

from __future__ import annotations

import math
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from searchidx.stories.text import TERM_BUCKETS

if TYPE_CHECKING:  # numpy is imported on first use: a no-op rebuild never needs it
    import numpy as np

    Vector = tuple[np.ndarray, np.ndarray]  # term ids heaviest first, unit-norm weights

INDEXED_TERMS = 12  # a member is found through its heaviest terms
QUERY_TERMS = 24  # a new article looks its heaviest terms up
ENTITY_WEIGHT = 2.0
EVERYDAY = 0.5
MIN_DAYS = 14
# an entity name's term counts as this many occurrences


def entity_term(key: str) -> int:
    """The term id of an entity ("kind\\x1fname"): apart from word ids only by chance."""
    return zlib.crc32(b"\x1e" + key.encode("utf-8", "surrogatepass")) % TERM_BUCKETS


def with_entities(
    counts: tuple[np.ndarray, np.ndarray], entities: Iterable[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Word counts plus one boosted term per entity (a colliding id keeps the larger count)."""
    import numpy as np

    terms, weights = counts
    extra = sorted({entity_term(e) for e in entities} - set(terms.tolist()))
    if not extra:
        return counts
    return (np.concatenate([terms, np.array(extra, dtype=np.uint32)]),
            np.concatenate([weights, np.full(len(extra), ENTITY_WEIGHT, np.float32)]))  # fmt: skip


class TextVectors:
    """Unit TF-IDF vectors of placed articles, their document frequencies, and story norms."""

    def __init__(
        self, vectors: dict[str, Vector] | None = None, days: dict[str, int] | None = None
    ) -> None:
        self.vectors: dict[str, Vector] = vectors or {}
        self.days: dict[str, int] = days or {}  # article -> day as an ordinal, 0 when undated
        self._df: np.ndarray | None = None  # counted from the vectors when first needed
        self._docs = 0
        # (heavy term, day ordinal) -> members: a lookup reaches only the days near the article
        self._by_term: dict[tuple[int, int], set[str]] | None = None
        # story -> its centroid (terms, summed weights) and squared norm, made when first needed
        self._centroids: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        self._spread: np.ndarray | None = None  # term -> distinct days it occurs on
        self._days = 1
        self._dense: np.ndarray | None = None  # scratch: one query's weights by term id

    # ----- document frequencies ----------------------------------------------------------
    def _counted(self) -> np.ndarray:
        import numpy as np

        if self._df is None:
            every = [terms for terms, _ in self.vectors.values()]
            joined = np.concatenate(every) if every else np.zeros(0, dtype=np.uint32)
            self._df = np.bincount(joined, minlength=TERM_BUCKETS).astype(np.int64)
            self._docs = len(every)
        return self._df

    def count(self, terms: np.ndarray, step: int = 1) -> None:
        """Count (or with step -1, uncount) one article's terms in the document frequencies."""
        df = self._counted()
        df[terms] += step
        self._docs += step

    def count_days(
        self, batch: Iterable[tuple[np.ndarray, int]], day_of: Mapping[str, int]
    ) -> None:
        """Count on how many distinct days each term occurs, over the members and the batch
        (terms, day) about to be placed; undated articles count on no day."""
        import numpy as np

        batch = list(batch)
        terms = [t for t, _ in self.vectors.values()] + [t for t, _ in batch]
        days = np.array([day_of[i] for i in self.vectors] + [d for _, d in batch], np.uint64)
        lengths = np.fromiter(map(len, terms), np.int64, len(terms))
        every_day = np.repeat(days, lengths)
        dated = every_day > 0
        if not dated.any():
            self._spread, self._days = None, 1
            return
        joined = np.concatenate(terms).astype(np.uint64)[dated]
        keys = np.sort(joined << np.uint64(32) | every_day[dated])  # sorting beats np.unique here
        pairs = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
        self._spread = np.bincount((pairs >> np.uint64(32)).astype(np.int64),
                                   minlength=TERM_BUCKETS)  # fmt: skip
        self._days = len(np.unique(days[days > 0]))

    def weigh(self, counts: tuple[np.ndarray, np.ndarray]) -> Vector:
        """Unit vector of sublinear tf times smoothed IDF times smoothed day IDF (how few of the
        index's days the term occurs on), heaviest terms first. The day IDF weighs down words of
        recurring templates ("qtr", "shr", "reserves"), which occur on every day, against an
        event's words; on an index of one day it weighs every term alike."""
        import numpy as np

        terms, tf = counts
        df = self._counted()
        idf = np.log((self._docs + 1.0) / (df[terms] + 1.0)) + 1.0
        if self._spread is not None:
            idf *= np.log((self._days + 1.0) / (self._spread[terms] + 1.0)) + 1.0
        weights = ((1.0 + np.log(np.maximum(tf, 1.0))) * idf).astype(np.float32)
        norm = float(np.sqrt((weights * weights).sum()))
        order = np.argsort(-weights, kind="stable")
        return terms[order], weights[order] / (norm or 1.0)

    def everyday_share(self, vector: Vector) -> float:
        """How much of the vector (squared weight) lies in terms found on at least EVERYDAY of
        the index's days (never fewer than MIN_DAYS): a recurring template ("qtr net shr", a
        price table, a reserves notice) is made of nothing else, an event's report of little."""
        if self._spread is None:
            return 0.0
        terms, weights = vector
        everyday = self._spread[terms] >= EVERYDAY * max(self._days, MIN_DAYS)
        return float((weights[everyday] ** 2).sum())

    # ----- members -----------------------------------------------------------------------
    def _index(self) -> dict[tuple[int, int], set[str]]:
        if self._by_term is None:
            self._by_term = defaultdict(set)
            for article_id, (terms, _) in self.vectors.items():
                self._list(article_id, terms, True)
        return self._by_term

    def _list(self, article_id: str, terms: np.ndarray, add: bool) -> None:
        day = self.days.get(article_id, 0)
        if self._by_term is None or not day:
            return
        for term in terms[:INDEXED_TERMS].tolist():
            if add:
                self._by_term[term, day].add(article_id)
            else:
                self._by_term[term, day].discard(article_id)

    def insert(self, article_id: str, vector: Vector, story: str, day: int) -> None:
        """Keep a placed article's vector (its terms already counted); `day` an ordinal."""
        self.vectors[article_id] = vector
        self.days[article_id] = day
        self._list(article_id, vector[0], True)
        known = self._centroids.get(story)
        if known is not None:
            self._centroids[story] = _summed([known[:2], vector])

    def discard(self, article_id: str, story: str) -> None:
        vector = self.vectors.pop(article_id, None)
        if vector is None:
            return
        if self._df is not None:
            self.count(vector[0], -1)
        self._list(article_id, vector[0], False)
        self.days.pop(article_id, None)
        self._centroids.pop(story, None)

    def neighbours(self, vector: Vector, day: int, span: int, scan: bool = False) -> set[str]:
        """Members dated within `span` days of the ordinal `day` that share one of their
        heaviest terms with the vector's heaviest terms. With `scan` (a few articles placed
        into a loaded state) and no index built yet, the members are scanned instead."""
        if scan and self._by_term is None:
            return self._scanned(vector, day, span)
        index = self._index()
        found: set[str] = set()
        for term in vector[0][:QUERY_TERMS].tolist():
            for near in range(day - span, day + span + 1):
                found |= index.get((term, near), set())
        return found

    def _scanned(self, vector: Vector, day: int, span: int) -> set[str]:
        import numpy as np

        near = [i for i, d in self.days.items() if d and abs(d - day) <= span and i in self.vectors]
        if not near:
            return set()
        heavy = [self.vectors[i][0][:INDEXED_TERMS] for i in near]
        hits = np.isin(np.concatenate(heavy), vector[0][:QUERY_TERMS])
        owner = np.repeat(np.arange(len(near)), [len(h) for h in heavy])
        return {near[n] for n in np.unique(owner[hits])}

    # ----- similarity --------------------------------------------------------------------
    def _centroid(self, story: str, members: Iterable[str]) -> tuple[np.ndarray, np.ndarray, float]:
        known = self._centroids.get(story)
        if known is None:
            known = _summed([self.vectors[m] for m in members if m in self.vectors])
            self._centroids[story] = known
        return known

    def forget(self, story: str) -> None:
        """Drop the story's cached centroid (its members changed)."""
        self._centroids.pop(story, None)

    def centroid_norm(self, story: str, members: Iterable[str]) -> float:
        """The squared norm of the story's centroid (the sum of its members' unit vectors)."""
        return self._centroid(story, members)[2]

    def unit_centroid(self, story: str, members: Iterable[str]) -> Vector | None:
        """The story's centroid as a unit vector, heaviest terms first; None when empty."""
        import numpy as np

        terms, summed, norm = self._centroid(story, members)
        if norm <= 0:
            return None
        order = np.argsort(-summed, kind="stable")
        return terms[order], (summed[order] / math.sqrt(norm)).astype(np.float32)

    def cosines(self, vector: Vector, stories: Mapping[str, Iterable[str]]) -> dict[str, float]:
        """Cosine of the vector with each story's centroid (stories given with their members),
        all the dot products in one numpy pass: a loop of small dots cost most of the grouping."""
        import numpy as np

        if not stories:
            return {}
        if self._dense is None:
            self._dense = np.zeros(TERM_BUCKETS, dtype=np.float32)
        dense = self._dense
        terms, weights = vector
        dense[terms] = weights
        try:
            names = list(stories)
            centroids = [self._centroid(story, stories[story]) for story in names]
            sizes = np.fromiter((len(c[0]) for c in centroids), np.int64, len(centroids))
            products = dense[np.concatenate([c[0] for c in centroids])] * np.concatenate(
                [c[1] for c in centroids])  # fmt: skip
            dots = np.bincount(np.repeat(np.arange(len(names)), sizes), weights=products,
                               minlength=len(names))  # fmt: skip
            norms = np.sqrt(np.fromiter((c[2] for c in centroids), np.float64, len(centroids)))
            cosine = np.divide(dots, norms, out=np.zeros(len(names)), where=norms > 0)
            return dict(zip(names, cosine.tolist(), strict=True))
        finally:
            dense[terms] = 0.0


def _summed(vectors: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, float]:
    """The sum of vectors as (sorted terms, weights) and its squared norm."""
    import numpy as np

    if not vectors:
        return np.zeros(0, np.uint32), np.zeros(0, np.float32), 0.0
    terms, slot = np.unique(np.concatenate([t for t, _ in vectors]), return_inverse=True)
    weights = np.bincount(slot, weights=np.concatenate([w for _, w in vectors]))
    return terms, weights.astype(np.float32), float((weights * weights).sum())
