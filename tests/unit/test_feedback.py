"""Pseudo-relevance feedback (`expand`): the best match's words reorder the other matches, on
both engines, deterministically; the matches and the total stay the query's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main
from searchidx.index import querytree as qt
from searchidx.index.engines import open_index
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search.feedback import (
    DEFAULT,
    Feedback,
    expanded_query,
    feedback_ranking,
    feedback_weights,
    query_terms,
    summed,
)
from searchidx.search.searching import compile_query, search

ENGINES = ("whoosh", "tantivy")
# "oil" alone scores "price" and "strike" the same (one "oil" in three words; the tie goes to
# the earlier article); the best match is about refineries, so feedback lifts "strike" above
# "price". "grain" holds "refinery" but not "oil": feedback never adds a match.
BODIES = {
    "fire": "oil refinery refinery oil",
    "price": "oil price market",
    "strike": "oil refinery refinery",
    "grain": "grain harvest refinery",
    **{crop: f"{crop} harvest" for crop in ("wheat", "corn", "rice", "barley", "oats", "rye")},
}


@pytest.fixture(scope="module", params=ENGINES)
def index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(f"feedback-{request.param}") / "index"
    articles = [Article(id=k, path=f"{k}.txt", title="", body=v) for k, v in BODIES.items()]
    index_articles(path, articles, engine=request.param)
    return path


def _ids(index: Path, expand: bool) -> tuple[list[str], int]:
    found = search(open_index(index), SearchRequest(query="oil", expand=expand, snippets=0))
    return [hit.id for hit in found.hits], found.total


def test_feedback_reorders_the_matches(index: Path) -> None:
    plain, total = _ids(index, expand=False)
    assert plain == ["fire", "price", "strike"]
    expanded, expanded_total = _ids(index, expand=True)
    assert expanded == ["fire", "strike", "price"]
    assert expanded_total == total == 3
    assert _ids(index, expand=True) == (expanded, 3)  # the same again


def test_no_feedback_without_words_or_by_date(index: Path) -> None:
    ix = open_index(index)
    assert expanded_query(ix, qt.Every(), [(0, 1.0)]) == qt.Every()
    newest = SearchRequest(query="oil", sort="newest", expand=True, snippets=0)
    plain = SearchRequest(query="oil", sort="newest", snippets=0)
    assert search(ix, newest).hits == search(ix, plain).hits


def test_feedback_words_come_from_the_best_match(index: Path) -> None:
    ix = open_index(index)
    q = compile_query(ix, "oil")
    ranked = ix.rank(q, ix.match(q), 2)
    weights = feedback_weights(ix, ranked, Feedback(docs=2, terms=3))
    assert set(weights) == {"oil", "refineri", "market"}  # stems, as the index holds them
    assert weights["oil"] > weights["refineri"] > weights["market"]
    assert sum(weights.values()) == pytest.approx(1.0)


def test_common_words_are_not_added(index: Path) -> None:
    """A word in more than `max_share` of the articles is left out: "oil" and "refinery" are in
    3 of 10 articles, "price" and "market" in one."""
    ix = open_index(index)
    assert ix.doc_frequency("body", "refineri") == 3
    assert ix.doc_frequency("body", "market") == 1
    q = compile_query(ix, "oil")
    ranked = ix.rank(q, ix.match(q), 2)  # fire, price
    weights = feedback_weights(ix, ranked, Feedback(docs=2, terms=3, max_share=0.2))
    assert set(weights) == {"price", "market"}


def test_query_terms_keep_repeats_and_leave_out_exclusions() -> None:
    q = qt.AndNot(
        qt.Or((qt.Term("title", "oil"), qt.Term("body", "oil"), qt.Term("body", "oil"))),
        qt.Term("body", "gas"),
    )
    assert query_terms(q) == ["oil", "oil"]


def test_an_or_boost_multiplies_the_score(index: Path) -> None:
    """Both engines: a one-child Or keeps its boost (whoosh's own Or of one query drops it)."""
    ix = open_index(index)
    term = qt.Term("body", "oil")
    plain = dict(ix.rank(term, ix.live_docs(), None))
    doubled = dict(ix.rank(qt.Or((term,), boost=2.0), ix.live_docs(), None))
    assert doubled.keys() == plain.keys()
    for doc, score in plain.items():
        assert doubled[doc] == pytest.approx(2 * score, rel=1e-5)


@pytest.mark.parametrize("engine", ENGINES)
def test_term_scores_are_the_ranking_scores(
    engine: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`term_scores` gives each asked document what `rank` scores a term with (a title word
    weighted as the engine weighs titles), times the weight, summed; 0 without the term."""
    path = tmp_path_factory.mktemp(f"term-scores-{engine}") / "index"
    titled = [
        Article(id="a", path="a.txt", title="oil deal", body="oil price oil"),
        Article(id="b", path="b.txt", title="grain", body="oil harvest and more words here"),
        Article(id="c", path="c.txt", title="oil", body="wheat"),
        Article(id="d", path="d.txt", title="", body="barley"),
    ]
    index_articles(path, titled, engine=engine)
    ix = open_index(path)
    docs = sorted(ix.live_docs(), reverse=True)  # any order
    for field in ("title", "body"):
        ranked = dict(ix.rank(qt.Term(field, "oil"), ix.live_docs(), None))
        scores = ix.term_scores([(field, "oil", 1.0)], docs)
        for doc, score in zip(docs, scores, strict=True):
            assert score == pytest.approx(ranked.get(doc, 0.0), rel=1e-5)
    both = ix.term_scores([("title", "oil", 2.0), ("body", "oil", 0.5)], docs)
    title = ix.term_scores([("title", "oil", 1.0)], docs)
    body = ix.term_scores([("body", "oil", 1.0)], docs)
    for doc, got, t, b in zip(docs, both, title, body, strict=True):
        assert got == pytest.approx(2 * t + 0.5 * b, rel=1e-5)
        assert (got > 0) == (ix.stored(doc).id != "d")
    assert ix.term_scores([("body", "oil", 1.0)], []) == []


def test_the_pool_scores_as_the_expanded_query(index: Path) -> None:
    """With every match in the pool, feedback orders (and scores) the matches as a second full
    ranking by the expanded query would."""
    ix = open_index(index)
    q = compile_query(ix, "oil")
    matched = ix.match(q)
    full = ix.rank(expanded_query(ix, q, ix.rank(q, matched, DEFAULT.docs)), matched, None)
    pooled = feedback_ranking(ix, q, matched, None)
    assert [doc for doc, _ in pooled] == [doc for doc, _ in full]
    assert [score for _, score in pooled] == pytest.approx([score for _, score in full])


def test_the_pool_scores_a_query_of_several_words_without_coordination(index: Path) -> None:
    """A query of several words is first ranked by the sum of its words' scores (whoosh's
    coordination bonus left out, as tantivy has none), then reordered as the expanded query,
    whose added words come from the query's best matches as ranked without feedback."""
    ix = open_index(index)
    q = compile_query(ix, "oil market")
    assert isinstance(q, qt.Or) and q.scale is not None  # the default group's bonus
    matched = ix.match(q)
    first = ix.rank(q, matched, DEFAULT.docs)  # feedback from the ranking users see
    full = ix.rank(expanded_query(ix, summed(q), first), matched, None)
    pooled = feedback_ranking(ix, q, matched, None)
    assert [doc for doc, _ in pooled] == [doc for doc, _ in full]
    assert [score for _, score in pooled] == pytest.approx([score for _, score in full])


def test_summed_drops_every_coordination_bonus() -> None:
    oil, gas = qt.Term("body", "oil"), qt.Term("body", "gas")
    tree = qt.AndNot(
        qt.And((qt.Or((oil, gas), scale=0.9, boost=2.0), qt.AndMaybe(oil, qt.Or((gas,), 0.9)))),
        qt.Or((gas,), scale=0.9),
    )
    assert summed(tree) == qt.AndNot(
        qt.And((qt.Or((oil, gas), boost=2.0), qt.AndMaybe(oil, qt.Or((gas,))))),
        qt.Or((gas,), scale=0.9),  # what is excluded is not scored
    )


def test_only_the_pool_is_reordered(index: Path) -> None:
    """The first ranking's best `pool` are reordered; the rest follow in their first order, with
    scores that never rise above the pool's."""
    ix = open_index(index)
    q = compile_query(ix, "oil")
    matched = ix.match(q)

    def order(pool: int, limit: int | None) -> list[str]:
        ranked = feedback_ranking(ix, q, matched, limit, Feedback(pool=pool))
        scores = [score for _, score in ranked]
        assert scores == sorted(scores, reverse=True)
        return [ix.stored(doc).id for doc, _ in ranked]

    assert order(3, None) == ["fire", "strike", "price"]
    assert order(2, None) == ["fire", "price", "strike"]  # "strike" was third: not reordered
    assert order(1, 2) == ["fire", "price"]
    assert order(3, 1) == ["fire"]


def test_cli_expand(index: Path) -> None:
    def ids(*extra: str) -> list[str]:
        args = ["query", "oil", "--index", str(index), "--format", "json", *extra]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        return [hit["id"] for hit in json.loads(result.output)["hits"]]

    assert ids() == ["fire", "price", "strike"]
    assert ids("--expand") == ["fire", "strike", "price"]
