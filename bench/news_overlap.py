"""How much feedback (`--expand`) changes the first page on news: the top 10 of every query of
`bench/queries.py` with and without it, on an index given (Reuters-21578 in docs/benchmarks.md).

    .venv/bin/python -m bench.news_overlap --index PATH [--json OUT] [--dump OUT]

Each query runs as `bench.query_latency` runs it (its filters, 10 hits, copies not folded);
overlap = articles in both top 10s / the larger page. With --dump, the ranked ids of both are
written, so two versions of the code can be compared on the same index (`--compare A B`: the
overlap of A's and B's pages, without feedback and with it).
"""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import replace
from pathlib import Path

from bench.queries import QUERIES
from bench.query_latency import request_for


def overlap(a: list[str], b: list[str]) -> float:
    """Shared articles / the larger list (1.0 for two empty lists)."""
    size = max(len(a), len(b))
    return len(set(a) & set(b)) / size if size else 1.0


def pages(index_path: Path) -> dict[str, dict[str, list[str]]]:
    """query -> {"plain": ids, "expand": ids}, each the first page of 10."""
    from searchidx.index import open_index
    from searchidx.search.searching import search

    index = open_index(index_path)
    found: dict[str, dict[str, list[str]]] = {}
    for query in QUERIES:
        key = f"{query.text} {' '.join(query.filters.cli_options())}".strip()
        found[key] = {
            name: [hit.id for hit in search(index, replace(request_for(query), expand=on)).hits]
            for name, on in (("plain", False), ("expand", True))
        }
    return found


def report(rows: list[tuple[str, float]], title: str) -> dict[str, float]:
    print(f"| query | {title} |")
    print("|---|---|")
    for key, share in rows:
        print(f"| `{key}` | {share:.1f} |")
    shares = [share for _, share in rows]
    summary = {"mean": round(statistics.mean(shares), 3), "min": min(shares)}
    print(f"mean {summary['mean']:.3f}, smallest {summary['min']:.1f}, {len(rows)} queries")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.news_overlap")
    parser.add_argument("--index", type=Path, help="the index to search")
    parser.add_argument("--json", type=Path, help="also write the summary to this file")
    parser.add_argument("--dump", type=Path, help="write both pages of every query here")
    parser.add_argument(
        "--compare", type=Path, nargs=2, help="two --dump files: the overlap of their pages"
    )
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (json.loads(path.read_text(encoding="utf-8")) for path in args.compare)
        summary: dict[str, float] = {}
        for name in ("plain", "expand"):
            rows = [(key, overlap(a[key][name], b[key][name])) for key in a]
            found = report(rows, f"top-10 overlap, A vs B, {name}")
            summary.update({f"{name} {k}": v for k, v in found.items()})
    else:
        if args.index is None:
            parser.error("--index is needed (or --compare)")
        both = pages(args.index)
        if args.dump:
            args.dump.write_text(json.dumps(both, indent=1), encoding="utf-8")
        rows = [(key, overlap(p["plain"], p["expand"])) for key, p in both.items()]
        summary = report(rows, "top-10 overlap, with vs without feedback")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
