"""Facets: one small class per kind (outlet, period, entity), counting over a value table.

Every facet counts from a `ValueTable` (values, and each document's value ids): the one written
with the generation (`index/facet_tables.py`, aliases already applied), or, for a generation
without one, the same table built once from the postings. Counting is a bincount over the
matched documents' ids and a filter is the documents of some ids, so disjunctive counts cost no
extra query. A facet whose values live outside the index overrides `table`.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import TYPE_CHECKING

from searchidx.index.engine import DocSet, Engine

if TYPE_CHECKING:  # numpy (under the tables) is imported only when a facet is counted
    from searchidx.index.value_table import ValueTable

__all__ = ["FACETS", "Facet", "alias_maps", "author_values", "entities_pending"]


def alias_maps(table: object) -> dict[str, dict[str, str]]:
    """Per entity field, each lowercased name or variant -> its canonical name, from a
    generation's aliases.json (see `facet_tables.alias_maps`, which applies it to the tables)."""
    from searchidx.index.facet_tables import alias_maps as maps

    return maps(table)


def _doc_space(index: Engine) -> int:
    return max(index.live_docs(), default=-1) + 1


class Facet:
    """One facet kind, counted from its `table`."""

    name: str = ""
    fieldname: str = ""
    time_ordered = False  # True: every value in time order; False: top N by count

    def table(self, index: Engine) -> ValueTable:
        """The values and which documents carry them (once per generation)."""

        def load() -> ValueTable:
            written = index.facet_table(self.fieldname)
            return written if written is not None else self.posting_table(index)

        return index.memo(f"facet-table:{self.name}", load)

    def posting_table(self, index: Engine) -> ValueTable:
        """The table built from the index's postings (a generation written without tables)."""
        from searchidx.index.facet_tables import table_from_values

        return table_from_values(_doc_space(index), index.field_values(self.fieldname))

    def values(self, index: Engine) -> Mapping[str, DocSet]:
        """Each displayed value -> its documents (all of them: for tests and small tables)."""
        table = self.table(index)
        return {value: table.docs([i]) for i, value in enumerate(table.values)}

    def resolve(self, index: Engine, value: str) -> list[str]:
        """The displayed values a user's filter value stands for (may be empty)."""
        return [value] if value in self.table(index).index() else []

    def docs_for(self, index: Engine, values: tuple[str, ...]) -> DocSet:
        table = self.table(index)
        position = table.index()
        return table.docs([position[n] for v in values for n in self.resolve(index, v)])

    def count(
        self,
        index: Engine,
        docs: DocSet,
        size: int,
        selected: tuple[str, ...] = (),
        excluded: tuple[str, ...] = (),
    ) -> list[tuple[str, int, bool, bool]]:
        """(value, count, selected, excluded) rows; selected/excluded values always appear."""
        import numpy as np

        table = self.table(index)
        counts = table.counts(docs) if docs else np.zeros(len(table.values), dtype=np.int64)
        chosen = {n for v in selected for n in self.resolve(index, v)}
        dropped = {n for v in excluded for n in self.resolve(index, v)}
        position = table.index() if chosen | dropped else {}
        listed = [position[n] for n in chosen | dropped]
        if self.time_ordered:
            # a chosen period stays listed at zero, so it can still be seen and unchosen
            ids = sorted({*np.flatnonzero(counts).tolist(), *listed})
            names = sorted(table.values[i] for i in ids)
        else:
            positive = np.flatnonzero(counts)
            if len(positive) > size > 0:
                # every value counted at least as often as the size-th one, ties included
                floor = np.partition(counts[positive], len(positive) - size)[len(positive) - size]
                positive = positive[counts[positive] >= floor]
            top = heapq.nsmallest(
                size, positive.tolist(), key=lambda i: (-int(counts[i]), table.values[i])
            )
            names = [table.values[i] for i in top]
            names += [v for v in sorted(chosen | dropped) if v not in names]
        position = table.index()
        return [(v, int(counts[position[v]]), v in chosen, v in dropped) for v in names]


class OutletFacet(Facet):
    name = fieldname = "outlet"

    def resolve(self, index: Engine, value: str) -> list[str]:
        wanted = value.strip().lower()
        return [v for v in self.table(index).values if v.lower() == wanted]


class PeriodFacet(Facet):
    time_ordered = True

    def __init__(self, name: str):
        self.name = self.fieldname = name


class EntityFacet(Facet):
    """People, organisations, places: case-insensitive, and aliases count under their canonical
    name, so "Reconnaissance General Bureau" and "General Reconnaissance Bureau" are one row."""

    def __init__(self, name: str):
        self.name = self.fieldname = name

    def _aliases(self, index: Engine) -> dict[str, str]:
        # once per generation: every filter value and entity query resolves through this map
        maps = index.memo("aliases", lambda: alias_maps(index.side_json("aliases.json", {})))
        return maps[self.name]

    def posting_table(self, index: Engine) -> ValueTable:
        from searchidx.index.facet_tables import table_from_values

        stored = index.field_values(self.fieldname)
        return table_from_values(_doc_space(index), stored, self._aliases(index))

    def _lowered(self, index: Engine) -> dict[str, str]:
        """Lowercased displayed value -> the displayed value (one per name, whatever its case)."""
        return index.memo(
            f"entity-lowered:{self.name}", lambda: {v.lower(): v for v in self.table(index).values}
        )

    def resolve(self, index: Engine, value: str) -> list[str]:
        wanted = value.strip().lower()
        canonical = self._aliases(index).get(wanted, wanted).lower()
        shown = self._lowered(index).get(canonical)
        return [shown] if shown is not None else []

    def stored_values(self, index: Engine, value: str) -> list[str]:
        """The exact stored values (every variant) a name or alias stands for, for queries."""
        table = self.table(index)
        position = table.index()
        ids = {position[name] for name in self.resolve(index, value)}
        return sorted(v for v, i in table.raw().items() if i in ids)


FACETS: dict[str, Facet] = {
    "outlet": OutletFacet(),
    "year": PeriodFacet("year"),
    "month": PeriodFacet("month"),
    "people": EntityFacet("people"),
    "organisations": EntityFacet("organisations"),
    "places": EntityFacet("places"),
}


def author_values(index: Engine, value: str) -> list[str]:
    """Stored (lowercased) author names matching a whole name, or one word of a name."""
    wanted = value.strip().lower()
    names = index.field_values("authors")
    if wanted in names:
        return [wanted]
    return sorted(n for n in names if wanted in n.split())


def entities_pending(index: Engine) -> int:
    """Articles still waiting for the entity phase: counted once per generation (one never
    changes; the count is a term search, ~20 ms a search over a million documents)."""
    return index.memo("entities-pending", lambda: index.value_count("entities_done", "0"))
