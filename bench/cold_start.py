"""What a new process pays before its first answer: `searchidx query` and the TUI (run by hand).

    .venv/bin/python -m bench.cold_start --index ent=IDX1 --index noent=IDX2 [--runs 5]
        [--query "crude oil"] [--profile OUT.prof] [--tui] [--json OUT]
        [--tree main=/work/main --tree new=.] [--source-only]

For each index (name=path), `runs` whole `searchidx query QUERY --facets --format json`
processes, the indexes taken in turn so a busy machine slows them alike; the wall time of each
(Python start-up, imports, opening the index, facet tables or postings, the answer).
`searchidx --help` is timed in the same rounds: the machine's start-up floor.

--without-tables: each index is also measured as a hard-linked copy of its live generation
without the tables' manifest (`NAME-walk`: the posting walk of an index written before them).
--profile: one more process per index under cProfile; the functions with the most cumulative
time inside searchidx are printed. --tui: `runs` fresh processes per index start the TUI
headless (Textual's Pilot, 160x48) and report the time from process launch to the first
painted results (the empty query's newest articles, with facets and snippets).

--browse: `runs` fresh processes per index time, after the imports, opening the index and the
TUI's first search (the empty query, newest first, every facet, 3 snippets), wall and CPU: the
part of the TUI's start that is ours (the rest is Textual's start-up and first paint).

--tree NAME=PATH (repeatable): the same processes run each code tree (PYTHONPATH=PATH) in
turn, every round, so two trees are compared in one run (an A/B of a change). Processes run
with bytecode cached (in a scratch PYTHONPYCACHEPREFIX, warmed by the unmeasured first
process), as an installed package runs; --source-only keeps PYTHONDONTWRITEBYTECODE from the
environment (every module of a tree compiled from source in every process).
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEARCHIDX = str(Path(sys.executable).with_name("searchidx"))


def _env(tree: Path = REPO, pycache: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def without_tables(index: Path, target: Path) -> Path:
    """A copy of `index` (hard links) whose live generation has no facet tables' manifest."""
    live = (index / "CURRENT").read_text(encoding="utf-8").strip()
    (target / live).mkdir(parents=True)
    for item in (index / live).iterdir():
        if item.is_file() and item.name != "facets.json":
            os.link(item, target / live / item.name)
    (target / "CURRENT").write_text(live + "\n", encoding="utf-8")
    return target


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


CPU: list[float] = []  # CPU seconds of each query process, in the order run


