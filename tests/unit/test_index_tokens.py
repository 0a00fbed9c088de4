"""`index_tokens` (the tantivy writer's analysis in one loop) gives exactly the whoosh analyzers'
indexing tokens: terms, renumbered positions and character spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchidx.index.whoosh_engine import analysis
from searchidx.index.whoosh_engine.analysis import index_tokens, text_tokens

TEXTS = (
    "",
    "   ",
    "The a I is it",  # stop words and one-letter words only
    "the oil of the North Sea",  # a leading stop word: the first position is the word's place
    "a b c Wheat rose; an oil-price rise.",
    "I'm going to the U.S. today, to İstanbul (*wild* card) x_y 3.5% 1,000",
    "Ünïcödé ÉCOLE straße ﬁnance ΣΑΣ Μάρτιος 東京 running runs RAN",
    "Running running RUNNING: the runner's runs",
    "I 日 the 日本の首都は東京です。戒厳令 a 韓国 x",  # CJK bigrams, a lone Han character
    "the ข่าว กรุงเทพมหานครเป็นเมืองหลวง a ไทย",  # Thai dictionary words
)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("field", ["title", "body"])
def test_same_tokens_as_the_whoosh_analyzers(text: str, field: str) -> None:
    assert index_tokens(text) == text_tokens(text, field)


def test_a_full_cache_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "TERM_CACHE_WORDS", 3)
    monkeypatch.setattr(analysis, "_terms", {})
    monkeypatch.setattr(analysis, "_stems", {})
    text = "alpha Beta the GAMMA delta epsilon Alpha zeta beta ALPHA"
    assert index_tokens(text) == text_tokens(text)
    assert len(analysis._terms) <= 3 and len(analysis._stems) <= 3


WORDS = st.sampled_from(["the", "a", "Oil", "oil", "U.S.", "runs", "x", "İ", "ß", "*", "1.5"])
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_same_tokens_on_any_text(text: str) -> None:
    assert index_tokens(text) == text_tokens(text)
