"""The working-set database: one SQLite file in the index folder, opened in WAL mode.

The file lives beside the generations (never inside one), so rebuilds, pruning and a rebuild
killed half-way leave it alone. Each call opens a short-lived connection: the TUI's worker
threads and a CLI command running at the same time each get their own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from searchidx.errors import SearchIdxError

DB_NAME = "workset.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    key INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS marks_fingerprint ON marks(fingerprint);
CREATE TABLE IF NOT EXISTS tags (
    key INTEGER NOT NULL REFERENCES marks(key) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (key, tag)
);
CREATE INDEX IF NOT EXISTS tags_tag ON tags(tag);
CREATE TABLE IF NOT EXISTS saved (
    name TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now')),
    opened TEXT
);
CREATE TABLE IF NOT EXISTS seen (
    scope TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (scope, article_id)
);
CREATE TABLE IF NOT EXISTS runs (
    scope TEXT PRIMARY KEY,
    ran TEXT NOT NULL
);
"""


class WorksetError(SearchIdxError):
    """The working-set database could not be read or written."""


def db_path(index_path: Path) -> Path:
    return index_path / DB_NAME


@contextmanager
def connect(index_path: Path, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    """A connection to the index's working-set database, committed on success, rolled back on
    an error. With `create=False` and no database yet, an empty in-memory one (nothing saved)."""
    path = db_path(index_path)
    if not create and not path.exists():
        target = ":memory:"
    else:
        if not index_path.is_dir():
            raise WorksetError(f"no index folder at {index_path}: run `searchidx rebuild` first")
        target = str(path)
    try:
        connection = sqlite3.connect(target, timeout=10.0)
    except sqlite3.Error as error:
        raise WorksetError(f"cannot open {path}: {error}") from error
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA synchronous=NORMAL")
        # the schema is written once (a write each time would cost every search a commit)
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            connection.execute("PRAGMA journal_mode=WAL")  # stays set in the file
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        yield connection
        connection.commit()
    except sqlite3.Error as error:
        connection.rollback()
        raise WorksetError(f"the working-set database {path} failed: {error}") from error
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.close()
