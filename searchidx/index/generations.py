"""The index folder on disk: generations behind an atomic CURRENT pointer, and their side files.

Layout (see docs/index-design.md):
    <index>/CURRENT          name of the live generation folder, replaced atomically
    <index>/LOCK             held (flock) by the one running rebuild, holds its pid
    <index>/gen-NNNNNN/      a complete engine index plus side files (manifest, aliases, meta)
A rebuild writes a new generation (hard-linking unchanged files of the live one), then switches
CURRENT with a rename. A crash at any moment leaves CURRENT naming a complete generation. Nothing
here knows the engine: it only moves folders and files (the engine writes what is inside).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CURRENT = "CURRENT"
GEN_PREFIX = "gen-"
SCRATCH_PREFIX = ".scratch-"  # segments written by worker processes, not yet adopted
META_NAME = "meta.json"  # per generation: corpus root, schema, engine, counts, when it was built
SIZES_NAME = "files.json"  # per generation: the size of each engine file when it was published
GEN_NAME = re.compile(r"gen-\d{6}")  # what CURRENT may name: nothing else, nothing outside
_SIDE_SUFFIXES = (".json", ".pickle", "LOCK", ".lock", ".tmp")  # rewritten after publishing


def hold(moment: str) -> None:
    """Test hook: at `moment`, announce the pid and wait to be killed (crash tests).

    Set SEARCHIDX_TEST_HOLD=<moment> and SEARCHIDX_TEST_HOLD_FILE=<path>; unset, it costs nothing.
    """
    if os.environ.get("SEARCHIDX_TEST_HOLD") != moment:
        return
    marker = os.environ.get("SEARCHIDX_TEST_HOLD_FILE")
    if marker:
        write_atomic(Path(marker), str(os.getpid()))
    time.sleep(600)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, content: str | bytes | Iterable[str]) -> None:
    """Write a file so that readers see the old or the new content, never a mix; `content` may
    come in pieces of text (a large file never held whole)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        for piece in [content] if isinstance(content, str | bytes) else content:
            handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _pointer(index_path: Path) -> str | None:
    """What CURRENT says, None when there is no CURRENT (no generation published yet)."""
    try:
        return (index_path / CURRENT).read_text(encoding="utf-8", errors="replace").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None


def current_generation(index_path: Path) -> Path | None:
    """The live generation; None when CURRENT is missing, or names anything but a generation
    folder of this index (a planted or garbled CURRENT is never followed outside it)."""
    try:
        name = _pointer(index_path)
    except OSError:
        return None
    if name is None or not GEN_NAME.fullmatch(name):
        return None
    folder = index_path / name
    return folder if folder.is_dir() and not folder.is_symlink() else None


def pointer_damage(index_path: Path) -> str | None:
    """Why CURRENT cannot be followed, None when it can (or when there is none)."""
    try:
        name = _pointer(index_path)
    except OSError as error:
        return f"CURRENT cannot be read ({error.strerror or error})"
    if name is None or current_generation(index_path) is not None:
        return None
    return f"CURRENT names {name[:60]!r}, not a generation folder of this index"


