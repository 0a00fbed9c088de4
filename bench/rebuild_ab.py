"""The text rebuild of two code trees in one run (an A/B), with raw tantivy as the peer.

`python -m bench.rebuild_ab --tree main=/work/main --tree new=. --copies 1 --work DIR`:
Reuters-21578 replicated `copies` times (`corpora.replicated`, one story a file, as bench.scale
writes it); each round runs `searchidx rebuild CORPUS --index FRESH --no-entities --engine E
--jobs J` with each tree first on PYTHONPATH (the order turns each round, so a busy moment
hurts both), then raw tantivy (`bench.peers`) on the same stories. Per run: wall seconds, CPU
seconds (workers included), peak RSS of the process tree, index MB. On a shared machine quote
the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.corpora import replicated, reuters_stories, write_corpus
from bench.measure import dir_bytes, run_measured, write_results
from bench.run import run_peer


def _corpus(work: Path, copies: int) -> Path:
    folder = work / f"corpus-x{copies}"
    if not folder.exists():
        write_corpus(replicated(reuters_stories(), copies), folder)
    return folder


def rebuild_once(
    tree: Path, corpus: Path, index: Path, engine: str, jobs: int, timeout: float = 4 * 3600
) -> dict[str, Any]:
    """One `searchidx rebuild --no-entities` with `tree`'s code into a fresh `index`."""
    shutil.rmtree(index, ignore_errors=True)
    argv = [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--index", str(index)]
    argv += ["--no-entities", "--engine", engine, "--jobs", str(jobs)]
    env = {"PYTHONPATH": str(tree.resolve())}
    measured = run_measured(argv, env=env, cwd=tree, timeout=timeout)
    if measured.returncode not in (0, 1):  # 1: some files failed (Reuters has an empty one)
        return {"not_measured": measured.stderr.strip().splitlines()[-1:]}
    return {
        "seconds": measured.seconds,
        "cpu_seconds": measured.cpu_seconds,
        "tree_peak_mb": measured.tree_peak_mb,
        "index_mb": dir_bytes(index) / 2**20,
    }


def _median(runs: list[dict[str, Any]], key: str) -> float:
    values = [run[key] for run in runs if key in run]
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild_ab", description=__doc__)
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH, twice")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--no-peer", action="store_true", help="skip raw tantivy")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="a rebuild's seconds")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    trees = dict(item.split("=", 1) for item in args.tree)
    corpus = _corpus(args.work, args.copies)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for number in range(args.rounds):
        order = list(trees) if number % 2 == 0 else list(reversed(trees))
        for name in order:
            index = args.work / f"index-{name}-x{args.copies}"
            run = rebuild_once(
                Path(trees[name]), corpus, index, args.engine, args.jobs, args.timeout
            )
            runs[name].append(run)
            print(f"round {number + 1} {name}: {json.dumps(run)}", flush=True)
    result: dict[str, Any] = {"copies": args.copies, "engine": args.engine, "runs": runs}
    if not args.no_peer:
        out = args.work / f"peer-tantivy-x{args.copies}"
        shutil.rmtree(out, ignore_errors=True)
        result["peer"] = run_peer("tantivy", f"reuters*{args.copies}", out, repeat=args.rounds)
    for name in trees:
        medians = {k: _median(runs[name], k) for k in ("seconds", "cpu_seconds", "tree_peak_mb")}
        print(f"median {name}: {json.dumps(medians)}", flush=True)
    out_file = args.work / f"rebuild-ab-x{args.copies}.json"
    write_results(out_file, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
