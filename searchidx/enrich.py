"""Phase 2 of a rebuild: recognise entities of pending articles and commit them as they come.

Runs after phase 1 has published (the articles are searchable meanwhile), under the same rebuild
lock. Articles stream from the live generation in batches to worker processes (at most a few
batches in flight, so memory stays bounded). Each batch's results go to the NER cache at once, so
an interrupted phase loses nothing; every few seconds the articles recognised so far are written
into a new generation and published (crash-safe like any other), with `entities_pending` in its
meta. Values are canonicalised with the alias table of everything known at that commit; once all
are done, the few articles whose values a later table changed are written again, so a finished
phase matches a table built over the whole index. The design is in docs/index-design.md.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from searchidx import workers
from searchidx.progress import Progress

BATCH = 64  # articles per recognition task
AHEAD_PER_JOB = 8  # recognition tasks in flight per worker: enough to keep them busy while the
# rebuild commits (a commit takes seconds; at 2 a worker the workers sat idle), memory bounded
COMMIT_SECONDS = 8.0  # publish what was recognised at most this often...
COMMIT_SHARE = 0.1  # ...and spend at most this share of the time committing (the alias table
# and the rewrite grow with the index; the workers need the cores more)
COMMIT_MAX = 2000  # ...or as soon as this many articles wait to be written (writer memory)


def _recognize_batch(items: list[tuple[str, str, str | None]]) -> list[Any]:
    from searchidx.entities import recognize

    return recognize(items)


@dataclass
class _Phase:
    """What the entity phase knows while it runs."""

    index_path: Path
    keys: dict[str, str]  # article id -> content key, every article of the index
    known: dict[str, Any]  # content key -> ArticleEntities (cache + recognised now)
    overrides: Any
    pending: int
    written: dict[str, int] = field(default_factory=dict)  # id -> hash of the values written
    commit_cost: float = 0.0  # seconds the last commit took
    waiting: list[dict[str, Any]] = field(default_factory=list)  # stored fields to write
    last_commit: float = field(default_factory=time.monotonic)

    def table(self) -> Any:
        from searchidx.entities import AliasTable

        return AliasTable.build(self.known.values(), self.overrides)


def _values_hash(entities: Any) -> int:
    return hash((entities.people, entities.organisations, entities.places))


def _content_key(stored: dict[str, Any]) -> str:
    from searchidx.entities import content_key

    return content_key(str(stored.get("title", "")), str(stored.get("body", "")))


def _stored_batches(index_path: Path, ids: list[str]) -> Iterator[list[dict[str, Any]]]:
    """Stored fields of `ids`, BATCH at a time, read from whatever generation is live then."""
    from searchidx.store import stored_by_ids

    chunk = BATCH * 8
    for start in range(0, len(ids), chunk):
        stored = stored_by_ids(index_path, ids[start : start + chunk])
        for offset in range(0, len(stored), BATCH):
            yield stored[offset : offset + BATCH]


def fill_entities(index_path: Path, *, jobs: int, progress: Progress) -> int:
    """Recognise entities of every article still marked pending; return how many remain (0)."""
    from searchidx.entities import EntityCache, read_overrides
    from searchidx.entities.overrides import overrides_path
    from searchidx.indexer import hold
    from searchidx.store import current_generation, scan_documents

    live = current_generation(index_path)
    assert live is not None
    progress.stage("looking for articles without entities")
    keys, pending_ids = scan_documents(live, _content_key)
    if not pending_ids:
        return 0
    cache = EntityCache(index_path)
    try:
        phase = _Phase(index_path, keys, cache.get_many(list(keys.values())),
                       read_overrides(overrides_path(index_path)), len(pending_ids))
        progress.start("entities", len(pending_ids), unit="articles")

        def tasks() -> Iterator[tuple[tuple[list[dict[str, Any]], list[str]], Any]]:
            for batch in _stored_batches(index_path, pending_ids):
                todo = [s for s in batch if keys[str(s["id"])] not in phase.known]
                items = [(str(s["title"]), str(s["body"]), s.get("language") or None)
                         for s in todo]
                yield (batch, [keys[str(s["id"])] for s in todo]), (items or None)

        recognize = _recognize_batch  # looked up now, so a test can slow it down
        ahead = jobs * AHEAD_PER_JOB
        for (batch, todo), found in workers.map_ahead(recognize, tasks(), jobs, ahead):
            if found:
                fresh = dict(zip(todo, found, strict=True))
                cache.put_many(fresh)  # durable now: an interruption keeps this batch
                phase.known.update(fresh)
            phase.waiting.extend(batch)
            progress.advance(len(batch))
            hold("entities")
            waited = time.monotonic() - phase.last_commit
            due = max(COMMIT_SECONDS, phase.commit_cost / COMMIT_SHARE)
            if len(phase.waiting) >= COMMIT_MAX or waited >= due:
                progress.pause(f"publishing {len(phase.waiting):,} articles' entities")
                _commit(phase, progress)
                progress.resume()
        _commit(phase, progress)
        progress.finish()
        _settle(phase, progress)
    finally:
        cache.close()
    return phase.pending


def _commit(phase: _Phase, progress: Progress) -> None:
    """Write the waiting articles with their entities into a new generation and publish it."""
    if not phase.waiting:
        return
    started = time.monotonic()
    table = phase.table()
    documents = []
    for stored in phase.waiting:
        entities = table.apply(phase.known[phase.keys[str(stored["id"])]])
        phase.written[str(stored["id"])] = _values_hash(entities)
        documents.append(_document(stored, entities))
    phase.pending -= len(phase.waiting)
    _publish(phase, documents, table)
    phase.waiting = []
    phase.last_commit = time.monotonic()
    phase.commit_cost = phase.last_commit - started


def _settle(phase: _Phase, progress: Progress) -> None:
    """Rewrite the articles whose canonical values the final alias table changed."""
    from searchidx.store import stored_by_ids

    table = phase.table()
    stale = [article_id for article_id, written in phase.written.items()
             if _values_hash(table.apply(phase.known[phase.keys[article_id]])) != written]
    progress.stage(f"final alias table: {len(stale):,} articles to update")
    documents = []
    for start in range(0, len(stale), COMMIT_MAX):
        for stored in stored_by_ids(phase.index_path, stale[start : start + COMMIT_MAX]):
            documents.append(_document(stored, table.apply(phase.known[
                phase.keys[str(stored["id"])]])))
    # One generation for the fix-ups and the final table (a few percent of the articles); its
    # commit drops the text phase's segments, whose documents have all been replaced.
    _publish(phase, documents, table)
    progress.finish()


def _document(stored: dict[str, Any], entities: Any) -> dict[str, object]:
    from searchidx.schema import article_document, article_from_stored

    article = replace(
        article_from_stored(stored),
        people=entities.people,
        organisations=entities.organisations,
        places=entities.places,
    )
    return article_document(article, str(stored.get("content_hash", "")), entities_done=True)


def _publish(phase: _Phase, documents: list[dict[str, object]], table: Any,
             optimize: bool = False) -> None:
    from searchidx.entities import ALIASES_FILE
    from searchidx.indexer import META_NAME
    from searchidx.store import current_generation, read_side_json, replace_documents

    live = current_generation(phase.index_path)
    assert live is not None
    meta = read_side_json(live, META_NAME, {})
    replace_documents(phase.index_path, documents, {
        META_NAME: {**meta, "entities_pending": phase.pending},
        ALIASES_FILE: table.to_json(),
    }, optimize=optimize)
    gc.collect()  # the writer's pool is a web of cycles: free it before the next batches arrive
