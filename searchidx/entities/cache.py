"""The NER cache: entities per (content hash, model id) in sqlite; unchanged text skips NER."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from searchidx.entities.recognize import model_id
from searchidx.entities.record import ArticleEntities

FILE_NAME = "entities-cache.sqlite"
_CHUNK = 500  # sqlite's limit on host parameters is 999 on old builds


class EntityCache:
    """sqlite file in the index folder; each put is one transaction, so a killed process leaves
    the cache as it was before that put (WAL journal). Entries of other model ids are ignored."""

    def __init__(self, path: Path, model: str | None = None):
        path = Path(path)
        self.path = path / FILE_NAME if path.is_dir() else path
        self.model = model or model_id()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS ner (content_key TEXT NOT NULL, model TEXT NOT NULL,"
            " entities TEXT NOT NULL, PRIMARY KEY (content_key, model)) WITHOUT ROWID"
        )
        self._db.commit()

    def get_many(self, keys: list[str]) -> dict[str, ArticleEntities]:
        found: dict[str, ArticleEntities] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT content_key, entities FROM ner"
                f" WHERE model = ? AND content_key IN ({marks})",
                [self.model, *chunk],
            )
            for key, text in rows:
                found[key] = ArticleEntities.from_json(json.loads(text))
        return found

    def put_many(self, items: dict[str, ArticleEntities]) -> None:
        rows = [
            (key, self.model, json.dumps(entities.to_json(), ensure_ascii=False))
            for key, entities in items.items()
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO ner VALUES (?, ?, ?)", rows)

    def prune(self, keep: set[str]) -> int:
        """Forget entries of other models and of texts no longer in the corpus."""
        with self._db:
            removed = self._db.execute("DELETE FROM ner WHERE model != ?", [self.model]).rowcount
            stale = [
                key
                for (key,) in self._db.execute("SELECT content_key FROM ner").fetchall()
                if key not in keep
            ]
            self._db.executemany("DELETE FROM ner WHERE content_key = ?", [(k,) for k in stale])
        return removed + len(stale)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> EntityCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
