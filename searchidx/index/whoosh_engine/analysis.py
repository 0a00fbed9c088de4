"""Analyzer pipelines (tokenizer | filters) for the text fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    Analyzer,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang.porter2 import stem as porter2_stem

from searchidx.index.engine import Token as IndexToken
from searchidx.index.unspaced import words

# Porter2, not whoosh's default Porter: the old one leaves "running" as "runn"
# (whoosh-notes trap 1).


class ScriptTokenizer(Tokenizer):
    """whoosh's default word pattern, plus CJK bigrams and Thai words (`index/unspaced.py`).

    Words of other scripts shorter than two characters are left out here, still taking their
    position, so the stop filter (minimum size 1: a lone Han character is a word) numbers the
    rest as whoosh's `StemmingAnalyzer` did.
    """

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        found = words(value) if tokenize else iter([(value, 0, len(value))])
        for pos, (text, start, end) in enumerate(found):
            if text is None:
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def _analyzer() -> Analyzer:
    return (
        ScriptTokenizer()
        | LowercaseFilter()
        | StopFilter(minsize=1)
        | StemFilter(stemfn=porter2_stem, cachesize=50000)
    )


def body_analyzer() -> Analyzer:
    return _analyzer()


def title_analyzer() -> Analyzer:
    return _analyzer()


_FIELD_ANALYZERS: dict[str, Analyzer] = {}


def _field_analyzer(field: str) -> Analyzer:
    name = "title" if field == "title" else "body"
    if name not in _FIELD_ANALYZERS:
        _FIELD_ANALYZERS[name] = title_analyzer() if name == "title" else body_analyzer()
    return _FIELD_ANALYZERS[name]


def analyze_text(text: str, field: str = "body") -> list[str]:
    """The index terms (stems, stop words removed) a query's text becomes in a text field."""
    return [token.text for token in _field_analyzer(field)(text, mode="query")]


def text_tokens(text: str, field: str = "body") -> list[IndexToken]:
    """The words of a text as indexing analyses them, with positions and character spans (both
    engines index these; the tantivy engine imports only this module of whoosh's side)."""
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in _field_analyzer(field)(text, positions=True, chars=True, mode="index")
    ]
