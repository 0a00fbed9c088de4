"""Document numbers <-> tantivy addresses in an open generation.

The engine numbers the live documents 0..n-1 in tantivy's (segment, local id) order. When
tantivy's meta.json records no deleted document, a document's number is its segment's start
plus its local id: nothing is read to number them, and a new process answers without listing
every document (216k: ~0.4 s to list them, ~0.2 s more to map them). With deleted documents,
every live address is listed once and mapped, as before.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

import tantivy

from searchidx.index.tantivy_engine.writing import live_addresses


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
        self._numbers: dict[tuple[int, int], int] = {}
        if self._starts is None:
            self._addresses = live_addresses(searcher)
            self._numbers = {(a.segment_ord, a.doc): n for n, a in enumerate(self._addresses)}

    @property
    def listed(self) -> bool:
        """Whether the addresses were listed (a generation with deleted documents)."""
        return self._starts is None

    def numbers(self, hits: Sequence[tuple[object, tantivy.DocAddress]]) -> list[int]:
        starts = self._starts
        if starts is not None:
            return [starts[a.segment_ord] + a.doc for _, a in hits]
        numbers = self._numbers
        return [numbers[(a.segment_ord, a.doc)] for _, a in hits]

    def address(self, doc: int) -> tantivy.DocAddress:
        if not 0 <= doc < self.size:
            raise IndexError(f"no document {doc}")
        if self._addresses is not None:
            return self._addresses[doc]
        assert self._starts is not None
        segment = bisect_right(self._starts, doc) - 1
        return tantivy.DocAddress(segment, doc - self._starts[segment])

    def addresses(self) -> list[tantivy.DocAddress]:
        """Every live document's address, by number (built once when first asked for)."""
        if self._addresses is None:
            assert self._starts is not None
            ends = [*self._starts[1:], self.size]
            self._addresses = [
                tantivy.DocAddress(segment, local)
                for segment, (start, end) in enumerate(zip(self._starts, ends, strict=True))
                for local in range(end - start)
            ]
        return self._addresses
