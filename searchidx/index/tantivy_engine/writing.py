"""The tantivy implementation of `WriteEngine`: the rebuild's writer, worker segments, scans.

Worker processes read, analyse and index articles into small tantivy indexes of their own in the
rebuild's scratch folder; the generation adopts their segments (hard links, listed in its
meta.json and .managed.json), so the rebuild process does no per-document work. tantivy never
rewrites a file (deletes go to new `.del` files, meta.json is replaced by a rename), so a
generation's hard-linked copy of the live one's `tantivy/` folder leaves the live one untouched:
a crash keeps it answering.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from searchidx.index.facet_tables import COLUMNS, TABLE_FIELDS, SegmentEntry, SegmentValues
from searchidx.index.generations import hold, write_atomic
from searchidx.index.tantivy_engine.schema import (
    FAST_KEYWORDS,
    SCHEMA_FINGERPRINT,
    SUBDIR,
    article_document,
    article_from_stored,
    make_schema,
)
from searchidx.index.writing import DocumentCounts, IndexDocument, StoredDocument, WorkerSegment

# tantivy's writer threads: the machine's other work (worker processes, readers) needs the rest
WRITER_THREADS = 1
MIN_HEAP_MB = 20  # tantivy refuses a heap under 15 MB a thread
# a worker's writer: one chunk (textphase.SEGMENT_BYTES of files) fits, so it writes one segment
WORKER_HEAP_MB = 48


def index_folder(generation: Path) -> Path:
    return generation / SUBDIR


def open_tantivy(generation: Path) -> tantivy.Index:
    return tantivy.Index(make_schema(), path=str(index_folder(generation)), reuse=True)


def live_addresses(searcher: tantivy.Searcher) -> list[tantivy.DocAddress]:
    """Every live document's address, in (segment, local) order: the engine's numbering."""
    total = searcher.num_docs
    if not total:
        return []
    hits = searcher.search(tantivy.Query.all_query(), limit=total, count=False).hits
    addresses = [address for _, address in hits]
    addresses.sort(key=lambda a: (a.segment_ord, a.doc))
    return addresses


def generation_id(generation: Path) -> str:
    """An id for the index's content: its segments and their deletes, from tantivy's meta."""
    meta = (index_folder(generation) / "meta.json").read_bytes()
    parsed = json.loads(meta)
    parts = [
        (s.get("segment_id"), (s.get("deletes") or {}).get("opstamp")) for s in parsed["segments"]
    ]
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def iter_stored(generation: Path) -> Iterator[dict[str, list[Any]]]:
    index = open_tantivy(generation)
    searcher = index.searcher()
    for address in live_addresses(searcher):
        yield searcher.doc(address).to_dict()


def _stored(fields: dict[str, list[Any]]) -> StoredDocument:
    hashes = fields.get("content_hash") or [""]
    return StoredDocument(article_from_stored(fields), str(hashes[0]))


@dataclass
class TantivyWorkerSegment:
    """The segments a worker wrote into its own index in the scratch folder (picklable): the
    generation's writer adopts them. `keys`: each document's (id, path), in the order added."""

    folder: str
    segments: list[dict[str, Any]]
    keys: list[tuple[str, str]]
    deleted: set[int] = field(default_factory=set)

    def delete(self, local: int) -> None:
        self.deleted.add(local)


class TantivyGenerationWriter:
    """The one tantivy writer of a generation; a merging commit waits for tantivy's merges."""

    def __init__(self, generation: Path, memory_mb: int) -> None:
        self.generation = generation
        self._index = open_tantivy(generation)
        self._heap = max(memory_mb, MIN_HEAP_MB) * 1_000_000
        self._writer: tantivy.IndexWriter | None = None

    def _open(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=self._heap, num_threads=WRITER_THREADS)
        return self._writer

    def add(self, document: IndexDocument) -> None:
        doc = article_document(document.article, document.content_hash, document.entities_done)
        self._open().add_document(doc)

    def delete(self, article_id: str) -> None:
        self._open().delete_documents_by_term("id", article_id)

    def adopt(self, segment: WorkerSegment) -> None:
        """Add a worker's segments to the generation: what this writer holds is committed first
        (deletes of a changed file's old articles must not reach its new ones), then the files
        are linked in and listed in meta.json and .managed.json (tantivy's list of the files it
        may delete once no segment uses them), and the index is opened again to read both."""
        assert isinstance(segment, TantivyWorkerSegment)
        if not segment.segments:
            return
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        folder, source = index_folder(self.generation), Path(segment.folder)
        # a segment's files are named <its id without dashes>.<kind>
        ids = {str(entry["segment_id"]).replace("-", "") for entry in segment.segments}
        names = [path.name for path in source.iterdir() if path.name.split(".", 1)[0] in ids]
        for name in names:
            os.link(source / name, folder / name)
        managed_path = folder / ".managed.json"
        managed = json.loads(managed_path.read_text(encoding="utf-8"))
        # a new file then a rename: the generation's files are hard links shared with the live one
        write_atomic(managed_path, json.dumps(sorted(set(managed) | set(names)), indent=2))
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        meta["segments"].extend(segment.segments)
        write_atomic(folder / "meta.json", json.dumps(meta, indent=2))
        shutil.rmtree(source, ignore_errors=True)  # its files live on as the links
        self._index = open_tantivy(self.generation)
        if segment.deleted:  # an article id another file holds already: that copy goes
            schema = make_schema()
            writer = self._open()
            for local in sorted(segment.deleted):
                article_id, rel = segment.keys[local]
                both = [
                    (tantivy.Occur.Must, tantivy.Query.term_query(schema, "id", article_id)),
                    (tantivy.Occur.Must, tantivy.Query.term_query(schema, "path", rel)),
                ]
                writer.delete_documents_by_query(tantivy.Query.boolean_query(both))

    def commit(self, merge: bool = True) -> None:
        writer = self._open()
        hold("mid-commit")  # crash tests: nothing of this commit is in meta.json yet
        writer.commit()
        if merge:
            writer.wait_merging_threads()  # consumes the writer: the next change opens one
            self._writer = None

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None


