"""Analyzer pipelines (tokenizer | filters) for the text fields, and the same analysis in one
loop for writers that are given tokens (the tantivy engine).

whoosh runs a text through a generator a filter (tokenizer, lower case, stop words, Porter2),
reusing one Token object and a frequency-counting stem cache: on Reuters most of a tantivy
rebuild's CPU went there. `index_tokens` gives exactly `text_tokens` (tests compare them) with
one regex scan and one dictionary lookup a word; `index_columns` gives the same as columns,
cheap to send from a worker process (one list and three integer arrays).
"""

from __future__ import annotations

from array import array
from typing import NamedTuple

from whoosh.analysis import Analyzer, StemmingAnalyzer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter2 import stem as porter2_stem

# Porter2, not whoosh's default Porter: the old one leaves "running" as "runn"
# (whoosh-notes trap 1).
MIN_WORD = 2  # StemmingAnalyzer's default minsize: shorter words are stopped
# words (as written) -> term kept by `index_tokens`; cleared when it grows past this
TERM_CACHE_WORDS = 300_000
_terms: dict[str, str] = {}  # "" for a stopped word
_stems: dict[str, str] = {}  # lower-cased word -> term: "Oil", "OIL" and "oil" stemmed once


def body_analyzer() -> Analyzer:
    return StemmingAnalyzer(stemfn=porter2_stem, cachesize=50000)


def title_analyzer() -> Analyzer:
    return StemmingAnalyzer(stemfn=porter2_stem, cachesize=50000)


def _term(word: str) -> str:
    lowered = word.lower()
    term = _stems.get(lowered)
    if term is None:
        stopped = len(lowered) < MIN_WORD or lowered in STOP_WORDS
        term = "" if stopped else porter2_stem(lowered)
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
    for place, match in enumerate(default_pattern.finditer(text)):
        word = match.group()
        term = known(word)
        if term is None:
            term = _term(word)
        if term:
            position = place if position < 0 else position + 1
            add_term(term)
            add_position(position)
            add_start(match.start())
            add_end(match.end())
    return Columns(terms, positions, starts, ends)


def index_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """(term, position, start char, end char) of each indexed word of `text` (`index_columns`
    as rows: what `text_tokens` gives)."""
    return list(zip(*index_columns(text), strict=True))
