"""Issue 16 figures: the entity phase through the built-in pool and through a Dask cluster.

Usage: .venv/bin/python -m bench.entity_cluster [--stories N] [--work DIR] [--runs LIST]
Writes the first N Reuters-21578 stories (one file each), indexes their text once
(`rebuild --no-entities`), then for each run copies that index, empties the NER cache and times
`searchidx rebuild` (the entity phase only: nothing else changed) in a child process: the
built-in pool (`-j 1`, `-j 2`) and `--cluster local:1`, `local:2` (worker start-up and spaCy
model loading included, as a user pays them). Prints one JSON line per run: wall seconds, and
the CPU seconds of the rebuild's whole process tree (workers, nannies and scheduler included),
the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
from pathlib import Path

from bench.corpora import reuters_stories, write_corpus
from bench.measure import load_average, run_measured

RUNS = {
    "pool -j 1": ["-j", "1"],
    "pool -j 2": ["-j", "2"],
    "cluster local:1": ["--cluster", "local:1"],
    "cluster local:2": ["--cluster", "local:2"],
}
NO_PROFILER = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}  # Dask's 10 ms stack sampler


def _children_cpu() -> tuple[float, float]:
    """User and system seconds of every reaped descendant (a worker's is counted when its
    parent, reaped in turn, had reaped it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument(
        "--runs",
        default=",".join(RUNS),
        help="comma-separated run names; a name ending in ' no-profiler' runs with Dask's "
        "statistical profiler off",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="entity-cluster-"))
    corpus, text_index = work / "corpus", work / "text-only"
    stories = [s for s in reuters_stories() if s.body.strip()][: args.stories]
    write_corpus(stories, corpus)
    searchidx = [sys.executable, "-m", "searchidx", "rebuild", "-q"]
    made = run_measured([*searchidx, str(corpus), "--index", str(text_index), "--no-entities"])
    assert made.returncode == 0, made.stderr
    for name in args.runs.split(","):
        index = work / name.replace(" ", "-").replace(":", "")
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(text_index, index)
        (index / "entities-cache.sqlite").unlink(missing_ok=True)
        before = load_average()
        cpu = _children_cpu()
        quiet = name.endswith(" no-profiler")
        options = RUNS[name.removesuffix(" no-profiler")]
        run = run_measured(
            [*searchidx, "--index", str(index), *options], env=NO_PROFILER if quiet else None
        )
        user, system = (after - start for after, start in zip(_children_cpu(), cpu, strict=True))
        assert run.returncode == 0, run.stderr
        last = json.loads((index / "last-run.json").read_text(encoding="utf-8"))
        print(
            json.dumps(
                {
                    "run": name,
                    "articles": last["articles"],
                    "seconds": round(run.seconds, 1),
                    "articles_per_s": round(last["articles"] / run.seconds, 1),
                    "cpu_seconds": round(user + system, 1),
                    "cpu_system_seconds": round(system, 1),
                    "entities_pending": last["entities_pending"],
                    "peak_rss_mb": round(run.tree_peak_mb),
                    "load_before": before,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
