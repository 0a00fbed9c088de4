"""The whoosh implementation of `WriteEngine`: the rebuild's writer, worker segments, scans.

Merges, and the flush fix of `_KnownColumns`, are here too. whoosh has no type hints: its writer
and segments are `Any` here, and never leave this module.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL, SegmentWriter

from searchidx.index.facet_tables import COLUMNS, TABLE_FIELDS, SegmentEntry, SegmentValues
from searchidx.index.generations import hold
from searchidx.index.whoosh_engine import unpickling
from searchidx.index.whoosh_engine.docsets import postings_docs
from searchidx.index.whoosh_engine.schema import (
    EMPTY,
    SCHEMA_FINGERPRINT,
    article_document,
    article_from_stored,
    make_schema,
)
from searchidx.index.writing import (
    DocumentCounts,
    IndexDocument,
    StoredDocument,
    WorkerSegment,
)

unpickling.install()  # before any index is opened: nothing in an index runs code


def _fields(document: IndexDocument) -> dict[str, object]:
    return article_document(document.article, document.content_hash, document.entities_done)


def _stored(fields: dict[str, Any]) -> StoredDocument:
    return StoredDocument(article_from_stored(fields), str(fields.get("content_hash") or ""))


class _KnownColumns:
    """whoosh's per-document reader as its flush uses it, asking the disk only once per field
    whether a length column exists: whoosh asks on every posting of a field without one (about
    800,000 `stat` calls for Reuters-21578), and the answer cannot change during a flush."""

    def __init__(self, reader: Any):
        self._reader = reader
        self._has: dict[str, bool] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        has = self._has.get(fieldname)
        if has is None:
            has = self._has[fieldname] = self._reader.has_column(_lenfield(fieldname))
        return int(self._reader.doc_field_length(docnum, fieldname, default)) if has else default

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _with_known_columns(writer: Any) -> Any:
    original = writer.per_document_reader
    writer.per_document_reader = lambda: _KnownColumns(original())
    return writer


def no_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge nothing (a commit that must be fast: the first publish)."""
    return list(segments)


def merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """whoosh's MERGE_SMALL, after dropping segments whose documents are all deleted (the entity
    phase replaces every document once, so the text phase's segments empty out; MERGE_SMALL
    counts deleted documents and would keep them forever)."""
    alive = [s for s in segments if s.deleted_count() < s.doc_count_all()]
    return list(MERGE_SMALL(writer, alive))


@dataclass
class WhooshWorkerSegment:
    """A segment a worker wrote (no TOC lists it yet) and the folder its files are in."""

    segment: Any
    folder: str

    def delete(self, local: int) -> None:
        self.segment.delete_document(local)


class WhooshGenerationWriter:
    """whoosh's SegmentWriter on a generation, with adopted worker segments listed by the commit
    and the crash-test moment between the segment files and the TOC."""

    def __init__(self, generation: Path, memory_mb: int) -> None:
        self.generation = generation
        self._writer = _with_known_columns(
            whoosh_index.open_dir(str(generation)).writer(limitmb=memory_mb)
        )
        self._adopted: list[Any] = []
        write_toc = self._writer._commit_toc

        def with_adopted(segments: list[Any], *args: Any) -> Any:
            hold("mid-commit")  # crash tests: segment files written, the TOC not yet
            return write_toc([*segments, *self._adopted], *args)

        self._writer._commit_toc = with_adopted

    def add(self, document: IndexDocument) -> None:
        self._writer.add_document(**_fields(document))

    def delete(self, article_id: str) -> None:
        self._writer.delete_by_term("id", article_id)

    def adopt(self, segment: WorkerSegment) -> None:
        assert isinstance(segment, WhooshWorkerSegment)
        # same file system: a rename each
        for name in segment.segment.list_files(FileStorage(segment.folder)):
            os.replace(Path(segment.folder) / name, self.generation / name)
        self._adopted.append(segment.segment)

    def commit(self, merge: bool = True) -> None:
        self._writer.commit(mergetype=merge_policy if merge else no_merge)
        self._adopted = []

    def cancel(self) -> None:
        self._writer.cancel()


