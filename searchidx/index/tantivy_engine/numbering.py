"""Document numbers <-> tantivy addresses in an open generation.

The engine numbers the live documents 0..n-1 in tantivy's (segment, local id) order. When
tantivy's meta.json records no deleted document, a document's number is its segment's start
plus its local id: nothing is read to number them, and a new process answers without listing
every document. With deleted documents, every live address is listed once (one search of all
documents) into a sorted array of (segment, local id) keys: a key's position is its number
(numpy, instead of a dict of 216k tuples: ~0.2 s less at 216k).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import tantivy

LOCAL_BITS = 32  # a key is segment << 32 | local id (tantivy's local ids are u32)


def segment_starts(folder: Path, searcher: tantivy.Searcher) -> list[int] | None:
    """Each segment's first number when no segment holds a deleted document and meta.json
    describes exactly the searcher's segments; None otherwise (the addresses are listed)."""
    try:
        segments = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["segments"]
        sizes = [int(s["max_doc"]) for s in segments]
        deleted = sum(int((s.get("deletes") or {}).get("num_deleted_docs", 0)) for s in segments)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if deleted or len(sizes) != searcher.num_segments or sum(sizes) != searcher.num_docs:
        return None
    starts, at = [], 0
    for size in sizes:
        starts.append(at)
        at += size
    return starts


class Numbering:
    """The open generation's document numbers (see the module docstring)."""

    def __init__(self, folder: Path, searcher: tantivy.Searcher) -> None:
        self.size = int(searcher.num_docs)
        self._starts = segment_starts(folder, searcher)
        self._addresses: list[tantivy.DocAddress] | None = None
        self._keys: npt.NDArray[np.int64] = np.zeros(0, np.int64)
        if self._starts is None and self.size:
            every = tantivy.Query.all_query()
            hits = searcher.search(every, limit=self.size, count=False).hits
            self._keys = np.sort(_keys(hits))

    @property
    def listed(self) -> bool:
        """Whether the addresses were listed (a generation with deleted documents)."""
        return self._starts is None

    def numbers(self, hits: Sequence[tuple[object, tantivy.DocAddress]]) -> list[int]:
        starts = self._starts
        if starts is not None:
            return [starts[a.segment_ord] + a.doc for _, a in hits]
        found: list[int] = np.searchsorted(self._keys, _keys(hits)).tolist()
        return found

    def address(self, doc: int) -> tantivy.DocAddress:
        if not 0 <= doc < self.size:
            raise IndexError(f"no document {doc}")
        if self._addresses is not None:
            return self._addresses[doc]
        if self._starts is None:
            key = int(self._keys[doc])
            return tantivy.DocAddress(key >> LOCAL_BITS, key & ((1 << LOCAL_BITS) - 1))
        segment = bisect_right(self._starts, doc) - 1
        return tantivy.DocAddress(segment, doc - self._starts[segment])

    def addresses(self) -> list[tantivy.DocAddress]:
        """Every live document's address, by number (built once when first asked for)."""
        if self._addresses is None and self._starts is None:
            self._addresses = [self.address(doc) for doc in range(self.size)]
        if self._addresses is None:
            assert self._starts is not None
            ends = [*self._starts[1:], self.size]
            self._addresses = [
                tantivy.DocAddress(segment, local)
                for segment, (start, end) in enumerate(zip(self._starts, ends, strict=True))
                for local in range(end - start)
            ]
        return self._addresses


def _keys(hits: Sequence[tuple[object, tantivy.DocAddress]]) -> npt.NDArray[np.int64]:
    return np.fromiter(
        ((a.segment_ord << LOCAL_BITS) | a.doc for _, a in hits), dtype=np.int64, count=len(hits)
    )
