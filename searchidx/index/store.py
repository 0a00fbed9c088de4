"""The index folder on disk: generations of whoosh segments behind an atomic CURRENT pointer.

Layout (see docs/index-design.md):
    <index>/CURRENT          name of the live generation folder, replaced atomically
    <index>/LOCK             held (flock) by the one running rebuild, holds its pid
    <index>/gen-NNNNNN/      a complete whoosh index plus side files (manifest, aliases, meta)
A rebuild writes a new generation (hard-linking unchanged segment files of the live one), then
switches CURRENT with a rename. A crash at any moment leaves CURRENT naming a complete generation.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from math import log
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.searching import Searcher

from searchidx.errors import IndexCorrupt, IndexMissing
from searchidx.index.whoosh_engine.schema import make_schema

CURRENT = "CURRENT"
GEN_PREFIX = "gen-"
SCRATCH_PREFIX = ".scratch-"  # segments written by worker processes, not yet adopted


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write a small file so that readers see the old or the new content, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def current_generation(index_path: Path) -> Path | None:
    try:
        name = (index_path / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return index_path / name if name else None


def generations(index_path: Path) -> list[Path]:
    if not index_path.is_dir():
        return []
    return sorted(p for p in index_path.iterdir() if p.name.startswith(GEN_PREFIX) and p.is_dir())


def new_generation(index_path: Path, link_from: Path | None) -> Path:
    """Create the next generation folder; with `link_from`, hard-link its files into it.

    whoosh never rewrites a segment file (deletions live in the TOC), so the links are safe.
    """
    index_path.mkdir(parents=True, exist_ok=True)
    existing = generations(index_path)
    number = int(existing[-1].name[len(GEN_PREFIX) :]) + 1 if existing else 1
    target = index_path / f"{GEN_PREFIX}{number:06d}"
    target.mkdir()
    if link_from is None:
        whoosh_index.create_in(str(target), make_schema())
    else:
        for item in link_from.iterdir():
            # whoosh's write lock is an flock on the file: a shared inode would share the lock
            if item.is_file() and not item.name.endswith(("LOCK", ".lock", ".tmp")):
                try:
                    os.link(item, target / item.name)
                except OSError:
                    shutil.copy2(item, target / item.name)
    return target


def publish(
    index_path: Path, generation: Path, before_switch: Callable[[], None] | None = None
) -> None:
    """Make `generation` the live one (after everything in it is on disk), drop old ones.

    `before_switch` runs once the generation is durable but before CURRENT moves (a test hook).
    """
    previous = current_generation(index_path)
    for item in generation.iterdir():
        if item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(generation)
    if before_switch is not None:
        before_switch()
    write_atomic(index_path / CURRENT, generation.name + "\n")
    prune(index_path, keep=previous)


def prune(index_path: Path, keep: Path | None = None) -> None:
    """Remove every generation but the live one and `keep` (the one open readers may still use).

    Generations newer than the live one are leftovers of a rebuild that died before publishing.
    """
    live = current_generation(index_path)
    for folder in generations(index_path):
        if folder != live and folder != keep:
            shutil.rmtree(folder, ignore_errors=True)
    for leftover in index_path.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    for scratch in index_path.glob(f"{SCRATCH_PREFIX}*"):
        if scratch.name != f"{SCRATCH_PREFIX}{os.getpid()}":  # not the running rebuild's own
            shutil.rmtree(scratch, ignore_errors=True)


def clean_stale(index_path: Path) -> None:
    """Drop what a killed rebuild left behind: unpublished generations and temporary files.

    Call only with the rebuild lock held. The live generation and the one before it stay.
    """
    live = current_generation(index_path)
    if live is None:
        for folder in generations(index_path):
            shutil.rmtree(folder, ignore_errors=True)
        return
    live_number = _number(live)
    older = [g for g in generations(index_path) if _number(g) < live_number]
    prune(index_path, keep=older[-1] if older else None)


def _number(generation: Path) -> int:
    return int(generation.name[len(GEN_PREFIX) :])


def read_side_json(generation: Path, name: str, default: Any = None) -> Any:
    try:
        return json.loads((generation / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def write_side_json(generation: Path, name: str, value: Any) -> None:
    write_atomic(generation / name, json.dumps(value, ensure_ascii=False, default=str))


BM25_K1 = 1.2
BM25_B = 0.75


class Bm25(scoring.BM25F):  # type: ignore[misc]
    """whoosh's BM25F with the BM25 idf of Lucene and bm25s, log(1 + (N - n + 0.5) / (n + 0.5)).

    whoosh keeps the TF-IDF idf, log(N / (n + 1)) + 1, under which a word in most articles still
    weighs at least 1: long pasted queries then rank by their common words. Measured on four IR
    collections in docs/quality.md (Relevance).
    """

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return log(1 + (total - n + 0.5) / (n + 0.5))


def ranking_model(k1: float = BM25_K1, b: float = BM25_B) -> Any:
    """How the index's searcher scores relevance-ordered searches."""
    return Bm25(B=b, K1=k1)


