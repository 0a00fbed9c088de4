"""Scripts written without spaces: a word from the middle of a Japanese, Chinese or Thai article
finds it, in both engines, with the snippet's span on that word (issue 21, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.index import Engine, open_index
from searchidx.index.unspaced import bigrams, has_unspaced, words
from searchidx.index.whoosh_engine.analysis import body_analyzer
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search.searching import search

# Written for this test: no article holds another's words.
JAPANESE = (
    "政府は今週、首都圏の鉄道網を強化する新しい計画を発表した。計画では、地下鉄の路線を延長し、"
    "駅の混雑を緩和することを目指している。関係者によると、工事は来年春に始まる予定だ。"
)
CHINESE = (
    "市政府昨天宣布，将在城市东部建设一座新的公共图书馆。该图书馆预计明年完工，"
    "可容纳五十万册藏书，并为市民提供免费的阅读空间。"
)
THAI = (
    "รัฐบาลประกาศแผนพัฒนาระบบขนส่งสาธารณะในเมืองใหญ่ "
    "โดยจะเพิ่มจำนวนรถไฟฟ้าและปรับปรุงสถานีเพื่อลดความแออัดของผู้โดยสาร"
)
ENGLISH = "The council said de facto rules on the harbour would change in spring."
ARTICLES = [
    Article(id="ja", path="ja.txt", title="鉄道計画", body=JAPANESE, language="ja"),
    Article(id="zh", path="zh.txt", title="新图书馆", body=CHINESE, language="zh"),
    Article(id="th", path="th.txt", title="ขนส่งสาธารณะ", body=THAI, language="th"),
    Article(id="en", path="en.txt", title="Harbour rules", body=ENGLISH, language="en"),
]
# (query, article, the word as it stands in the body)
MIDDLE_WORDS = [
    ("混雑", "ja", "混雑"),
    ("地下鉄", "ja", "地下鉄"),
    ("图书馆", "zh", "图书馆"),
    ("藏书", "zh", "藏书"),
    ("สถานี", "th", "สถานี"),
    ("ปรับปรุง", "th", "ปรับปรุง"),
]


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path: Path = tmp_path_factory.mktemp(request.param) / "index"
    index_articles(path, ARTICLES, engine=request.param)
    return open_index(path)


def _search(engine: Engine, query: str) -> tuple[list[str], object]:
    results = search(engine, SearchRequest(query=query, facets=()))
    return [hit.id for hit in results.hits], results


@pytest.mark.parametrize(("query", "article", "word"), MIDDLE_WORDS)
def test_a_word_from_the_middle_finds_the_article_with_its_span(
    engine: Engine, query: str, article: str, word: str
) -> None:
    results = search(engine, SearchRequest(query=query, facets=()))
    assert [hit.id for hit in results.hits] == [article]
    assert results.total == 1
    marked = [s.text[a:b] for s in results.hits[0].snippets for a, b in s.spans]
    assert marked and set(marked) == {word}  # 图书馆 stands twice in its article


def test_characters_that_are_not_side_by_side_do_not_match(engine: Engine) -> None:
    # 地下 and 路線 are both in the Japanese article, 下路 nowhere
    assert _search(engine, "下路")[0] == []
    assert _search(engine, "地下 路線")[0] == ["ja"]
    # both words, in this order, adjacent in the text: a phrase of bigrams
    assert _search(engine, '"地下鉄の路線"')[0] == ["ja"]
    assert _search(engine, '"路線の地下鉄"')[0] == []


def test_title_words_are_found_and_marked(engine: Engine) -> None:
    results = search(engine, SearchRequest(query="title:图书馆", facets=()))
    assert [hit.id for hit in results.hits] == ["zh"]
    title = results.hits[0].title
    assert [title[s:e] for s, e in results.hits[0].title_spans] == ["图书馆"]


def test_no_latin_suggestion_for_a_cjk_word(engine: Engine) -> None:
    # before, a term two edits away was suggested (the bigram する); "de" is one too
    results = search(engine, SearchRequest(query="日本", facets=()))
    assert results.total == 0
    assert results.suggestion is None
    assert search(engine, SearchRequest(query="harbor", facets=())).suggestion == "harbour"


def test_english_words_still_match(engine: Engine) -> None:
    assert _search(engine, "harbours")[0] == ["en"]


def test_bigrams_and_lone_characters() -> None:
    assert [w for w, _, _ in bigrams("戒厳令")] == ["戒厳", "厳令"]
    assert list(bigrams("日", 5)) == [("日", 5, 6)]
    assert [w for w, _, _ in words("iPhone用 x 日")] == ["iPhone", "用", None, "日"]
    assert has_unspaced("สถานี") and has_unspaced("かな") and not has_unspaced("서울 Seoul")


def test_analyzer_positions_are_consecutive_across_scripts() -> None:
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in body_analyzer()("the 日本人 running a", positions=True, chars=True)
    ]
    assert tokens == [("日本", 1, 4, 6), ("本人", 2, 5, 7), ("run", 3, 8, 15)]