def query_process(index: Path, query: str, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one process (its CPU seconds go to `CPU`: on a loaded machine the wall
    time grows with the load, the CPU time much less)."""
    argv = [SEARCHIDX, "query", query, "--facets", "--format", "json", "--index", str(index)]
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, capture_output=True, env=env or _env(), check=False)
    took = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-300:]}")
    return took


TUI_CHILD = """
import asyncio, sys, time
from pathlib import Path
from tui.app import make_app
from tui.backend import IndexBackend

async def first_paint():
    app = make_app(IndexBackend(Path(sys.argv[1])))
    app.record_paints = True
    async with app.run_test(size=(160, 48)) as pilot:
        while not app.paint_log:
            await pilot.pause(0.005)
        return time.time()

print(f"{asyncio.run(first_paint()):.4f}")
"""
BROWSE_CHILD = """
import sys, time
from pathlib import Path
from searchidx.index import open_index
from searchidx.models import FACET_NAMES, SearchRequest
from searchidx.search.searching import search

started, cpu = time.perf_counter(), time.process_time()
request = SearchRequest("", limit=50, facets=(*FACET_NAMES, "tags"), snippets=3)
search(open_index(Path(sys.argv[1])), request)
print(f"{time.perf_counter() - started:.4f} {time.process_time() - cpu:.4f}")
"""


def _child(code: str, index: Path, env: dict[str, str] | None) -> str:
    """Run `code` in a new process from a folder holding no package, so that `searchidx` and
    `tui` come from the tree on PYTHONPATH (with -m, the working folder would come first)."""
    argv = [sys.executable, "-c", code, str(index)]
    done = subprocess.run(
        argv, capture_output=True, env=env or _env(), cwd=tempfile.gettempdir(), check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child process failed: {done.stderr.decode()[-500:]}")
    return done.stdout.decode()


def tui_process(index: Path, env: dict[str, str] | None = None) -> float:
    """Seconds from launching a process to the TUI's first painted results."""
    launched = time.time()
    return float(_child(TUI_CHILD, index, env).strip().splitlines()[-1]) - launched


def browse_process(index: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of opening the index and its first browse search, in a new process."""
    wall, cpu = _child(BROWSE_CHILD, index, env).split()[-2:]
    return float(wall), float(cpu)


def profile_process(
    index: Path, query: str, out: Path, env: dict[str, str] | None = None
) -> list[str]:
    """One cold process under cProfile; the top functions of searchidx by cumulative time."""
    argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "searchidx", "query", query]
    argv += ["--facets", "--format", "json", "--index", str(index)]
    folder = tempfile.gettempdir()  # not this repo: with -m the working folder comes first
    subprocess.run(argv, capture_output=True, env=env or _env(), cwd=folder, check=True)
    stats = pstats.Stats(str(out))
    rows = []
    for (filename, line, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/searchidx/" in filename and "/site-packages/" not in filename:
            short = filename.split("/searchidx/", 1)[1]
            rows.append((cumulative, f"{cumulative:6.3f} s  searchidx/{short}:{line}({name})"))
    total = f"{stats.total_tt:6.3f} s  total (under cProfile)"  # type: ignore[attr-defined]
    return [total, *(text for _, text in sorted(rows, reverse=True)[:12])]


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cold_start",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--index", action="append", default=[], help="NAME=PATH (repeatable)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="crude oil")
    parser.add_argument("--profile", type=Path, help="cProfile one cold process per index")
    parser.add_argument("--tui", action="store_true", help="also time the TUI's first results")
    parser.add_argument(
        "--without-tables", action="store_true", help="also each index without its tables"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--tree", action="append", default=[], help="NAME=PATH code tree")
    parser.add_argument("--source-only", action="store_true", help="no bytecode cache")
    parser.add_argument("--browse", action="store_true", help="also time the first search")
    args = parser.parse_args(argv)
    indexes = {name: Path(path) for name, _, path in (i.partition("=") for i in args.index)}
    if not indexes:
        parser.error("give at least one --index NAME=PATH")
    scratch = Path(tempfile.mkdtemp(prefix="cold-start-"))
    pycache = None if args.source_only else scratch / "pycache"
    trees = {n: Path(p).resolve() for n, _, p in (t.partition("=") for t in args.tree)}
    envs = {name: _env(tree, pycache) for name, tree in (trees or {"here": REPO}).items()}
    if args.without_tables:
        for name, index in list(indexes.items()):
            indexes[f"{name}-walk"] = without_tables(index, scratch / name)
    runs = {
        f"{i}@{t}" if trees else i: (index, envs[t]) for i, index in indexes.items() for t in envs
    }
    query_s: dict[str, list[float]] = {name: [] for name in runs}
    query_cpu: dict[str, list[float]] = {name: [] for name in runs}
    floor: list[float] = []
    tui_s: dict[str, list[float]] = {name: [] for name in runs}
    browse: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for index, env in runs.values():
        query_process(index, args.query, env)  # the page cache warm, as for a user's second query
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(
            [SEARCHIDX, "--help"], capture_output=True, env=_env(REPO, pycache), check=True
        )
        floor.append(time.perf_counter() - started)
        for name, (index, env) in runs.items():
            query_s[name].append(query_process(index, args.query, env))
            query_cpu[name].append(CPU[-1])
            if args.tui:
                tui_s[name].append(tui_process(index, env))
            if args.browse:
                browse[name].append(browse_process(index, env))
    result: dict[str, Any] = {
        "command": f"searchidx query {args.query!r} --facets --format json --index IDX",
        "runs": args.runs,
        "bytecode": "source only" if pycache is None else "cached (PYTHONPYCACHEPREFIX)",
        "trees": {name: str(tree) for name, tree in trees.items()},
        "load_average": os.getloadavg(),
        "query_process_s": {name: spread(v) for name, v in query_s.items()},
        "query_process_cpu_s": {name: spread(v) for name, v in query_cpu.items()},
        "searchidx_help_s": spread(floor),
    }
    if args.browse:
        result["open_and_first_search_s"] = {
            n: spread([w for w, _ in v]) for n, v in browse.items()
        }
        result["open_and_first_search_cpu_s"] = {
            n: spread([c for _, c in v]) for n, v in browse.items()
        }
    if args.tui:
        result["tui_first_results_s"] = {name: spread(v) for name, v in tui_s.items()}
    if args.profile:
        result["profiles"] = {}
        for name, (index, env) in runs.items():
            stem = f"{args.profile.stem}-{name.replace('@', '-')}"
            out = args.profile.with_name(f"{stem}{args.profile.suffix}")
            result["profiles"][name] = profile_process(index, args.query, out, env)
    shutil.rmtree(scratch, ignore_errors=True)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
