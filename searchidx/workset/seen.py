"""What a watchlist name or a saved search matched last time, for "new since the last run".

A scope ("watch:/abs/file:name", "saved:name") keeps the ids of the articles it matched when it
last ran. New articles are those matching now that were not among them: articles indexed since,
and those that came to match (entities recognised, an alias added). Ids, not document numbers,
so the memory survives rebuilds and an engine change.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from searchidx.workset.db import connect


def seen_ids(index_path: Path, scope: str) -> set[str] | None:
    """The ids the scope matched at its last run; None when it never ran."""
    with connect(index_path, create=False) as connection:
        ran = connection.execute("SELECT 1 FROM runs WHERE scope = ?", (scope,)).fetchone()
        if ran is None:
            return None
        rows = connection.execute("SELECT article_id FROM seen WHERE scope = ?", (scope,))
        return {r[0] for r in rows}


def remember(index_path: Path, scope: str, article_ids: Iterable[str]) -> None:
    """Record a run of the scope: these ids are now seen (earlier ones stay seen)."""
    with connect(index_path) as connection:
        connection.executemany(
            "INSERT OR IGNORE INTO seen (scope, article_id) VALUES (?, ?)",
            [(scope, i) for i in article_ids],
        )
        connection.execute(
            "INSERT INTO runs (scope, ran) VALUES (?, datetime('now')) "
            "ON CONFLICT(scope) DO UPDATE SET ran = excluded.ran",
            (scope,),
        )


def forget(index_path: Path, scope: str) -> None:
    with connect(index_path) as connection:
        connection.execute("DELETE FROM seen WHERE scope = ?", (scope,))
        connection.execute("DELETE FROM runs WHERE scope = ?", (scope,))
