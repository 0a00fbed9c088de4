"""Issue 6 figures: the two-phase rebuild on Reuters-21578 laid out as 21,578 files.

Usage: .venv/bin/python -m bench.rebuild_phases [--work DIR] [--jobs N] [--no-entity-run]
       [--scale] [--only-entities]
Measures, each in child processes on a fresh index: `searchidx rebuild --no-entities` next to
plain whoosh with its default writer fed the same stories (bench/peers.py); the full rebuild with
entities (when a query first answered, when each phase ended, peak RSS of the process tree) next to
spaCy alone over the same text with the same number of processes. `measure_*` functions return
dicts, so the bench harness (bench/run.py) can call them too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
from pathlib import Path
from typing import Any

from bench.corpora import link_subset, reuters_stories, write_corpus
from bench.measure import run_measured
from bench.ours import rebuild as measured_rebuild

REPO = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _phases(index: Path) -> dict[str, Any]:
    run = json.loads((index / "last-run.json").read_text(encoding="utf-8"))
    keys = (
        "seconds",
        "searchable_after",
        "text_after",
        "entities_after",
        "articles",
        "entities_pending",
    )
    return {key: run.get(key) for key in keys}


def measure_rebuild(
    corpus: Path, index: Path, *, entities: bool, jobs: int, probe: bool = False
) -> dict[str, Any]:
    """One `searchidx rebuild` into a fresh index: wall and CPU seconds (the whole process tree;
    with `probe` the probing queries count too), peak RSS, phase ends from last-run.json."""
    shutil.rmtree(index, ignore_errors=True)
    cpu = _children_cpu()
    result = measured_rebuild(
        corpus, index, entities=entities, probe_searchable=probe, extra=("--jobs", str(jobs))
    )
    result["cpu_s"] = _children_cpu() - cpu
    if "not_measured" not in result:
        result["phases"] = _phases(index)
    return result


def measure_peer(engine: str, out: Path, processes: int) -> dict[str, Any]:
    """`python -m bench.peers ENGINE` on Reuters (stories already parsed in memory)."""
    shutil.rmtree(out, ignore_errors=True)
    argv = [sys.executable, "-m", "bench.peers", engine, "--corpus", "reuters"]
    argv += ["--processes", str(processes)] if engine == "spacy" else ["--out", str(out)]
    cpu = _children_cpu()
    measured = run_measured(argv, cwd=REPO)
    if measured.returncode != 0:
        return {"not_measured": (measured.stderr.strip().splitlines() or ["?"])[-1]}
    result: dict[str, Any] = json.loads(measured.stdout)
    result.update(
        command=" ".join(["python", *argv[1:]]),
        process_s=measured.seconds,
        cpu_s=_children_cpu() - cpu,
        tree_peak_mb=measured.tree_peak_mb,
    )
    return result


def measure_scale(corpus: Path, work: Path, jobs: int, fractions: tuple[float, ...]) -> list[Any]:
    """Peak RSS of `--no-entities` rebuilds over growing parts of the corpus (flat is the goal)."""
    stories = reuters_stories()
    rows = []
    for fraction in fractions:
        part = stories[: int(len(stories) * fraction)]
        folder = work / f"part-{fraction:g}"
        if not folder.is_dir():
            link_subset(corpus, part, folder)
        measured = measure_rebuild(folder, work / "scale-index", entities=False, jobs=jobs)
        rows.append(
            {
                "stories": len(part),
                "seconds": measured.get("seconds"),
                "tree_peak_mb": measured.get("tree_peak_mb"),
                "max_rss_mb": measured.get("max_rss_mb"),
            }
        )
        print(f"scale {len(part):,} stories: {rows[-1]}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/searchidx-phases"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--no-entity-run",
        action="store_true",
        help="skip the (long) entity rebuild and spaCy alone",
    )
    parser.add_argument("--scale", action="store_true", help="peak RSS at 1/4, 1/2, all")
    parser.add_argument(
        "--only-entities", action="store_true", help="only the entity rebuild and spaCy alone"
    )
    args = parser.parse_args()
    work: Path = args.work
    corpus = work / "reuters"
    if not corpus.is_dir():
        print(f"files written: {write_corpus(reuters_stories(), corpus):,}", flush=True)
    figures: dict[str, Any] = {
        "jobs": args.jobs,
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
    }
    if not args.only_entities:
        figures["no_entities"] = measure_rebuild(
            corpus, work / "index", entities=False, jobs=args.jobs
        )
        print("searchidx --no-entities:", json.dumps(figures["no_entities"]), flush=True)
        figures["whoosh"] = measure_peer("whoosh", work / "whoosh", args.jobs)
        print("plain whoosh:", json.dumps(figures["whoosh"]), flush=True)
    if args.scale:
        figures["scale"] = measure_scale(corpus, work, args.jobs, (0.25, 0.5, 1.0))
    if not args.no_entity_run:
        figures["entities"] = measure_rebuild(
            corpus, work / "index", entities=True, jobs=args.jobs, probe=True
        )
        print("searchidx with entities:", json.dumps(figures["entities"]), flush=True)
        figures["spacy"] = measure_peer("spacy", work / "spacy", args.jobs)
        print("spaCy alone:", json.dumps(figures["spacy"]), flush=True)
    figures["load_after"] = os.getloadavg()
    out = work / ("rebuild_phases_entities.json" if args.only_entities else "rebuild_phases.json")
    out.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
