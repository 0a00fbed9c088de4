"""What grouping keeps of each article (a member of a story) and how members are stored: as
columns, one array of all signatures, one of all opening terms, one of all vector terms."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from searchidx.corpus.dates import day_of_number
from searchidx.stories.text import NUM_PERM
from searchidx.stories.vectors import TextVectors

if TYPE_CHECKING:  # numpy is imported where signatures are made: a no-op rebuild never needs it
    import numpy as np


@dataclass(frozen=True)
class StoryInput:
    """What grouping needs of one article."""

    id: str
    text: str
    day: int = 0  # yyyymmdd, 0 when undated
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    # what the placement depended on (content hash, day, entity values): a changed one re-places
    fingerprint: str = ""


@dataclass
class _Member:
    day: int
    signature: np.ndarray
    entities: frozenset[str]  # "kind\x1fvalue"
    story: str
    fingerprint: str = ""
    terms: np.ndarray | None = None  # sorted unique term ids of the opening (lead_terms)


def _entity_keys(item: StoryInput) -> frozenset[str]:
    keys = {f"p\x1f{v.lower()}" for v in item.people}
    keys |= {f"o\x1f{v.lower()}" for v in item.organisations}
    keys |= {f"l\x1f{v.lower()}" for v in item.places}
    return frozenset(keys)


def _vector_columns(ids: list[str], text: TextVectors) -> tuple[Any, ...]:
    import numpy as np

    empty = (np.zeros(0, np.uint32), np.zeros(0, np.float32))
    vectors = [text.vectors.get(i, empty) for i in ids]
    return (np.concatenate([empty[0], *(t for t, _ in vectors)]),
            np.concatenate([empty[1], *(w for _, w in vectors)]),
            np.cumsum([0, *(len(t) for t, _ in vectors)]))  # fmt: skip


def _vectors(ids: list[str], columns: tuple[Any, ...]) -> dict[str, Any]:
    words, weights, starts = columns
    return {article_id: (words[starts[n] : starts[n + 1]], weights[starts[n] : starts[n + 1]])
            for n, article_id in enumerate(ids) if starts[n + 1] > starts[n]}  # fmt: skip


def _packed(members: dict[str, _Member], texts: tuple[TextVectors, ...]) -> tuple[Any, ...]:
    """Members as columns: one array of signatures and one of lead terms pickle and load several
    times faster than thousands of small arrays (a one-file rebuild loads and saves them all)."""
    import numpy as np

    ids = list(members)
    rows = [members[i] for i in ids]
    empty = np.zeros(0, dtype=np.uint32)
    leads = [m.terms if m.terms is not None else empty for m in rows]
    signatures = (np.stack([m.signature for m in rows]) if rows
                  else np.zeros((0, NUM_PERM), dtype=np.uint32))  # fmt: skip
    return (ids, [m.day for m in rows], signatures, [m.entities for m in rows],
            [m.story for m in rows], [m.fingerprint for m in rows],
            np.concatenate([empty, *leads]), np.cumsum([0, *map(len, leads)]),
            *(_vector_columns(ids, text) for text in texts))  # fmt: skip


def _unpacked(columns: tuple[Any, ...]) -> tuple[dict[str, _Member], list[TextVectors]]:
    """Members and the text vectors (whole text, plain words) from `_packed` columns."""
    ids, days, signatures, entities, stories, fingerprints, terms, offsets = columns[:8]
    members = {
        article_id: _Member(days[n], signatures[n], entities[n], stories[n], fingerprints[n],
                            terms[offsets[n] : offsets[n + 1]])
        for n, article_id in enumerate(ids)
    }  # fmt: skip
    ordinals = {article_id: _ordinal(m.day) or 0 for article_id, m in members.items()}
    return members, [TextVectors(_vectors(ids, c), dict(ordinals)) for c in columns[8:]]


def _note_day(first_day: dict[str, int], story: str, day: int) -> None:
    """Keep `first_day[story]` the story's earliest day known (an undated article has none)."""
    first = first_day.get(story, 0)
    if day and (not first or day < first):
        first_day[story] = day


def _days_apart(a: int, b: int) -> int | None:
    first, second = _ordinal(a), _ordinal(b)
    if first is None or second is None:
        return None
    return abs(first - second)


@functools.lru_cache(maxsize=1 << 14)
def _ordinal(day: int) -> int | None:
    """The day number (yyyymmdd) as a count of days; None when undated."""
    date = day_of_number(day)
    return None if date is None else date.toordinal()
