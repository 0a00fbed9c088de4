"""searchidx measured as users run it: the `searchidx` CLI in child processes.

Every function returns a plain dict for the results JSON. When a command is missing or fails, the
dict says `not_measured` with the reason (the command's own last error line), never a figure.
"""

from __future__ import annotations

import json
import pstats
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import Measured, dir_bytes, run_measured, summarise
from bench.queries import QUERIES, BenchQuery

REPO = Path(__file__).resolve().parent.parent
_VENV_CLI = REPO / ".venv" / "bin" / "searchidx"
SEARCHIDX = str(_VENV_CLI) if _VENV_CLI.exists() else (shutil.which("searchidx") or "searchidx")
PROBE_QUERY = "oil"  # a word in every benchmark corpus but the seed one
QUERY_OPTIONS = ["--facets", "--limit", "10", "--snippets", "3", "--format", "json"]


def _reason(measured: Measured) -> str:
    lines = [line.strip() for line in measured.stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else f"exit code {measured.returncode}"
    return (
        f"`{' '.join(Path(a).name if i == 0 else a for i, a in enumerate(measured.argv[:2]))}`"
        f" exit {measured.returncode}: {last[:200]}"
    )


def missing_command(command: str) -> str | None:
    """None when `searchidx COMMAND --help` works, else why it cannot be measured."""
    try:
        done = subprocess.run(
            [SEARCHIDX, command, "--help"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"`searchidx {command}` cannot run: {error}"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"`searchidx {command}` not available yet ({last[:120]})"
    return None


def probe(index: Path, query: str = PROBE_QUERY) -> int | None:
    """Hits for `query` in `index` through the CLI, None when it does not answer."""
    done = subprocess.run(
        [SEARCHIDX, "query", query, "--index", str(index), "--limit", "1", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        return None
    try:
        return int(json.loads(done.stdout).get("total", 0))
    except (ValueError, AttributeError):
        return None


def rebuild(
    corpus: Path,
    index: Path,
    *,
    entities: bool,
    probe_searchable: bool,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One `searchidx rebuild`; with `probe_searchable`, also when a query first found hits."""
    argv = [SEARCHIDX, "rebuild", str(corpus), "--index", str(index), *extra]
    if not entities:
        argv.append("--no-entities")
    state = {"last_probe": -1.0}

    def on_tick(elapsed: float, partial: Measured) -> None:
        if "searchable" in partial.marks or not (index / "CURRENT").exists():
            return
        partial.marks.setdefault("first_generation", elapsed)
        if elapsed - state["last_probe"] < 0.5:
            return
        state["last_probe"] = elapsed
        hits = probe(index)
        if hits:
            # the probe's own end: the moment a user's query had answered
            partial.marks["searchable"] = time.perf_counter() - started + 0.0
            partial.marks["searchable_hits"] = hits

    started = time.perf_counter()
    measured = run_measured(argv, on_tick=on_tick if probe_searchable else None)
    result: dict[str, Any] = {
        "command": " ".join(["searchidx", *argv[1:]]),
        "seconds": measured.seconds,
        "returncode": measured.returncode,
        "max_rss_mb": measured.max_rss_mb,
        "tree_peak_mb": measured.tree_peak_mb,
        "marks": measured.marks,
    }
    if measured.returncode not in (0, 1):
        result["not_measured"] = _reason(measured)
        return result
    result["index_bytes"] = dir_bytes(index) if index.exists() else 0
    result["stderr_tail"] = measured.stderr.strip().splitlines()[-3:]
    if probe_searchable and "searchable" not in measured.marks:
        # finished before a probe got in: searchable when it returned
        result["marks"]["searchable"] = measured.seconds
    return result


def _groups(queries: tuple[BenchQuery, ...]) -> dict[tuple[str, ...], list[BenchQuery]]:
    groups: dict[tuple[str, ...], list[BenchQuery]] = {}
    for query in queries:
        groups.setdefault(tuple(query.filters.cli_options()), []).append(query)
    return groups


def batch_latency(
    index: Path, passes: int, queries: tuple[BenchQuery, ...] = QUERIES
) -> dict[str, Any]:
    """`searchidx query --batch` per filter set: one warm-up pass, then `passes` timed passes.

    Latency is each answer's own `took_ms` (time inside search: query, facets, snippets)."""
    took: list[float] = []
    totals: dict[str, int] = {}
    walls: list[float] = []
    for options, group in _groups(queries).items():
        lines = "\n".join(q.text for q in group) + "\n"
        argv = [SEARCHIDX, "query", "--batch", "--index", str(index), *QUERY_OPTIONS, *options]
        measured = run_measured(argv, stdin_text=lines * (1 + passes))
        answers = [json.loads(line) for line in measured.stdout.splitlines() if line.strip()]
        if measured.returncode != 0 or len(answers) != len(group) * (1 + passes):
            return {"not_measured": _reason(measured) + f" ({len(answers)} answers)"}
        for query, answer in zip(group, answers[: len(group)], strict=True):
            totals[f"{query.text} {query.filters}"] = int(answer.get("total", 0))
        took += [float(a["took_ms"]) for a in answers[len(group) :]]
        walls.append(measured.seconds)
    return {
        "queries": len(queries),
        "passes": passes,
        "took_ms": took,
        "summary": summarise(took),
        "batch_process_s": sum(walls),
        "totals": totals,
    }


def whole_process(index: Path, query: str, repeat: int, fmt: str = "json") -> dict[str, Any]:
    """Wall time of a whole `searchidx query ... --facets` process, as a script would run it."""
    argv = [SEARCHIDX, "query", query, "--index", str(index), "--facets", "--format", fmt]
    seconds: list[float] = []
    for _ in range(repeat):
        measured = run_measured(argv, sample_every=0.02)
        if measured.returncode != 0:
            return {
                "command": " ".join(["searchidx", *argv[1:]]),
                "not_measured": _reason(measured),
            }
        seconds.append(measured.seconds)
    return {"command": " ".join(["searchidx", *argv[1:]]), "seconds": summarise(seconds)}


def incremental(corpus: Path, index: Path, repeat: int, entities: bool) -> dict[str, Any]:
    """No-op, one file changed, one added, one deleted; each `repeat` times on a built index."""
    extra = () if entities else ("--no-entities",)
    argv = [SEARCHIDX, "rebuild", str(corpus), "--index", str(index), *extra]
    victim = sorted(p for p in corpus.rglob("*.txt"))[len(list(corpus.rglob("*.txt"))) // 2]
    original = victim.read_bytes()
    added = victim.with_name("bench-added-story.txt")
    cases: dict[str, list[float]] = {
        "no-op": [],
        "one changed": [],
        "one added": [],
        "one deleted": [],
    }
    try:
        for round_number in range(repeat):
            steps = [
                ("no-op", lambda: None),
                (
                    "one changed",
                    lambda n=round_number: victim.write_bytes(
                        original + f"\nA late correction, round {n}.\n".encode()
                    ),
                ),
                (
                    "one added",
                    lambda: added.write_bytes(original.replace(b"title:", b"title: Added", 1)),
                ),
                ("one deleted", added.unlink),
            ]
            for name, change in steps:
                change()
                measured = run_measured(argv, sample_every=0.05)
                if measured.returncode not in (0, 1):
                    return {
                        "command": " ".join(["searchidx", *argv[1:]]),
                        "not_measured": _reason(measured),
                    }
                cases[name].append(measured.seconds)
    finally:
        victim.write_bytes(original)
        added.unlink(missing_ok=True)
    return {
        "command": " ".join(["searchidx", *argv[1:]]),
        "cases": {name: summarise(values) for name, values in cases.items()},
    }


def profile(
    argv_tail: list[str], out: Path, stdin_text: str | None = None, top: int = 12
) -> dict[str, Any]:
    """cProfile one `python -m searchidx ...` run; the functions with the most own time."""
    argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "searchidx", *argv_tail]
    measured = run_measured(argv, stdin_text=stdin_text)
    if measured.returncode not in (0, 1) or not out.exists():
        return {"not_measured": _reason(measured)}
    stats = pstats.Stats(str(out))
    rows = []
    for (filename, line, name), (_cc, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((own, cumulative, calls, f"{_short(filename)}:{line}({name})"))
    rows.sort(reverse=True)
    return {
        "command": "python -m cProfile -m searchidx " + " ".join(argv_tail),
        "seconds": measured.seconds,
        "total_s": stats.total_tt,  # type: ignore[attr-defined]
        "top_own_time": [
            {"function": where, "own_s": own, "cumulative_s": cumulative, "calls": calls}
            for own, cumulative, calls, where in rows[:top]
        ],
        "by_package": _by_package(rows),
    }


def _short(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    if filename.startswith(str(REPO)):
        return filename[len(str(REPO)) + 1 :]
    if re.search(r"lib/python3\.\d+/", filename) or filename.startswith("<frozen"):
        return "stdlib/" + re.split(r"lib/python3\.\d+/", filename)[-1].strip("<>")
    return filename


def _by_package(rows: list[tuple[float, float, int, str]]) -> dict[str, float]:
    """Own time summed by top-level package (whoosh, searchidx, spacy, stdlib...)."""
    totals: dict[str, float] = {}
    for own, _cum, _calls, where in rows:
        head = where.split("/", 1)[0].split(":", 1)[0].split(".", 1)[0]
        if where.startswith("{") or where.startswith("~"):
            head = "builtins"
        totals[head] = totals.get(head, 0.0) + own
    return dict(sorted(totals.items(), key=lambda item: -item[1])[:8])
