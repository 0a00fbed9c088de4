"""nDCG@k, average precision and recall@k against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from bench.quality.metrics import average_precision, mean, ndcg_at, recall_at


def test_average_precision_by_hand() -> None:
    # Relevant a, c, e; retrieved at ranks 1 and 3, e never: (1/1 + 2/3) / 3.
    assert average_precision(["a", "b", "c", "d"], {"a": 1, "c": 1, "e": 1}) == pytest.approx(
        (1 + 2 / 3) / 3
    )


def test_average_precision_ignores_zero_gain_and_duplicates() -> None:
    judged = {"a": 1, "b": 0}
    assert average_precision(["b", "a"], judged) == pytest.approx(0.5)
    # A document listed twice does not count twice.
    assert average_precision(["x", "x", "a"], judged) == pytest.approx(0.5)


def test_ndcg_perfect_and_graded() -> None:
    judged = {"a": 3, "b": 1}
    assert ndcg_at(["a", "b", "z"], judged, 10) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at(["b", "a"], judged, 10) == pytest.approx(swapped)


def test_ndcg_cut_off_at_k() -> None:
    assert ndcg_at(["x", "a"], {"a": 1}, 1) == 0.0
    assert ndcg_at(["x", "a"], {"a": 1}, 2) == pytest.approx(1 / math.log2(3))


def test_recall_at_k() -> None:
    judged = {"a": 1, "b": 2, "c": 1, "d": 0}
    assert recall_at(["a", "d", "b", "c"], judged, 3) == pytest.approx(2 / 3)
    assert recall_at([], judged, 100) == 0.0


def test_no_relevant_documents_scores_zero() -> None:
    assert ndcg_at(["a"], {"a": 0}) == 0.0
    assert average_precision(["a"], {}) == 0.0
    assert mean([]) == 0.0
