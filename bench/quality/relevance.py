"""Relevance on the IR collections: searchidx and a bm25s baseline, ranked and scored together."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.quality.ir import COLLECTIONS, Collection, load_collection
from bench.quality.metrics import average_precision, mean, ndcg_at, recall_at

DEPTH = 100  # documents ranked per query: recall@100 needs 100, MAP is taken over them too
IR_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "ir_small"
METRICS = ("ndcg@10", "map", "recall@100")

# query id -> ranked document ids
Rankings = dict[str, list[str]]
Engine = Callable[[Collection], Rankings]


@dataclass(frozen=True)
class Scores:
    engine: str
    collection: str
    queries: int
    ndcg10: float
    map: float
    recall100: float
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "collection": self.collection,
            "queries": self.queries,
            "ndcg@10": round(self.ndcg10, 4),
            "map": round(self.map, 4),
            "recall@100": round(self.recall100, 4),
            "seconds": round(self.seconds, 1),
        }


def evaluate(engine: str, collection: Collection, rankings: Rankings, seconds: float) -> Scores:
    """Score `rankings` on the collection's judged queries (unjudged ones cannot be scored)."""
    queries = collection.judged_queries()
    per_query = [(rankings.get(q.id, []), collection.qrels[q.id]) for q in queries]
    return Scores(
        engine=engine,
        collection=collection.name,
        queries=len(queries),
        ndcg10=mean([ndcg_at(r, j, 10) for r, j in per_query]),
        map=mean([average_precision(r, j) for r, j in per_query]),
        recall100=mean([recall_at(r, j, DEPTH) for r, j in per_query]),
        seconds=seconds,
    )


def bm25s_rankings(collection: Collection) -> Rankings:
    """The baseline: bm25s defaults (Lucene BM25, k1=1.5, b=0.75) over title + body, English stop
    words, Snowball English stemmer, queries as given (all terms optional)."""
    import bm25s
    import numpy as np
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWords
    texts = [f"{d.title}\n{d.body}" for d in collection.documents]
    tokens = bm25s.tokenize(
        texts, stopwords="en", stemmer=stem, return_ids=False, show_progress=False
    )
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    vocabulary = retriever.vocab_dict
    query_tokens = bm25s.tokenize(
        [q.text for q in collection.queries],
        stopwords="en",
        stemmer=stem,
        return_ids=False,
        show_progress=False,
    )
    rankings: Rankings = {}
    for query, terms in zip(collection.queries, query_tokens, strict=True):
        known = [t for t in terms if t in vocabulary]
        if not known:
            rankings[query.id] = []
            continue
        scores = retriever.get_scores(known)
        # Ties broken by document order so that runs are repeatable.
        order = np.lexsort((np.arange(len(scores)), -scores))[:DEPTH]
        rankings[query.id] = [collection.documents[i].id for i in order if scores[i] > 0]
    return rankings


def searchidx_rankings(
    collection: Collection, engine: str = "whoosh", expand: bool = False
) -> Rankings:
    """Index the collection with searchidx's own indexer (`engine`) and ask searchidx's search
    API, each query pasted as given (`literal=True`, so no character in it is query syntax);
    `expand`: with pseudo-relevance feedback, as `searchidx query --expand`."""
    from searchidx.index import open_index
    from searchidx.models import Article, SearchRequest
    from searchidx.rebuild.run import index_articles
    from searchidx.search.searching import search

    articles = [
        Article(id=d.id, path=f"{collection.name}/{d.id}", title=d.title, body=d.body)
        for d in collection.documents
    ]
    with tempfile.TemporaryDirectory(prefix=f"searchidx-{collection.name}-") as folder:
        index_path = Path(folder) / "index"
        index_articles(index_path, articles, engine=engine)
        index = open_index(index_path)
        try:
            rankings: Rankings = {}
            for query in collection.queries:
                request = SearchRequest(
                    query=query.text, limit=DEPTH, snippets=0, literal=True, expand=expand
                )
                rankings[query.id] = [hit.id for hit in search(index, request).hits]
        finally:
            index.close()
    return rankings


