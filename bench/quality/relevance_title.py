"""What the title boost does to relevance: searchidx re-measured with other title field boosts.

Run: `python -m bench.quality.relevance_title [BOOST ...]` (default 2.0 1.0 0.5) on the two
collections that have titles (CISI, Cranfield). The schema's boost is swapped for the run only.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import searchidx.index.whoosh_engine.writing
from bench.quality.ir import load_collection
from bench.quality.relevance import IR_ROOT, evaluate, searchidx_rankings

TITLED = ("cisi", "cran")


@contextmanager
def title_boost(boost: float) -> Iterator[None]:
    # The boost lives in the title field's posting format: it multiplies the title's term counts.
    original = searchidx.index.whoosh_engine.writing.make_schema

    def boosted() -> Any:
        schema = original()
        schema["title"].format.field_boost = boost
        return schema

    searchidx.index.whoosh_engine.writing.make_schema = boosted
    try:
        yield
    finally:
        searchidx.index.whoosh_engine.writing.make_schema = original


def main(argv: list[str]) -> int:
    try:
        boosts = [float(b) for b in argv] or [2.0, 1.0, 0.5]
    except ValueError:
        print("usage: python -m bench.quality.relevance_title [BOOST ...]", file=sys.stderr)
        return 2
    print("| collection | title boost | nDCG@10 | MAP | recall@100 |")
    print("|---|---|---|---|---|")
    for name in TITLED:
        collection = load_collection(name, IR_ROOT)
        for boost in boosts:
            started = time.perf_counter()
            with title_boost(boost):
                rankings = searchidx_rankings(collection)
            s = evaluate("searchidx", collection, rankings, time.perf_counter() - started)
            print(f"| {name} | {boost} | {s.ndcg10:.4f} | {s.map:.4f} | {s.recall100:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
