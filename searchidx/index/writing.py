"""The engine's write interface: everything a rebuild asks of an index it writes or scans.

Documents cross it as `IndexDocument` (an `Article` plus what the rebuild keeps about it) and come
back as `StoredDocument`; no engine object does. whoosh is one implementation
(`whoosh_engine.writing`); another engine is one more (named in `engines.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

from searchidx.index import facet_tables
from searchidx.index.facet_tables import SegmentEntry
from searchidx.index.generations import current_generation, new_generation, publish, write_side_json
from searchidx.models import Article


@dataclass(frozen=True)
class IndexDocument:
    """An article as a rebuild writes it: the file's content hash it came from, and whether
    entity recognition has run on it (False: phase 2 still has to)."""

    article: Article
    content_hash: str = ""
    entities_done: bool = True


@dataclass(frozen=True)
class StoredDocument:
    """An article as the index stored it, with the content hash it was written with."""

    article: Article
    content_hash: str


class DocumentCounts(NamedTuple):
    """Live documents of a generation, and how many of them wait for their entities."""

    articles: int
    pending: int


class WorkerSegment(Protocol):
    """A segment a worker process wrote into the scratch folder (picklable, so it can come back
    to the rebuild), to be adopted by the generation's writer."""

    def delete(self, local: int) -> None:
        """Mark the segment's `local`-th document deleted (before it is adopted)."""
        ...


class GenerationWriter(Protocol):
    """The one writer of a generation: adds and deletes, then commits (or is cancelled)."""

    def add(self, document: IndexDocument) -> None: ...

    def delete(self, article_id: str) -> None:
        """Delete the committed document with this id (an add in the same writer stays)."""
        ...

    def adopt(self, segment: WorkerSegment) -> None:
        """Move a worker's segment into the generation; the next commit lists it."""
        ...

    def commit(self, merge: bool = True) -> None:
        """Make the changes durable in the generation. `merge`: let the engine merge small
        segments (and drop those whose documents were all replaced); False commits faster (the
        first publish of a rebuild)."""
        ...

    def cancel(self) -> None:
        """Drop everything since the last commit (the writer is unusable after)."""
        ...


class WriteEngine(Protocol):
    """An index engine as a rebuild sees it. Generations are folders (see `generations`); the
    engine writes and reads what is inside one."""

    @property
    def name(self) -> str:
        """What the generation meta records as its engine."""
        ...

    @property
    def schema(self) -> str:
        """A fingerprint of the fields the engine writes: a generation made under another one
        cannot be reused (a full rebuild follows)."""
        ...

    @property
    def flushes_itself(self) -> bool:
        """True when the writer bounds its own memory (writes segments out when its heap is
        full): phase 1 then commits only to publish, not to empty the writer."""
        ...

    def create(self, generation: Path) -> None:
        """Create an empty index in an empty generation folder."""
        ...

    def open_writer(self, generation: Path, memory_mb: int = 256) -> GenerationWriter: ...

    def prepare_scratch(self, scratch: Path) -> None:
        """Make an empty scratch folder ready for `write_segment` in worker processes."""
        ...

    def write_segment(self, scratch: Path, documents: list[IndexDocument]) -> WorkerSegment | None:
        """Index `documents` into a new segment under `scratch`, in a worker process, without
        touching any generation (None when there are no documents)."""
        ...

    def counts(self, generation: Path) -> DocumentCounts: ...

    def scan(
        self, generation: Path, key_of: Callable[[StoredDocument], str]
    ) -> tuple[dict[str, str], list[str]]:
        """id -> key_of(document) for every live document, and the ids whose entities are
        pending, reading one document at a time (nothing but the keys is kept)."""
        ...

    def stored_by_ids(self, generation: Path, ids: Iterable[str]) -> list[StoredDocument]:
        """The documents with these ids, in `ids` order (ids not in the index left out)."""
        ...

    def segment_values(self, generation: Path, known: set[str]) -> list[SegmentEntry]:
        """The generation's segments in document-number order, each with its facet fields'
        raw values (`facet_tables.TABLE_FIELDS`) unless its id is in `known`."""
        ...


def start_generation(engine: WriteEngine, index_path: Path, link_from: Path | None) -> Path:
    """The next generation folder: a copy (hard links) of `link_from`, else a new empty index."""
    generation = new_generation(index_path, link_from)
    if link_from is None:
        engine.create(generation)
    return generation


def write_facet_tables(engine: WriteEngine, generation: Path) -> bool:
    """Write the generation's facet tables (reading only segments it has no values of yet);
    False when that failed, which leaves the generation without tables (readers then count
    from postings) rather than failing the rebuild."""
    try:
        known = facet_tables.cached_segments(generation)
        facet_tables.write(generation, engine.segment_values(generation, known))
    except (OSError, ValueError, KeyError):
        (generation / facet_tables.MANIFEST).unlink(missing_ok=True)
        return False
    return True


def publish_generation(
    engine: WriteEngine,
    index_path: Path,
    generation: Path,
    before_switch: Callable[[], None] | None = None,
) -> None:
    """Publish a written generation (side files already in it) with its facet tables, so both
    become live at the same `CURRENT` switch."""
    write_facet_tables(engine, generation)
    publish(index_path, generation, before_switch)


def ensure_facet_tables(engine: WriteEngine, index_path: Path) -> bool:
    """Give the live generation its facet tables when it has none a reader would use (an index
    written before they existed, or an alias file replaced in place): files added beside it,
    the manifest last, so readers use them from their next open. True when tables were written."""
    live = current_generation(index_path)
    if live is None or facet_tables.has_tables(live):
        return False
    return write_facet_tables(engine, live)


def stored_live(engine: WriteEngine, index_path: Path, ids: list[str]) -> list[StoredDocument]:
    """`stored_by_ids` in the live generation ([] when there is none)."""
    live = current_generation(index_path)
    return engine.stored_by_ids(live, ids) if live is not None else []


def replace_documents(
    engine: WriteEngine,
    index_path: Path,
    documents: Iterable[IndexDocument],
    side: Mapping[str, object] | None = None,
    *,
    fresh: bool = False,
) -> Path:
    """Publish a new generation where each document replaces the one with its id (delete, then
    add: whoosh-notes trap 7), with `side` JSON files written next to it; `fresh`: start from an
    empty index instead of the live generation."""
    live = None if fresh else current_generation(index_path)
    generation = start_generation(engine, index_path, link_from=live)
    writer = engine.open_writer(generation)
    try:
        for document in documents:
            writer.delete(document.article.id)
            writer.add(document)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    for name, value in (side or {}).items():
        write_side_json(generation, name, value)
    publish_generation(engine, index_path, generation)
    return generation
