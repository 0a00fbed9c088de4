"""The scale curve without entities: 1k, 5k, 10k, 21k Reuters stories, then 21k + BBC News.

For each size: `searchidx rebuild --no-entities` into a fresh index (time, articles/s, MB/s,
index size, peak memory) and the query set through `searchidx query --batch` (p50 / p95).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import ours
from bench.corpora import Story, corpus_bytes, link_subset

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
