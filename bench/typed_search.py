"""The TUI's searches while a query is typed, without the TUI (run by hand).

    .venv/bin/python -m bench.typed_search --index PATH [--passes 1]

Every prefix of bench.tui_latency's script ("o", "oi", "oil", "oil ", ...) is asked of the
index in typing order, as the search screen asks it (first page of 12 hits, six facets of 12
rows, 3 snippets), through the TUI's backend; CPU time of each search (its thread's), so the
figures hold on a loaded machine. The first pass is what a user typing once costs (what earlier
keystrokes left in caches included); later passes repeat the script.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from bench.tui_latency import SCRIPT, percentile
    from tui.backend import IndexBackend, SearchRequest
    from tui.screens.search import FACET_SIZE, FIRST_PAGE
    from tui.widgets.facet_panel import FACETS

    parser = argparse.ArgumentParser(prog="python -m bench.typed_search", description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args(argv)
    backend = IndexBackend(args.index)

    def request(query: str) -> SearchRequest:
        return SearchRequest(
            query=query,
            sort="relevance" if query.strip() else "newest",
            limit=FIRST_PAGE,
            facets=FACETS,
            facet_size=FACET_SIZE,
            snippets=3,
            suggest=False,
        )

    backend.search(request(""))  # the screen's first search: the index opened, tables read
    typed = [line[:n] for line in SCRIPT for n in range(1, len(line) + 1)]
    for number in range(1, args.passes + 1):
        cpu = []
        for query in typed:
            started = time.thread_time()
            backend.search(request(query))
            cpu.append((time.thread_time() - started) * 1000)
        figures = {
            "pass": number,
            "searches": len(cpu),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
            "cpu_max_ms": round(max(cpu), 1),
            "cpu_total_ms": round(sum(cpu)),
        }
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
