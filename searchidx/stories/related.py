"""Entity co-occurrence: the people, organisations and places named most often alongside one
entity, within the current query and filters (facet counts over the articles naming it)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from searchidx.errors import SearchIdxError
from searchidx.index.engine import DocSet, Engine
from searchidx.models import ENTITY_FIELDS as KINDS
from searchidx.models import SearchRequest


class UnknownEntity(SearchIdxError):
    """No person, organisation or place of the index has that name or alias (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Related:
    """One entity seen with the asked one: in `count` of the `total` articles naming both."""

    kind: str
    value: str
    count: int
    share: float  # count / articles naming the asked entity (within the query and filters)


@dataclass(frozen=True)
class RelatedResults:
    entity: str  # the canonical name asked about
    kinds: tuple[str, ...]  # the facets that entity was found in
    total: int  # articles naming it, within the query and filters
    related: dict[str, tuple[Related, ...]]  # kind -> top values, most frequent first
    took_ms: float


def related(index: Engine, name: str, request: SearchRequest, size: int = 10) -> RelatedResults:
    """Entities co-occurring with `name` (any kind: a name or an alias) in the matches."""
    from searchidx.search.facets import FACETS
    from searchidx.search.searching import matched_docs

    started = time.perf_counter()
    found = {kind: FACETS[kind].resolve(index, name) for kind in KINDS}
    found = {kind: names for kind, names in found.items() if names}
    if not found:
        raise UnknownEntity(
            f"no person, organisation or place named {name!r} in the index; "
            "list names with `searchidx entities`"
        )
    naming: DocSet = frozenset()
    for kind, names in found.items():
        naming |= FACETS[kind].docs_for(index, tuple(names))
    _, matched = matched_docs(index, request)
    docs = matched & naming
    own = {(kind, n.lower()) for kind, names in found.items() for n in names}
    rows: dict[str, tuple[Related, ...]] = {}
    for kind in KINDS:
        counted = FACETS[kind].count(index, docs, size + len(own))
        kept = [
            Related(kind, value, count, round(count / len(docs), 4))
            for value, count, _, _ in counted
            if (kind, value.lower()) not in own
        ]
        rows[kind] = tuple(kept[:size])
    canonical = next(iter(found.values()))[0]
    return RelatedResults(
        entity=canonical,
        kinds=tuple(found),
        total=len(docs),
        related=rows,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )
