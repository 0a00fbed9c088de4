"""Story grouping on ECB+ dev gold events: B-cubed P/R/F1 of `StoryIndex` (entities on and off)
next to a TF-IDF average-linkage reference clustering (cosine distance 0.8) of the same texts.

Run: `python -m bench.quality.stories [--index DIR]`. The articles are indexed once with spaCy
entities (in DIR, or a temporary folder), read back from the index as a rebuild's grouping reads
them, and grouped from scratch in memory.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ECB_DEV = REPO.parent / "shared" / "corpora" / "ecbplus_dev"
REFERENCE_DISTANCE = 0.8

# The reference's stop words: a common English list (the grouping has its own).
_REFERENCE_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    also said says mr mrs ms one two""".split()  # noqa: SIM905
)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the gold articles (one missing from `predicted`
    is a cluster of its own)."""
    clusters: dict[str, set[str]] = defaultdict(set)
    events: dict[str, set[str]] = defaultdict(set)
    for article, event in gold.items():
        clusters[predicted.get(article, f"alone:{article}")].add(article)
        events[event].add(article)
    precision = recall = 0.0
    for article, event in gold.items():
        mine = clusters[predicted.get(article, f"alone:{article}")]
        theirs = events[event]
        shared = len(mine & theirs)
        precision += shared / len(mine)
        recall += shared / len(theirs)
    p, r = precision / len(gold), recall / len(gold)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def reference_clusters(texts: Mapping[str, str]) -> dict[str, str]:
    """TF-IDF (sublinear tf, smoothed IDF, stop words out) with average-linkage cosine
    clustering, merging while the average distance is below REFERENCE_DISTANCE."""
    import numpy as np

    ids = list(texts)
    counts = [Counter(w for w in _TOKEN.findall(texts[i].lower()) if w not in _REFERENCE_STOP)
              for i in ids]  # fmt: skip
    vocabulary = {w: n for n, w in enumerate(sorted(set().union(*counts)))}
    df = np.zeros(len(vocabulary))
    for words in counts:
        df[[vocabulary[w] for w in words]] += 1
    idf = np.log((1 + len(ids)) / (1 + df)) + 1
    matrix = np.zeros((len(ids), len(vocabulary)))
    for row, words in enumerate(counts):
        for word, tf in words.items():
            matrix[row, vocabulary[word]] = (1 + math.log(tf)) * idf[vocabulary[word]]
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    distance = 1.0 - matrix @ matrix.T
    sizes = np.ones(len(ids))
    alive = np.ones(len(ids), dtype=bool)
    label = list(range(len(ids)))
    np.fill_diagonal(distance, np.inf)
    while alive.sum() > 1:
        masked = np.where(alive[:, None] & alive[None, :], distance, np.inf)
        a, b = divmod(int(masked.argmin()), len(ids))
        if masked[a, b] >= REFERENCE_DISTANCE:
            break
        # average linkage (Lance-Williams): the merged cluster's distance is the size-weighted mean
        merged = (sizes[a] * distance[a] + sizes[b] * distance[b]) / (sizes[a] + sizes[b])
        distance[a], distance[:, a] = merged, merged
        distance[a, a] = np.inf
        sizes[a] += sizes[b]
        alive[b] = False
        label = [a if x == b else x for x in label]
    return {article: f"c{label[n]}" for n, article in enumerate(ids)}


def index_corpus(index: Path, corpus: Path) -> None:
    """Index the corpus with entities unless `index` already holds it."""
    from searchidx.index.generations import current_generation
    from searchidx.rebuild.progress import SilentProgress
    from searchidx.rebuild.run import rebuild

    if current_generation(index) is None:
        rebuild(index, corpus, progress=SilentProgress())


def indexed_inputs(index: Path) -> list[Any]:
    """Every live article of the index as grouping reads it (canonical entity names), oldest
    first, as a full rebuild places them."""
    from searchidx.index import open_index
    from searchidx.stories.sync import _aliases, story_input

    opened = open_index(index)
    try:
        aliases = _aliases(opened.generation)
        items = [story_input(segment.stored(local), aliases)
                 for segment in opened.segments() for local in segment.live()]  # fmt: skip
    finally:
        opened.close()
    return sorted(items, key=lambda i: (i.day or 99_999_999, i.id))


def without_entities(items: Iterable[Any]) -> list[Any]:
    return [replace(i, people=(), organisations=(), places=()) for i in items]


def grouped(items: list[Any]) -> dict[str, str]:
    from searchidx.stories.grouping import StoryIndex

    state = StoryIndex()
    state.add(items)
    return {article: member.story for article, member in state.members.items()}


def gold_events() -> dict[str, str]:
    gold: dict[str, str] = json.loads((ECB_DEV / "gold.json").read_text(encoding="utf-8"))
    return gold


def run(index: Path | None = None) -> dict[str, Any]:
    gold = gold_events()
    with tempfile.TemporaryDirectory(prefix="ecb-stories-") as scratch:
        folder = index or Path(scratch) / "index"
        index_corpus(folder, ECB_DEV / "articles")
        items = indexed_inputs(folder)
    texts = {i.id: i.text for i in items}
    results: dict[str, Any] = {"corpus": "ecbplus_dev", "articles": len(items),
                               "events": len(set(gold.values()))}  # fmt: skip
    results["entities_on"] = bcubed(grouped(items), gold)
    results["entities_off"] = bcubed(grouped(without_entities(items)), gold)
    results["reference"] = bcubed(reference_clusters(texts), gold)
    return results


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"ECB+ dev ({results['articles']} articles, {results['events']} gold events, one shared "
        "date): B-cubed over articles.",
        "",
        "| grouping | precision | recall | F1 |",
        "|---|---|---|---|",
    ]
    rows = (("searchidx stories, entities on", "entities_on"),
            ("searchidx stories, entities off", "entities_off"),
            (f"TF-IDF average linkage, distance {REFERENCE_DISTANCE}", "reference"))  # fmt: skip
    for name, key in rows:
        s = results[key]
        lines.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, help="index folder to build once and reuse")
    args = parser.parse_args()
    print(markdown(run(args.index)))


if __name__ == "__main__":
    main()
