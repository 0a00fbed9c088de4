"""Both engines give the same answers: every bench query's total, facet counts and snippets.

One corpus (a Reuters-21578 file, with outlets and entity values assigned by a fixed rule so
that every facet, exclusions included, has something to count) is indexed by the whoosh and the
tantivy engine, in two commits each (the second re-adds some stories: deleted documents stay
behind). Ranking may differ between the engines (docs/benchmarks.md reports the top-10
overlap); what a query matches, and how a shown article is highlighted, may not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bench.queries import QUERIES, BenchQuery
from searchidx.corpus.readers import read_file
from searchidx.index import Engine, open_index
from searchidx.index.engines import engine_of
from searchidx.models import Article, SearchRequest, SearchResults
from searchidx.rebuild.run import index_articles
from searchidx.search.searching import search
from tests.conftest import SEED_CORPUS, shared_corpus

FACETS = ("outlet", "year", "month", "people", "organisations", "places")
OUTLETS = ("Reuters", "Reuters Business", "BBC News")
PLACES = ("Tokyo", "London", "New York", "Paris")


def _with_values(article: Article, number: int) -> Article:
    words = [w for w in article.title.split() if w[:1].isupper() and len(w) > 3]
    return replace(
        article,
        outlet=OUTLETS[number % 3],
        people=tuple(words[:1]),
        organisations=tuple(words[1:3]),
        places=(PLACES[number % 4],) if number % 5 else (),
    )


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Engine]:
    root = shared_corpus("reuters21578")
    articles = [
        _with_values(a, n) for n, a in enumerate(read_file(root / "reut2-000.sgm", root).articles)
    ]
    opened: dict[str, Engine] = {}
    for name in ("whoosh", "tantivy"):
        path = tmp_path_factory.mktemp(name) / "index"
        half = len(articles) // 2
        index_articles(path, articles[:half], engine=name)
        index_articles(path, [*articles[half:], *articles[:half:25]], replace=False, engine=name)
        assert engine_of(path) == name
        opened[name] = open_index(path)
    return opened


def _request(query: BenchQuery, **extra: object) -> SearchRequest:
    filters = query.filters
    since = date.fromisoformat(filters.since) if filters.since else None
    until = date.fromisoformat(filters.until) if filters.until else None
    return SearchRequest(
        query=query.text,
        filters=(("outlet", filters.outlets),) if filters.outlets else (),
        excludes=(("outlet", filters.exclude_outlets),) if filters.exclude_outlets else (),
        since=since,
        until=until,
        facets=FACETS,
        facet_size=50,
        limit=20,
        **extra,  # type: ignore[arg-type]
    )


def _facets(results: SearchResults) -> dict[str, list[tuple[str, int]]]:
    return {name: sorted((c.value, c.count) for c in counts) for name, counts in results.facets}


def test_engines_are_the_ones_asked_for(engines: dict[str, Engine]) -> None:
    assert type(engines["whoosh"]).__name__ == "WhooshEngine"
    assert type(engines["tantivy"]).__name__ == "TantivyEngine"
    assert len(engines["whoosh"].live_docs()) == len(engines["tantivy"].live_docs()) > 900


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.kind}:{q.text}:{q.filters.count}")
def test_same_totals_facets_and_snippets(engines: dict[str, Engine], query: BenchQuery) -> None:
    found = {name: search(engine, _request(query)) for name, engine in engines.items()}
    whoosh, tantivy = found["whoosh"], found["tantivy"]
    assert tantivy.total == whoosh.total
    assert _facets(tantivy) == _facets(whoosh)
    shown = {hit.id: hit for hit in whoosh.hits}
    for hit in tantivy.hits:
        if hit.id in shown:  # the same article is highlighted alike
            assert hit.snippets == shown[hit.id].snippets
            assert hit.title_spans == shown[hit.id].title_spans


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.kind}:{q.text}:{q.filters.count}")
def test_feedback_only_reorders(engines: dict[str, Engine], query: BenchQuery) -> None:
    """`expand` changes the order alone, on both engines: the same total, facet counts and
    matched articles (every match listed) as the query without it."""
    for engine in engines.values():
        plain = search(engine, replace(_request(query), limit=2000, snippets=0))
        fed = search(engine, replace(plain.request, expand=True))
        assert fed.total == plain.total
        assert _facets(fed) == _facets(plain)
        assert sorted(hit.id for hit in fed.hits) == sorted(hit.id for hit in plain.hits)


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(query="oil", excludes=(("places", ("Tokyo",)),), facets=FACETS),
        SearchRequest(query="bank", filters=(("places", ("London", "Paris")),), facets=FACETS),
        SearchRequest(query='"oil prices"~3 OR wheat', sort="newest", facets=FACETS),
        SearchRequest(query="opec* OR pr?ces OR *flation", facets=FACETS),
        SearchRequest(query="date:[1987-03-01 to 1987-03-05] -oil", facets=FACETS),
        SearchRequest(query="title:wheat AND body:export?", facets=FACETS),
    ],
)
def test_entity_facets_and_more_syntax(engines: dict[str, Engine], request_: SearchRequest) -> None:
    whoosh, tantivy = (search(engines[n], request_) for n in ("whoosh", "tantivy"))
    assert tantivy.total == whoosh.total
    assert _facets(tantivy) == _facets(whoosh)


def test_did_you_mean_and_similar(engines: dict[str, Engine]) -> None:
    from searchidx.search.searching import similar

    whoosh, tantivy = (search(engines[n], SearchRequest(query="inflaton")) for n in engines)
    assert tantivy.total == whoosh.total == 0
    assert tantivy.suggestion == whoosh.suggestion is not None
    some = search(engines["tantivy"], SearchRequest(query="wheat", limit=1)).hits[0].id
    alike = similar(engines["tantivy"], some)
    assert alike.hits and some not in {hit.id for hit in alike.hits}


def test_the_index_records_and_switches_its_engine(tmp_path: Path) -> None:
    from searchidx.rebuild.run import rebuild

    corpus = SEED_CORPUS
    index = tmp_path / "index"
    rebuild(index, corpus, entities=False, jobs=1)
    assert engine_of(index) == "whoosh"
    before = search(open_index(index), SearchRequest(query="defection")).total
    rebuild(index, corpus, entities=False, jobs=1, engine="tantivy")
    assert engine_of(index) == "tantivy"
    assert type(open_index(index)).__name__ == "TantivyEngine"
    assert search(open_index(index), SearchRequest(query="defection")).total == before > 0
    report = rebuild(index, corpus, entities=False, jobs=1)  # nothing changed: no new generation
    assert report.indexed == 0 and engine_of(index) == "tantivy"
