"""Snippets: stemmed variants, strict phrases, text order, the opening when nothing matched."""

from __future__ import annotations

from searchidx.index.whoosh_engine.analysis import text_tokens
from searchidx.models import Snippet
from searchidx.search.snippets import Highlight, make_snippets, match_spans, opening

TEXT = (
    "The colonel defected in 2015. " + "Filler words about nothing much at all. " * 8
    + "Officials said defectors face danger. North Korea denied it. "
    + "Filler words about nothing much at all. " * 8
    + "A north wind blew over Korea. The North Korean army colonel was named."
)  # fmt: skip


def marked(snippet: Snippet) -> list[str]:
    return [snippet.text[s:e] for s, e in snippet.spans]


def test_stemmed_variants_are_highlighted() -> None:
    spans = match_spans(TEXT, Highlight(text_tokens, words=frozenset({"defect"})))
    assert [TEXT[s:e] for s, e in spans] == ["defected"]
    spans = match_spans(TEXT, Highlight(text_tokens, words=frozenset({"defector"})))
    assert [TEXT[s:e] for s, e in spans] == ["defectors"]


def test_phrase_words_only_where_the_phrase_matches() -> None:
    spans = match_spans(TEXT, Highlight(text_tokens, phrases=((("north", "korea"), 1),)))
    words = [TEXT[s:e] for s, e in spans]
    assert words == ["North", "Korea"]  # not "north wind ... Korea", not "North Korean"


def test_proximity_phrase_allows_gaps() -> None:
    spans = match_spans(TEXT, Highlight(text_tokens, phrases=((("north", "korea"), 4),)))
    assert [TEXT[s:e] for s, e in spans].count("north") == 1


def test_fragments_in_text_order_with_relative_spans() -> None:
    snippets = make_snippets(
        TEXT, Highlight(text_tokens, words=frozenset({"defect", "colonel"})), count=3
    )
    assert 1 < len(snippets) <= 3
    starts = [TEXT.index(s.text) for s in snippets]
    assert starts == sorted(starts)
    for snippet in snippets:
        assert len(snippet.text) <= 170
        assert all(w.lower() in ("defected", "colonel") for w in marked(snippet))


def test_count_limits_fragments() -> None:
    assert (
        len(make_snippets(TEXT, Highlight(text_tokens, words=frozenset({"colonel"})), count=1)) == 1
    )
    assert make_snippets(TEXT, Highlight(text_tokens, words=frozenset({"colonel"})), count=0) == ()


def test_no_match_gives_the_opening() -> None:
    snippets = make_snippets(TEXT, Highlight(text_tokens, words=frozenset({"zebra"})))
    assert snippets == (opening(TEXT),) and snippets[0].text.startswith("The colonel defected")
    assert snippets[0].spans == () and len(snippets[0].text) <= 160


def test_blank_lines_collapse_without_moving_spans() -> None:
    text = "First line.\n\n\nThe defector spoke."
    (snippet,) = make_snippets(text, Highlight(text_tokens, words=frozenset({"defector"})))
    assert "\n" not in snippet.text and "  " not in snippet.text
    assert marked(snippet) == ["defector"]


def test_proximity_words_in_any_order() -> None:
    filler = "Filler words about nothing. " * 3
    text = f"Prices of crude oil rose. {filler}Oil that is crude sold. {filler}Crude alone."
    exact = match_spans(text, Highlight(text_tokens, phrases=((("crude", "oil"), 1),)))
    assert [text[s:e] for s, e in exact] == ["crude", "oil"]
    near = match_spans(text, Highlight(text_tokens, proximity=((("oil", "crude"), 3),)))
    # "crude oil" and "Oil that is crude" match; the lone "Crude" far from any oil does not
    assert [text[s:e] for s, e in near] == ["crude", "oil", "Oil", "crude"]


def test_proximity_query_highlights_where_it_matched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from searchidx.index import open_index
    from searchidx.models import Article, SearchRequest
    from searchidx.rebuild.run import index_articles
    from searchidx.search.searching import search

    body = "Oil output was crude at best. " + "Filler words about nothing. " * 30 + "Crude alone."
    index_articles(tmp_path, [Article(id="a", path="a.txt", title="t", body=body)])
    results = search(open_index(tmp_path), SearchRequest(query='"crude oil"~5'))
    assert results.total == 1
    assert [marked(s) for s in results.hits[0].snippets] == [["Oil", "crude"]]


def test_a_text_is_analysed_once_for_any_query() -> None:
    analysed: list[str] = []

    def counting(text: str, field: str = "body") -> list[tuple[str, int, int, int]]:
        analysed.append(text)
        return text_tokens(text, field)

    text = TEXT + " (analysed once)"
    colonel = match_spans(text, Highlight(counting, words=frozenset({"colonel"})))
    korea = match_spans(text, Highlight(counting, phrases=((("north", "korea"), 1),)))
    assert analysed == [text]
    assert [text[s:e] for s, e in colonel] == ["colonel", "colonel"]
    assert [text[s:e] for s, e in korea] == ["North", "Korea"]
    assert match_spans(text + ".", Highlight(counting, words=frozenset({"colonel"}))) == colonel
    assert analysed == [text, text + "."]


def test_the_analysed_texts_kept_are_bounded() -> None:
    from searchidx.search.snippets import _TokenCache

    cache = _TokenCache(texts=3, chars=100)
    for n in range(5):
        cache.get(text_tokens, f"word {n}", "body")
    assert len(cache.found) == 3  # the least recently used left
    assert [key[2] for key in cache.found] == ["word 2", "word 3", "word 4"]
    cache.get(text_tokens, "x" * 60, "body")
    cache.get(text_tokens, "y" * 60, "body")
    assert cache.held <= 100
    assert [key[2] for key in cache.found] == ["y" * 60]
    cache.get(text_tokens, "z" * 101, "body")  # longer than the whole cache: not kept
    assert [key[2] for key in cache.found] == ["y" * 60]