class TantivyWriteEngine:
    """The write side of the tantivy engine (see `writing.WriteEngine`)."""

    name = "tantivy"
    schema = SCHEMA_FINGERPRINT
    flushes_itself = True  # tantivy writes a segment whenever its heap is full

    def create(self, generation: Path) -> None:
        index_folder(generation).mkdir()
        open_tantivy(generation)

    def open_writer(self, generation: Path, memory_mb: int = 256) -> TantivyGenerationWriter:
        return TantivyGenerationWriter(generation, memory_mb)

    def prepare_scratch(self, scratch: Path) -> None:
        """Nothing to prepare: each worker chunk makes its own index in the folder."""

    def write_segment(
        self, scratch: Path, documents: list[IndexDocument]
    ) -> TantivyWorkerSegment | None:
        """Index `documents` into a new index of their own in `scratch` (in a worker)."""
        if not documents:
            return None
        folder = Path(tempfile.mkdtemp(prefix="chunk-", dir=scratch))
        writer = tantivy.Index(make_schema(), path=str(folder)).writer(
            heap_size=WORKER_HEAP_MB * 1_000_000, num_threads=1
        )
        for document in documents:
            article = document.article
            writer.add_document(
                article_document(article, document.content_hash, document.entities_done)
            )
        writer.commit()
        writer.wait_merging_threads()
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        keys = [(d.article.id, d.article.path) for d in documents]
        return TantivyWorkerSegment(str(folder), meta["segments"], keys)

    def counts(self, generation: Path) -> DocumentCounts:
        searcher = open_tantivy(generation).searcher()
        pending_query = tantivy.Query.term_query(make_schema(), "entities_done", "0")
        found = searcher.search(pending_query, limit=1, count=True)
        pending = getattr(found, "count", 0)  # set when counted (the stub lacks it)
        return DocumentCounts(searcher.num_docs, int(pending or 0))

    def scan(
        self, generation: Path, key_of: Callable[[StoredDocument], str]
    ) -> tuple[dict[str, str], list[str]]:
        keys: dict[str, str] = {}
        pending: list[str] = []
        for fields in iter_stored(generation):
            stored = _stored(fields)
            keys[stored.article.id] = key_of(stored)
            if (fields.get("entities_done") or ["1"])[0] == "0":
                pending.append(stored.article.id)
        return keys, pending

    def stored_by_ids(self, generation: Path, ids: Iterable[str]) -> list[StoredDocument]:
        searcher = open_tantivy(generation).searcher()
        schema = make_schema()
        found = []
        for article_id in ids:
            query = tantivy.Query.term_query(schema, "id", article_id)
            hits = searcher.search(query, limit=1, count=False).hits
            if hits:
                found.append(_stored(searcher.doc(hits[0][1]).to_dict()))
        return found

    def segment_values(self, generation: Path, known: set[str]) -> list[SegmentEntry]:
        """The generation as one segment of its live documents, numbered as the reader numbers
        them (tantivy's own segment sizes are not exposed), with its values unless known."""
        segment_id = generation_id(generation)
        searcher = open_tantivy(generation).searcher()
        addresses = live_addresses(searcher)
        if segment_id in known:
            return [SegmentEntry(segment_id, len(addresses), [], None)]
        return [SegmentEntry(segment_id, len(addresses), [], table_values(searcher, addresses))]


def _numbering(addresses: list[tantivy.DocAddress]) -> dict[int, array[int]]:
    """segment -> its local document -> the reader's number (`addresses` in reader order)."""
    numbering: dict[int, array[int]] = {}
    for number, address in enumerate(addresses):
        segment = numbering.get(address.segment_ord)
        if segment is None:
            segment = numbering[address.segment_ord] = array("q")
        missing = address.doc + 1 - len(segment)
        if missing > 0:
            segment.extend([-1] * missing)
        segment[address.doc] = number
    return numbering


def table_values(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> SegmentValues:
    """The facet tables' values of the live documents (`addresses`, in reader order): fast
    fields (one sorted search a field, no stored document read) for outlet, year, month and
    the columns; stored documents only for entity fields that hold any term."""
    fields: dict[str, dict[str, list[int]]] = {name: {} for name in TABLE_FIELDS}
    total = len(addresses)
    numbering = _numbering(addresses)
    everything = tantivy.Query.all_query()
    for name in FAST_KEYWORDS:
        found: list[str | None] = [None] * total
        hits = searcher.search(everything, limit=total, count=False, order_by_field=name).hits
        for value, address in hits:
            found[numbering[address.segment_ord][address.doc]] = value
        table = fields[name]
        for local, one in enumerate(found):
            if one:
                table.setdefault(str(one), []).append(local)
    # the other fields (entities) from stored documents, unless no document has a value
    stored = [
        n
        for n in TABLE_FIELDS
        if n not in FAST_KEYWORDS and searcher.terms_with_prefix(n, "", limit=1)
    ]
    for local, address in enumerate(addresses if stored else []):
        document = searcher.doc(address).to_dict()
        for name in stored:
            for one in document.get(name) or []:
                if one:
                    fields[name].setdefault(str(one), []).append(local)
    columns = {
        name: [int(v or 0) for v in searcher.fast_field_values(name, addresses)] for name in COLUMNS
    }
    return SegmentValues(fields, columns)
