"""The per-article entity record shared by recognition, the cache and the alias table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from searchidx.models import ENTITY_FIELDS

KINDS = ENTITY_FIELDS  # the name the entities package uses


@dataclass(frozen=True)
class ArticleEntities:
    """Cleaned values for one article, in-article short names already merged.

    `acronyms` holds (kind, acronym, full form) defined in the text, e.g.
    ("organisations", "RGB", "General Reconnaissance Bureau"); the alias table uses them to merge
    the acronym with its full form across the corpus.
    """

    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    language: str | None = None  # the language decided for NER
    acronyms: tuple[tuple[str, str, str], ...] = ()
    # (kind, value, cue) context evidence for the corpus-level decisions (see entities/cues.py)
    cues: tuple[tuple[str, str, str], ...] = ()

    def values(self, kind: str) -> tuple[str, ...]:
        if kind not in KINDS:
            raise ValueError(f"unknown entity kind {kind!r}: use one of {', '.join(KINDS)}")
        result: tuple[str, ...] = getattr(self, kind)
        return result

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleEntities:
        return cls(
            people=tuple(data.get("people", ())),
            organisations=tuple(data.get("organisations", ())),
            places=tuple(data.get("places", ())),
            language=data.get("language"),
            acronyms=tuple((str(k), str(a), str(f)) for k, a, f in data.get("acronyms", ())),
            cues=tuple((str(k), str(v), str(c)) for k, v, c in data.get("cues", ())),
        )
