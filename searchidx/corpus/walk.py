"""Walking the corpus folder: which files are article sources, in a stable order, and which fail.

`walk` yields a `Source` for every file with an article suffix (.txt .md .json .jsonl .sgm .html
.htm .html.gz, case-insensitive) and a `Problem` for every entry that cannot be used: files over
the size limit, broken links, symlink loops, FIFOs and devices, folders that cannot be listed.
Other files are ignored silently, as are hidden entries (".name"), the `skip` folders (the index),
and the corpus's own notes (README, LICENSE, SOURCE, ...) which describe the articles rather than
being articles. Paths matched by the corpus root's `.searchidxignore` (gitignore-style patterns:
see `searchidx.corpus.ignore`) are left out too, and an ignored folder is not entered. Entries are
visited in name order, each folder's entries before going deeper into
the next, so two walks of the same tree give the same sequence.

Symlinks are followed, but a folder is entered once only: a link back to an ancestor is reported as
a symlink loop, a second link to an already walked folder is reported and skipped.

This module knows nothing of formats: whether a `.txt` holds text is the reader's question (a
binary file named `.txt` is reported by the reader as "binary file, not text", and skipped).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.corpus.ignore import IGNORE_FILE, IgnoreRules, read_rules
from searchidx.corpus.readers import DEFAULT_SETTINGS, article_suffix, too_large
from searchidx.errors import CorpusError
from searchidx.models import Problem

# Notes that travel with a corpus and are not articles (compared by file stem, any case).
NOT_ARTICLES = frozenset({"readme", "license", "licence", "copying", "changelog", "source"})


@dataclass(frozen=True)
class Source:
    """One file to read: where it is, its id-giving relative path, what change detection needs."""

    path: Path  # absolute
    rel: str  # posix path relative to the corpus root
    size: int
    mtime_ns: int


def _is_note(name: str) -> bool:
    stem = name.split(".", 1)[0].lower()
    return stem in NOT_ARTICLES


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks, as the walk does
    except OSError:
        return False


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def walk(
    root: Path, skip: Iterable[Path] = (), settings: ReadSettings = DEFAULT_SETTINGS
) -> Iterator[Source | Problem]:
    """Every article source under `root`, and a Problem for every entry that cannot be read.

    Raises CorpusError only when `root` itself is missing or not a folder.
    """
    root = Path(os.path.abspath(root))
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}")
    skipped = {os.path.realpath(path) for path in skip}
    try:
        rules = read_rules(root)
    except (OSError, UnicodeDecodeError) as error:
        reason = _reason(error) if isinstance(error, OSError) else "not UTF-8 text"
        yield Problem(IGNORE_FILE, f"cannot read ({reason}); no file is left out", skipped=False)
        rules = IgnoreRules()
    root_info = os.stat(root)
    yield from _walk_folder(root, "", root_info, skipped, set(), [], settings, rules)


def _walk_folder(
    folder: Path,
    rel: str,
    info: os.stat_result,
    skipped: set[str],
    visited: set[tuple[int, int]],
    ancestors: list[tuple[int, int]],
    settings: ReadSettings,
    rules: IgnoreRules,
) -> Iterator[Source | Problem]:
    key = (info.st_dev, info.st_ino)
    visited.add(key)
    ancestors.append(key)
    try:
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield Problem(rel or ".", f"cannot list folder: {_reason(error)}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            entry_rel = f"{rel}/{entry.name}" if rel else entry.name
            if rules.rules and rules.ignored(entry_rel, _is_folder(entry)):
                continue
            yield from _walk_entry(entry, entry_rel, skipped, visited, ancestors, settings, rules)
    finally:
        ancestors.pop()


def _walk_entry(
    entry: os.DirEntry[str],
    rel: str,
    skipped: set[str],
    visited: set[tuple[int, int]],
    ancestors: list[tuple[int, int]],
    settings: ReadSettings,
    rules: IgnoreRules,
) -> Iterator[Source | Problem]:
    path = Path(entry.path)
    suffix = article_suffix(entry.name)
    try:
        info = os.stat(path)  # follows symlinks
    except OSError as error:
        if entry.is_symlink() and error.errno == errno.ELOOP:
            yield Problem(rel, "symlink loop")
        elif entry.is_symlink():
            # a dangling link matters when it claims to be an article, or may have been a folder
            if suffix is not None or "." not in entry.name:
                yield Problem(rel, "broken symlink")
        elif suffix is not None:
            yield Problem(rel, f"cannot read: {_reason(error)}")
        return
    if stat.S_ISDIR(info.st_mode):
        if os.path.realpath(path) in skipped:
            return
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            yield Problem(
                rel, "symlink loop: links back to a folder that contains it; not followed"
            )
            return
        if key in visited:
            yield Problem(rel, "folder already read through another link; not read twice")
            return
        if suffix is not None:
            yield Problem(
                rel, "a folder named like an article file; its contents are read", skipped=False
            )
        yield from _walk_folder(path, rel, info, skipped, visited, ancestors, settings, rules)
        return
    if suffix is None or _is_note(entry.name):
        return
    if not stat.S_ISREG(info.st_mode):
        yield Problem(rel, "not a regular file (device, FIFO or socket)")
        return
    if info.st_size > settings.max_file_bytes:
        yield Problem(rel, too_large(info.st_size, settings.max_file_bytes))
        return
    yield Source(path=path, rel=rel, size=info.st_size, mtime_ns=info.st_mtime_ns)
