"""Facets: one small class per kind (outlet, period, entity), counting over cached doc sets.

Every facet keeps, per searcher (in `Index.cache`, dropped on refresh), a map from each shown
value to the set of live document numbers carrying it. Counting is then set intersection, and
filters are unions of those sets, so disjunctive counts cost no extra query.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from typing import Any

from searchidx.index.whoosh_engine.docsets import live_docs, postings_docs
from searchidx.index.whoosh_engine.schema import EMPTY

# alias-table section for each entity field (written by the entities helper at rebuild)
ALIAS_SECTIONS = {"people": "people", "organisations": "organisations", "places": "places"}


__all__ = ["FACETS", "Facet", "author_values", "entities_pending", "live_docs"]


def _field_postings(index: Any, fieldname: str) -> dict[str, frozenset[int]]:
    """Stored value -> live doc numbers, read once per searcher from the field's postings."""
    key = f"postings:{fieldname}"
    if key not in index.cache:
        reader = index.searcher().reader()
        live = live_docs(index)
        table: dict[str, frozenset[int]] = {}
        if fieldname in reader.indexed_field_names():
            for term in reader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                if not value or value == EMPTY:
                    continue
                docs = frozenset(postings_docs(reader, fieldname, term)) & live
                if docs:
                    table[value] = docs
        index.cache[key] = table
    return index.cache[key]  # type: ignore[no-any-return]


class Facet:
    """One facet kind. `values` maps each displayed value to its documents."""

    name: str = ""
    fieldname: str = ""
    time_ordered = False  # True: every value in time order; False: top N by count

    def values(self, index: Any) -> dict[str, frozenset[int]]:
        return _field_postings(index, self.fieldname)

    def resolve(self, index: Any, value: str) -> list[str]:
        """The displayed values a user's filter value stands for (may be empty)."""
        return [value] if value in self.values(index) else []

    def docs_for(self, index: Any, values: tuple[str, ...]) -> frozenset[int]:
        table = self.values(index)
        found: set[int] = set()
        for value in values:
            for name in self.resolve(index, value):
                found |= table.get(name, frozenset())
        return frozenset(found)

    def doc_values(self, index: Any) -> tuple[dict[int, tuple[str, ...]], float]:
        """Document number -> its displayed values, and the mean number of values a document has
        (per searcher). Lets a small match set be counted document by document."""
        key = f"doc-values:{self.name}"
        if key not in index.cache:
            inverse: dict[int, list[str]] = defaultdict(list)
            pairs = 0
            for value, members in self.values(index).items():
                pairs += len(members)
                for docnum in members:
                    inverse[docnum].append(value)
            mean = pairs / len(inverse) if inverse else 0.0
            index.cache[key] = ({d: tuple(v) for d, v in inverse.items()}, mean)
        return index.cache[key]  # type: ignore[no-any-return]

    def _counts(self, index: Any, docs: frozenset[int]) -> dict[str, int]:
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
        index: Any,
        docs: frozenset[int],
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

    def resolve(self, index: Any, value: str) -> list[str]:
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

    def _aliases(self, index: Any) -> dict[str, str]:
        # once per searcher: every filter value and entity query resolves through this map
        key = f"aliases:{self.name}"
        if key not in index.cache:
            table = index.side_json("aliases.json", {}) or {}
            section = table.get(ALIAS_SECTIONS[self.name], {}) if isinstance(table, dict) else {}
            index.cache[key] = (
                {str(k).lower(): str(v) for k, v in section.items()}
                if isinstance(section, dict)
                else {}
            )
        return index.cache[key]  # type: ignore[no-any-return]

    def _canonical_groups(
        self, index: Any
    ) -> tuple[dict[str, frozenset[int]], dict[str, list[str]]]:
        """(canonical display value -> docs, lowercased name or alias -> stored values)."""
        key = f"entity-groups:{self.name}"
        if key not in index.cache:
            aliases = self._aliases(index)
            stored = _field_postings(index, self.fieldname)
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
            index.cache[key] = (
                {k: frozenset(v) for k, v in merged.items()},
                {k: sorted(set(v)) for k, v in names.items()},
            )
        return index.cache[key]  # type: ignore[no-any-return]

    def values(self, index: Any) -> dict[str, frozenset[int]]:
        return self._canonical_groups(index)[0]

    def resolve(self, index: Any, value: str) -> list[str]:
        wanted = value.strip().lower()
        canonical = self._aliases(index).get(wanted, wanted).lower()
        return self._canonical_groups(index)[1].get(canonical, [])

    def stored_values(self, index: Any, value: str) -> list[str]:
        """The exact stored values (every variant) a name or alias stands for, for queries."""
        shown = {name.lower() for name in self.resolve(index, value)}
        aliases = self._aliases(index)
        return sorted(
            v
            for v in _field_postings(index, self.fieldname)
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


def author_values(index: Any, value: str) -> list[str]:
    """Stored (lowercased) author names matching a whole name, or one word of a name."""
    wanted = value.strip().lower()
    names = _field_postings(index, "authors")
    if wanted in names:
        return [wanted]
    return sorted(n for n in names if wanted in n.split())


def entities_pending(index: Any) -> int:
    return len(_field_postings(index, "entities_done").get("0", frozenset()))
