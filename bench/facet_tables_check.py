"""Facet tables against the posting walk on a real index: the same answers (run by hand).

    .venv/bin/python -m bench.facet_tables_check --index IDX

Runs every query of `bench/queries.py` (all six facets, its filters) plus entity filters and
exclusions on the most common values, once on the index as it is (its generation's facet
tables) and once with the tables ignored (`tables()` -> None: postings and whoosh columns, the
path of an index written before them), and reports any difference in totals, hits or facets.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.queries import QUERIES
from bench.query_latency import request_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.facet_tables_check")
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args(argv)

    from searchidx.index import open_index
    from searchidx.models import FACET_NAMES, SearchRequest
    from searchidx.search.searching import search

    tabled, walked = open_index(args.index), open_index(args.index)
    if getattr(tabled, "tables", lambda: None)() is None:
        raise SystemExit(f"{args.index}: the live generation has no facet tables")
    walked.tables = lambda: None  # type: ignore[attr-defined]
    requests: list[Any] = [request_for(q) for q in QUERIES]
    everything = search(tabled, SearchRequest(limit=0, facets=("people", "places")))
    for name, counts in everything.facets:
        top = [c.value for c in counts[:3]]
        if len(top) < 3:
            continue
        requests.append(SearchRequest(query="oil", filters=((name, tuple(top[:2])),)))
        requests.append(replace(requests[-1], excludes=((name, (top[2],)),), filters=()))
        requests.append(SearchRequest(query=f'{name}:"{top[0].lower()}"', sort="newest"))
    requests = [replace(r, facets=FACET_NAMES) for r in requests]
    differ = []
    for request in requests:
        a, b = search(tabled, request), search(walked, request)
        same = (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets)
        if not same:
            differ.append(f"{request.query!r} {request.filters} {request.excludes}")
    print(json.dumps({"requests": len(requests), "different": differ}, indent=2))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
