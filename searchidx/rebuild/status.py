"""`searchidx status`: what the index holds, read from the live generation and the last run;
damage is one line (IndexCorrupt), never a traceback."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from searchidx.errors import IndexCorrupt, IndexMissing
from searchidx.index.engines import DEFAULT_ENGINE, write_engine
from searchidx.index.generations import (
    META_NAME,
    current_generation,
    pointer_damage,
    read_side_json,
)
from searchidx.index.lock import lock_holder
from searchidx.index.manifest import Manifest
from searchidx.models import IndexStatus
from searchidx.rebuild.repair import generation_damage

LAST_RUN_NAME = "last-run.json"  # per index: the last finished rebuild, no-op runs included
REPAIR = "run `searchidx rebuild` to repair it from the last good generation"


def _when(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def index_status(index_path: Path | None) -> IndexStatus:
    """What `searchidx status` shows, read from the live generation and the last run.

    Raises IndexMissing without an index, IndexCorrupt (one line) when it is damaged."""
    if index_path is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    pointer = pointer_damage(index_path)
    if pointer is not None:
        raise IndexCorrupt(f"the index at {index_path} is damaged: {pointer}; {REPAIR}")
    live = current_generation(index_path)
    if live is None:
        raise IndexMissing(f"no index at {index_path}: run `searchidx rebuild CORPUS`")
    found = generation_damage(live)
    if found is not None:
        raise IndexCorrupt(f"the index at {index_path} is damaged: {found}; {REPAIR}")
    meta = read_side_json(live, META_NAME, {})
    engine = str(meta.get("engine", DEFAULT_ENGINE))
    extra: dict[str, object] = {"generation": live.name, "engine": engine}
    last_run = read_side_json(index_path, LAST_RUN_NAME, None)
    if (index_path / LAST_RUN_NAME).exists() and not isinstance(last_run, dict):
        extra["damaged"] = f"{LAST_RUN_NAME} is garbled: the last run is not known"
        last_run = {}
    stamp = _when((last_run or {}).get("finished")) or _when(meta.get("built"))
    holder = lock_holder(index_path)
    if holder:
        extra["rebuilding_pid"] = holder
    articles = write_engine(engine).counts(live).articles
    return IndexStatus(
        location=str(index_path),
        corpus_root=meta.get("corpus_root"),
        articles=articles,
        last_rebuild=stamp,
        failures=tuple(Manifest.load(live).failures()),
        entities_pending=int(meta.get("entities_pending", 0)),
        extra=extra,
    )
