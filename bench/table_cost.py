"""What writing the facet tables costs a rebuild (run by hand).

    .venv/bin/python -m bench.table_cost INDEX [--corpus CORPUS] [--no-entities] [--full]
        [--jobs N]

Runs one `rebuild()` in this process (workers are spawned as usual) with
`index.writing.write_facet_tables` timed, and prints the rebuild's wall time, the time spent
writing tables (every publish of both phases, and the once-only write of `ensure_facet_tables`),
the number of table writes and the share of the rebuild they took.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.table_cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("index", type=Path)
    parser.add_argument("--corpus", type=Path, help="default: the corpus the index records")
    parser.add_argument("--no-entities", action="store_true")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)

    from searchidx.index import writing
    from searchidx.rebuild.run import rebuild

    spent: list[float] = []
    inner = writing.write_facet_tables

    def timed(engine: Any, generation: Path) -> bool:
        started = time.perf_counter()
        try:
            return inner(engine, generation)
        finally:
            spent.append(time.perf_counter() - started)

    writing.write_facet_tables = timed
    started = time.perf_counter()
    report = rebuild(
        args.index, args.corpus, full=args.full, jobs=args.jobs, entities=not args.no_entities
    )
    total = time.perf_counter() - started
    result = {
        "command": f"python -m bench.table_cost {args.index}"
        + (f" --corpus {args.corpus}" if args.corpus else "")
        + (" --no-entities" if args.no_entities else "")
        + (" --full" if args.full else ""),
        "rebuild_s": round(total, 2),
        "articles": report.articles,
        "table_writes": len(spent),
        "tables_s": round(sum(spent), 2),
        "tables_share": round(sum(spent) / total, 4) if total else 0.0,
        "slowest_write_s": round(max(spent), 3) if spent else 0.0,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
