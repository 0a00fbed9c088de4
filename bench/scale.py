"""The scale curve without entities, and both engines against the peers on a larger archive.

`scale_curve` (run by bench.run): 1k, 5k, 10k, 21k Reuters stories, then 21k + BBC News; for
each size `searchidx rebuild --no-entities` into a fresh index (time, articles/s, MB/s, index
size, peak memory) and the query set through `searchidx query --batch` (p50 / p95).

`python -m bench.scale --copies 5 --work DIR` (by hand): Reuters-21578 replicated (shifted
dates and ids, `corpora.replicated`), indexed by each engine (`rebuild --engine`) and by raw
tantivy and SQLite FTS5 in the same run: rebuild time, peak RSS, index MB, warm query p50/p95
(the bench queries with facets and snippets), a cold `searchidx query --facets` process, and
the engines' top-10 overlap.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from bench import ours
from bench.corpora import Story, corpus_bytes, link_subset
from bench.measure import write_results

SIZES: tuple[tuple[str, int | None, bool], ...] = (
    # label, Reuters stories (None: all), plus BBC News
    ("1k", 1000, False),
    ("5k", 5000, False),
    ("10k", 10000, False),
    ("21k", None, False),
    ("21k + BBC", None, True),
)


def scale_curve(
    reuters: list[Story], bbc: list[Story], prepared: dict[str, Path], work: Path, passes: int
) -> list[dict[str, Any]]:
    """`prepared` maps "reuters" / "bbc" to the folders the stories were written into."""
    points: list[dict[str, Any]] = []
    for label, count, with_bbc in SIZES:
        chosen = reuters[:count] if count else reuters
        folder = work / f"corpus-{label.replace(' ', '').replace('+', '-')}"
        if not folder.exists():
            link_subset(prepared["reuters"], chosen, folder)
            if with_bbc:
                link_subset(prepared["bbc"], bbc, folder)
        articles = len(chosen) + (len(bbc) if with_bbc else 0)
        index = work / f"index-{folder.name}"
        built = ours.rebuild(folder, index, entities=False, probe_searchable=False)
        point: dict[str, Any] = {"label": label, "articles": articles, "rebuild": built}
        point["corpus_mb"] = corpus_bytes(folder) / 2**20
        if "not_measured" not in built:
            point["articles_per_s"] = articles / built["seconds"]
            point["mb_per_s"] = point["corpus_mb"] / built["seconds"]
            point["queries"] = ours.batch_latency(index, passes)
        print(_line(point), flush=True)
        points.append(point)
    return points


def _line(point: dict[str, Any]) -> str:
    built = point["rebuild"]
    if "not_measured" in built:
        return f"scale {point['label']}: not measured: {built['not_measured']}"
    queries = point.get("queries", {})
    latency = queries.get("summary", {})
    return (
        f"scale {point['label']}: {point['articles']} articles, rebuild {built['seconds']:.1f} s,"
        f" index {built['index_bytes'] / 2**20:.1f} MB, peak RSS {built['tree_peak_mb']:.0f} MB,"
        f" query p50 {latency.get('p50', 0):.1f} ms p95 {latency.get('p95', 0):.1f} ms"
        if latency
        else f"scale {point['label']}: rebuild {built['seconds']:.1f} s; queries not measured:"
        f" {queries.get('not_measured', '?')}"
    )


# --- both engines and the peers on a replicated archive -------------------------------------------

ENGINES = ("whoosh", "tantivy")
PEERS = ("tantivy", "fts5")  # raw tantivy and SQLite FTS5, built by bench.peers
COLD_QUERY = "oil"


def top_overlap(indexes: dict[str, Path], limit: int = 10) -> dict[str, Any]:
    """Per bench query, the share of the whoosh engine's top `limit` the tantivy engine also
    ranks in its top `limit` (ranking may differ; what matches may not), and totals that differ."""
    from bench.queries import QUERIES
    from searchidx.index import open_index
    from searchidx.models import SearchRequest
    from searchidx.search.searching import search

    opened = {name: open_index(path) for name, path in indexes.items()}
    shares: list[float] = []
    differing: list[str] = []
    for query in QUERIES:
        request = SearchRequest(query=query.text, limit=limit, snippets=0, suggest=False)
        found = {name: search(index, request) for name, index in opened.items()}
        tops = {name: [hit.id for hit in result.hits] for name, result in found.items()}
        if found["whoosh"].total != found["tantivy"].total:
            differing.append(query.text)
        if tops["whoosh"]:
            shares.append(len(set(tops["whoosh"]) & set(tops["tantivy"])) / len(tops["whoosh"]))
    return {
        "queries": len(shares),
        "mean_top_overlap": sum(shares) / len(shares) if shares else 0.0,
        "min_top_overlap": min(shares, default=0.0),
        "differing_totals": differing,
    }


def engine_pairs(
    copies: int,
    work: Path,
    passes: int,
    jobs: int,
    engines: tuple[str, ...] = ENGINES,
    peers: tuple[str, ...] = PEERS,
) -> dict[str, Any]:
    """Reuters-21578 replicated `copies` times: the engines through `searchidx`, then raw
    tantivy and FTS5, one after the other in the same run (quote ratios: the machine is shared).
    At 1M articles whoosh takes hours: `engines` and `peers` choose."""
    from bench.corpora import replicated, reuters_stories, write_corpus
    from bench.run import run_peer

    stories = replicated(reuters_stories(), copies)
    folder = work / f"corpus-x{copies}"
    if not folder.exists():
        write_corpus(stories, folder)
    result: dict[str, Any] = {"articles": len(stories), "corpus_mb": corpus_bytes(folder) / 2**20}
    indexes: dict[str, Path] = {}
    for engine in engines:
        index = indexes[engine] = work / f"index-{engine}-x{copies}"
        shutil.rmtree(index, ignore_errors=True)
        extra = ("--engine", engine, "--jobs", str(jobs))
        built = ours.rebuild(folder, index, entities=False, probe_searchable=False, extra=extra)
        point: dict[str, Any] = {"rebuild": built}
        if "not_measured" not in built:
            point["queries"] = ours.batch_latency(index, passes)
            point["cold"] = ours.whole_process(index, COLD_QUERY, repeat=3)
        result[engine] = point
        print(f"engine {engine}: {_engine_line(point)}", flush=True)
    if set(ENGINES) <= set(indexes):
        result["overlap"] = top_overlap(indexes)
    for peer in peers:
        out = work / f"peer-{peer}-x{copies}"
        shutil.rmtree(out, ignore_errors=True)
        result[f"peer-{peer}"] = run_peer(peer, f"reuters*{copies}", out, passes=passes)
        print(f"peer {peer}: {json.dumps(_peer_summary(result[f'peer-{peer}']))}", flush=True)
    return result


def _engine_line(point: dict[str, Any]) -> str:
    built = point["rebuild"]
    if "not_measured" in built:
        return f"not measured: {built['not_measured']}"
    latency = point["queries"].get("summary", {})
    cold = point["cold"].get("seconds", {})
    return (
        f"rebuild {built['seconds']:.1f} s, peak RSS {built['tree_peak_mb']:.0f} MB, index "
        f"{built['index_bytes'] / 2**20:.0f} MB, query p50 {latency.get('p50', 0):.1f} ms p95 "
        f"{latency.get('p95', 0):.1f} ms, cold query {json.dumps(cold)}"
    )


def _peer_summary(peer: dict[str, Any]) -> dict[str, Any]:
    keys = ("build_s", "index_bytes", "peak_rss_mb", "queries", "not_measured")
    return {key: peer[key] for key in keys if key in peer and key != "queries"} | {
        "latency": {k: v for k, v in peer.get("queries", {}).items() if k != "totals"}
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--copies", type=int, default=5, help="Reuters copies (5: 107,890)")
    parser.add_argument("--work", type=Path, required=True, help="corpora and indexes go here")
    parser.add_argument("--passes", type=int, default=2, help="timed query passes")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated, or none")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    engines = tuple(e for e in args.engines.split(",") if e in ENGINES)
    peers = tuple(p for p in args.peers.split(",") if p in PEERS)
    result = engine_pairs(args.copies, args.work, args.passes, args.jobs, engines, peers)
    out = args.work / f"engines-x{args.copies}.json"
    write_results(out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
