"""Words of a text, scripts written without spaces included: CJK bigrams, Thai dictionary words.

Both engines index what `words` finds (the whoosh analyzer's tokenizer calls it, and tantivy
gets the whoosh analysis pre-tokenised), and queries are analysed the same way, so a word
from the middle of a Japanese, Chinese or Thai sentence finds the article:
- Han, Hiragana and Katakana runs become overlapping character bigrams (a lone character is
  its own term), as Lucene's CJKAnalyzer does: `戒厳令` is the phrase `戒厳 厳令`, which matches
  wherever the three characters stand side by side.
- Thai runs are split into words by pythainlp's dictionary segmenter (`newmm`, with the word
  list it ships, so it works offline); a run it cannot split cleanly falls back to bigrams.
- Everything else is cut as whoosh's default tokenizer cuts it, `[\\w*]+(\\.?[\\w*]+)*`, minus the
  characters above (so `iPhone用` is `iPhone` + `用`). Korean keeps its spaces and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

# Han (the unified blocks, extensions A-F, compatibility), the iteration marks 々〆〇,
# Hiragana, Katakana (with its phonetic extensions and the half-width forms).
_CJK = (
    "\u3005-\u3007\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
_THAI = "\u0e00-\u0e7f"
_OTHER = rf"(?:[^\W{_CJK}{_THAI}]|\*)+"  # whoosh's pattern keeps `*` in words
_WORDS = re.compile(rf"(?P<w>{_OTHER}(?:\.?{_OTHER})*)|(?P<c>[{_CJK}]+)|(?P<t>[{_THAI}]+)")
_UNSPACED = re.compile(rf"[{_CJK}{_THAI}]")
_PLAIN = re.compile(r"(?P<w>[\w*]+(?:\.?[\w*]+)*)")  # the same words, faster, for other texts
MIN_WORD = 2  # words of other scripts shorter than this are dropped (whoosh's StopFilter minsize)

# (text, start, end) of one word; `None` text: a short word dropped that still takes a position
Word = tuple[str | None, int, int]


def has_unspaced(text: str) -> bool:
    """Whether `text` holds a CJK or Thai character (words there are not cut at spaces)."""
    return _UNSPACED.search(text) is not None


def words(text: str) -> Iterator[Word]:
    """The words of `text` in order, with [start, end) character spans."""
    for match in (_WORDS if has_unspaced(text) else _PLAIN).finditer(text):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "w":
            word = match.group(0)
            yield (word if len(word.lower()) >= MIN_WORD else None), start, end
        elif kind == "c":
            yield from bigrams(match.group(0), start)
        else:
            yield from thai_words(match.group(0), start)


def bigrams(run: str, offset: int = 0) -> Iterator[Word]:
    """Overlapping character pairs of `run`; a one-character run is its own word."""
    if len(run) == 1:
        yield run, offset, offset + 1
        return
    for i in range(len(run) - 1):
        yield run[i : i + 2], offset + i, offset + i + 2


def thai_words(run: str, offset: int = 0) -> Iterator[Word]:
    """Dictionary words of a Thai run (bigrams if the segmenter does not give the run back)."""
    pieces = _segmenter()(run)
    if "".join(pieces) != run:
        yield from bigrams(run, offset)
        return
    at = offset
    for piece in pieces:
        if piece.strip():
            yield piece, at, at + len(piece)
        at += len(piece)


@cache
def _segmenter() -> Callable[[str], list[str]]:
    # imported on the first Thai text only: it loads a 60,000-word dictionary (about 1 s)
    from pythainlp.tokenize import word_tokenize

    def segment(run: str) -> list[str]:
        return [str(piece) for piece in word_tokenize(run, engine="newmm", keep_whitespace=True)]

    return segment
