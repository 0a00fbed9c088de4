"""Paths and settings: flags > SEARCHIDX_* environment > defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

INDEX_DIR_NAME = ".searchidx"
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


def find_index(
    explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> Path | None:
    """The index folder to read: `--index` > SEARCHIDX_INDEX > nearest `.searchidx/` upwards.

    Returns None when nothing is given and no `.searchidx/` exists in cwd or its parents.
    """
    if explicit:
        return Path(explicit).expanduser().absolute()
    env = os.environ.get("SEARCHIDX_INDEX")
    if env:
        return Path(env).expanduser().absolute()
    here = (cwd or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        candidate = folder / INDEX_DIR_NAME
        if candidate.is_dir():
            return candidate
    return None


def index_for_rebuild(
    explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> Path:
    """Where a rebuild writes: as `find_index`, else a new `.searchidx/` in the current folder."""
    found = find_index(explicit, cwd)
    return found if found is not None else (cwd or Path.cwd()).absolute() / INDEX_DIR_NAME


def max_file_bytes() -> int:
    value = os.environ.get("SEARCHIDX_MAX_FILE_BYTES")
    if value and value.isdigit():
        return int(value)
    return DEFAULT_MAX_FILE_BYTES


def default_jobs() -> int:
    value = os.environ.get("SEARCHIDX_JOBS")
    if value and value.isdigit() and int(value) > 0:
        return int(value)
    return os.cpu_count() or 1


@dataclass(frozen=True)
class ReadSettings:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
