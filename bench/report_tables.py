"""The markdown tables of one benchmark run (the generated part of docs/benchmarks.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

MB = 2**20
NOT = "not measured"


def _s(summary: dict[str, Any] | None, digits: int = 1) -> str:
    if not summary or not summary.get("n"):
        return NOT
    if summary["n"] == 1:
        return f"{summary['median']:.{digits}f} (once)"
    return (
        f"{summary['median']:.{digits}f} ({summary['min']:.{digits}f}-{summary['max']:.{digits}f})"
    )


def _why(item: dict[str, Any] | None) -> str:
    if not item:
        return NOT
    return f"{NOT}: {item.get('not_measured', 'did not run')}"


def _machine(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    busy_start = results.get("other_cpu_users_at_start") or []
    busy_end = results.get("other_cpu_users_at_end") or []
    busy = bool(busy_start or busy_end) or max(m["load_average_at_start"]) > 0.5
    lines = [
        "### Machine",
        "",
        f"- `nproc`: {m['nproc']}; CPU: {m['cpu']}; Python {m['python']}; {m['platform']}",
        f"- load average at start {tuple(round(x, 2) for x in m['load_average_at_start'])}, at end"
        f" {tuple(round(x, 2) for x in results.get('load_average_at_end', ()))}",
        "- other processes using CPU at start: "
        + (", ".join(f"{n} {p}%" for n, p in busy_start) or "none")
        + "; at end: "
        + (", ".join(f"{n} {p}%" for n, p in busy_end) or "none"),
    ]
    if busy:
        lines.append(
            "- **The machine was shared and busy during this run** (other sessions building"
            " and testing on the same 2 cores): absolute figures are pessimistic and noisy;"
            " the ratios between engines measured in the same run are the robust part."
        )
    lines += ["", "`free -h`:", "", "```", m["free_h"], "```", ""]
    return lines


def _goals(results: dict[str, Any]) -> list[str]:
    ours = results.get("ours", {})
    peers = results.get("peers", {})
    entities = ours.get("entities", {}).get("run", {})
    spacy = results.get("spacy_alone", {})
    rows: list[tuple[str, str, str]] = []

    def row(goal: str, measured: str, ok: bool | None) -> None:
        rows.append((goal, measured, "n/a" if ok is None else ("met" if ok else "**missed**")))

    searchable = entities.get("marks", {}).get("searchable")
    row(
        "searchable <= 30 s after a full Reuters rebuild starts (with entities)",
        f"{searchable:.1f} s" if searchable else _why(entities or ours),
        searchable and searchable <= 30,
    )
    if entities.get("seconds") and spacy.get("ner_s"):
        alone = spacy["ner_s"] + spacy["load_model_s"]
        ratio = entities["seconds"] / alone
        row(
            "entities complete <= 1.5x spaCy alone (same text, same cores)",
            f"{entities['seconds']:.0f} s vs {alone:.0f} s = {ratio:.2f}x",
            ratio <= 1.5,
        )
    else:
        row("entities complete <= 1.5x spaCy alone", _why(entities or spacy), None)
    noent = ours.get("no_entities", {})
    floor = peers.get("whoosh", {})
    if noent.get("seconds", {}).get("n") and floor.get("build_s"):
        speedup = floor["build_s"]["median"] / noent["seconds"]["median"]
        row(
            "`--no-entities` >= 1.2x faster than default-writer whoosh",
            f"{noent['seconds']['median']:.1f} s vs {floor['build_s']['median']:.1f} s = "
            f"{speedup:.2f}x",
            speedup >= 1.2,
        )
    else:
        row("`--no-entities` >= 1.2x faster than default-writer whoosh", _why(noent or ours), None)
    inc = ours.get("incremental_no_entities", {})
    noop = inc.get("cases", {}).get("no-op")
    row(
        "no-op rebuild < 2 s",
        f"{noop['median']:.2f} s" if noop else _why(inc or ours),
        noop["median"] < 2 if noop else None,
    )
    q = ours.get("queries", {})
    p95 = q.get("summary", {}).get("p95")
    row(
        "warm query p95 with facets and snippets < 50 ms",
        f"{p95:.1f} ms" if p95 else _why(q or ours),
        p95 < 50 if p95 else None,
    )
    whole = (ours.get("whole_process") or [{}])[0]
    med = whole.get("seconds", {}).get("median")
    row(
        "a whole `searchidx query` process with facets < 1 s",
        f"{med:.2f} s" if med else _why(whole),
        med < 1 if med else None,
    )
    rss = [
        p.get("rebuild", {}).get("tree_peak_mb")
        for p in results.get("scale", [])
        if p.get("rebuild")
    ]
    if entities.get("tree_peak_mb"):
        rss.append(entities["tree_peak_mb"])
    peak = max((r for r in rss if r), default=None)
    row(
        "peak RSS < 1.5 GB, flat as the corpus grows",
        f"{peak:.0f} MB (max over runs)" if peak else NOT,
        peak < 1536 if peak else None,
    )
    row(
        "TUI keystroke-to-paint p95 < 100 ms",
        "see the TUI section (measured by the TUI bench)",
        None,
    )
    lines = ["### Goals", "", "| goal | measured | status |", "|---|---|---|"]
    lines += [f"| {g} | {m} | {s} |" for g, m, s in rows]
    return lines + [""]


def _rebuild(results: dict[str, Any]) -> list[str]:
    corpora = results.get("corpora", {})
    docs = corpora.get("reuters", {}).get("stories", 0)
    lines = [
        f"### Full rebuild, Reuters-21578 ({docs:,} stories, one file each)",
        "",
        "Seconds as median (min-max) over the repeats; peak RSS sums every process of the run.",
        "Peers get the stories already parsed in memory; searchidx reads and parses the files.",
        "",
        "| engine | time to searchable, s | total, s | stories/s | index MB | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (
        ("fts5", "SQLite FTS5 (stdlib)"),
        ("tantivy", "tantivy (PyPI)"),
        ("whoosh", "plain whoosh, default writer (the floor)"),
    ):
        peer = results.get("peers", {}).get(name, {})
        if "build_s" not in peer:
            lines.append(f"| {label} | {_why(peer)} | | | | |")
            continue
        lines.append(
            f"| {label} | {_s(peer['build_s'], 2)} | {_s(peer['build_s'], 2)} |"
            f" {peer['docs_per_s']:,.0f} | {peer['index_bytes'] / MB:.1f} |"
            f" {peer['peak_rss_mb']:.0f} |"
        )
    ours = results.get("ours", {})
    noent = ours.get("no_entities", {})
    if noent.get("seconds", {}).get("n"):
        lines.append(
            f"| searchidx `--no-entities` | {_s(noent['searchable_s'])} |"
            f" {_s(noent['seconds'])} | {docs / noent['seconds']['median']:,.0f} |"
            f" {noent['index_bytes'] / MB:.1f} | {noent['peak_rss_mb']:.0f} |"
        )
    else:
        lines.append(f"| searchidx `--no-entities` | {_why(noent or ours)} | | | | |")
    run = ours.get("entities", {}).get("run", {})
    if run.get("seconds"):
        lines.append(
            f"| searchidx with entities (once, cold NER cache) |"
            f" {run['marks'].get('searchable', 0):.1f} | {run['seconds']:.1f} |"
            f" {docs / run['seconds']:,.0f} | {run['index_bytes'] / MB:.1f} |"
            f" {run['tree_peak_mb']:.0f} |"
        )
    else:
        lines.append(
            f"| searchidx with entities | {_why(run or ours.get('entities') or ours)} | | | | |"
        )
    spacy = results.get("spacy_alone", {})
    if spacy.get("ner_s"):
        lines.append(
            f"| spaCy alone, {'+'.join(spacy['pipeline'])}, {spacy['processes']} processes"
            f" (once) | - | {spacy['ner_s'] + spacy['load_model_s']:.1f} (NER"
            f" {spacy['ner_s']:.1f} + load {spacy['load_model_s']:.1f}) |"
            f" {spacy['documents'] / spacy['ner_s']:,.0f} | - | {spacy['tree_peak_mb']:.0f} |"
        )
    elif spacy:
        lines.append(f"| spaCy alone | {_why(spacy)} | | | | |")
    commands = [noent.get("command"), run.get("command"), spacy.get("command")]
    commands += [p.get("command") for p in results.get("peers", {}).values()]
    lines += ["", "Commands: " + "; ".join(f"`{c}`" for c in commands if c), ""]
    return lines


def _incremental(results: dict[str, Any]) -> list[str]:
    ours = results.get("ours", {})
    lines = [
        "### Incremental rebuilds on the Reuters index (seconds)",
        "",
        "| index | no-op | one changed | one added | one deleted |",
        "|---|---|---|---|---|",
    ]
    for key, label in (("incremental_no_entities", "`--no-entities`"),):
        inc = ours.get(key, {})
        lines.append(_inc_row(label, inc, ours))
    inc = ours.get("entities", {}).get("incremental", {})
    lines.append(_inc_row("with entities", inc, ours))
    return lines + [""]


def _inc_row(label: str, inc: dict[str, Any], ours: dict[str, Any]) -> str:
    if "cases" not in inc:
        return f"| {label} | {_why(inc or ours)} | | | |"
    cases = inc["cases"]
    return (
        f"| {label} (`{inc['command']}`) | "
        + " | ".join(
            _s(cases[name], 2) for name in ("no-op", "one changed", "one added", "one deleted")
        )
        + " |"
    )


def _queries(results: dict[str, Any]) -> list[str]:
    qs = results.get("query_set", {})
    lines = [
        f"### Query latency, Reuters ({qs.get('total')} queries: {qs.get('term')} term,"
        f" {qs.get('phrase')} phrase, {qs.get('boolean')} boolean, {qs.get('wildcard')} wildcard,"
        f" {qs.get('date')} date, {qs.get('mixed')} other;"
        f" {qs.get('with_filters')} with 1-3 filters)",
        "",
        "Warm: one untimed pass, then the timed passes. Every query computes facets and snippets"
        " for the top 10 hits. searchidx: `took_ms` of `searchidx query --batch --facets --snippets"
        " 3 --limit 10` (six facets; entity facets are empty in a `--no-entities` index). Peers:"
        " total, top 10 with one snippet each, outlet/year/month counts (disjunctive, like ours),"
        " from Python in one process (bench/peers.py).",
        "",
        "| engine | queries run | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    ours = results.get("ours", {}).get("queries", {})
    if "summary" in ours:
        s = ours["summary"]
        lines.append(
            f"| searchidx | {ours['queries']} x {ours['passes']} | {s['p50']:.1f} |"
            f" {s['p95']:.1f} | {s['max']:.1f} |"
        )
    else:
        lines.append(f"| searchidx | {_why(ours or results.get('ours'))} | | | |")
    for name in ("fts5", "tantivy"):
        peer = results.get("peers", {}).get(name, {}).get("queries", {})
        if "summary" in peer:
            s = peer["summary"]
            lines.append(
                f"| {name} | {peer['ran']} of {peer['expressible']} expressible x"
                f" {results.get('passes')} | {s['p50']:.2f} | {s['p95']:.2f} | {s['max']:.2f} |"
            )
    lines.append("")
    processes = [*results.get("ours", {}).get("whole_process", [])]
    if results.get("ours", {}).get("seed_process"):
        processes.append(results["ours"]["seed_process"])
    if processes:
        lines += ["Whole processes (start-up, index open, search, facets, output), seconds:", ""]
        lines += [
            f"- `{p.get('command', 'searchidx query')}`: "
            + (_s(p["seconds"], 2) if "seconds" in p else _why(p))
            for p in processes
        ]
        lines.append("")
    return lines


def _scale(results: dict[str, Any]) -> list[str]:
    lines = [
        "### Scale curve, `searchidx rebuild --no-entities` (one run each)",
        "",
        "| corpus | articles | rebuild s | articles/s | MB/s | index MB | peak RSS MB |"
        " query p50 ms | query p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for point in results.get("scale", []):
        built = point.get("rebuild", {})
        if "seconds" not in built or "not_measured" in built:
            lines.append(f"| {point.get('label', '-')} | {_why(built or point)} | | | | | | | |")
            continue
        q = point.get("queries", {}).get("summary", {})
        lines.append(
            f"| {point['label']} | {point['articles']:,} | {built['seconds']:.1f} |"
            f" {point['articles_per_s']:,.0f} | {point['mb_per_s']:.2f} |"
            f" {built['index_bytes'] / MB:.1f} | {built['tree_peak_mb']:.0f} |"
            f" {q.get('p50', 0):.1f} | {q.get('p95', 0):.1f} |"
            if q
            else f"| {point['label']} | {point['articles']:,} | {built['seconds']:.1f} | | | | |"
            f" {_why(point.get('queries'))} | |"
        )
    return lines + [""]


def _profiles(results: dict[str, Any]) -> list[str]:
    lines = [
        "### Where searchidx's time goes (cProfile, own time)",
        "",
        "cProfile slows pure-Python code 2-3x: read the shares, not the absolute seconds.",
        "",
    ]
    for name, found in results.get("profiles", {}).items():
        if "top_own_time" not in found:
            lines.append(f"- {name}: {_why(found)}")
            continue
        packages = ", ".join(f"{k} {v:.1f} s" for k, v in found["by_package"].items())
        lines += [
            f"`{found['command']}`: {found['total_s']:.1f} s profiled; by package: {packages}",
            "",
            "| function | own s | cumulative s | calls |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{r['function']}` | {r['own_s']:.2f} | {r['cumulative_s']:.2f} | {r['calls']:,} |"
            for r in found["top_own_time"]
        ]
        lines.append("")
    return lines


def tables(results: dict[str, Any], results_file: Path) -> str:
    lines = [
        "## Speed: searchidx against plain whoosh, SQLite FTS5, tantivy and spaCy",
        "",
        f"Generated by `{results['command']}` on {results['started']} in"
        f" {results.get('elapsed_s', 0) / 60:.1f} minutes; every figure below is the one the run"
        f" printed, and all of them are in `{results_file}`.",
        "",
    ]
    if results.get("quick"):
        lines += [
            "**Quick run (2,000 stories, one repeat): checks the harness, not for comparison.**",
            "",
        ]
    for part in (_machine, _goals, _rebuild, _incremental, _queries, _scale, _profiles):
        lines += part(results)
    return "\n".join(lines)
