"""What story grouping reads of an article's text: MinHash signatures of its word shingles (near
duplicates), the hashed words of its opening (lead terms, for entity links) and the counted words
of title and body (the whole-text vector, for text links)."""

from __future__ import annotations

import collections
import functools
import itertools
import re
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported on first use: a no-op rebuild never needs it
    import numpy as np

NUM_PERM = 64
SHINGLE = 5
LEAD_WORDS = 120  # title + opening words compared for a same-event link
TERM_BUCKETS = 1 << 18  # lead words are hashed into this many term ids
_BLOCK = 1 << 14  # shingles keyed at once: 16,384 x NUM_PERM x 8 bytes = 8 MB a step

_WORD = re.compile(r"\w+", re.UNICODE)
_MIX = (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)  # a 64-bit finaliser's multipliers (MurmurHash3)
_PERMUTATIONS: np.ndarray | None = None  # one random 64-bit key per permutation


def _mixed(values: np.ndarray) -> np.ndarray:
    """Scramble 64-bit values so that every output bit depends on every input bit."""
    import numpy as np

    for multiplier in _MIX:
        values = (values ^ (values >> np.uint64(33))) * np.uint64(multiplier)
    return values ^ (values >> np.uint64(33))  # type: ignore[no-any-return]


def signature(text: str) -> np.ndarray:
    """MinHash signature of the text's word shingles: for each of NUM_PERM keyed hash functions,
    the smallest hash over the shingles. Written with numpy rather than datasketch, whose import
    (it pulls in scipy) cost a third of a second on every rebuild with changes."""
    import numpy as np

    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = np.random.default_rng(7).integers(0, 1 << 63, NUM_PERM, dtype=np.uint64)
    words = [w.lower().encode("utf-8", "surrogatepass") for w in _WORD.findall(text)] or [b""]
    word_hashes = np.fromiter((zlib.crc32(w) for w in words), np.uint64, len(words))
    span = min(SHINGLE, len(words))  # a text shorter than a shingle is one shingle
    count = len(words) - span + 1
    shingles = np.zeros(count, dtype=np.uint64)
    for offset in range(span):  # each shingle: its words' hashes mixed in order
        shingles = _mixed(shingles ^ word_hashes[offset : offset + count])
    # keyed in blocks of shingles: at once, a 19 MB body (2.8 million words) took 3 GB
    lowest = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, count, _BLOCK):
        keyed = _mixed(shingles[start : start + _BLOCK, None] ^ _PERMUTATIONS[None, :])
        lowest = np.minimum(lowest, keyed.min(axis=0))
    return (lowest >> np.uint64(32)).astype(np.uint32)


# Words too common to say two openings are alike (IDF would weigh them down, but not to zero on
# a small index).
_STOP = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
     "have", "he", "her", "his", "in", "is", "it", "its", "mr", "not", "of", "on", "or", "said",
     "says", "she", "that", "the", "their", "they", "this", "to", "was", "were", "which", "will",
     "with", "would")
)  # fmt: skip


def lead_terms(text: str) -> np.ndarray:
    """Sorted unique term ids (hashed words) of the text's opening, stop words left out."""
    import numpy as np

    opening = itertools.islice(_WORD.finditer(text), LEAD_WORDS)
    words = {m[0].lower() for m in opening if len(m[0]) > 1} - _STOP
    ids = {zlib.crc32(w.encode("utf-8", "surrogatepass")) % TERM_BUCKETS for w in words}
    return np.array(sorted(ids), dtype=np.uint32)


TITLE_WEIGHT = 2  # a title word counts as this many body occurrences (the title names the event)
# A capitalised word (a name, most often) counts this many times more: two
# events of one kind (two earthquakes, two rehab stays) share their common words and differ in
# names, and the names are what a same-event link must agree on (ECB+ dev, bench/stories_tune.py).
NAME_WEIGHT = 3


@functools.lru_cache(maxsize=1 << 16)
def _term_id(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass")) % TERM_BUCKETS


def word_counts(text: str) -> tuple[np.ndarray, np.ndarray, int, np.ndarray, np.ndarray]:
    """(term ids, counts) of the words of title (the first line, counted TITLE_WEIGHT times) and
    body, capitalised words counted NAME_WEIGHT more, stop words and one-letter words left out;
    how many distinct words without digits the text has (its length for the text-link
    threshold: a price or results table is mostly figures); and (term ids, counts) of its plain
    words, those written in lower case (what happened, beyond the names). Figures stay in the
    vector: the year is what tells two events of one kind apart (ECB+ dev F1 0.85 without
    figures, 0.88 with)."""
    import numpy as np

    title, _, body = text.partition("\n")
    counts: dict[int, int] = {}
    plain: dict[int, int] = {}
    letters: set[int] = set()  # terms of words without digits
    for part, weight in ((title, TITLE_WEIGHT), (body, 1)):
        for token, seen in collections.Counter(_WORD.findall(part)).items():
            word = token.lower()
            if len(word) < 2 or word in _STOP:
                continue
            term = _term_id(word)
            # capitalised, not all capitals: Reuters writes whole headlines in capitals
            boost = NAME_WEIGHT if token[0].isupper() and not token.isupper() else 0
            counts[term] = counts.get(term, 0) + seen * (weight + boost)
            if word.isalpha():
                letters.add(term)
                if token == word:
                    plain[term] = plain.get(term, 0) + seen * weight
    if not plain:  # a text all in capitals (a flash headline, a table): every word is plain
        plain = {term: counts[term] for term in letters}
    return (np.fromiter(counts.keys(), np.uint32, len(counts)),
            np.fromiter(counts.values(), np.float32, len(counts)), len(letters),
            np.fromiter(plain.keys(), np.uint32, len(plain)),
            np.fromiter(plain.values(), np.float32, len(plain)))  # fmt: skip
