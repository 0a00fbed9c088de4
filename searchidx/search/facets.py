"""Facets: one small class per kind (outlet, period, entity), counting over cached doc sets.

Every facet keeps, per generation (in the engine's memo, dropped on refresh), a map from each
shown value to the set of live document numbers carrying it. Counting is then set intersection, and
filters are unions of those sets, so disjunctive counts cost no extra query.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping

from searchidx.index.engine import DocSet, Engine
from searchidx.models import ENTITY_FIELDS

# alias-table section for each entity field (written by the entities helper at rebuild)


__all__ = ["FACETS", "Facet", "alias_maps", "author_values", "entities_pending"]


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


class Facet:
    """One facet kind. `values` maps each displayed value to its documents."""

    name: str = ""
    fieldname: str = ""
    time_ordered = False  # True: every value in time order; False: top N by count

    def values(self, index: Engine) -> Mapping[str, DocSet]:
        return index.field_values(self.fieldname)

    def resolve(self, index: Engine, value: str) -> list[str]:
        """The displayed values a user's filter value stands for (may be empty)."""
        return [value] if value in self.values(index) else []

    def docs_for(self, index: Engine, values: tuple[str, ...]) -> DocSet:
        table = self.values(index)
        found: set[int] = set()
        for value in values:
            for name in self.resolve(index, value):
                found |= table.get(name, frozenset())
        return frozenset(found)

    def doc_values(self, index: Engine) -> tuple[dict[int, tuple[str, ...]], float]:
        """Document number -> its displayed values, and the mean number of values a document has
        (per generation). Lets a small match set be counted document by document."""

        def invert() -> tuple[dict[int, tuple[str, ...]], float]:
            inverse: dict[int, list[str]] = defaultdict(list)
            pairs = 0
            for value, members in self.values(index).items():
                pairs += len(members)
                for docnum in members:
                    inverse[docnum].append(value)
            mean = pairs / len(inverse) if inverse else 0.0
            return {d: tuple(v) for d, v in inverse.items()}, mean

        return index.memo(f"doc-values:{self.name}", invert)

    def _counts(self, index: Engine, docs: DocSet) -> dict[str, int]:
        table = self.values(index)
        inverse, mean = self.doc_values(index)
        # Entity fields hold tens of thousands of values: intersecting each value's set with the
        # matches costs one operation per value, walking the matches costs about `mean` per match.
        if len(docs) * mean < len(table):
            counts: Counter[str] = Counter()
            for docnum in docs:
                found = inverse.get(docnum)
                if found:
                    counts.update(found)
            return counts
        return {value: len(members & docs) for value, members in table.items()}

    def count(
        self,
        index: Engine,
        docs: DocSet,
        size: int,
        selected: tuple[str, ...] = (),
        excluded: tuple[str, ...] = (),
    ) -> list[tuple[str, int, bool, bool]]:
        """(value, count, selected, excluded) rows; selected/excluded values always appear."""
        table = self.values(index)
        counts = self._counts(index, docs)
        chosen = {n for v in selected for n in self.resolve(index, v)}
        dropped = {n for v in excluded for n in self.resolve(index, v)}
        if self.time_ordered:
            # a chosen period stays listed at zero, so it can still be seen and unchosen
            names = sorted(v for v in table if counts.get(v, 0) > 0 or v in chosen | dropped)
        else:
            positive = (v for v, c in counts.items() if c > 0)
            names = heapq.nsmallest(size, positive, key=lambda v: (-counts[v], v))
            names += [v for v in sorted(chosen | dropped) if v not in names and v in table]
        return [(v, counts.get(v, 0), v in chosen, v in dropped) for v in names]


class OutletFacet(Facet):
    name = fieldname = "outlet"

    def resolve(self, index: Engine, value: str) -> list[str]:
        wanted = value.strip().lower()
        return [v for v in self.values(index) if v.lower() == wanted]


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

    def _canonical_groups(self, index: Engine) -> tuple[dict[str, DocSet], dict[str, list[str]]]:
        """(canonical display value -> docs, lowercased name or alias -> stored values)."""

        def group() -> tuple[dict[str, DocSet], dict[str, list[str]]]:
            aliases = self._aliases(index)
            stored = index.field_values(self.fieldname)
            merged: dict[str, set[int]] = defaultdict(set)
            display: dict[str, str] = {}  # lowercased canonical -> display form
            for value, docs in stored.items():
                canonical = aliases.get(value.lower(), value)
                shown = display.setdefault(canonical.lower(), canonical)
                merged[shown] |= docs
            names: dict[str, list[str]] = defaultdict(list)
            for value in stored:
                canonical = aliases.get(value.lower(), value)
                names[canonical.lower()].append(display[canonical.lower()])
            return (
                {k: frozenset(v) for k, v in merged.items()},
                {k: sorted(set(v)) for k, v in names.items()},
            )

        return index.memo(f"entity-groups:{self.name}", group)

    def values(self, index: Engine) -> Mapping[str, DocSet]:
        return self._canonical_groups(index)[0]

    def resolve(self, index: Engine, value: str) -> list[str]:
        wanted = value.strip().lower()
        canonical = self._aliases(index).get(wanted, wanted).lower()
        return self._canonical_groups(index)[1].get(canonical, [])

    def stored_values(self, index: Engine, value: str) -> list[str]:
        """The exact stored values (every variant) a name or alias stands for, for queries."""
        shown = {name.lower() for name in self.resolve(index, value)}
        aliases = self._aliases(index)
        return sorted(
            v
            for v in index.field_values(self.fieldname)
            if aliases.get(v.lower(), v).lower() in shown
        )


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
    return len(index.field_values("entities_done").get("0", frozenset()))
