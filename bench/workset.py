"""Working-set benchmark: what tags, saved searches and watchlists add to a search.

Usage: .venv/bin/python bench/workset.py --index PATH [--tags 1000] [--repeat 15]
PATH is an existing index (e.g. `searchidx rebuild ../shared/corpora/reuters21578 --index
/tmp/reuters --no-entities`); it is copied to a temporary folder first, so the benchmark's tags
never land in it. Prints the median milliseconds of each operation, in-process (no start-up).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from searchidx.index import open_index
from searchidx.models import SearchRequest
from searchidx.search.searching import search
from searchidx.search.worksets import run_saved, save_checked, watch
from searchidx.workset.tags import add_tags
from searchidx.workset.watchlist import parse_line

NAMES = ("org: OPEC", "place: Japan", "person: James Baker", "Federal Reserve", "coffee")


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # the first call fills the per-generation caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--tags", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "index"
        shutil.copytree(args.index, folder)
        index = open_index(folder)
        oil = SearchRequest(query="oil", limit=20)
        figures = {"search oil, no working set": median_ms(lambda: search(index, oil), args.repeat)}
        live = sorted(index.live_docs())
        chosen = random.Random(19).sample(live, min(args.tags, len(live)))
        started = time.perf_counter()
        for doc in chosen:
            add_tags(index, index.stored(doc).id, ["bench"])
        figures[f"tag {len(chosen)} articles (each)"] = round(
            (time.perf_counter() - started) * 1000 / len(chosen), 2
        )
        index.refresh()
        figures[f"search oil, {len(chosen)} tagged"] = median_ms(
            lambda: search(index, oil), args.repeat
        )
        tagged = SearchRequest(query="tag:bench", limit=20)
        figures["search tag:bench"] = median_ms(lambda: search(index, tagged), args.repeat)
        faceted = SearchRequest(query="oil", limit=20, facets=("tags",))
        figures["search oil + tags facet"] = median_ms(lambda: search(index, faceted), args.repeat)
        save_checked(index, "oil", SearchRequest(query="oil"))
        total = search(index, SearchRequest(query="oil", limit=0)).total
        figures[f"saved run oil ({total} matches)"] = median_ms(
            lambda: run_saved(index, "oil", hits=0, remember=False), args.repeat
        )
        names = [n for n in (parse_line(line) for line in NAMES) if n is not None]
        figures[f"watch {len(names)} names"] = median_ms(
            lambda: watch(index, Path(scratch) / "names.txt", names, new=True), args.repeat
        )
        index.close()
    for label, value in figures.items():
        print(f"{label:<40} {value:>9} ms")


if __name__ == "__main__":
    main()