class Index:
    """A readable index: the live generation, reopened when a rebuild publishes a new one."""

    def __init__(self, path: Path):
        self.path = path
        self._generation: Path | None = None
        self._ix: Any = None
        self._searcher: Searcher | None = None
        self.cache: dict[str, Any] = {}  # per-searcher caches (facet doc sets, lexicons)
        self.refresh()

    @property
    def generation(self) -> Path:
        assert self._generation is not None
        return self._generation

    def refresh(self) -> bool:
        """Follow CURRENT; True when a newer generation was opened."""
        live = current_generation(self.path)
        if live is None:
            raise IndexMissing(f"no index at {self.path}: run `searchidx rebuild CORPUS`")
        if live == self._generation:
            return False
        try:
            ix = whoosh_index.open_dir(str(live))
            searcher = ix.searcher(weighting=ranking_model())
        except Exception as error:  # whoosh raises many kinds
            raise IndexCorrupt(f"cannot open the index at {live}: {error}") from error
        if self._searcher is not None:
            self._searcher.close()
        self._generation, self._ix, self._searcher = live, ix, searcher
        self.cache = {}
        return True

    def searcher(self) -> Searcher:
        assert self._searcher is not None
        return self._searcher

    def whoosh(self) -> Any:
        return self._ix

    def side_json(self, name: str, default: Any = None) -> Any:
        key = f"side:{name}"
        if key not in self.cache:
            self.cache[key] = read_side_json(self.generation, name, default)
        return self.cache[key]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


def open_index(path: Path | None) -> Index:
    """Open the index at `path`; IndexMissing (exit 3) when there is none."""
    if path is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    if current_generation(path) is None:
        raise IndexMissing(f"no index at {path}: run `searchidx rebuild CORPUS --index {path}`")
    return Index(path)


def scan_documents(
    generation: Path, key_of: Callable[[dict[str, Any]], str]
) -> tuple[dict[str, str], list[str]]:
    """id -> key_of(stored fields) for every live document, and the ids whose entities are
    pending, reading one document at a time (nothing but the keys is kept)."""
    from whoosh.query import Term

    keys: dict[str, str] = {}
    pending_ids: list[str] = []
    ix = whoosh_index.open_dir(str(generation))
    with ix.searcher() as searcher:
        pending = set(searcher.docs_for_query(Term("entities_done", "0")))
        for docnum, stored in searcher.iter_docs():
            article_id = str(stored["id"])
            keys[article_id] = key_of(stored)
            if docnum in pending:
                pending_ids.append(article_id)
    return keys, pending_ids


def stored_by_ids(index_path: Path, ids: list[str]) -> list[dict[str, Any]]:
    """Stored fields of the documents with these ids in the live generation, in `ids` order
    (ids no longer in the index are left out)."""
    live = current_generation(index_path)
    if live is None:
        return []
    ix = whoosh_index.open_dir(str(live))
    with ix.searcher() as searcher:
        found = []
        for article_id in ids:
            docnum = searcher.document_number(id=article_id)
            if docnum is not None:
                found.append(dict(searcher.stored_fields(docnum)))
        return found


