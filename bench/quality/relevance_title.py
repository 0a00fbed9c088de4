"""What the title weight does to relevance: searchidx re-measured with other title weights.

Run: `python -m bench.quality.relevance_title [WEIGHT ...]` (default 1.0 0.5 0.25) on the two
collections that have titles (CISI, Cranfield), whoosh engine. A title word's BM25 score is
multiplied by the weight (`whoosh_engine.reader.TITLE_WEIGHT`, the tantivy engine's
`matching.TITLE_BOOST`); the weight is swapped for the run only.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import searchidx.index.whoosh_engine.reader
from bench.quality.ir import load_collection
from bench.quality.relevance import IR_ROOT, evaluate, searchidx_rankings

TITLED = ("cisi", "cran")


@contextmanager
def title_weight(weight: float) -> Iterator[None]:
    reader = searchidx.index.whoosh_engine.reader
    original = reader.TITLE_WEIGHT
    reader.TITLE_WEIGHT = weight
    try:
        yield
    finally:
        reader.TITLE_WEIGHT = original


def main(argv: list[str]) -> int:
    try:
        weights = [float(w) for w in argv] or [1.0, 0.5, 0.25]
    except ValueError:
        print("usage: python -m bench.quality.relevance_title [WEIGHT ...]", file=sys.stderr)
        return 2
    print("| collection | title weight | nDCG@10 | MAP | recall@100 |")
    print("|---|---|---|---|---|")
    for name in TITLED:
        collection = load_collection(name, IR_ROOT)
        for weight in weights:
            started = time.perf_counter()
            with title_weight(weight):
                rankings = searchidx_rankings(collection)
            s = evaluate("searchidx", collection, rankings, time.perf_counter() - started)
            print(f"| {name} | {weight} | {s.ndcg10:.4f} | {s.map:.4f} | {s.recall100:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
