"""`make bench`: searchidx against plain whoosh, SQLite FTS5, tantivy and spaCy, in one run.

    python -m bench.run                 # everything, about 20-30 minutes on 2 cores
    python -m bench.run --quick         # 2,000 stories, one repeat: checks the harness works
Writes bench/results/<timestamp>.json and replaces the generated section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import ours, report, scale
from bench.corpora import bbc_stories, reuters_stories, seed_stories, write_corpus
from bench.measure import load_average, machine, other_cpu_users, run_measured, summarise
from bench.queries import QUERIES, summary

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def say(text: str) -> None:
    print(text, flush=True)


def run_peer(
    engine: str, corpus: str, out: Path, passes: int = 0, repeat: int = 1
) -> dict[str, Any]:
    """`python -m bench.peers ENGINE` `repeat` times; queries timed on the last build."""
    runs: list[dict[str, Any]] = []
    for number in range(repeat):
        argv = [sys.executable, "-m", "bench.peers", engine, "--corpus", corpus, "--out", str(out)]
        if number == repeat - 1 and passes:
            argv += ["--passes", str(passes)]
        measured = run_measured(argv, cwd=REPO)
        if measured.returncode != 0:
            return {"not_measured": measured.stderr.strip().splitlines()[-1:]}
        result = json.loads(measured.stdout)
        result.update(process_s=measured.seconds, tree_peak_mb=measured.tree_peak_mb)
        runs.append(result)
    last = runs[-1]
    peer = {
        "command": f"python -m bench.peers {engine} --corpus {corpus} --out OUT",
        "documents": last["documents"],
        "text_mb": last["text_mb"],
        "load_s": summarise([r["load_s"] for r in runs]),
        "build_s": summarise([r["build_s"] for r in runs]),
        "docs_per_s": last["documents"] / summarise([r["build_s"] for r in runs])["median"],
        "index_bytes": last["index_bytes"],
        "peak_rss_mb": max(r["tree_peak_mb"] for r in runs),
    }
    if "queries" in last:
        queries = last["queries"]
        peer["queries"] = {k: v for k, v in queries.items() if k != "latencies_ms"}
        peer["queries"]["summary"] = summarise(queries["latencies_ms"])
    say(report.peer_line(engine, peer))
    return peer


def prepare(
    work: Path, quick: bool
) -> tuple[dict[str, Path], dict[str, Any], list[Any], list[Any]]:
    reuters = reuters_stories()
    bbc = bbc_stories()
    if quick:
        reuters, bbc = reuters[:2000], bbc[:200]
    folders = {name: work / "corpora" / name for name in ("reuters", "bbc", "seed")}
    info = {
        "reuters": {"stories": len(reuters), "bytes": write_corpus(reuters, folders["reuters"])},
        "bbc": {"stories": len(bbc), "bytes": write_corpus(bbc, folders["bbc"])},
        "seed": {"stories": 2, "bytes": write_corpus(seed_stories(), folders["seed"])},
    }
    return folders, info, reuters, bbc


def measure_ours(folders: dict[str, Path], work: Path, repeat: int, passes: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    missing = ours.missing_command("rebuild")
    if missing:
        return {"not_measured": missing}
    runs = []
    for number in range(repeat):
        index = work / f"ours-noent-{number}"
        runs.append(ours.rebuild(folders["reuters"], index, entities=False, probe_searchable=True))
        say(report.rebuild_line("searchidx --no-entities", runs[-1]))
        if "not_measured" in runs[-1]:
            return {"no_entities": {"runs": runs, "not_measured": runs[-1]["not_measured"]}}
    index = work / f"ours-noent-{repeat - 1}"
    result["no_entities"] = report.rebuild_summary(runs)
    result["incremental_no_entities"] = ours.incremental(folders["reuters"], index, repeat, False)
    say(report.incremental_line("--no-entities", result["incremental_no_entities"]))
    missing_query = ours.missing_command("query")
    if missing_query:
        result["queries"] = {"not_measured": missing_query}
        result["whole_process"] = [{"not_measured": missing_query}]
    else:
        result["queries"] = ours.batch_latency(index, passes)
        say(report.latency_line("searchidx query --batch (warm)", result["queries"]))
        result["whole_process"] = [
            ours.whole_process(index, "oil", repeat=5),
            ours.whole_process(index, '"crude oil" AND export*', repeat=5, fmt="text"),
        ]
        for item in result["whole_process"]:
            say(report.process_line(item))
        seed_index = work / "ours-seed"
        seed_build = ours.rebuild(
            folders["seed"], seed_index, entities=False, probe_searchable=False
        )
        if "not_measured" not in seed_build:
            result["seed_process"] = ours.whole_process(seed_index, "defection", repeat=5)
            say(report.process_line(result["seed_process"]))
    return result


def measure_entities(
    folders: dict[str, Path], work: Path, repeat: int, passes: int = 1
) -> dict[str, Any]:
    missing = ours.missing_command("rebuild")
    if missing:
        return {"not_measured": missing}
    index = work / "ours-entities"  # a fresh folder: the NER cache lives in it, so it is cold
    run = ours.rebuild(folders["reuters"], index, entities=True, probe_searchable=True)
    say(report.rebuild_line("searchidx (entities, cold cache)", run))
    result: dict[str, Any] = {"run": run}
    if "not_measured" not in run:
        result["incremental"] = ours.incremental(folders["reuters"], index, repeat, True)
        say(report.incremental_line("with entities", result["incremental"]))
        # what users have after a normal rebuild: queries on the index with entity facets
        result["queries"] = ours.batch_latency(index, passes)
        say(report.latency_line("searchidx query --batch (warm, entities)", result["queries"]))
        result["whole_process"] = [ours.whole_process(index, "crude oil", repeat=5)]
        for item in result["whole_process"]:
            say(report.process_line(item))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 stories, one repeat")
    parser.add_argument("--skip-entities", action="store_true", help="no spaCy / entity runs")
    parser.add_argument("--work", type=Path, help="keep the prepared corpora and indexes here")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)
    repeat, passes = (1, 1) if args.quick else (3, 3)
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="searchidx-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench (python -m bench.run" + (" --quick" if args.quick else "") + ")",
        "quick": args.quick,
        "machine": machine(),
        "other_cpu_users_at_start": other_cpu_users(os.getpid()),
        "query_set": summary(),
        "repeat": repeat,
        "passes": passes,
    }
    say(
        f"bench: work folder {work}; machine {results['machine']['nproc']} cores, load "
        f"{results['machine']['load_average_at_start']}"
    )
    try:
        folders, results["corpora"], reuters, bbc = prepare(work, args.quick)
        corpus = "reuters:2000" if args.quick else "reuters"
        say(f"bench: corpora ready ({results['corpora']})")
        results["peers"] = {
            "fts5": run_peer("fts5", corpus, work / "peer-fts5.db", passes, repeat),
            "tantivy": run_peer("tantivy", corpus, work / "peer-tantivy", passes, repeat),
            "whoosh": run_peer("whoosh", corpus, work / "peer-whoosh", 0, repeat),
        }
        for engine in ("peer-whoosh", "peer-tantivy"):
            shutil.rmtree(work / engine, ignore_errors=True)
        results["ours"] = measure_ours(folders, work, repeat, passes)
        results["scale"] = (
            scale.scale_curve(reuters, bbc, folders, work, 1)
            if "no_entities" in results["ours"]
            and "not_measured" not in results["ours"]["no_entities"]
            else [{"not_measured": results["ours"].get("not_measured", "see ours")}]
        )
        if not args.skip_entities:
            results["spacy_alone"] = run_spacy(corpus)
            results["ours"]["entities"] = measure_entities(folders, work, repeat, passes)
        results["profiles"] = profiles(
            folders, work, bool(results["ours"].get("queries", {}).get("took_ms"))
        )
    finally:
        results["load_average_at_end"] = load_average()
        results["other_cpu_users_at_end"] = other_cpu_users(os.getpid())
        results["elapsed_s"] = time.perf_counter() - started
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + ("-quick" if args.quick else "")
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(results, indent=1, default=str))
        say(f"bench: results in {out.relative_to(REPO)}")
    section = report.markdown(results, out.relative_to(REPO)).replace(str(work), "$WORK")
    say(section)
    if not args.no_doc:
        report.update_doc(REPO / "docs" / "benchmarks.md", section)
        say("bench: docs/benchmarks.md updated")
    return 0


def run_spacy(corpus: str) -> dict[str, Any]:
    processes = os.cpu_count() or 1
    argv = [
        sys.executable,
        "-m",
        "bench.peers",
        "spacy",
        "--corpus",
        corpus,
        "--processes",
        str(processes),
    ]
    measured = run_measured(argv, cwd=REPO)
    if measured.returncode != 0:
        return {"not_measured": (measured.stderr.strip().splitlines() or ["?"])[-1]}
    result = json.loads(measured.stdout)
    result.update(
        process_s=measured.seconds,
        tree_peak_mb=measured.tree_peak_mb,
        command=f"python -m bench.peers spacy --corpus {corpus} --processes {processes}",
    )
    say(
        f"spaCy alone: {result['documents']} stories, model load {result['load_model_s']:.1f} s,"
        f" NER {result['ner_s']:.1f} s with {processes} processes,"
        f" peak RSS {measured.tree_peak_mb:.0f} MB"
    )
    return result


def profiles(folders: dict[str, Path], work: Path, queries_work: bool) -> dict[str, Any]:
    """Where searchidx's time goes: a rebuild with one job, and the query set in one batch."""
    index = work / "ours-profile"
    found: dict[str, Any] = {}
    # cProfile slows whoosh 2-3x: profile the 5k-story scale folder, not all of Reuters
    corpus = work / "corpus-5k" if (work / "corpus-5k").exists() else folders["reuters"]
    if ours.missing_command("rebuild") is None:
        found["rebuild"] = ours.profile(
            [
                "rebuild",
                str(corpus),
                "--index",
                str(index),
                "--no-entities",
                "--jobs",
                "1",
            ],
            work / "rebuild.prof",
        )
        say(report.profile_line(f"rebuild {corpus.name} --no-entities --jobs 1", found["rebuild"]))
    if queries_work:
        lines = "\n".join(q.text for q in QUERIES) + "\n"
        found["queries"] = ours.profile(
            ["query", "--batch", "--index", str(index), *ours.QUERY_OPTIONS],
            work / "query.prof",
            stdin_text=lines * 2,
        )
        say(report.profile_line("query --batch (55 queries x 2)", found["queries"]))
    return found


if __name__ == "__main__":
    raise SystemExit(main())