def damage(generation: Path) -> str | None:
    """Why a generation cannot be used (a side file garbled, an engine file missing or of
    another size than when it was published), None when nothing is seen wrong."""
    for name in (META_NAME, "manifest.json", SIZES_NAME):
        try:
            value = json.loads((generation / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue  # written by rebuilds only (indexes made with `index_articles` have none)
        except (OSError, ValueError):
            return f"{generation.name}/{name} is damaged"
        if not isinstance(value, dict):
            return f"{generation.name}/{name} is damaged"
        if name == SIZES_NAME:
            return _size_damage(generation, value)
    return None


def _size_damage(generation: Path, sizes: dict[str, object]) -> str | None:
    for name, size in sizes.items():
        try:
            found = (generation / name).stat().st_size
        except OSError:
            return f"{generation.name}/{name} is missing"
        if found != size:
            return (
                f"{generation.name}/{name} is truncated or changed ({found} bytes, {size} written)"
            )
    return None


def recover(index_path: Path, check: Callable[[Path], str | None]) -> str | None:
    """With the rebuild lock held: when CURRENT or the live generation is damaged (`check` says
    why a generation cannot be used), make the newest intact generation live, or drop CURRENT
    when none is left (the rebuild then reads everything). Return what was done, for the user.
    """
    live = current_generation(index_path)
    reason = pointer_damage(index_path) or (check(live) if live is not None else None)
    if reason is None:
        return None
    for candidate in reversed(generations(index_path)):
        newer = live is None or _number(candidate) > _number(live)
        if candidate == live or (newer and not (candidate / SIZES_NAME).exists()):
            continue  # a newer one is trusted only if it was finished (published sizes)
        if check(candidate) is None:
            write_atomic(index_path / CURRENT, candidate.name + "\n")
            return f"{reason}; {candidate.name} is live again and the rebuild goes on from it"
    (index_path / CURRENT).unlink(missing_ok=True)
    return f"{reason}; no intact generation is left, so every file is read again"


def generations(index_path: Path) -> list[Path]:
    if not index_path.is_dir():
        return []
    return sorted(p for p in index_path.iterdir() if p.name.startswith(GEN_PREFIX) and p.is_dir())


def new_generation(index_path: Path, link_from: Path | None) -> Path:
    """Create the next generation folder; with `link_from`, hard-link its files into it.

    The folder is empty without `link_from`: the engine creates its index in it (see
    `writing.start_generation`). Engines never rewrite a segment file, so the links are safe.
    """
    index_path.mkdir(parents=True, exist_ok=True)
    existing = generations(index_path)
    number = int(existing[-1].name[len(GEN_PREFIX) :]) + 1 if existing else 1
    target = index_path / f"{GEN_PREFIX}{number:06d}"
    target.mkdir()
    if link_from is not None:
        _link_tree(link_from, target)
    return target


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link the files of `source` into `target`, sub-folders (an engine's own) included."""
    for item in source.iterdir():
        # an engine's write lock is an flock on a file: a shared inode would share the lock
        if item.is_dir() and not item.is_symlink():
            (target / item.name).mkdir()
            _link_tree(item, target / item.name)
        elif item.is_file() and not item.name.endswith(("LOCK", ".lock", ".tmp")):
            try:
                os.link(item, target / item.name)
            except OSError:
                shutil.copy2(item, target / item.name)


def publish(
    index_path: Path, generation: Path, before_switch: Callable[[], None] | None = None
) -> None:
    """Make `generation` the live one (after everything in it is on disk), drop old ones.

    `before_switch` runs once the generation is durable but before CURRENT moves (a test hook).
    """
    previous = current_generation(index_path)
    sizes = {}
    for item in generation.iterdir():
        if (
            item.is_file()
            and not item.name.startswith(".")
            and not item.name.endswith(_SIDE_SUFFIXES)
        ):
            sizes[item.name] = item.stat().st_size
    write_side_json(generation, SIZES_NAME, sizes)  # what `damage` checks the files against
    _fsync_tree(generation)  # files, sub-folders (an engine's own folder) and the folders
    if before_switch is not None:
        before_switch()
    write_atomic(index_path / CURRENT, generation.name + "\n")
    prune(index_path, keep=previous)


def _fsync_tree(folder: Path) -> None:
    for item in folder.iterdir():
        if item.is_dir() and not item.is_symlink():
            _fsync_tree(item)
        elif item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def prune(index_path: Path, keep: Path | None = None) -> None:
    """Remove every generation but the live one and `keep` (the one open readers may still use).

    Generations newer than the live one are leftovers of a rebuild that died before publishing.
    """
    live = current_generation(index_path)
    for folder in generations(index_path):
        if folder != live and folder != keep:
            shutil.rmtree(folder, ignore_errors=True)
    for leftover in index_path.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    for scratch in index_path.glob(f"{SCRATCH_PREFIX}*"):
        if scratch.name != f"{SCRATCH_PREFIX}{os.getpid()}":  # not the running rebuild's own
            shutil.rmtree(scratch, ignore_errors=True)


def clean_stale(index_path: Path) -> None:
    """Drop what a killed rebuild left behind: unpublished generations and temporary files.

    Call only with the rebuild lock held. The live generation and the one before it stay.
    """
    live = current_generation(index_path)
    if live is None:
        for folder in generations(index_path):
            shutil.rmtree(folder, ignore_errors=True)
        return
    live_number = _number(live)
    older = [g for g in generations(index_path) if _number(g) < live_number]
    prune(index_path, keep=older[-1] if older else None)


def scratch_folder(index_path: Path) -> Path:
    """This rebuild's own (empty) folder where worker processes write segments."""
    scratch = index_path / f"{SCRATCH_PREFIX}{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    return scratch


def _number(generation: Path) -> int:
    return int(generation.name[len(GEN_PREFIX) :])


def read_side_json(generation: Path, name: str, default: Any = None) -> Any:
    """A JSON side file of a generation (its shape is the caller's), `default` when absent or
    not JSON."""
    try:
        return json.loads((generation / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, or garbled: `damage` says which
        return default


def write_side_json(generation: Path, name: str, value: object) -> None:
    write_atomic(generation / name, json.dumps(value, ensure_ascii=False, default=str))
