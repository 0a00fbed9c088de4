"""The costly queries of issue 22, timed on an index: each is refused (or answered) at once now.

Run by hand, from the tree to measure (results in docs/security.md):
    searchidx rebuild ../shared/corpora/reuters21578 --index /tmp/reuters --no-entities -q
    PYTHONPATH=$PWD .venv/bin/python -m bench.query_budget /tmp/reuters
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from searchidx.index.engines import open_index
from searchidx.models import SearchRequest
from searchidx.search.searching import search

WORDS = ("oil", "trade", "bank", "shares", "profit", "market", "prices", "dollar", "company",
         "year", "stock", "rate", "exports", "grain", "wheat", "sugar", "coffee", "gold", "tonnes",
         "billion")  # fmt: skip
CASES = {
    "300 words joined by AND": " AND ".join(
        WORDS[i % len(WORDS)] + str(i // len(WORDS) or "") for i in range(300)
    ),
    "one 1,000-character word": "qx" * 500,
    "??*??": "??*??",
    "30 fuzzy words ~2": " ".join(f"{w}~2" for w in WORDS[:15])
    + " "
    + " ".join(f"{w}s~2" for w in WORDS[:15]),
    "defect* (within budget)": "defect*",
}


def main(index_path: str) -> None:
    index = open_index(Path(index_path))
    for name, text in CASES.items():
        started = time.perf_counter()
        try:
            outcome = f"{search(index, SearchRequest(query=text)).total} hits"
        except Exception as error:  # the point is to see which ones are refused, and how
            outcome = f"{type(error).__name__}: {str(error)[:90]}"
        print(f"{name:28s} {time.perf_counter() - started:7.2f} s  {outcome}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
