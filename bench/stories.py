"""What story grouping adds to rebuilds: a full Reuters-21578 rebuild with entities, then no-op
and one-file rebuilds, each with the time spent in the grouping hook measured apart.

Usage: .venv/bin/python bench/stories.py CORPUS INDEX [--jobs 2] [--skip-full]
CORPUS is Reuters laid out one story a file with ISO dates (`python -c "from bench.corpora import
reuters_stories, write_corpus; write_corpus(reuters_stories(), Path(CORPUS))"`); INDEX is created.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from searchidx.rebuild import run as indexer
from searchidx.rebuild.progress import SilentProgress
from searchidx.stories import sync as story_sync

SPENT: list[float] = []
CPU: list[float] = []
_original = story_sync.sync_stories


def _timed(index_path: Path, progress: object = None) -> story_sync.SyncReport:
    started, cpu = time.perf_counter(), time.process_time()
    report = _original(index_path, progress)
    SPENT.append(time.perf_counter() - started)
    CPU.append(time.process_time() - cpu)
    print(f"  grouping: {report}", file=sys.stderr)
    return report


def _rebuild(corpus: Path, index: Path, jobs: int, **kwargs: object) -> dict[str, float]:
    SPENT.clear()
    CPU.clear()
    started = time.perf_counter()
    report = indexer.rebuild(index, corpus, jobs=jobs, progress=SilentProgress(), **kwargs)
    total = time.perf_counter() - started
    print(f"  {report.summary()}", file=sys.stderr)
    return {
        "total_s": round(total, 2),
        "grouping_s": round(sum(SPENT), 3),
        "grouping_cpu_s": round(sum(CPU), 3),
    }


def _cli_noop(index: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "searchidx", "rebuild", "--index", str(index), "--quiet"],
                   check=False)  # exit 1: the index lists a file it could not read  # fmt: skip
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-full", action="store_true")
    args = parser.parse_args()
    story_sync.sync_stories = _timed  # type: ignore[assignment]
    figures: dict[str, object] = {}
    if not args.skip_full:
        print("full rebuild with entities", file=sys.stderr)
        figures["full"] = _rebuild(args.corpus, args.index, args.jobs, full=True)
    figures["noop_cli_s"] = [_cli_noop(args.index) for _ in range(3)]
    target = sorted(args.corpus.rglob("*.txt"))[100]
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original + "\nAn added closing line for the benchmark.\n", "utf-8")
        print(f"one-file rebuild ({target.name})", file=sys.stderr)
        figures["one_file"] = _rebuild(args.corpus, args.index, args.jobs)
    finally:
        target.write_text(original, encoding="utf-8")
    figures["one_file_back"] = _rebuild(args.corpus, args.index, args.jobs)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
