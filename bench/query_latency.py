"""Warm in-process latency of `searchidx.search.searching` over the bench query set (run by hand).

    .venv/bin/python -m bench.query_latency [--index PATH] [--passes 3] [--profile OUT.prof]
        [--all-copies] [--expand]

Every query of `bench/queries.py` runs as `searchidx query --batch --facets --limit 10
--snippets 3` would run it (all facets, its 0-3 filters), once to warm up, then `passes` timed
times. Without --index, a Reuters-21578 index is built once under
/tmp/searchidx-bench/reuters-gold with the people, places and organisations facets filled from
the corpus's own <PEOPLE>/<PLACES>/<ORGS> tags (no spaCy run: this is about query cost, and
entity facets are what make counting expensive). With --profile, the timed passes run under
cProfile and the functions with the most cumulative time are printed to stderr. Searches fold
copies of one article into one hit as `searchidx query` does (`stories.collapse`); with
--all-copies they run as `query --all-copies` (plain `search()`). The default index is built
without story grouping, so it has no copies: give --index an index whose stories are grouped
to measure the folding.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.corpora import SHARED
from bench.queries import QUERIES, BenchQuery

DEFAULT_INDEX = Path("/tmp/searchidx-bench/reuters-gold")
_DOC = re.compile(r"<REUTERS\b[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_GOLD = {
    name: re.compile(rf"<{tag}>(.*?)</{tag}>", re.S)
    for name, tag in (("people", "PEOPLE"), ("places", "PLACES"), ("organisations", "ORGS"))
}
_D = re.compile(r"<D>(.*?)</D>", re.S)


def gold_entities() -> dict[str, dict[str, tuple[str, ...]]]:
    """Story id -> facet name -> the values Reuters' editors tagged it with."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for sgm in sorted((SHARED / "reuters21578").glob("reut2-*.sgm")):
        raw = sgm.read_text(encoding="utf-8", errors="replace")
        for newid, content in _DOC.findall(raw):
            values = {}
            for name, pattern in _GOLD.items():
                block = pattern.search(content)
                values[name] = tuple(_D.findall(block.group(1))) if block else ()
            found[f"reuters-{int(newid):05d}"] = values
    return found


def build_index(folder: Path) -> None:
    from bench.corpora import reuters_stories
    from searchidx.models import Article
    from searchidx.rebuild.run import index_articles

    gold = gold_entities()

    def articles():  # type: ignore[no-untyped-def]
        for story in reuters_stories():
            published = (
                datetime.strptime(str(story.day), "%Y%m%d").replace(tzinfo=UTC)
                if story.day
                else None
            )
            tags = gold.get(story.id, {})
            yield Article(
                id=story.id,
                path=story.relpath,
                title=story.title,
                body=story.body,
                outlet=story.outlet,
                published=published,
                date_only=True,
                people=tags.get("people", ()),
                places=tags.get("places", ()),
                organisations=tags.get("organisations", ()),
            )

    started = time.perf_counter()
    index_articles(folder, articles())
    print(f"built {folder} in {time.perf_counter() - started:.0f}s", file=sys.stderr)


def request_for(query: BenchQuery) -> Any:
    from searchidx.models import FACET_NAMES, SearchRequest

    f = query.filters
    filters = (("outlet", f.outlets),) if f.outlets else ()
    excludes = (("outlet", f.exclude_outlets),) if f.exclude_outlets else ()
    return SearchRequest(
        query=query.text,
        filters=filters,
        excludes=excludes,
        since=date.fromisoformat(f.since) if f.since else None,
        until=date.fromisoformat(f.until) if f.until else None,
        limit=10,
        facets=FACET_NAMES,
        snippets=3,
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def stage_timers() -> dict[str, float]:
    """Wrap the stages of `search()` with timers; returns the totals (ms) they add to."""
    import searchidx.search.searching as core
    from searchidx.index.whoosh_engine.reader import WhooshEngine
    from searchidx.search.facets import Facet

    totals: dict[str, float] = {}

    def timed(owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + (time.perf_counter() - started) * 1000

        setattr(owner, name, wrapper)

    for name, label in (
        ("compile_query", "parse"),
        ("_date_docs", "date filter"),
        ("_facet_filters", "facet filters"),
        ("ranked_docs", "ranking"),
        ("make_snippets", "snippets"),
        ("_suggest", "did-you-mean"),
    ):
        if hasattr(core, name):
            timed(core, name, label)
    timed(Facet, "count", "facet counts")
    timed(WhooshEngine, "match", "match set")  # the engine's exact match sets
    return totals


def run(
    index_path: Path,
    passes: int,
    profile: Path | None,
    stages: bool = False,
    all_copies: bool = False,
    expand: bool = False,
) -> dict[str, Any]:
    from searchidx.index import open_index
    from searchidx.search.searching import search as plain
    from searchidx.stories.collapse import collapsed_search

    search = plain if all_copies else collapsed_search

    totals = stage_timers() if stages else None

    opened = time.perf_counter()
    index = open_index(index_path)
    requests = [replace(request_for(q), expand=expand) for q in QUERIES]
    first = [search(index, r) for r in requests]  # warm-up: caches filled here
    warm_up_s = time.perf_counter() - opened
    if totals is not None:
        totals.clear()
    took: list[float] = []
    cpu: list[float] = []  # the search's CPU time: on a loaded machine wall time grows more
    slowest: dict[str, float] = {}
    profiler = cProfile.Profile() if profile else None
    for _ in range(passes):
        for query, request in zip(QUERIES, requests, strict=True):
            started, cpu_started = time.perf_counter(), time.thread_time()
            if profiler:
                profiler.enable()
            search(index, request)
            if profiler:
                profiler.disable()
            ms = (time.perf_counter() - started) * 1000
            took.append(ms)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            key = f"{query.text!r} {query.filters.cli_options()}"
            slowest[key] = max(slowest.get(key, 0.0), ms)
    if profiler and profile:
        profiler.dump_stats(str(profile))
        pstats.Stats(str(profile), stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    return {
        "queries": len(QUERIES),
        "passes": passes,
        "p50_ms": round(statistics.median(took), 1),
        "p95_ms": round(percentile(took, 0.95), 1),
        "max_ms": round(max(took), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "first_pass_s": round(warm_up_s, 2),
        "slowest": dict(sorted(slowest.items(), key=lambda kv: -kv[1])[:8]),
        "totals": {
            f"{q.text!r} {q.filters.cli_options()}": r.total
            for q, r in zip(QUERIES, first, strict=True)
        },
        "index": str(index_path),
        "folded": {
            f"{q.text!r} {q.filters.cli_options()}": r.collapsed_total
            for q, r in zip(QUERIES, first, strict=True)
            if r.collapsed_total is not None and r.collapsed_total != r.total
        },
        **({"stage_totals_ms": {k: round(v, 1) for k, v in totals.items()}} if totals else {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.query_latency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--index", type=Path, help="index folder (default: Reuters, built once)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the query set")
    parser.add_argument("--profile", type=Path, help="cProfile the timed passes into this file")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="also total the time of each stage (match set, ranking, ...)",
    )
    parser.add_argument(
        "--expand", action="store_true", help="rank with feedback, as `query --expand`"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--all-copies", action="store_true", help="search as `query --all-copies` (no folding)"
    )
    args = parser.parse_args(argv)
    index = args.index
    if index is None:
        index = DEFAULT_INDEX
        if not (index / "CURRENT").exists():
            build_index(index)
    result = run(index, args.passes, args.profile, args.stages, args.all_copies, expand=args.expand)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
