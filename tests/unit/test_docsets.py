"""docsets: query document sets, day ranges and date order equal whoosh's and a count by hand,
on an index of several segments with replaced (deleted) documents."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from whoosh import query as wq

from searchidx.index import open_index
from searchidx.index import querytree as qt
from searchidx.index.whoosh_engine.compile import day_range_query, to_whoosh
from searchidx.index.whoosh_engine.docsets import (
    date_ordered,
    day_docs,
    live_docs,
    query_docs,
    ranking_query,
)
from searchidx.index.whoosh_engine.reader import analyze_text as analyze
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search import searching
from searchidx.search.searching import search

WORDS = (
    "oil",
    "prices",
    "wheat",
    "exports",
    "bank",
    "rates",
    "gold",
    "strike",
    "coffee",
    "quota",
    "yen",
    "dollar",
)
OUTLETS = ("Reuters", "BBC News", "CNN")
PLACES = ("usa", "uk", "japan", "brazil")


def _article(rng: random.Random, number: int, version: int = 0) -> Article:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
    undated = number % 11 == 0
    published = (
        None
        if undated
        else datetime(1987, 3, 1, tzinfo=UTC)
        + timedelta(
            days=rng.randint(0, 40)  # few days for many articles: ties in date order
        )
    )
    return Article(
        id=f"a{number:03d}",
        path=f"a{number:03d}.txt",
        title=f"story {number} v{version}",
        body=body,
        outlet=OUTLETS[number % 3],
        published=published,
        date_only=True,
        places=tuple(sorted(set(rng.sample(PLACES, rng.randint(0, 2))))),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    folder: Path = tmp_path_factory.mktemp("docsets") / "ix"
    articles = {a.id: a for a in (_article(rng, n) for n in range(40))}
    index_articles(folder, list(articles.values()))
    more = [_article(rng, n) for n in range(40, 60)]
    index_articles(folder, more, replace=False)  # a second segment
    changed = [_article(rng, n, version=1) for n in range(5, 60, 7)]
    index_articles(folder, changed, replace=False)  # replaces: deletions in older segments
    for article in [*more, *changed]:
        articles[article.id] = article
    index = open_index(folder)
    assert len(index.searcher().reader().leaf_readers()) > 1
    assert index.searcher().reader().has_deletions()
    return index, articles


def compile_query(index, text: str) -> wq.Query:  # type: ignore[no-untyped-def]
    """The whoosh query the engine runs for a query string."""
    return to_whoosh(searching.compile_query(index, text))


def _ids(index, docs) -> set[str]:  # type: ignore[no-untyped-def]
    searcher = index.searcher()
    return {str(searcher.stored_fields(d)["id"]) for d in docs}


def _has(article: Article, word: str) -> bool:
    return analyze(word)[0] in set(analyze(article.body)) | set(analyze(article.title, "title"))


QUERIES = [
    "oil",
    "oil prices",
    "oil AND prices",
    "oil OR coffee",
    "+wheat yen",
    "rat*",
    "doll?r",
    "quoat~1",
    '"oil prices"',
    '"prices oil"~3',
    '"oil prices gold"~4',
    'title:"v0 story"~2',
    "title:story",
    "outlet:cnn oil",
    "place:japan",
    "date:1987-03",
    "date:>=1987-03-20 wheat",
    "date:[1987-03-05 to 1987-03-09]",
    "missingword",
    "",
]


# Negations are checked by hand below, not against whoosh: its AndNot matcher never checks the
# first posting of the positive side against the negated one, so a document holding both can slip
# through (here "(gold OR coffee) AND NOT strike" kept a document with "coffee" and "strike").
@pytest.mark.parametrize("text", QUERIES)
def test_query_docs_equal_whoosh(built, text: str) -> None:  # type: ignore[no-untyped-def]
    index, _ = built
    q = compile_query(index, text)
    live = live_docs(index)
    expected = live if isinstance(q, wq.Every) else frozenset(index.searcher().docs_for_query(q))
    assert query_docs(index, q) & live == expected & live
    assert index.match(searching.compile_query(index, text)) == expected & live


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("oil", lambda a: _has(a, "oil")),
        ("oil AND prices", lambda a: _has(a, "oil") and _has(a, "prices")),
        ("oil OR coffee", lambda a: _has(a, "oil") or _has(a, "coffee")),
        ("gold -strike", lambda a: _has(a, "gold") and not _has(a, "strike")),
        ("NOT bank", lambda a: not _has(a, "bank")),
        (
            "(gold OR coffee) AND NOT strike",
            lambda a: (_has(a, "gold") or _has(a, "coffee")) and not _has(a, "strike"),
        ),
        ("place:japan", lambda a: "japan" in a.places),
    ],
)
def test_query_docs_equal_a_count_by_hand(built, text, rule) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    found = query_docs(index, compile_query(index, text)) & live_docs(index)
    assert _ids(index, found) == {a.id for a in articles.values() if rule(a)}


def _near(article: Article, first: str, second: str, slop: int) -> bool:
    """Both words within `slop` positions of each other, in either order (body or title)."""
    for text, field in ((article.body, "body"), (article.title, "title")):
        stems = analyze(text, field)
        at = {w: [i for i, s in enumerate(stems) if s == analyze(w)[0]] for w in (first, second)}
        if any(0 < abs(i - j) <= slop for i in at[first] for j in at[second]):
            return True
    return False


@pytest.mark.parametrize("slop", [1, 2, 4])
def test_proximity_is_order_free_and_totals_equal_hits(built, slop: int) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    expected = {a.id for a in articles.values() if _near(a, "oil", "prices", slop)}
    assert expected  # the random bodies hold both orders
    for text in (f'"oil prices"~{slop}', f'"prices oil"~{slop}'):
        results = search(index, SearchRequest(query=text, limit=100, snippets=0))
        assert {h.id for h in results.hits} == expected and results.total == len(expected)
    exact = search(index, SearchRequest(query='"oil prices"', limit=100, snippets=0))
    ordered = {a.id for a in articles.values() if "oil prices" in a.body}
    assert {h.id for h in exact.hits} == ordered != expected  # exact phrases keep their order


@pytest.mark.parametrize(
    ("low", "high"), [(19870305, 19870309), (1, None), (None, 19870310), (19870320, 19870320)]
)
def test_day_docs_equal_the_range_query(built, low, high) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    found = day_docs(index, low, high)
    whoosh = frozenset(index.searcher().docs_for_query(day_range_query(low or 1, high)))
    assert found == whoosh & live_docs(index) if low else found >= whoosh & live_docs(index)

    def day(a: Article) -> int:
        d = a.published.date() if a.published else date(1, 1, 1)
        return d.year * 10000 + d.month * 100 + d.day if a.published else 0

    by_hand = {a.id for a in articles.values() if (low or 0) <= day(a) <= (high or 99999999)}
    assert _ids(index, found) == by_hand
    # the engine's day_docs never holds an undated article, open lower end or not
    dated = {a.id for a in articles.values() if (low or 1) <= day(a) <= (high or 99999999)}
    assert _ids(index, index.day_docs(low, high)) == dated
    assert index.day_docs(low, high) == whoosh & live_docs(index)


@pytest.mark.parametrize("newest", [True, False])
@pytest.mark.parametrize("limit", [5, 100])
def test_date_order_equals_whoosh_sorting(built, newest: bool, limit: int) -> None:  # type: ignore[no-untyped-def]
    # whoosh sorts undated articles (published_ts 0) among the dated ones; we put them last, so
    # only the dated part is compared with whoosh
    index, articles = built
    docs = query_docs(index, compile_query(index, "oil OR gold")) & live_docs(index)
    dated = frozenset(d for d in docs if index.searcher().stored_fields(d).get("published"))
    results = index.searcher().search(
        wq.Every(), limit=limit, filter=set(dated), sortedby="published_ts", reverse=newest
    )
    assert date_ordered(index, dated, newest, limit) == [
        results.docnum(i) for i in range(results.scored_length())
    ]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("page", [1, 4, 100])
def test_undated_articles_come_last_across_pages(built, sort: str, page: int) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    request = SearchRequest(query="oil OR gold OR bank", sort=sort, limit=page, snippets=0)
    hits = []
    while True:
        found = search(index, replace(request, offset=len(hits)))
        if not found.hits:
            break
        hits += found.hits
    assert len(hits) == len({h.id for h in hits}) == found.total
    undated = [h.published is None for h in hits]
    assert any(undated) and not all(undated)
    assert undated == sorted(undated), "an undated article before a dated one"
    dated = [h.published for h in hits if h.published is not None]
    assert dated == sorted(dated, reverse=sort == "newest")
    # the undated ones in a fixed order, the same for both sorts (index order)
    numbers = [index.searcher().document_number(id=h.id) for h in hits if h.published is None]
    assert numbers == sorted(numbers)


def test_facet_counts_with_filters_equal_a_count_by_hand(built) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    request = SearchRequest(
        query="oil OR gold",
        filters=(("outlet", ("Reuters", "CNN")),),
        excludes=(("places", ("uk",)),),
        since=date(1987, 3, 5),
        until=date(1987, 4, 5),
        facets=("outlet", "month", "places"),
        facet_size=10,
    )
    results = search(index, request)

    def passes(a: Article, skip: str = "") -> bool:
        return (
            (_has(a, "oil") or _has(a, "gold"))
            and a.published is not None
            and date(1987, 3, 5) <= a.published.date() <= date(1987, 4, 5)
            and (skip == "outlet" or a.outlet in ("Reuters", "CNN"))
            and (skip == "places" or "uk" not in a.places)
        )

    everything = list(articles.values())
    assert results.total == sum(passes(a) for a in everything)
    facets = {name: {c.value: c.count for c in rows if c.count} for name, rows in results.facets}
    assert facets["outlet"] == Counter(a.outlet for a in everything if passes(a, "outlet"))
    assert facets["month"] == Counter(
        f"{a.published:%Y-%m}" for a in everything if passes(a) and a.published
    )
    places = Counter(p for a in everything if passes(a, "places") for p in a.places)
    assert facets["places"] == places


def test_negated_word_never_in_hits_nor_total(built) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    results = search(index, SearchRequest(query="(gold OR coffee) AND NOT strike", limit=100))
    expected = {
        a.id
        for a in articles.values()
        if (_has(a, "gold") or _has(a, "coffee")) and not _has(a, "strike")
    }
    assert results.total == len(expected)
    assert {h.id for h in results.hits} == expected


def test_suggestion_only_when_asked(built) -> None:  # type: ignore[no-untyped-def]
    index, _ = built
    asked = search(index, SearchRequest(query="coffe quotta"))
    skipped = search(index, SearchRequest(query="coffe quotta", suggest=False))
    assert asked.total == skipped.total == 0
    assert asked.suggestion and skipped.suggestion is None


@pytest.mark.parametrize(
    "text",
    [
        "oil date:1987-03",
        "gold OR date:1987-03-10",
        "+wheat date:>=1987-03-20",
        "oil prices yen",
        "(coffee OR date:[1987-03-05 to 1987-03-09]) AND NOT strike",
    ],
)
def test_ranking_query_keeps_hits_and_scores(built, text: str) -> None:  # type: ignore[no-untyped-def]
    index, _ = built
    q = compile_query(index, text)
    docs = set(query_docs(index, q) & live_docs(index))
    searcher = index.searcher()
    before = searcher.search(q, limit=50, filter=docs)
    after = searcher.search(ranking_query(index, q), limit=50, filter=docs)
    assert before.scored_length() > 0
    assert [(before.docnum(i), before.score(i)) for i in range(before.scored_length())] == [
        (after.docnum(i), after.score(i)) for i in range(after.scored_length())
    ]


def test_term_cache_stays_within_its_budget(built, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import searchidx.index.whoosh_engine.docsets as docsets

    index, articles = built
    monkeypatch.setattr(docsets, "TERM_CACHE_IDS", 30)
    index.cache.pop("term-docs", None)  # earlier tests filled it under the real budget
    for word in ("oil", "gold", "wheat", "bank", "yen", "oil"):
        found = query_docs(index, compile_query(index, word)) & live_docs(index)
        assert _ids(index, found) == {a.id for a in articles.values() if _has(a, word)}
    cache = index.cache["term-docs"]
    held = sum(len(docs) for docs in cache.values())
    assert held == cache.held
    assert held <= 30 or len(cache) == 1


def test_engine_segments_documents_and_terms(built) -> None:  # type: ignore[no-untyped-def]
    index, articles = built
    segments = index.segments()
    assert len(segments) > 1 and len({s.id for s in segments}) == len(segments)
    docs = [s.doc(local) for s in segments for local in s.live()]
    assert sorted(docs) == sorted(index.live_docs())
    assert sum(s.doc_count() for s in segments) == len(index.live_docs())
    for segment in segments:
        for local in segment.live():
            assert not segment.is_deleted(local)
            stored = segment.stored(local)
            assert stored == articles[stored.id] == index.stored(segment.doc(local))
            assert index.doc_of(stored.id) == segment.doc(local)
    assert index.doc_of("no-such-article") is None
    places = index.field_values("places")
    assert {p: _ids(index, d) for p, d in places.items()} == {
        p: {a.id for a in articles.values() if p in a.places} for p in PLACES
    }
    prefix = index.expand(qt.Prefix("body", "pri"))
    assert prefix == ["price"]
    assert index.expand(qt.Term("body", "missingword")) == []
    assert index.term_frequency("body", "missingword") == 0 < index.term_frequency("body", "oil")
    assert "oil" in index.terms_within("body", "oik", 1)
