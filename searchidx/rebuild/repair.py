"""Damaged indexes: what makes a generation unusable, and the repairs a rebuild makes first.

`generations.recover` (called by every rebuild under its lock) makes the newest intact
generation live when CURRENT or the live generation is damaged; these are the checks it uses,
and the repair of a garbled aliases.json, which the entity phase would otherwise never rewrite.
"""

from __future__ import annotations

from pathlib import Path

from searchidx.index.engines import DEFAULT_ENGINE, write_engine
from searchidx.index.generations import (
    META_NAME,
    current_generation,
    damage,
    read_side_json,
    write_side_json,
)

ALIASES_NAME = "aliases.json"  # the entity phase's alias table, in each generation


def generation_damage(generation: Path) -> str | None:
    """Why a generation cannot be used: its files (`generations.damage`), or the engine
    failing to open it."""
    found = damage(generation)
    if found is not None:
        return found
    meta = read_side_json(generation, META_NAME, {})
    try:
        write_engine(meta.get("engine", DEFAULT_ENGINE)).counts(generation)
    except Exception as error:  # noqa: BLE001 - any engine failure means: not usable
        return f"{generation.name} cannot be opened ({type(error).__name__})"
    return None


def repair_aliases(index_path: Path) -> str | None:
    """A garbled aliases.json in the live generation is removed, and the meta's alias stamps
    with it, so the entity phase writes it again."""
    from searchidx.rebuild.enrich import ALIASES_STAMP, ALIASES_TABLE

    live = current_generation(index_path)
    if live is None or not (live / ALIASES_NAME).exists():
        return None
    if isinstance(read_side_json(live, ALIASES_NAME, None), dict):
        return None
    (live / ALIASES_NAME).unlink()
    meta = read_side_json(live, META_NAME, {})
    stamps = (ALIASES_STAMP, ALIASES_TABLE)
    write_side_json(live, META_NAME, {k: v for k, v in meta.items() if k not in stamps})
    return f"{live.name}/{ALIASES_NAME} was garbled; the entity phase writes it again"
