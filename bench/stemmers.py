"""How often whoosh's Porter2 and Snowball English (PyStemmer; tantivy's `en_stem` runs the same
algorithm) stem a word differently: why the tantivy engine indexes the whoosh engine's tokens.

    python -m bench.stemmers            # the distinct words of BBC News
"""

from __future__ import annotations

import re

import Stemmer
from whoosh.lang.porter2 import stem as porter2

from bench.corpora import bbc_stories

WORD = re.compile(r"\w+(?:\.?\w+)*")


def main() -> int:
    words = {w.lower() for s in bbc_stories() for w in WORD.findall(f"{s.title} {s.body}")}
    snowball = Stemmer.Stemmer("english")
    differ = sorted(w for w in words if porter2(w) != snowball.stemWord(w))
    print(f"{len(differ):,} of {len(words):,} distinct words stem differently")
    for word in differ[:25]:
        print(f"  {word}: whoosh {porter2(word)}, snowball {snowball.stemWord(word)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
