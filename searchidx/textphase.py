"""Phase 1 of a rebuild, the per-file part: read changed files (streamed through worker processes
when there are many) and turn each outcome into writer calls and a manifest entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from searchidx import workers
from searchidx.config import ReadSettings
from searchidx.manifest import Change, FileState, Manifest
from searchidx.models import Problem, ReadResult
from searchidx.schema import article_document

PARALLEL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
READ_BATCH = 16  # files per task sent to a worker: one round trip for many small files
AHEAD_PER_JOB = 4  # read tasks in flight per worker: enough to never starve the writer, and
# bounded, so a writer slower than the readers never makes the whole corpus pile up in memory


def read_all(
    changes: list[Change], root: Path, settings: ReadSettings, jobs: int
) -> Iterator[tuple[Change, str, ReadResult | None, str | None]]:
    """Read the changed files in walk order, in worker processes when there are many."""

    def task(change: Change) -> workers.Task:
        previous = change.previous.content_hash if change.previous else None
        return (str(change.path), str(root), previous, settings)

    if jobs > 1 and len(changes) >= PARALLEL_MIN_FILES:
        batches = (changes[i : i + READ_BATCH] for i in range(0, len(changes), READ_BATCH))
        items = ((batch, [task(c) for c in batch]) for batch in batches)
        for batch, outcomes in workers.map_ahead(workers.read_many, items, jobs,
                                                 jobs * AHEAD_PER_JOB):
            assert outcomes is not None
            for change, (content_hash, result, error) in zip(batch, outcomes, strict=True):
                yield change, content_hash, result, error
        return
    for change in changes:
        yield (change, *workers.read_one(task(change)))


def interim_manifest(new: Manifest, remaining: Iterable[Change]) -> Manifest:
    """The manifest of a generation published before every file was read: files not read yet
    keep their previous state (their old articles are still in it), so the next rebuild reads
    them again; files new to the index are simply absent."""
    files = {c.rel: c.previous for c in remaining if c.previous is not None}
    files.update(new.files)
    return Manifest(files=files, walk_problems=new.walk_problems)


def apply(
    writer: Any,
    change: Change,
    content_hash: str,
    result: ReadResult | None,
    error: str | None,
    new: Manifest,
    owners: dict[str, str],
    report: Any,
) -> int:
    """Record one file's outcome in the writer and the new manifest; return the characters of
    text added (what the writer's memory grows with)."""
    previous = change.previous
    if error is None and result is None and previous is not None:
        # Touched but the same bytes: keep its articles, remember the new size and mtime.
        new.files[change.rel] = FileState(change.size, change.mtime_ns, content_hash,
                                          previous.ids, previous.problems)
        for article_id in previous.ids:
            owners[article_id] = change.rel
        report.unchanged += 1
        return 0
    if previous is not None:
        for article_id in previous.ids:  # delete then add: whoosh-notes trap 7
            writer.delete_by_term("id", article_id)
    state = FileState(change.size, change.mtime_ns, content_hash)
    added = 0
    if error is not None:
        state.problems.append((error, True))
    else:
        assert result is not None
        for article in result.articles:
            holder = owners.get(article.id)
            if holder is not None and holder != change.rel:
                state.problems.append((f"article id {article.id} is also in {holder}", False))
                continue
            owners[article.id] = change.rel
            writer.add_document(**article_document(article, content_hash, entities_done=False))
            state.ids.append(article.id)
            added += len(article.body or "") + len(article.title or "")
        state.problems.extend((p.reason, p.skipped) for p in result.problems)
    new.files[change.rel] = state
    report.new_problems.extend(Problem(change.rel, r, s) for r, s in state.problems)
    if state.failed and not state.ids:
        report.failed += 1
    elif previous is None:
        report.indexed += 1
    else:
        report.updated += 1
    return added
