"""The entity phase of a rebuild: fill in people / organisations / places of pending articles.

Runs after the text phase has published (articles are searchable meanwhile), under the same
rebuild lock. Recognition results go to the NER cache batch by batch, so an interrupted phase
loses nothing: the next rebuild finds them in the cache. Values are written canonicalised with
the alias table built over every article of the index; that table goes to `aliases.json`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from searchidx import workers
from searchidx.progress import Progress

BATCH = 64  # articles per recognition task
COMMIT_EVERY = 4000  # articles rewritten per published generation


def _recognize_batch(items: list[tuple[str, str, str | None]]) -> list[Any]:
    from searchidx.entities import recognize

    return recognize(items)


def fill_entities(index_path: Path, *, jobs: int, progress: Progress) -> int:
    """Recognise entities of every article still marked pending; return how many remain."""
    from searchidx.entities import ALIASES_FILE, AliasTable, EntityCache, content_key
    from searchidx.entities.overrides import overrides_path
    from searchidx.indexer import META_NAME, hold
    from searchidx.schema import article_document, article_from_stored
    from searchidx.store import (
        current_generation,
        read_side_json,
        replace_documents,
        stored_documents,
    )

    live = current_generation(index_path)
    assert live is not None
    keys: dict[str, str] = {}  # article id -> content key, for the whole index
    for stored in stored_documents(live):
        keys[str(stored["id"])] = content_key(str(stored.get("title", "")),
                                              str(stored.get("body", "")))
    pending = stored_documents(live, pending_only=True)
    if not pending:
        return 0
    cache = EntityCache(index_path)
    try:
        known = cache.get_many(list(keys.values()))
        todo = [s for s in pending if keys[str(s["id"])] not in known]
        batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
        items = [[(str(s["title"]), str(s["body"]), s.get("language") or None) for s in batch]
                 for batch in batches]
        progress.start("entities", len(todo), unit="articles")
        if jobs > 1 and len(batches) > 1:
            results = workers.map_in_workers(_recognize_batch, items, jobs, chunksize=1)
        else:
            results = map(_recognize_batch, items)
        for batch, found in zip(batches, results, strict=True):
            fresh = {keys[str(s["id"])]: e for s, e in zip(batch, found, strict=True)}
            cache.put_many(fresh)  # durable now: an interruption keeps this batch
            known.update(fresh)
            progress.advance(len(batch))
            hold("entities")
        progress.finish()
        progress.stage("writing entities")
        per_article = [known[k] for k in set(keys.values()) if k in known]
        table = AliasTable.build(per_article, overrides_path(index_path))
        meta = read_side_json(live, META_NAME, {})
        for start in range(0, len(pending), COMMIT_EVERY):
            chunk = pending[start : start + COMMIT_EVERY]
            documents = []
            for stored in chunk:
                entities = table.apply(known[keys[str(stored["id"])]])
                article = replace(
                    article_from_stored(stored),
                    people=entities.people,
                    organisations=entities.organisations,
                    places=entities.places,
                )
                documents.append(article_document(
                    article, str(stored.get("content_hash", "")), entities_done=True))
            remaining = len(pending) - start - len(chunk)
            replace_documents(index_path, documents, {
                META_NAME: {**meta, "entities_pending": remaining},
                ALIASES_FILE: table.to_json(),
            })
        progress.finish()
    finally:
        cache.close()
    return 0
