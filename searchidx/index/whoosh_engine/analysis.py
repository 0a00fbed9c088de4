"""Analyzer pipelines (tokenizer | filters) for the text fields, and the same analysis in one
loop for writers that are given tokens (the tantivy engine).

whoosh runs a text through a generator a filter (tokenizer, lower case, stop words, Porter2),
reusing one Token object and a frequency-counting stem cache: on Reuters most of a tantivy
rebuild's CPU went there. `index_tokens` gives exactly `text_tokens` (tests compare them) with
one pass over `unspaced.words` and one dictionary lookup a word; `index_columns` gives the same
as columns, cheap to send from a worker process (one list and three integer arrays).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any, NamedTuple

from whoosh.analysis import (
    Analyzer,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter2 import stem as porter2_stem

from searchidx.index.engine import Token as IndexToken
from searchidx.index.unspaced import words

# Porter2, not whoosh's default Porter: the old one leaves "running" as "runn"
# (whoosh-notes trap 1).
# words (as written) -> term kept by `index_tokens`; cleared when it grows past this
TERM_CACHE_WORDS = 300_000
_terms: dict[str, str] = {}  # "" for a stopped word
_stems: dict[str, str] = {}  # lower-cased word -> term: "Oil", "OIL" and "oil" stemmed once


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


def _term(word: str) -> str:
    lowered = word.lower()
    term = _stems.get(lowered)
    if term is None:
        # `words` already dropped short words of spaced scripts (StopFilter minsize is 1 here)
        term = "" if lowered in STOP_WORDS else porter2_stem(lowered)
        if len(_stems) >= TERM_CACHE_WORDS:
            _stems.clear()
        _stems[lowered] = term
    if len(_terms) >= TERM_CACHE_WORDS:
        _terms.clear()
    _terms[word] = term
    return term


class Columns(NamedTuple):
    """A text's indexed words as columns: term, position, start and end character."""

    terms: list[str]
    positions: array[int]
    starts: array[int]
    ends: array[int]


def index_columns(text: str) -> Columns:
    """Each indexed word of `text` as the body and title analyzers give them at indexing:
    positions count the words kept, from the first kept word's place among all words (whoosh's
    StopFilter renumbering)."""
    terms: list[str] = []
    positions, starts, ends = array("q"), array("q"), array("q")
    add_term, add_position, add_start, add_end = (
        terms.append,
        positions.append,
        starts.append,
        ends.append,
    )
    known = _terms.get
    position = -1
    for place, (word, start, end) in enumerate(words(text)):
        if word is None:
            continue
        term = known(word)
        if term is None:
            term = _term(word)
        if term:
            position = place if position < 0 else position + 1
            add_term(term)
            add_position(position)
            add_start(start)
            add_end(end)
    return Columns(terms, positions, starts, ends)


def index_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """(term, position, start char, end char) of each indexed word of `text` (`index_columns`
    as rows: what `text_tokens` gives)."""
    return list(zip(*index_columns(text), strict=True))
