"""Saved searches: a name for a query plus its filters and dates, kept in the working set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from searchidx.errors import SearchIdxError
from searchidx.models import SearchRequest
from searchidx.workset.db import connect
from searchidx.workset.seen import forget


class UnknownSaved(SearchIdxError):
    """No saved search of that name."""


@dataclass(frozen=True)
class Saved:
    name: str
    request: SearchRequest
    created: str
    opened: str | None  # when it was last run or opened; None: never


def scope(name: str) -> str:
    return f"saved:{name}"


def _encode(request: SearchRequest) -> str:
    return json.dumps(
        {
            "query": request.query,
            "filters": [[k, list(v)] for k, v in request.filters],
            "excludes": [[k, list(v)] for k, v in request.excludes],
            "since": request.since.isoformat() if request.since else None,
            "until": request.until.isoformat() if request.until else None,
            "sort": request.sort,
            "literal": request.literal,
        },
        ensure_ascii=False,
    )


def _decode(text: str) -> SearchRequest:
    data = json.loads(text)
    return SearchRequest(
        query=str(data.get("query", "")),
        filters=tuple((str(k), tuple(str(x) for x in v)) for k, v in data.get("filters", [])),
        excludes=tuple((str(k), tuple(str(x) for x in v)) for k, v in data.get("excludes", [])),
        since=date.fromisoformat(data["since"]) if data.get("since") else None,
        until=date.fromisoformat(data["until"]) if data.get("until") else None,
        sort=str(data.get("sort", "relevance")),
        literal=bool(data.get("literal", False)),
    )


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise SearchIdxError("a saved search needs a name")
    return cleaned


def save(index_path: Path, name: str, request: SearchRequest) -> Saved:
    """Save (or replace) a search under `name`; a replaced one starts over as never opened."""
    name = clean_name(name)
    with connect(index_path) as connection:
        connection.execute(
            "INSERT INTO saved (name, request) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
            "request = excluded.request, created = datetime('now'), opened = NULL",
            (name, _encode(request)),
        )
    forget(index_path, scope(name))
    return get(index_path, name)


def all_saved(index_path: Path) -> list[Saved]:
    with connect(index_path, create=False) as connection:
        rows = connection.execute(
            "SELECT name, request, created, opened FROM saved ORDER BY name COLLATE NOCASE"
        ).fetchall()
    return [Saved(n, _decode(r), c, o) for n, r, c, o in rows]


def get(index_path: Path, name: str) -> Saved:
    for saved in all_saved(index_path):
        if saved.name == clean_name(name):
            return saved
    names = ", ".join(s.name for s in all_saved(index_path)) or "none yet"
    raise UnknownSaved(f"no saved search named {name!r} (saved: {names})")


def mark_opened(index_path: Path, name: str) -> None:
    with connect(index_path) as connection:
        connection.execute("UPDATE saved SET opened = datetime('now') WHERE name = ?", (name,))


def remove(index_path: Path, name: str) -> None:
    get(index_path, name)
    with connect(index_path) as connection:
        connection.execute("DELETE FROM saved WHERE name = ?", (clean_name(name),))
    forget(index_path, scope(name))
