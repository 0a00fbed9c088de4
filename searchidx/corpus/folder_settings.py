"""Per-folder settings: a `.searchidx.toml` in a corpus folder names the outlet and language of
the articles below it that do not say so themselves (plain text files, mostly).

    outlet = "BBC News"
    language = "en"
    date_format = "%d/%m/%Y"   # how front matter and JSON dates below are written (strptime)

Settings are inherited: a file takes the nearest folder's value of each key, from its own folder
up to the corpus root. A folder's name is never an outlet by itself; this file is how to say it.
An unreadable or invalid settings file is a warning and is left out.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from searchidx.models import Problem, ReadResult

SETTINGS_NAME = ".searchidx.toml"
KEYS = ("outlet", "language", "date_format")
MAX_SETTINGS_BYTES = 64 * 1024


@dataclass(frozen=True)
class FolderSettings:
    outlet: str | None = None
    language: str | None = None
    date_format: str | None = None
    problem: str | None = None  # (settings file, reason) of the first file left out
    problem_path: str | None = None


def _folders(rel: str) -> list[str]:
    """The folders from the corpus root down to the file's own, as relative names ("" = root)."""
    parts = PurePosixPath(rel).parent.parts
    return ["/".join(parts[:depth]) for depth in range(len(parts) + 1)]


@lru_cache(maxsize=1024)
def _load(path: str, stamp: tuple[int, int]) -> tuple[dict[str, str], str | None]:
    """The keys of one settings file (keyed on its mtime and size, so edits are seen)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SETTINGS_BYTES + 1)
        if len(data) > MAX_SETTINGS_BYTES:
            return {}, "too large for a settings file; left out"
        values = tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, f"not read ({type(error).__name__}: {error}); left out"
    found = {key: values[key].strip() for key in KEYS if isinstance(values.get(key), str)}
    found = {key: value for key, value in found.items() if value}
    pattern = found.get("date_format", "%")
    if "%" not in pattern:  # a pattern names its fields: %d, %m, %Y, ...
        del found["date_format"]
        return found, f'date_format {pattern!r} is no strptime pattern (e.g. "%d.%m.%Y"); left out'
    return found, None


def folder_settings(root: Path, rel: str) -> FolderSettings:
    """The settings that apply to the file `rel` (relative to `root`)."""
    merged: dict[str, str] = {}
    problem: tuple[str, str] | None = None
    for folder in _folders(rel):
        path = root / folder / SETTINGS_NAME
        try:
            info = path.stat()
        except OSError:
            continue
        values, reason = _load(str(path), (info.st_mtime_ns, info.st_size))
        if reason and problem is None:
            problem = (str(PurePosixPath(folder) / SETTINGS_NAME), reason)
        merged.update(values)  # deeper folders win
    return FolderSettings(
        outlet=merged.get("outlet"),
        language=merged.get("language"),
        date_format=merged.get("date_format"),
        problem=problem[1] if problem else None,
        problem_path=problem[0] if problem else None,
    )


def settings_stamps(root: Path, rels: list[str]) -> dict[str, str]:
    """folder -> a hash of its settings file, for every folder above the files `rels` that has
    one: a rebuild re-reads the files below a folder whose settings file appeared, went or
    changed (their bytes did not change, what they inherit did)."""
    stamps: dict[str, str] = {}
    for folder in sorted({folder for rel in rels for folder in _folders(rel)}):
        try:
            with open(root / folder / SETTINGS_NAME, "rb") as handle:
                data = handle.read(MAX_SETTINGS_BYTES + 1)
        except OSError:
            continue
        stamps[folder] = hashlib.blake2b(data, digest_size=8).hexdigest()
    return stamps


def changed_folders(old: dict[str, str], new: dict[str, str]) -> set[str]:
    """The folders whose settings file is new, gone or different."""
    return {folder for folder in old.keys() | new.keys() if old.get(folder) != new.get(folder)}


def under_any(rel: str, folders: set[str]) -> bool:
    """Whether the file `rel` is below (or in) one of `folders` ("" is the corpus root)."""
    return bool(folders) and any(folder in folders for folder in _folders(rel))


def inherit(result: ReadResult, root: Path, rel: str) -> ReadResult:
    """The articles of one file with the folder's outlet and language where they have none."""
    if not result.articles or rel.startswith("/"):
        return result
    settings = folder_settings(root, rel)
    problems = result.problems
    if settings.problem and settings.problem_path:
        problems += (Problem(settings.problem_path, settings.problem, skipped=False),)
    if settings.outlet is None and settings.language is None and problems == result.problems:
        return result
    articles = tuple(
        replace(
            article,
            outlet=article.outlet or settings.outlet,
            language=article.language or settings.language,
        )
        for article in result.articles
    )
    return ReadResult(articles, problems)