class _KnownColumns:
    """whoosh's per-document reader as its flush uses it, asking the disk only once per field
    whether a length column exists: whoosh asks on every posting of a field without one (about
    800,000 `stat` calls for Reuters-21578), and the answer cannot change during a flush."""

    def __init__(self, reader: Any):
        self._reader = reader
        self._has: dict[str, bool] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        from whoosh.codec.whoosh3 import _lenfield

        has = self._has.get(fieldname)
        if has is None:
            has = self._has[fieldname] = self._reader.has_column(_lenfield(fieldname))
        return int(self._reader.doc_field_length(docnum, fieldname, default)) if has else default

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def open_writer(generation: Path, limitmb: int = 256) -> Any:
    """A whoosh writer on `generation` (the one writer of a rebuild), with the flush fix above."""
    writer = whoosh_index.open_dir(str(generation)).writer(limitmb=limitmb)
    original = writer.per_document_reader
    writer.per_document_reader = lambda: _KnownColumns(original())
    return writer


def write_segment(scratch: Path, documents: list[dict[str, Any]]) -> tuple[Any, str] | None:
    """Index `documents` into a new segment, without a TOC, in this process's own index folder
    under `scratch` (made by the rebuild with `new_scratch`; whoosh's temporary files must not be
    shared between writers). Return the segment and its folder (None for no documents). Worker
    processes call this; the rebuild's one writer adopts the segment."""
    from whoosh.writing import SegmentWriter

    if not documents:
        return None
    folder = scratch / f"w{os.getpid()}"
    if not folder.is_dir():
        folder.mkdir()
        whoosh_index.create_in(str(folder), make_schema())
    writer = SegmentWriter(whoosh_index.open_dir(str(folder)), _lk=False, limitmb=256)
    original = writer.per_document_reader
    writer.per_document_reader = lambda: _KnownColumns(original())
    try:
        for document in documents:
            writer.add_document(**document)
        segment = writer._finalize_segment()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    writer._tempstorage.destroy()
    return segment, str(folder)


def new_scratch(index_path: Path) -> Path:
    """An empty index folder where worker processes write segments before they are adopted."""
    scratch = index_path / f"{SCRATCH_PREFIX}{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    whoosh_index.create_in(str(scratch), make_schema())
    return scratch


def adopt_segment(written: tuple[Any, str], generation: Path) -> Any:
    """Move a worker's segment files (as `write_segment` returned them) into `generation` (same
    file system: a rename each) and return the segment; the next commit's TOC lists it."""
    from whoosh.filedb.filestore import FileStorage

    segment, folder = written
    for name in segment.list_files(FileStorage(folder)):
        os.replace(Path(folder) / name, generation / name)
    return segment


def no_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge nothing (a commit that must be fast: the first publish)."""
    return list(segments)


def count_documents(generation: Path) -> tuple[int, int]:
    """(live documents, documents whose entities are pending) of a generation."""
    from whoosh.query import Term

    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        pending = len(list(searcher.docs_for_query(Term("entities_done", "0"))))
        return searcher.doc_count(), pending


def merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """whoosh's MERGE_SMALL, after dropping segments whose documents are all deleted (the entity
    phase replaces every document once, so the text phase's segments empty out; MERGE_SMALL
    counts deleted documents and would keep them forever)."""
    from whoosh.writing import MERGE_SMALL

    alive = [s for s in segments if s.deleted_count() < s.doc_count_all()]
    return list(MERGE_SMALL(writer, alive))


def replace_documents(
    index_path: Path,
    documents: list[dict[str, Any]],
    side: dict[str, Any],
    optimize: bool = False,
) -> Path:
    """Publish a new generation where each document replaces the one with its id (delete, then
    add: whoosh-notes trap 7), with `side` JSON files written next to it; `optimize` merges every
    segment into one (and drops deleted documents) before publishing."""
    live = current_generation(index_path)
    generation = new_generation(index_path, link_from=live)
    writer = open_writer(generation)
    try:
        for document in documents:
            writer.delete_by_term("id", document["id"])
            writer.add_document(**document)
        writer.commit(optimize=optimize, mergetype=None if optimize else merge_policy)
    except BaseException:
        writer.cancel()
        raise
    for name, value in side.items():
        write_side_json(generation, name, value)
    publish(index_path, generation)
    return generation
