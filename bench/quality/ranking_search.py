"""The search that chose the feedback (`--expand`) defaults: a grid over RM3 settings on the four
dev collections, every setting scored against bm25s in the same run.

Run: `python -m bench.quality.ranking_search [--engine tantivy|whoosh] [--quick | --shares X ... |
--pools N ... | --titles W ...]`.
Each collection is indexed once through searchidx's indexer; every query goes the way `search`
ranks it with `expand=True` (`compile_query`, `match`, `feedback.feedback_ranking`), with the
grid's setting in place of `feedback.DEFAULT`. One setting serves every collection: the table is
sorted by the smallest lead over bm25s in nDCG@10 across the four, then the mean lead, so the
choice is the setting that does best where it does worst, not a per-collection fit.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bench.quality.ir import COLLECTIONS, Collection, load_collection
from bench.quality.relevance import DEPTH, IR_ROOT, Rankings, bm25s_rankings, evaluate
from searchidx.index import open_index
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine
from searchidx.index.tantivy_engine import matching as tantivy_matching
from searchidx.index.whoosh_engine import reader as whoosh_reader
from searchidx.models import Article
from searchidx.rebuild.run import index_articles
from searchidx.search.feedback import DEFAULT, Feedback, feedback_ranking
from searchidx.search.searching import compile_query

GRID: dict[str, tuple[float, ...]] = {
    "docs": (5, 10, 15),
    "terms": (10, 20, 30),
    "original": (0.5, 0.6, 0.7),
    "temperature": (0.5, 1.0, 2.0),
}
# around the full grid's best rows (docs 10-15, 20 words, original 0.6-0.7)
QUICK: dict[str, tuple[float, ...]] = {
    "docs": (10, 15),
    "terms": (20,),
    "original": (0.6, 0.7),
    "temperature": (0.5, 1.0),
}


def settings_grid(grid: dict[str, tuple[float, ...]]) -> list[Feedback | None]:
    """None (no feedback) first, then every combination (the other settings as `DEFAULT`)."""
    found: list[Feedback | None] = [None]
    for docs, terms, original, temperature in itertools.product(*grid.values()):
        found.append(
            replace(
                DEFAULT,
                docs=int(docs),
                terms=int(terms),
                original=float(original),
                temperature=float(temperature),
            )
        )
    return found


def label(settings: Feedback | None) -> str:
    if settings is None:
        return "no feedback"
    s = settings
    text = f"docs {s.docs}, terms {s.terms}, original {s.original}, temperature {s.temperature}"
    if s.max_share != DEFAULT.max_share:
        text += f", max share {s.max_share}"
    return text if s.pool == DEFAULT.pool else f"{text}, pool {s.pool}"


@contextmanager
def title_weight(weight: float | None) -> Iterator[None]:
    """Both engines score a title word's BM25 x `weight` (None: their own) for the block."""
    if weight is None:
        yield
        return
    found = (whoosh_reader.TITLE_WEIGHT, tantivy_matching.TITLE_BOOST)
    whoosh_reader.TITLE_WEIGHT = tantivy_matching.TITLE_BOOST = weight
    try:
        yield
    finally:
        whoosh_reader.TITLE_WEIGHT, tantivy_matching.TITLE_BOOST = found


def rank_all(
    index: Engine, queries: list[tuple[str, qt.QueryNode, DocSet]], settings: Feedback | None
) -> Rankings:
    rankings: Rankings = {}
    for query_id, q, matched in queries:
        if not matched:
            ranked = []
        elif settings is None:
            ranked = index.rank(q, matched, DEPTH)
        else:
            ranked = feedback_ranking(index, q, matched, DEPTH, settings)
        rankings[query_id] = [index.stored(doc).id for doc, _ in ranked]
    return rankings


def search_collection(
    collection: Collection, engine: str, grid: list[Feedback | None]
) -> dict[str, float]:
    """label -> nDCG@10 lead over bm25s, and label + ' map' -> MAP lead, for every setting."""
    base = evaluate("bm25s", collection, bm25s_rankings(collection), 0.0)
    articles = [
        Article(id=d.id, path=f"{collection.name}/{d.id}", title=d.title, body=d.body)
        for d in collection.documents
    ]
    leads: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=f"ranking-{collection.name}-") as folder:
        path = Path(folder) / "index"
        index_articles(path, articles, engine=engine)
        index = open_index(path)
        try:
            queries = []
            for query in collection.queries:
                q = compile_query(index, query.text, literal=True)
                queries.append((query.id, q, index.match(q)))
            for settings in grid:
                scores = evaluate("searchidx", collection, rank_all(index, queries, settings), 0)
                leads[label(settings)] = scores.ndcg10 - base.ndcg10
                leads[label(settings) + " map"] = scores.map - base.map
                print(
                    f"{collection.name:5} {label(settings):55} nDCG@10 {scores.ndcg10:.4f} "
                    f"(bm25s {base.ndcg10:.4f})  MAP {scores.map:.4f} (bm25s {base.map:.4f})",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            index.close()
    return leads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.ranking_search")
    parser.add_argument("--engine", choices=("tantivy", "whoosh"), default="tantivy")
    parser.add_argument("--quick", action="store_true", help="an 8-setting grid")
    parser.add_argument(
        "--pools",
        type=int,
        nargs="+",
        help="instead of the grid: the default setting reordering this many first-ranked articles",
    )
    parser.add_argument(
        "--titles",
        type=float,
        nargs="+",
        help="instead of the grid: no feedback and the default, with each of these title weights",
    )
    parser.add_argument(
        "--shares",
        type=float,
        nargs="+",
        help="instead of the grid: the default setting with these `max_share` values",
    )
    args = parser.parse_args(argv)
    grid = settings_grid(QUICK if args.quick else GRID)
    if args.shares:
        grid = [replace(DEFAULT, max_share=share) for share in args.shares]
    if args.pools:
        grid = [None, *(replace(DEFAULT, pool=pool) for pool in args.pools)]
    weights: list[float | None] = [None]
    if args.titles:
        grid, weights = [None, DEFAULT], list(args.titles)
    by_collection: dict[str, dict[str, float]] = {name: {} for name in COLLECTIONS}
    for weight in weights:
        with title_weight(weight):
            for name in COLLECTIONS:
                leads = search_collection(load_collection(name, IR_ROOT), args.engine, grid)
                suffix = "" if weight is None else f", title weight {weight}"
                for key, lead in leads.items():  # "<label>" and "<label> map"
                    label_, is_map = key.removesuffix(" map"), key.endswith(" map")
                    by_collection[name][label_ + suffix + (" map" if is_map else "")] = lead
    rows = []
    for settings, weight in itertools.product(grid, weights):
        key = label(settings) + ("" if weight is None else f", title weight {weight}")
        ndcg = [by_collection[name][key] for name in COLLECTIONS]
        maps = [by_collection[name][key + " map"] for name in COLLECTIONS]
        rows.append((min(ndcg), sum(ndcg) / len(ndcg), key, ndcg, min(maps)))
    rows.sort(key=lambda row: (-row[0], -row[1], row[2]))
    names = " | ".join(COLLECTIONS)
    print(f"engine {args.engine}: nDCG@10 lead over bm25s per collection; the smallest MAP lead")
    print(f"| setting | {names} | smallest | mean | smallest MAP lead |")
    print("|---|" + "---|" * (len(COLLECTIONS) + 3))
    for low, average, key, ndcg, map_low in rows:
        cells = " | ".join(f"{x:+.4f}" for x in ndcg)
        print(f"| {key} | {cells} | {low:+.4f} | {average:+.4f} | {map_low:+.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