class WhooshWriteEngine:
    """The write side of the whoosh engine (see `writing.WriteEngine`)."""

    name = "whoosh"
    schema = SCHEMA_FINGERPRINT
    flushes_itself = False  # the pool holds everything until a commit (it never spills)

    def create(self, generation: Path) -> None:
        whoosh_index.create_in(str(generation), make_schema())

    def open_writer(self, generation: Path, memory_mb: int = 256) -> WhooshGenerationWriter:
        return WhooshGenerationWriter(generation, memory_mb)

    def prepare_scratch(self, scratch: Path) -> None:
        whoosh_index.create_in(str(scratch), make_schema())

    def write_segment(
        self, scratch: Path, documents: list[IndexDocument]
    ) -> WhooshWorkerSegment | None:
        """A new segment, without a TOC, in this process's own index folder under `scratch`
        (whoosh's temporary files must not be shared between writers)."""
        if not documents:
            return None
        folder = scratch / f"w{os.getpid()}"
        if not folder.is_dir():
            folder.mkdir()
            self.create(folder)
        writer = SegmentWriter(whoosh_index.open_dir(str(folder)), _lk=False, limitmb=256)
        _with_known_columns(writer)
        try:
            for document in documents:
                writer.add_document(**_fields(document))
            segment = writer._finalize_segment()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            raise
        writer._tempstorage.destroy()
        return WhooshWorkerSegment(segment, str(folder))

    def counts(self, generation: Path) -> DocumentCounts:
        with whoosh_index.open_dir(str(generation)).searcher() as searcher:
            pending = len(list(searcher.docs_for_query(Term("entities_done", "0"))))
            return DocumentCounts(searcher.doc_count(), pending)

    def scan(
        self, generation: Path, key_of: Callable[[StoredDocument], str]
    ) -> tuple[dict[str, str], list[str]]:
        keys: dict[str, str] = {}
        pending_ids: list[str] = []
        with whoosh_index.open_dir(str(generation)).searcher() as searcher:
            pending = set(searcher.docs_for_query(Term("entities_done", "0")))
            for docnum, fields in searcher.iter_docs():
                article_id = str(fields["id"])
                keys[article_id] = key_of(_stored(fields))
                if docnum in pending:
                    pending_ids.append(article_id)
        return keys, pending_ids

    def stored_by_ids(self, generation: Path, ids: Iterable[str]) -> list[StoredDocument]:
        with whoosh_index.open_dir(str(generation)).searcher() as searcher:
            found = []
            for article_id in ids:
                docnum = searcher.document_number(id=article_id)
                if docnum is not None:
                    found.append(_stored(dict(searcher.stored_fields(docnum))))
            return found

    def segment_values(self, generation: Path, known: set[str]) -> list[SegmentEntry]:
        """Each segment of the generation in document order, with the facet fields' values of
        the segments not in `known`: columns for the single-valued fields, the segment's own
        lexicon and postings for the entity fields (never a term another segment holds)."""
        # the TOC lists segments in document order; a segment reader (its term and column files
        # opened) only for a segment whose values are not known yet
        ix = whoosh_index.open_dir(str(generation))
        toc = ix._read_toc()
        entries = []
        for segment in toc.segments:
            segment_id = str(segment.segment_id())
            size = int(segment.doc_count_all())
            deleted = sorted(int(d) for d in segment.deleted_docs())
            values = None
            if segment_id not in known:
                with SegmentReader(ix.storage, toc.schema, segment) as leaf:
                    values = _segment_values(leaf, size)
            entries.append(SegmentEntry(segment_id, size, deleted, values))
        return entries


def _segment_values(leaf: Any, size: int) -> SegmentValues:
    fields: dict[str, dict[str, list[int]]] = {}
    for field in TABLE_FIELDS:
        found: dict[str, list[int]] = {}
        if leaf.has_column(field):
            for local, value in enumerate(leaf.column_reader(field)):
                if value and local < size:
                    found.setdefault(str(value), []).append(local)
        elif field in leaf.indexed_field_names():
            for term in leaf.lexicon(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                if value and value != EMPTY:
                    found[value] = postings_docs(leaf, field, term)
        fields[field] = found
    columns = {name: [int(v or 0) for v in leaf.column_reader(name)][:size] for name in COLUMNS}
    return SegmentValues(fields, columns)
