"""`ValueTable`: one facet's values and which documents carry which, counted with numpy.

Neutral: the tables a generation carries (`facet_tables`) load into one, a generation without
them builds one from postings, and a facet kept outside the index (user tags) can build one from
document -> values. Counting is a bincount over the matched documents' value ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["IntArray", "ValueTable"]

IntArray = npt.NDArray[np.int64]


class ValueTable:
    """One facet's values and which documents carry which (CSR: `offsets`, `ids`). Counting is
    a bincount over the matched documents' ids. Built from a written table, from postings, or
    from any document -> values source (a facet kept outside the index)."""

    def __init__(
        self,
        values: Sequence[str],
        offsets: npt.NDArray[Any],
        ids: npt.NDArray[Any],
        raw: Mapping[str, int] | None = None,
    ) -> None:
        self.values = list(values)
        self.offsets = offsets
        self.ids = ids
        self._raw = raw
        self._index: dict[str, int] | None = None
        self._rows: npt.NDArray[Any] | None = None

    @classmethod
    def from_docs(cls, size: int, docs_of: Mapping[str, Iterable[int]]) -> ValueTable:
        """A table of `size` documents from value -> its documents."""
        values = sorted(docs_of)
        docs, ids = _pairs((docs_of[v] for v in values), len(values))
        return cls(values, *_csr(size, docs, ids, len(values)))

    @property
    def size(self) -> int:
        return len(self.offsets) - 1

    def index(self) -> dict[str, int]:
        """Displayed value -> its id."""
        if self._index is None:
            self._index = {v: i for i, v in enumerate(self.values)}
        return self._index

    def raw(self) -> Mapping[str, int]:
        """Every stored variant -> the id of the value it is shown as."""
        return self._raw if self._raw is not None else self.index()

    def rows(self) -> npt.NDArray[Any]:
        """The document of each entry of `ids`."""
        if self._rows is None:
            lengths = np.diff(np.asarray(self.offsets))
            self._rows = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        return self._rows

    def counts(self, docs: Iterable[int]) -> npt.NDArray[np.int64]:
        """How many of `docs` carry each value (indexed by value id)."""
        chosen = _array(docs)
        chosen = chosen[chosen < self.size]
        if len(chosen) * 8 < self.size:  # a few documents: gather their slices
            starts = np.asarray(self.offsets[chosen], dtype=np.int64)
            lengths = np.asarray(self.offsets[chosen + 1], dtype=np.int64) - starts
            ends = np.cumsum(lengths)
            positions = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
            positions += np.repeat(starts - (ends - lengths), lengths)
            found = np.asarray(self.ids[positions], dtype=np.int64)
        else:
            mask = np.zeros(self.size, dtype=bool)
            mask[chosen] = True
            found = np.asarray(self.ids, dtype=np.int64)[mask[self.rows()]]
        return np.bincount(found, minlength=len(self.values)).astype(np.int64)

    def docs(self, value_ids: Iterable[int]) -> frozenset[int]:
        """The documents carrying any of these values."""
        wanted = np.zeros(len(self.values) + 1, dtype=bool)
        wanted[_array(value_ids)] = True
        hit = wanted[np.asarray(self.ids, dtype=np.int64)]
        # a mask, not np.unique: an outlet every document holds (216k rows) took 0.16 s to unique
        carried = np.zeros(self.size, dtype=bool)
        carried[self.rows()[hit]] = True
        return frozenset(np.flatnonzero(carried).tolist())


# The last document set made an array: a search counts every facet over the same set (the
# TUI's first screen: all 216k documents, six facets), made into an array once, not six times.
_last: tuple[frozenset[int] | None, IntArray] = (None, np.zeros(0, np.int64))


def _array(numbers: Iterable[int]) -> IntArray:
    global _last
    if isinstance(numbers, np.ndarray):
        return numbers.astype(np.int64, copy=False)
    kept, kept_array = _last
    if kept is numbers:
        return kept_array
    listed = numbers if isinstance(numbers, (list, tuple, set, frozenset)) else list(numbers)
    array = np.fromiter(listed, dtype=np.int64, count=len(listed))
    if isinstance(numbers, frozenset) and len(numbers) > 1000:
        array.setflags(write=False)
        _last = (numbers, array)
    return array


def _pairs(members: Iterable[Iterable[int]], count: int) -> tuple[IntArray, IntArray]:
    """(documents, value ids) of value -> documents lists, the value id being the position."""
    docs, ids = [], []
    for vid, found in enumerate(members):
        array = _array(found)
        docs.append(array)
        ids.append(np.full(len(array), vid, dtype=np.int64))
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(docs), np.concatenate(ids)


def _csr(
    size: int, docs: IntArray, ids: IntArray, count: int
) -> tuple[IntArray, npt.NDArray[np.int32]]:
    """Offsets and ids by document then id, each (document, id) pair once."""
    keys = np.unique(docs * max(count, 1) + ids)
    rows, ids = keys // max(count, 1), keys % max(count, 1)
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=size)[:size], out=offsets[1:])
    return offsets, ids.astype(np.int32)
