"""Phase 2 of a rebuild: recognise entities of pending articles and commit them as they come.

Runs after phase 1 has published (the articles are searchable meanwhile), under the same rebuild
lock. Articles stream from the live generation in batches to an executor (rebuild/executors.py:
the built-in worker processes, or a Dask cluster with `--cluster`), at most a few batches in
flight, so memory stays bounded; they count as they come back, in whatever order. Each batch's
results go to the NER cache at once, so an interrupted phase loses nothing; every few seconds
the articles recognised so far are written into a new generation and published (crash-safe like
any other), with `entities_pending` in its meta. Values are canonicalised with the alias table
of everything known at that commit; once all are done, the few articles whose values a later
table changed are written again, so a finished phase matches a table built over the whole index.
The same settling runs with nothing pending when the alias table may have changed (the user's
alias file, or articles deleted): the table is rebuilt from the cache, with no NER, and only
articles whose canonical values differ are rewritten. The design is in docs/index-design.md.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from searchidx.corpus.valid_unicode import scrub_article
from searchidx.errors import ClusterError
from searchidx.index.generations import (
    META_NAME,
    current_generation,
    hold,
    read_side_json,
    write_side_json,
)
from searchidx.index.writing import (
    IndexDocument,
    StoredDocument,
    WriteEngine,
    replace_documents,
    stored_live,
)
from searchidx.models import Article
from searchidx.rebuild.executors import Executor, open_executor, run_bounded
from searchidx.rebuild.progress import ProgressReporter

if TYPE_CHECKING:  # spaCy is imported where entities are recognised: a no-op rebuild never needs it
    from searchidx.entities import AliasTable, ArticleEntities, Overrides

BATCH = 64  # articles per recognition task
AHEAD_PER_JOB = 8  # recognition tasks in flight per worker: enough to keep them busy while the
# rebuild commits (a commit takes seconds; at 2 a worker the workers sat idle), memory bounded
COMMIT_SECONDS = 8.0  # publish what was recognised at most this often...
COMMIT_SHARE = 0.1  # ...and spend at most this share of the time committing (the alias table
# and the rewrite grow with the index; the workers need the cores more)
COMMIT_MAX = 2000  # ...or as soon as this many articles wait to be written (writer memory)
ALIASES_STAMP = "aliases_stamp"  # meta key: the alias file's content hash the values were made with
ALIASES_TABLE = "aliases_table"  # meta key: fingerprint of the table the index's values follow
_Batch = tuple[list[StoredDocument], list[str]]  # documents, content keys to recognise in them
_Texts = list[tuple[str, str, str | None]]  # what recognition reads: title, body, language


def _recognize_batch(
    items: list[tuple[str, str, str | None]],
) -> list[ArticleEntities | None]:
    from searchidx.entities import recognize

    return list(recognize(items))  # None, from the executor: this text killed its worker twice


@dataclass
class _Phase:
    """What the entity phase knows while it runs."""

    engine: WriteEngine
    index_path: Path
    keys: dict[str, str]  # article id -> content key, every article of the index
    known: dict[str, ArticleEntities]  # content key -> entities (cache + recognised now)
    overrides: Overrides
    pending: int
    stamp: str  # aliases_stamp() of the alias file in use
    meta: dict[str, object]  # the live generation's meta (the phase is its only writer)
    written: dict[str, int] = field(default_factory=dict)  # id -> hash of the values written
    commit_cost: float = 0.0  # seconds the last commit took
    waiting: list[StoredDocument] = field(default_factory=list)  # to write with their entities
    last_commit: float = field(default_factory=time.monotonic)

    def table(self) -> AliasTable:
        from searchidx.entities import AliasTable

        # one entry per article, not per text: two articles with the same text are two articles
        # to the facets and filters, so they must be two to the table's counts as well
        per_article = (self.known[key] for key in self.keys.values() if key in self.known)
        return AliasTable.build(per_article, self.overrides)


def _values_hash(entities: ArticleEntities) -> int:
    return hash((entities.people, entities.organisations, entities.places))


def _stored_entities(article: Article) -> ArticleEntities:
    """The values an article was written with, sorted as `AliasTable.apply` sorts them."""
    from searchidx.entities import ArticleEntities

    return ArticleEntities(
        people=tuple(sorted(article.people)),
        organisations=tuple(sorted(article.organisations)),
        places=tuple(sorted(article.places)),
    )


def aliases_stamp(overrides_file: Path | None) -> str:
    """What the alias table depends on besides the articles: the user's alias file, by content."""
    if overrides_file is None:
        return "none"
    try:
        return hashlib.sha256(overrides_file.read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"  # read_overrides says why, in words, when the table is built


def _table_fingerprint(table: AliasTable) -> str:
    text = json.dumps(table.to_json(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _content_key(article: Article) -> str:
    from searchidx.entities import content_key

    return content_key(article.title, article.body)


def _stored_batches(
    engine: WriteEngine, index_path: Path, ids: list[str]
) -> Iterator[list[StoredDocument]]:
    """The documents of `ids`, BATCH at a time, read from whatever generation is live then.

    Text is made valid Unicode here: an index written before the readers checked it may hold
    lone surrogates, which spaCy cannot take; the document is written back repaired."""
    chunk = BATCH * 8
    for start in range(0, len(ids), chunk):
        stored = [
            replace(s, article=scrub_article(s.article, keep_id=True)[0])
            for s in stored_live(engine, index_path, ids[start : start + chunk])
        ]
        for offset in range(0, len(stored), BATCH):
            yield stored[offset : offset + BATCH]


def fill_entities(
    engine: WriteEngine,
    index_path: Path,
    *,
    jobs: int,
    progress: ProgressReporter,
    aliases_file: Path | None = None,
    cluster: str | None = None,
) -> int:
    """Recognise entities of every article still marked pending, then bring every article's
    values in line with the alias table; return how many articles remain pending (0).

    Recognition runs in `jobs` worker processes here, or on the Dask cluster `cluster` names
    (`tcp://host:8786`, `local:N`); a lost cluster raises ClusterError after publishing what
    came back (the NER cache keeps it too, so the next rebuild resumes).

    With nothing pending and the alias file as it was when the live generation's values were
    made (its meta says so), it returns at once: a no-op rebuild reads no document.
    """
    from searchidx.entities import EntityCache, read_overrides
    from searchidx.entities.overrides import overrides_path

    live = current_generation(index_path)
    assert live is not None
    overrides_file = overrides_path(index_path, aliases_file)
    stamp = aliases_stamp(overrides_file)
    meta = read_side_json(live, META_NAME, {})
    # Phase 1 writes a fresh meta without the stamp: any change of the articles is checked too.
    if not int(meta.get("entities_pending", 1)) and meta.get(ALIASES_STAMP) == stamp:
        return 0
    overrides = read_overrides(overrides_file)
    progress.stage("looking for articles without entities")
    written: dict[str, ArticleEntities] = {}  # id -> values as stored, for articles already done

    def key_and_values(stored: StoredDocument) -> str:
        written[stored.article.id] = _stored_entities(stored.article)
        return _content_key(stored.article)

    keys, pending_ids = engine.scan(live, key_and_values)
    for article_id in pending_ids:
        del written[article_id]
    cache = EntityCache(index_path)
    try:
        phase = _Phase(
            engine,
            index_path,
            keys,
            cache.get_many(list(keys.values())),
            overrides,
            len(pending_ids),
            stamp,
            meta,
        )
        for article_id, values in written.items():
            # An article the cache has lost (its file deleted) counts with its stored values.
            phase.known.setdefault(keys[article_id], values)
            phase.written[article_id] = _values_hash(values)
        written.clear()
        if not pending_ids:
            _settle(phase, progress, str(meta.get(ALIASES_TABLE, "")))
            return 0
        # The model loads in the workers with their first batch (~15 s for spaCy): a step of its
        # own, so the entity bar starts with the first articles done, at an honest rate.
        if any(keys[i] not in phase.known for i in pending_ids):
            progress.stage("loading the entity model")
        bar = False

        def tasks() -> Iterator[tuple[_Batch, _Texts | None]]:
            for batch in _stored_batches(engine, index_path, pending_ids):
                todo = [s.article for s in batch if keys[s.article.id] not in phase.known]
                items = [(a.title, a.body, a.language or None) for a in todo]
                yield (batch, [keys[a.id] for a in todo]), (items or None)

        def start() -> Executor:
            if cluster is None:
                return open_executor(None, jobs, AHEAD_PER_JOB)
            progress.pause(f"connecting to the Dask cluster {cluster}")
            executor = open_executor(cluster, jobs, AHEAD_PER_JOB)
            progress.resume()
            return executor

        recognize = _recognize_batch  # looked up now, so a test can slow it down
        try:
            for (batch, todo), found in run_bounded(start, recognize, tasks()):
                if found:
                    fresh = _recognized(todo, found, batch, keys, progress)
                    cache.put_many(fresh)  # durable now: an interruption keeps this batch
                    phase.known.update(fresh)
                phase.waiting.extend(batch)
                if not bar:
                    progress.finish()  # the model has loaded
                    progress.start("entities", len(pending_ids), unit="articles")
                    bar = True
                progress.advance(len(batch))
                hold("entities")
                waited = time.monotonic() - phase.last_commit
                due = max(COMMIT_SECONDS, phase.commit_cost / COMMIT_SHARE)
                if len(phase.waiting) >= COMMIT_MAX or waited >= due:
                    progress.pause(f"publishing {len(phase.waiting):,} articles' entities")
                    _commit(phase, progress)
                    progress.resume()
        except ClusterError:
            progress.pause(f"publishing {len(phase.waiting):,} articles' entities")
            _commit(phase, progress)  # what came back before the cluster went is kept
            raise
        _commit(phase, progress)
        progress.finish()
        _settle(phase, progress)
    finally:
        cache.close()
    return phase.pending


def _recognized(
    todo: list[str],
    found: list[ArticleEntities | None],
    batch: list[StoredDocument],
    keys: dict[str, str],
    progress: ProgressReporter,
) -> dict[str, ArticleEntities]:
    """Content key -> entities of a batch's recognised texts. An article whose recognition
    killed its worker twice (the executor gave None: spaCy out of memory on it, say) is named
    and gets no entities, so the phase goes on."""
    from searchidx.entities import ArticleEntities

    fresh = dict(zip(todo, found, strict=True))
    for stored in batch:
        key = keys[stored.article.id]
        if key in fresh and fresh[key] is None:
            fresh[key] = ArticleEntities()
            progress.warn(
                f"{stored.article.path} (article {stored.article.id}): entity recognition "
                "killed its worker twice; the article stays searchable without entities"
            )
    return {key: entities or ArticleEntities() for key, entities in fresh.items()}


def _commit(phase: _Phase, progress: ProgressReporter) -> None:
    """Write the waiting articles with their entities into a new generation and publish it."""
    if not phase.waiting:
        return
    started = time.monotonic()
    table = phase.table()
    documents = []
    for stored in phase.waiting:
        entities = table.apply(phase.known[phase.keys[stored.article.id]])
        phase.written[stored.article.id] = _values_hash(entities)
        documents.append(_document(stored, entities))
    phase.pending -= len(phase.waiting)
    _publish(phase, documents, table)
    phase.waiting = []
    phase.last_commit = time.monotonic()
    phase.commit_cost = phase.last_commit - started


def _settle(phase: _Phase, progress: ProgressReporter, published_table: str | None = None) -> None:
    """Rewrite the articles whose canonical values the final alias table changed, COMMIT_MAX a
    generation; the last one records the alias file's stamp, so a crash before it means the
    next rebuild checks again. With `published_table` (the fingerprint the live meta records)
    and nothing to rewrite under the same table, nothing is published."""
    table = phase.table()
    fingerprint = _table_fingerprint(table)
    stale = [
        article_id
        for article_id, written in phase.written.items()
        if _values_hash(table.apply(phase.known[phase.keys[article_id]])) != written
    ]
    progress.stage(f"alias table: {len(stale):,} articles to update")
    if not stale and published_table == fingerprint:
        _stamp_live(phase, fingerprint)
        return
    # The first generation holds the text phase's last fix-ups; its commit (and later ones) drop
    # the text phase's segments, whose documents have all been replaced.
    chunks = [stale[start : start + COMMIT_MAX] for start in range(0, len(stale), COMMIT_MAX)]
    for number, chunk in enumerate(chunks or [[]], start=1):
        documents = [
            _document(stored, table.apply(phase.known[phase.keys[stored.article.id]]))
            for stored in stored_live(phase.engine, phase.index_path, chunk)
        ]
        _publish(phase, documents, table, fingerprint if number == len(chunks or [[]]) else None)
    progress.finish()


def _document(stored: StoredDocument, entities: ArticleEntities) -> IndexDocument:
    article = replace(
        stored.article,
        people=entities.people,
        organisations=entities.organisations,
        places=entities.places,
    )
    return IndexDocument(article, stored.content_hash, entities_done=True)


def _stamp_live(phase: _Phase, fingerprint: str) -> None:
    """Record in the live meta that its values follow this alias file and table (both as they
    were): no new generation for a side file (replaced atomically, as the story state is)."""
    live = current_generation(phase.index_path)
    assert live is not None
    write_side_json(
        live, META_NAME, {**phase.meta, ALIASES_STAMP: phase.stamp, ALIASES_TABLE: fingerprint}
    )


def _publish(
    phase: _Phase,
    documents: list[IndexDocument],
    table: AliasTable,
    fingerprint: str | None = None,
) -> None:
    """Publish `documents` (replacing theirs) with `table` as aliases.json; `fingerprint` set:
    this is the last generation of the phase, and its meta says which alias file and table the
    values follow now."""
    from searchidx.entities import ALIASES_FILE

    meta = {**phase.meta, "entities_pending": phase.pending}
    if fingerprint is not None:
        meta.update({ALIASES_STAMP: phase.stamp, ALIASES_TABLE: fingerprint})
    replace_documents(
        phase.engine,
        phase.index_path,
        documents,
        {
            META_NAME: meta,
            ALIASES_FILE: table.to_json(),
        },
    )
    phase.meta = meta
    gc.collect()  # the writer's pool is a web of cycles: free it before the next batches arrive
