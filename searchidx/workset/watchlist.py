"""Watchlist files: one name a line, an optional kind and aliases (`org: Bureau 121 | RGB`).

Blank lines and lines starting with `#` are skipped. The kind (person, org, place and their
spellings in the query language) limits the entity fields a name is looked up in; without it a
name is looked up as a person, an organisation and a place. A line naming an unknown kind is
reported and skipped, never the end of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from searchidx.errors import SearchIdxError
from searchidx.models import ENTITY_KIND_WORDS, Problem

KINDS = ENTITY_KIND_WORDS  # `org: Name | Alias` in a watchlist: the query language's words
_QUERY_FIELD = {"people": "person", "organisations": "org", "places": "place"}
_KIND_RE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*)$")


class WatchlistError(SearchIdxError):
    """A watchlist file that cannot be read at all."""


@dataclass(frozen=True)
class WatchName:
    """One watched name: its spellings (the name first) and the entity fields to look in."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # an entity field (people, organisations, places); None: all
    line: int = 0

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def query(self) -> str:
        """The name in the query language (what the TUI puts in its search box): each spelling
        as an entity value (aliases resolve when it runs) or as a phrase in the text."""
        kinds = (self.kind,) if self.kind else tuple(_QUERY_FIELD)
        parts = []
        for spelling in self.spellings:
            parts += [f'{_QUERY_FIELD[kind]}:"{spelling}"' for kind in kinds]
            parts.append(f'"{spelling}"')
        return " OR ".join(parts)


def parse_line(text: str, line: int = 0) -> WatchName | None:
    """One line as a WatchName; None for a blank or comment line; ValueError when bad."""
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return None
    kind = None
    found = _KIND_RE.match(stripped)
    if found:
        word = found.group(1).lower()
        if word not in KINDS:
            raise ValueError(
                f"unknown kind {found.group(1)!r}: use person, org or place (or no kind)"
            )
        kind, stripped = KINDS[word], found.group(2)
    spellings = [" ".join(part.replace('"', " ").split()) for part in stripped.split("|")]
    spellings = [s for s in spellings if s]
    if not spellings:
        raise ValueError("no name on the line")
    return WatchName(spellings[0], tuple(dict.fromkeys(spellings[1:])), kind, line)


def read_watchlist(path: Path) -> tuple[list[WatchName], list[Problem]]:
    """The names of a watchlist file and the lines that could not be read."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise WatchlistError(f"cannot read the watchlist {path}: {error.strerror}") from error
    names: list[WatchName] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            name = parse_line(line, number)
        except ValueError as error:
            problems.append(Problem(f"{path}:{number}", str(error)))
            continue
        if name is not None:
            names.append(name)
    return names, problems


def scope(path: Path, name: WatchName) -> str:
    """The seen-memory scope of one name of one watchlist file."""
    return f"watch:{path.resolve()}:{name.name.lower()}"
