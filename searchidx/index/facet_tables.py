"""Facet tables: each facet field's values and document -> value ids, written with a generation.

A new process counts facets from these tables (numpy, memory-mapped) instead of walking the
posting list of every value. Nothing here knows an engine: an engine supplies each of its
segments' raw stored values (`SegmentValues`), kept once per segment (`facets-seg2-<id>.npz`,
hard-linked into later generations like the segment itself), and `write` combines them, every
time a generation is published, into the generation's tables, with the alias table applied:

    facets.json                      version, segments [[id, size]], aliases.json's stat, fields
    facets.<field>.values.json       the displayed (canonical) values, sorted; id = position
    facets.<field>.raw.json          [[stored value, id]]: every stored variant and its value
    facets.<field>.offsets.npy       int64, documents + 1: a document's ids are ids[o[d]:o[d+1]]
    facets.<field>.ids.npy           int32 value ids, by document then id (deleted documents: none)
    facets.live.npy                  bool per document: not deleted
    columns.<name>.npy               int64 per document: `day`, `published_ts` (date order)

Document numbers are the engine's: segments in order, each numbered from the sum of the sizes
(deleted documents included) before it. `open_tables` checks the segments and the alias file
against the generation, so a stale or missing table is never used (callers fall back to the
postings).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from searchidx.index.generations import hold
from searchidx.index.value_table import IntArray, ValueTable, _csr, _pairs
from searchidx.models import ENTITY_FIELDS

__all__ = [
    "TABLE_FIELDS",
    "SegmentEntry",
    "SegmentValues",
    "Tables",
    "ValueTable",
    "alias_maps",
    "cached_segments",
    "has_tables",
    "open_tables",
    "table_from_values",
    "write",
]

TABLE_FIELDS = ("outlet", "year", "month", *ENTITY_FIELDS)
VERSION = 2
# numeric columns kept beside the tables, for date order and day ranges (engine's doc numbers)
COLUMNS = ("day", "published_ts")
MANIFEST = "facets.json"
ALIASES = "aliases.json"
SEGMENT_PREFIX = f"facets-seg{VERSION}-"  # the format in the name: an older file is not read


def alias_maps(table: object) -> dict[str, dict[str, str]]:
    """Per entity field, each lowercased name or variant -> its canonical name, from a
    generation's aliases.json as the entity phase wrote it (empty for a missing or odd file)."""
    maps: dict[str, dict[str, str]] = {}
    for kind in ENTITY_FIELDS:
        section = table.get(kind) if isinstance(table, dict) else None
        maps[kind] = (
            {str(k).lower(): str(v) for k, v in section.items()}
            if isinstance(section, dict)
            else {}
        )
    return maps


@dataclass(frozen=True)
class SegmentValues:
    """One segment's raw stored values per tabled field: value -> local document numbers (deleted
    documents included; a generation drops them)."""

    fields: Mapping[str, Mapping[str, Iterable[int]]]
    columns: Mapping[str, Sequence[int]] = dataclasses.field(
        default_factory=dict
    )  # one value a document

    def save(self, path: Path) -> None:
        arrays: dict[str, npt.NDArray[Any]] = {}
        names: dict[str, list[str]] = {}
        for name, column in self.columns.items():
            arrays[f"column.{name}"] = np.asarray(column, dtype=np.int64)
        for field, docs_of in self.fields.items():
            names[field] = sorted(docs_of)
            docs, ids = _pairs((docs_of[v] for v in names[field]), len(names[field]))
            arrays[f"{field}.docs"], arrays[f"{field}.ids"] = docs, ids
        arrays["names"] = np.frombuffer(json.dumps(names).encode("utf-8"), dtype=np.uint8)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
        os.replace(tmp, path)

    @staticmethod
    def load(path: Path) -> Loaded:
        """field -> (values, local documents, value ids), and the columns, as `save` wrote them."""
        with np.load(path) as data:
            names = json.loads(data["names"].tobytes().decode("utf-8"))
            fields = {f: (names[f], data[f"{f}.docs"], data[f"{f}.ids"]) for f in names}
            columns = {k.split(".", 1)[1]: data[k] for k in data.files if k.startswith("column.")}
            return Loaded(fields, columns)


class Loaded(NamedTuple):
    fields: dict[str, tuple[list[str], IntArray, IntArray]]
    columns: dict[str, IntArray]


@dataclass(frozen=True)
class SegmentEntry:
    """A segment of a generation as the engine numbers it: its id, size (deleted documents
    included), deleted local numbers, and its values (None when the generation has them)."""

    id: str
    size: int
    deleted: Sequence[int]
    values: SegmentValues | None


def _segment_file(generation: Path, segment_id: str) -> Path:
    return generation / f"{SEGMENT_PREFIX}{segment_id}.npz"


def cached_segments(generation: Path) -> set[str]:
    """Ids of the segments whose values the generation already holds."""
    return {
        p.name[len(SEGMENT_PREFIX) : -len(".npz")]
        for p in generation.glob(f"{SEGMENT_PREFIX}*.npz")
    }


