"""Fragments cut around given body spans (`show --highlight`): alignment, width, choice, order."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from searchidx.search.snippets import fragments


def _spans(body: str, word: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in re.finditer(rf"\b{word}\b", body))


def test_spans_follow_collapsed_whitespace() -> None:
    body = "Opening  words.\n\n\tThe   colonel\ndefected to   the South."
    spans = _spans(body, "colonel") + _spans(body, "defected")
    (snippet,) = fragments(body, spans)
    assert snippet.text == "Opening words. The colonel defected to the South."
    assert [snippet.text[s:e] for s, e in snippet.spans] == ["colonel", "defected"]


def test_no_spans_no_fragments() -> None:
    assert fragments("Some text.", ()) == ()
    assert fragments("Some text.", ((0, 4),), count=0) == ()


def test_width_whole_words_and_text_order() -> None:
    filler = " ".join(f"word{i}" for i in range(200))
    body = f"{filler} alpha {filler} beta gamma {filler} alpha {filler}"
    spans = tuple(sorted(_spans(body, "alpha") + _spans(body, "beta") + _spans(body, "gamma")))
    found = fragments(body, spans, count=2, width=80)
    # beta and gamma share one fragment (two distinct words): it beats either lone alpha
    assert len(found) == 2
    marked = [[s.text[a:b] for a, b in s.spans] for s in found]
    assert marked == [["alpha"], ["beta", "gamma"]]
    for snippet in found:
        assert len(snippet.text) <= 80
        assert snippet.text in body and all(w.startswith("word") for w in snippet.text.split()
                                            if w not in {"alpha", "beta", "gamma"})  # fmt: skip


@given(st.text(alphabet="ab \n", max_size=300), st.data())
def test_every_span_marks_the_same_word(body: str, data: st.DataObject) -> None:
    words = tuple((m.start(), m.end()) for m in re.finditer(r"\S+", body))
    chosen = data.draw(st.lists(st.sampled_from(words), unique=True) if words else st.just([]))
    for snippet in fragments(body, tuple(chosen), width=40):
        assert snippet.text in " ".join(body.split())
        for start, end in snippet.spans:
            assert snippet.text[start:end] in {body[s:e] for s, e in chosen}
