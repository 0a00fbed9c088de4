"""A benchmark run's results as printed lines and as the generated part of docs/benchmarks.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

BEGIN = "<!-- bench/run.py: generated section, begin -->"
END = "<!-- bench/run.py: generated section, end -->"
MB = 2**20


def _spread(summary: dict[str, Any], unit: str = "s", digits: int = 1) -> str:
    if not summary or not summary.get("n"):
        return "-"
    if summary["n"] == 1:
        return f"{summary['median']:.{digits}f} {unit} (once)"
    return (
        f"{summary['median']:.{digits}f} {unit} ({summary['min']:.{digits}f}-"
        f"{summary['max']:.{digits}f}, n={summary['n']})"
    )


def peer_line(engine: str, peer: dict[str, Any]) -> str:
    if "not_measured" in peer:
        return f"{engine}: not measured: {peer['not_measured']}"
    text = (
        f"{engine}: build {_spread(peer['build_s'], digits=2)}, {peer['docs_per_s']:,.0f} docs/s,"
        f" index {peer['index_bytes'] / MB:.1f} MB, peak RSS {peer['peak_rss_mb']:.0f} MB"
    )
    if "queries" in peer:
        text += f"; {latency_text(peer['queries'])}"
    return text


def latency_text(queries: dict[str, Any]) -> str:
    if "not_measured" in queries:
        return f"queries not measured: {queries['not_measured']}"
    s = queries["summary"]
    return f"query p50 {s['p50']:.2f} ms, p95 {s['p95']:.2f} ms, max {s['max']:.2f} ms (n={s['n']})"


def latency_line(label: str, queries: dict[str, Any]) -> str:
    return f"{label}: {latency_text(queries)}"


def rebuild_line(label: str, run: dict[str, Any]) -> str:
    if "not_measured" in run:
        return f"{label}: not measured: {run['not_measured']}"
    searchable = run["marks"].get("searchable")
    return (
        f"{label}: {run['seconds']:.1f} s (exit {run['returncode']}), searchable after "
        f"{searchable:.1f} s, index {run['index_bytes'] / MB:.1f} MB, peak RSS "
        f"{run['tree_peak_mb']:.0f} MB (largest process {run['max_rss_mb']:.0f} MB)"
        if searchable is not None
        else f"{label}: {run['seconds']:.1f} s, index {run['index_bytes'] / MB:.1f} MB"
    )


def rebuild_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    from bench.measure import summarise

    return {
        "command": runs[0]["command"],
        "runs": runs,
        "seconds": summarise([r["seconds"] for r in runs]),
        "searchable_s": summarise(
            [r["marks"]["searchable"] for r in runs if "searchable" in r["marks"]]
        ),
        "index_bytes": runs[-1]["index_bytes"],
        "peak_rss_mb": max(r["tree_peak_mb"] for r in runs),
    }


def incremental_line(label: str, result: dict[str, Any]) -> str:
    if "not_measured" in result:
        return f"incremental ({label}): not measured: {result['not_measured']}"
    parts = [f"{name} {_spread(s, digits=2)}" for name, s in result["cases"].items()]
    return f"incremental ({label}): " + "; ".join(parts)


def process_line(result: dict[str, Any]) -> str:
    if "not_measured" in result:
        return f"{result.get('command', 'query process')}: not measured: {result['not_measured']}"
    return f"{result['command']}: {_spread(result['seconds'], digits=2)}"


def profile_line(label: str, result: dict[str, Any]) -> str:
    if "not_measured" in result:
        return f"profile {label}: not measured: {result['not_measured']}"
    top = ", ".join(f"{k} {v:.1f} s" for k, v in list(result["by_package"].items())[:4])
    return f"profile {label}: {result['total_s']:.1f} s profiled; own time by package: {top}"


def update_doc(path: Path, section: str) -> None:
    """Replace the generated section, keeping every other section (other helpers write them)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{section.strip()}\n{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def markdown(results: dict[str, Any], results_file: Path) -> str:
    from bench.report_tables import tables

    return tables(results, results_file)
