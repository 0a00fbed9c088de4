"""search(), get_article() and similar() on the seed corpus (hand-made entities and aliases)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from searchidx.errors import QuerySyntaxError, UnknownArticle
from searchidx.index import open_index
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search.searching import get_article, search, similar

CNN = "cnn-2016-04-11-north-korean-colonel-defects"
VICE = "vice-news-2016-04-11-most-senior-military-defection"


@pytest.fixture(scope="module")
def index(seed_index: Path):  # type: ignore[no-untyped-def]
    return open_index(seed_index)


def ids(results) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.id for h in results.hits}


def test_defection_finds_both_with_snippets(index) -> None:  # type: ignore[no-untyped-def]
    results = search(index, SearchRequest(query="defection"))
    assert results.total == 2 and ids(results) == {CNN, VICE}
    for hit in results.hits:
        assert hit.snippets and any(s.spans for s in hit.snippets)
        assert hit.published == datetime(2016, 4, 11, tzinfo=UTC) and hit.date_only


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('org:"general reconnaissance bureau"', {CNN, VICE}),
        ('org:"Reconnaissance General Bureau"', {CNN, VICE}),
        ('org:"yonhap news agency"', {CNN, VICE}),
        ('person:"lee jin-man"', {VICE}),
        ("place:china", {CNN}),
        ("outlet:cnn", {CNN}),
        ('outlet:"vice news"', {VICE}),
        ("defection -outlet:CNN", {VICE}),
        ('"reconnaissance general bureau"', {CNN}),
        ("uriminzokkiri OR disclosures", {CNN, VICE}),
        ("uriminzokkiri AND disclosures", set()),
        ("date:2016-04-11", {CNN, VICE}),
        ("date:2016-04", {CNN, VICE}),
        ("date:>=2016-04-11", {CNN, VICE}),
        ("date:>2016-04-11", set()),
        ("date:<2016-04-11", set()),
        ("date:<=2016-04-11", {CNN, VICE}),
        ("date:>2016-03", {CNN, VICE}),
        ("date:>2016-04", set()),
        ("date:[2016-04-12 to 2016-12-31]", set()),
        ("date:[2016-01-01 to 2016-04-11]", {CNN, VICE}),
        ("defect* place:washington", {VICE}),
        ("uriminzokkiri colonel", {CNN, VICE}),  # one missing word lowers the score only
    ],
)
def test_queries(index, query: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    results = search(index, SearchRequest(query=query))
    assert ids(results) == expected and results.total == len(expected)


def test_missing_word_ranks_lower(index) -> None:  # type: ignore[no-untyped-def]
    results = search(index, SearchRequest(query="uriminzokkiri colonel"))
    assert results.hits[0].id == CNN and results.hits[0].score > results.hits[1].score


def test_filters_are_disjunctive_and_case_insensitive(index) -> None:  # type: ignore[no-untyped-def]
    request = SearchRequest(filters=(("outlet", ("cnn",)),), facets=("outlet", "organisations"))
    results = search(index, request)
    assert results.total == 1 and ids(results) == {CNN}
    outlets = {c.value: (c.count, c.selected) for c in results.facet("outlet")}
    assert outlets == {"CNN": (1, True), "VICE News": (1, False)}
    orgs = {c.value: c.count for c in results.facet("organisations")}
    assert orgs == {"General Reconnaissance Bureau": 1, "Yonhap": 1}


def test_org_filter_matches_merged_names(index) -> None:  # type: ignore[no-untyped-def]
    request = SearchRequest(filters=(("organisations", ("General Reconnaissance Bureau",)),))
    assert search(index, request).total == 2


def test_exclusions(index) -> None:  # type: ignore[no-untyped-def]
    request = SearchRequest(excludes=(("outlet", ("CNN",)),), facets=("outlet",))
    results = search(index, request)
    assert ids(results) == {VICE}
    assert {c.value: c.excluded for c in results.facet("outlet")} == {
        "CNN": True,
        "VICE News": False,
    }


def test_since_until_inclusive(index) -> None:  # type: ignore[no-untyped-def]
    day = date(2016, 4, 11)
    assert search(index, SearchRequest(since=day, until=day)).total == 2
    assert search(index, SearchRequest(since=date(2016, 4, 12))).total == 0
    assert search(index, SearchRequest(until=date(2016, 4, 10))).total == 0


def test_sorting_and_paging(index) -> None:  # type: ignore[no-untyped-def]
    first = search(index, SearchRequest(query="defection", limit=1))
    second = search(index, SearchRequest(query="defection", limit=1, offset=1))
    assert first.total == second.total == 2
    assert len(first.hits) == len(second.hits) == 1 and first.hits[0].id != second.hits[0].id
    assert search(index, SearchRequest(query="defection", offset=5)).hits == ()


def test_did_you_mean(index) -> None:  # type: ignore[no-untyped-def]
    results = search(index, SearchRequest(query="colonl"))
    assert results.total == 0 and results.suggestion == "colonel"
    assert search(index, SearchRequest(query="defection")).suggestion is None


def test_bad_sort_and_facet_are_syntax_errors(index) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuerySyntaxError):
        search(index, SearchRequest(sort="sideways"))
    with pytest.raises(QuerySyntaxError):
        search(index, SearchRequest(facets=("colour",)))


def test_get_article_and_highlight(index) -> None:  # type: ignore[no-untyped-def]
    article = get_article(index, CNN, highlight="defector")
    assert article.hit.outlet == "CNN" and "Uriminzokkiri" in article.body
    marked = {article.body[s:e].lower() for s, e in article.body_spans}
    assert marked == {"defector", "defectors"}
    with pytest.raises(UnknownArticle):
        get_article(index, "no-such-id")


def test_similar_excludes_the_article_itself(index) -> None:  # type: ignore[no-untyped-def]
    results = similar(index, CNN)
    assert ids(results) == {VICE}


def test_newest_and_undated(tmp_path: Path) -> None:
    def article(n: int, when: datetime | None) -> Article:
        return Article(
            id=f"a{n}", path=f"a{n}.txt", title=f"spy {n}", body="spy story", published=when
        )

    index_articles(
        tmp_path,
        [
            article(1, datetime(2015, 1, 1, tzinfo=UTC)),
            article(2, datetime(2017, 6, 1, 12, tzinfo=UTC)),
            article(3, None),
            article(4, datetime(1965, 3, 1, tzinfo=UTC)),  # a negative timestamp
        ],
    )
    ix = open_index(tmp_path)
    # undated last in both orders (stored with published_ts 0, between 1965 and 2015)
    newest = search(ix, SearchRequest(query="spy", sort="newest"))
    assert [h.id for h in newest.hits] == ["a2", "a1", "a4", "a3"]
    oldest = search(ix, SearchRequest(query="spy", sort="oldest"))
    assert [h.id for h in oldest.hits] == ["a4", "a1", "a2", "a3"]
    assert search(ix, SearchRequest(query="date:<2020")).total == 3  # undated never in a range
    years = search(ix, SearchRequest(facets=("year",))).facet("year")
    assert [c.value for c in years] == ["1965", "2015", "2017"]
    assert search(ix, SearchRequest()).entities_pending == 0


def test_similar_gives_a_title_only_article_no_snippet(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from whoosh import query as wq
    from whoosh.searching import Searcher

    articles = [
        Article(id="brief", path="b.txt", title="Spy caught", body=""),
        Article(id="full", path="f.txt", title="Spy story", body="A spy was caught in Seoul."),
        Article(id="other", path="o.txt", title="Spy again", body="Another spy in Seoul."),
    ]
    index_articles(tmp_path, articles)
    # more_like matches body terms, which a title-only article lacks: let it match everything,
    # as a title-aware more-like-this would, to see how such a hit is shown
    monkeypatch.setattr(
        Searcher,
        "more_like",
        lambda self, docnum, *a, top=10, **k: self.search(wq.Every(), limit=top, mask={docnum}),
    )
    results = similar(open_index(tmp_path), "other")
    snippets = {h.id: h.snippets for h in results.hits}
    assert set(snippets) == {"brief", "full"}
    assert snippets["brief"] == () and snippets["full"][0].text == "A spy was caught in Seoul."


def test_title_spans_and_cut_marks(index) -> None:  # type: ignore[no-untyped-def]
    hit = {h.id: h for h in search(index, SearchRequest(query="defection")).hits}[CNN]
    assert [hit.title[s:e] for s, e in hit.title_spans] == ["defects"]
    first, *rest = hit.snippets
    # the CNN body opens with the title: the first fragment is not cut at its start
    assert not first.cut_start and first.cut_end
    assert rest and all(s.cut_start for s in rest)
    shown = get_article(index, CNN, highlight='"military official"')
    assert [shown.hit.title[s:e] for s, e in shown.hit.title_spans] == ["military", "official"]
    assert search(index, SearchRequest(query="title:korean")).hits[0].title_spans
    assert not search(index, SearchRequest(query="body:defection")).hits[0].title_spans