def searchidx_available() -> str | None:
    """None when searchidx's search API can be imported, else why not (for the report)."""
    try:
        from searchidx.search.searching import search  # noqa: F401
    except ImportError as error:
        return f"searchidx.search.searching is not importable ({error})"
    return None


# searchidx as `searchidx query --literal` ranks (whoosh, the default engine), with `--expand`,
# and the same two on a tantivy index; then the baseline
ENGINES: dict[str, Engine] = {
    "searchidx": searchidx_rankings,
    "searchidx --expand": partial(searchidx_rankings, expand=True),
    "tantivy": partial(searchidx_rankings, engine="tantivy"),
    "tantivy --expand": partial(searchidx_rankings, engine="tantivy", expand=True),
    "bm25s": bm25s_rankings,
}
SEARCHIDX = tuple(name for name in ENGINES if name != "bm25s")


def run(
    names: Sequence[str] = COLLECTIONS,
    root: Path = IR_ROOT,
    engines: dict[str, Engine] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Rank and score every collection with every engine; the result is what the JSON file holds."""
    engines = dict(ENGINES if engines is None else engines)
    log = log or _stderr
    skipped: dict[str, str] = {}
    if reason := searchidx_available():
        for name in SEARCHIDX:
            if engines.pop(name, None) is not None:
                skipped[name] = reason
    if not root.is_dir():
        return {"scores": [], "skipped": {"all": f"{root} not found"}, "collections": {}}
    scores: list[Scores] = []
    sizes: dict[str, dict[str, int]] = {}
    for name in names:
        collection = load_collection(name, root)
        sizes[name] = {
            "documents": len(collection.documents),
            "queries": len(collection.queries),
            "judged_queries": len(collection.judged_queries()),
        }
        for engine, rank in engines.items():
            started = time.perf_counter()
            rankings = rank(collection)
            result = evaluate(engine, collection, rankings, time.perf_counter() - started)
            log(
                f"relevance {name:5} {engine:18} nDCG@10 {result.ndcg10:.4f}  MAP {result.map:.4f}"
                f"  R@100 {result.recall100:.4f}  ({result.seconds:.1f} s)"
            )
            scores.append(result)
    return {
        "scores": [s.as_dict() for s in scores],
        "means": means(scores),
        "skipped": skipped,
        "collections": sizes,
    }


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def means(scores: Sequence[Scores]) -> list[dict[str, Any]]:
    """Per engine, the unweighted mean over collections (each collection counts once)."""
    out = []
    for engine in dict.fromkeys(s.engine for s in scores):
        own = [s for s in scores if s.engine == engine]
        out.append(
            {
                "engine": engine,
                "collection": "mean",
                "ndcg@10": round(mean([s.ndcg10 for s in own]), 4),
                "map": round(mean([s.map for s in own]), 4),
                "recall@100": round(mean([s.recall100 for s in own]), 4),
            }
        )
    return out


def markdown(result: dict[str, Any]) -> str:
    """The results table for docs/quality.md: one row per collection, engines side by side."""
    rows = result.get("scores", []) + result.get("means", [])
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    lines = []
    if not rows:
        lines.append("No relevance figures: " + "; ".join(result.get("skipped", {}).values()))
        return "\n".join(lines) + "\n"
    header = ["collection"] + [f"{m} {e}" for m in METRICS for e in engines]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        table.setdefault(row["collection"], {})[row["engine"]] = row
    for collection, by_engine in table.items():
        cells = [f"**{collection}**" if collection == "mean" else collection]
        for metric in METRICS:
            for engine in engines:
                value = by_engine.get(engine, {}).get(metric)
                cells.append("n/a" if value is None else f"{value:.4f}")
        lines.append("| " + " | ".join(cells) + " |")
    for engine, reason in result.get("skipped", {}).items():
        lines.append(f"\n{engine} not measured: {reason}")
    return "\n".join(lines) + "\n"
