"""Facets: counts equal an independent count, placeholders hidden, one failing facet degrades."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from searchidx.index import open_index
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search import facets as facet_module
from searchidx.search.searching import search

OUTLETS = ["CNN", "VICE News", "Reuters"]
PLACES = [("Seoul",), ("Seoul", "Tokyo"), ()]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [
        Article(
            id=f"a{n}", path=f"a{n}.txt", title=f"story {n}", body="spy" if n % 2 else "river",
            outlet=OUTLETS[n % 3], published=datetime(2015 + n % 2, 1 + n % 12, 1, tzinfo=UTC),
            places=PLACES[n % 3],
        )
        for n in range(30)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def index(articles: list[Article], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path: Path = tmp_path_factory.mktemp("facets")
    index_articles(path, articles)
    return open_index(path)


def counts(results, name: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c.value: c.count for c in results.facet(name)}


def test_counts_equal_an_independent_count(index, articles) -> None:  # type: ignore[no-untyped-def]
    results = search(index, SearchRequest(query="spy", facets=("outlet", "places", "month")))
    spies = [a for a in articles if a.body == "spy"]
    assert results.total == len(spies)
    assert counts(results, "outlet") == Counter(a.outlet for a in spies)
    assert counts(results, "places") == Counter(p for a in spies for p in a.places)
    assert counts(results, "month") == Counter(f"{a.day:%Y-%m}" for a in spies)


def test_time_facets_list_every_value_in_order(index, articles) -> None:  # type: ignore[no-untyped-def]
    months = [c.value for c in search(index, SearchRequest(facets=("month",))).facet("month")]
    assert months == sorted({f"{a.day:%Y-%m}" for a in articles})


def test_top_n_and_placeholder_hidden(index) -> None:  # type: ignore[no-untyped-def]
    results = search(index, SearchRequest(facets=("outlet", "places"), facet_size=2))
    assert len(results.facet("outlet")) == 2
    assert all(not c.value.startswith("\x00") for c in results.facet("places"))


def test_disjunctive_counts_ignore_their_own_filter(index, articles) -> None:  # type: ignore[no-untyped-def]
    request = SearchRequest(
        filters=(("outlet", ("CNN", "reuters")), ("places", ("seoul",))),
        facets=("outlet", "places"),
    )
    results = search(index, request)
    in_seoul = [a for a in articles if "Seoul" in a.places]
    shown = counts(results, "outlet")
    assert {k: v for k, v in shown.items() if v} == Counter(a.outlet for a in in_seoul)
    assert shown["Reuters"] == 0  # selected, so listed even with no article left
    chosen = [a for a in articles if a.outlet in ("CNN", "Reuters") and "Seoul" in a.places]
    assert results.total == len(chosen)


def test_a_failing_facet_degrades_only_itself(index, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(facet_module.FACETS["places"], "count", broken)
    results = search(index, SearchRequest(query="spy", facets=("outlet", "places")))
    assert results.total == 15 and counts(results, "outlet")
    assert dict(results.facet_errors)["places"].endswith("boom")


def test_both_counting_strategies_agree_with_a_brute_force_count(tmp_path: Path) -> None:
    # Many distinct values (as entity facets have): small match sets are counted document by
    # document, large ones value by value; both must give the brute-force counts.
    many = [
        Article(
            id=f"m{n}", path=f"m{n}.txt", title="t", body="word",
            people=tuple(f"Person {k}" for k in range(n % 7, n % 7 + 1 + n % 3)),
        )
        for n in range(60)
    ]  # fmt: skip
    index_articles(tmp_path, many)
    index = open_index(tmp_path)
    facet = facet_module.FACETS["people"]
    table = facet.values(index)
    everyone = frozenset().union(*table.values())
    for docs in (frozenset(sorted(everyone)[:2]), frozenset(sorted(everyone)[::3]), everyone):
        expected = {v: len(m & docs) for v, m in table.items() if m & docs}
        rows = facet.count(index, docs, size=100)
        assert {v: c for v, c, _, _ in rows} == expected
