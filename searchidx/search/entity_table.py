"""The live generation's entity alias table (aliases.json), for `searchidx entities` and the
TUI's entity review."""

from __future__ import annotations

import os
from pathlib import Path

from searchidx.config import find_index
from searchidx.entities import ALIASES_FILE, OVERRIDES_FILE_NAME, AliasTable
from searchidx.errors import IndexMissing, SearchIdxError
from searchidx.index.generations import current_generation, read_side_json


def index_folder(index: Path | None) -> Path:
    """The index folder (`--index`, $SEARCHIDX_INDEX or the nearest .searchidx/)."""
    folder = find_index(index)
    if folder is None:
        raise IndexMissing("no index found here: run `searchidx rebuild CORPUS` to build one")
    return folder


def live_alias_table(index: Path | None) -> AliasTable:
    """The alias table of the live generation; IndexMissing / SearchIdxError otherwise."""
    folder = index_folder(index)
    generation = current_generation(folder)
    if generation is None:
        raise IndexMissing(f"no index at {folder}: run `searchidx rebuild CORPUS --index {folder}`")
    try:
        data = read_side_json(generation, ALIASES_FILE)
    except (OSError, ValueError) as error:
        raise SearchIdxError(f"cannot read {generation / ALIASES_FILE}: {error}") from None
    if not isinstance(data, dict):
        raise SearchIdxError(
            "this index has no entity alias table yet: run `searchidx rebuild` (without"
            " --no-entities)"
        )
    return AliasTable.from_json(data)


def review_file(folder: Path) -> Path:
    """Where review decisions go: $SEARCHIDX_ALIASES if set, else <index>/entity-aliases.txt."""
    env = os.environ.get("SEARCHIDX_ALIASES")
    return Path(env).expanduser() if env else folder / OVERRIDES_FILE_NAME