def _aliases_stat(generation: Path) -> list[int] | None:
    try:
        found = (generation / ALIASES).stat()
    except FileNotFoundError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ino]


def _aliases_digest(generation: Path) -> str | None:
    try:
        return hashlib.sha1((generation / ALIASES).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _write_file(path: Path, data: bytes) -> None:
    # a new inode: the previous generation's hard link keeps its own content
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _save_array(path: Path, array: npt.NDArray[Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        np.save(handle, array)
    os.replace(tmp, path)


# A rebuild publishes many generations sharing most segments and often the alias file: what
# was read for one is kept for the next (a segment's values never change; the alias file is
# known by its stat). Bounded, and per process.
_SEGMENTS: dict[str, Loaded] = {}
_ALIAS_MAPS: dict[str, tuple[list[int] | None, dict[str, dict[str, str]]]] = {}
_KEEP_SEGMENTS = 64


def _loaded(generation: Path, segment_id: str) -> Loaded:
    found = _SEGMENTS.get(segment_id)
    if found is None:
        found = SegmentValues.load(_segment_file(generation, segment_id))
        if len(_SEGMENTS) >= _KEEP_SEGMENTS:
            _SEGMENTS.pop(next(iter(_SEGMENTS)))
        _SEGMENTS[segment_id] = found
    return found


def _aliases(generation: Path) -> dict[str, dict[str, str]]:
    stat = _aliases_stat(generation)
    kept = _ALIAS_MAPS.get("last")
    if kept is not None and stat is not None and kept[0] == stat:
        return kept[1]
    try:
        maps = alias_maps(json.loads((generation / ALIASES).read_text(encoding="utf-8")))
    except FileNotFoundError:
        maps = alias_maps(None)
    _ALIAS_MAPS["last"] = (stat, maps)
    return maps


def write(generation: Path, segments: Sequence[SegmentEntry]) -> None:
    """Write the generation's tables from its segments (values of the new ones saved first),
    the generation's aliases.json applied to the entity fields. The manifest goes last."""
    (generation / MANIFEST).unlink(missing_ok=True)
    wanted = {s.id for s in segments}
    for stale in cached_segments(generation) - wanted:
        _segment_file(generation, stale).unlink(missing_ok=True)
    for older in generation.glob("facets-seg*.npz"):
        if not older.name.startswith(SEGMENT_PREFIX):
            older.unlink()
    for segment in segments:
        if segment.values is not None:
            segment.values.save(_segment_file(generation, segment.id))
    loaded = [_loaded(generation, s.id) for s in segments]
    starts = np.cumsum([0, *[s.size for s in segments]])
    size = int(starts[-1])
    live = np.ones(size, dtype=bool)
    for segment, start in zip(segments, starts, strict=False):
        live[np.asarray(segment.deleted, dtype=np.int64) + start] = False
    aliases = _aliases(generation)
    _save_array(generation / "facets.live.npy", live)
    for name in COLUMNS:
        pieces = [
            _sized(p.columns.get(name), g.size) for p, g in zip(loaded, segments, strict=False)
        ]
        column = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
        _save_array(generation / f"columns.{name}.npy", column)
    for field in TABLE_FIELDS:
        parts = [(int(at), p.fields.get(field)) for at, p in zip(starts, loaded, strict=False)]
        values, raw, offsets, ids = _combine(parts, live, aliases.get(field))
        stem = f"facets.{field}"
        _write_file(generation / f"{stem}.values.json", json.dumps(values).encode("utf-8"))
        _write_file(generation / f"{stem}.raw.json", json.dumps(raw).encode("utf-8"))
        _save_array(generation / f"{stem}.offsets.npy", offsets)
        _save_array(generation / f"{stem}.ids.npy", ids)
    hold("tables")  # crash tests: every table file written, the manifest not yet
    manifest = {
        "version": VERSION,
        "segments": [[s.id, s.size] for s in segments],
        "aliases": _aliases_stat(generation),
        "aliases_sha1": _aliases_digest(generation),
        "fields": list(TABLE_FIELDS),
    }
    _write_file(generation / MANIFEST, json.dumps(manifest).encode("utf-8"))


def _sized(column: IntArray | None, size: int) -> IntArray:
    """A segment's column, `size` long (0 for documents without a value)."""
    found = np.zeros(size, dtype=np.int64)
    if column is not None:
        found[: min(size, len(column))] = column[:size]
    return found


def _combine(
    parts: list[tuple[int, tuple[list[str], IntArray, IntArray] | None]],
    live: npt.NDArray[np.bool_],
    aliases: Mapping[str, str] | None,
) -> tuple[list[str], list[tuple[str, int]], IntArray, npt.NDArray[np.int32]]:
    """One field's displayed values, [stored variant, id] pairs, offsets and ids. Entity fields
    (`aliases` given) show each value under its canonical name, one row per name whatever its
    case, spelled as the first stored variant (in sorted order) naming it."""
    present = sorted({v for _, part in parts if part for v in part[0]})
    position = {v: i for i, v in enumerate(present)}
    docs_parts, raw_parts = [], []
    for start, part in parts:
        if part is None or not part[0]:
            continue
        names, docs, ids = part
        local = np.fromiter((position[v] for v in names), dtype=np.int64, count=len(names))
        docs_parts.append(np.asarray(docs, dtype=np.int64) + start)
        raw_parts.append(local[np.asarray(ids, dtype=np.int64)])
    docs = np.concatenate(docs_parts) if docs_parts else np.zeros(0, np.int64)
    raws = np.concatenate(raw_parts) if raw_parts else np.zeros(0, np.int64)
    kept = live[docs]
    docs, raws = docs[kept], raws[kept]
    used = np.bincount(raws, minlength=len(present)) > 0
    display: dict[str, str] = {}  # lowercased canonical -> shown form
    shown_as: dict[str, str] = {}
    for value, is_used in zip(present, used.tolist(), strict=True):
        if not is_used:
            continue
        if aliases is None:
            shown_as[value] = value
            continue
        canonical = aliases.get(value.lower(), value)
        shown_as[value] = display.setdefault(canonical.lower(), canonical)
    values = sorted(set(shown_as.values()))
    value_id = {v: i for i, v in enumerate(values)}
    mapping = np.fromiter(
        (value_id.get(shown_as.get(v, ""), 0) for v in present), dtype=np.int64, count=len(present)
    )
    offsets, value_ids = _csr(len(live), docs, mapping[raws], len(values))
    raw = [(v, value_id[s]) for v, s in shown_as.items()]
    return values, raw, offsets, value_ids


def table_from_values(
    size: int, docs_of: Mapping[str, Iterable[int]], aliases: Mapping[str, str] | None = None
) -> ValueTable:
    """The table `write` would give for value -> live documents (an engine's postings), with
    `aliases` (lowercased name -> canonical) applied as for an entity field."""
    names = sorted(docs_of)
    docs, ids = _pairs((docs_of[v] for v in names), len(names))
    live = np.ones(size, dtype=bool)
    values, raw, offsets, value_ids = _combine([(0, (names, docs, ids))], live, aliases)
    return ValueTable(values, offsets, value_ids, dict(raw))


class Tables:
    """A generation's written tables, each field's arrays memory-mapped when first asked for."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        self._fields: dict[str, ValueTable] = {}

    def field(self, name: str) -> ValueTable | None:
        if name not in TABLE_FIELDS:
            return None
        if name not in self._fields:
            stem = self.generation / f"facets.{name}"
            values = json.loads(Path(f"{stem}.values.json").read_text(encoding="utf-8"))
            offsets = np.load(f"{stem}.offsets.npy", mmap_mode="r")
            ids = np.load(f"{stem}.ids.npy", mmap_mode="r")
            self._fields[name] = _LazyRawTable(values, offsets, ids, Path(f"{stem}.raw.json"))
        return self._fields[name]

    def live(self) -> frozenset[int]:
        """The live (not deleted) document numbers."""
        live = np.load(self.generation / "facets.live.npy", mmap_mode="r")
        return frozenset(np.flatnonzero(live).tolist())

    def column(self, name: str) -> list[int] | None:
        """A numeric column's value of every document (deleted ones included), if written."""
        found = self.column_array(name)
        return None if found is None else list(found.tolist())

    def column_array(self, name: str) -> IntArray | None:
        """`column` as an int64 array."""
        if name not in COLUMNS:
            return None
        return np.asarray(np.load(self.generation / f"columns.{name}.npy"), dtype=np.int64)


class _LazyRawTable(ValueTable):
    """A written table whose stored variants are read only when a name is resolved."""

    def __init__(
        self, values: list[str], offsets: npt.NDArray[Any], ids: npt.NDArray[Any], raw_path: Path
    ) -> None:
        super().__init__(values, offsets, ids)
        self._raw_path = raw_path

    def raw(self) -> Mapping[str, int]:
        if self._raw is None:
            pairs = json.loads(self._raw_path.read_text(encoding="utf-8"))
            self._raw = {str(v): int(i) for v, i in pairs}
        return self._raw


def _manifest(generation: Path) -> dict[str, Any] | None:
    """The tables' manifest when it is of this format and follows the present alias file."""
    try:
        manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != VERSION:
        return None
    if manifest.get("aliases") != _aliases_stat(generation):
        # aliases.json replaced after the tables were written, or the index copied (cp -a, a
        # backup restored: new inodes): the content decides, when the manifest records it
        digest = manifest.get("aliases_sha1")
        if digest is None or digest != _aliases_digest(generation):
            return None
    return manifest


def has_tables(generation: Path) -> bool:
    """Whether the generation holds tables a reader would use (segments are not checked: an
    engine never changes a published generation's segments)."""
    return _manifest(generation) is not None


def open_tables(generation: Path, segments: Sequence[tuple[str, int]]) -> Tables | None:
    """The generation's tables when they were written for exactly these segments (id, size) and
    its present alias file; None otherwise (no tables, an older format, or stale)."""
    manifest = _manifest(generation)
    if manifest is None or manifest.get("segments") != [[i, n] for i, n in segments]:
        return None
    return Tables(generation)
