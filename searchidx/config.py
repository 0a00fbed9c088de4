"""Paths and settings: flags > SEARCHIDX_* environment > defaults."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

INDEX_DIR_NAME = ".searchidx"
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


def find_index(
    explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> Path | None:
    """The index folder to read: `--index` > SEARCHIDX_INDEX > nearest `.searchidx/` upwards.

    The walk up from cwd stops at the first folder the current user does not own (a shared
    /tmp, another user's home): an index planted there is never picked up by accident. Returns
    None when nothing is given and no `.searchidx/` is found.
    """
    if explicit:
        return Path(explicit).expanduser().absolute()
    env = os.environ.get("SEARCHIDX_INDEX")
    if env:
        return Path(env).expanduser().absolute()
    here = (cwd or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if not _owned(folder):
            return None
        candidate = folder / INDEX_DIR_NAME
        if candidate.is_dir() and _owned(candidate):
            return candidate
    return None


def found_elsewhere(
    index: Path, explicit: str | os.PathLike[str] | None, cwd: Path | None = None
) -> bool:
    """Whether `find_index` found this index by walking up, not in cwd nor as asked: the CLI
    then says which index it used."""
    if explicit or os.environ.get("SEARCHIDX_INDEX"):
        return False
    return index != (cwd or Path.cwd()).absolute() / INDEX_DIR_NAME


def _owned(folder: Path) -> bool:
    """Owned by the current user, root included (as git's safe.directory: root running in
    another user's folder does not pick up that user's index); systems without uids pass."""
    if not hasattr(os, "getuid"):
        return True
    try:
        return folder.stat().st_uid == os.getuid()
    except OSError:
        return False


def index_for_rebuild(
    explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> Path:
    """Where a rebuild writes: as `find_index`, else a new `.searchidx/` in the current folder."""
    found = find_index(explicit, cwd)
    return found if found is not None else (cwd or Path.cwd()).absolute() / INDEX_DIR_NAME


@contextmanager
def private_files(index: Path) -> Iterator[None]:
    """While writing an index: its folder is the user's alone (0o700, made so if it is older)
    and every file made meanwhile is created under a 0o077 umask (articles are private)."""
    previous = os.umask(0o077)
    try:
        index.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _owned(index):
            index.chmod(0o700)
        yield
    finally:
        os.umask(previous)


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
    outlet_rules: str = ""  # the outlet lines of the user's alias file (corpus/outlets.py)
