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
a symlink loop, a second link to an already walked folder is reported and skipped. A link that
leads out of the corpus folder (to `/etc/shadow`, to a home folder) is reported and not followed
unless `follow_outside` is given: a corpus from elsewhere must not pull in the user's own files.

This module knows nothing of formats: whether a `.txt` holds text is the reader's question (a
binary file named `.txt` is reported by the reader as "binary file, not text", and skipped).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.corpus.ignore import IGNORE_FILE, IgnoreRules, read_rules
from searchidx.corpus.readers import DEFAULT_SETTINGS, article_suffix, too_large
from searchidx.corpus.valid_unicode import scrub
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
    root: Path,
    skip: Iterable[Path] = (),
    settings: ReadSettings = DEFAULT_SETTINGS,
    *,
    follow_outside: bool = False,
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
    for warning in rules.warnings:
        yield Problem(IGNORE_FILE, warning, skipped=False)
    root_info = os.stat(root)
    inside = None if follow_outside else os.path.realpath(root)
    walker = _Walker(skipped, settings, rules, inside)
    yield from walker.folder(root, "", root_info)


@dataclass
class _Walker:
    """One walk's state: what to skip, the rules, the folders entered, the corpus's real path
    (None: links out of it are followed)."""

    skipped: set[str]
    settings: ReadSettings
    rules: IgnoreRules
    inside: str | None
    visited: set[tuple[int, int]] = field(default_factory=set)
    ancestors: list[tuple[int, int]] = field(default_factory=list)

    def folder(self, folder: Path, rel: str, info: os.stat_result) -> Iterator[Source | Problem]:
        key = (info.st_dev, info.st_ino)
        self.visited.add(key)
        self.ancestors.append(key)
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
                shown, undecodable = scrub(entry_rel)
                if undecodable:  # a name of bytes that are not UTF-8: no id could hold it
                    yield Problem(shown, "name is not valid UTF-8; rename it to index it")
                    continue
                if self.rules.rules and self.rules.ignored(entry_rel, _is_folder(entry)):
                    continue
                yield from self.entry(entry, entry_rel)
        finally:
            self.ancestors.pop()

    def entry(self, entry: os.DirEntry[str], rel: str) -> Iterator[Source | Problem]:
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
        is_folder = stat.S_ISDIR(info.st_mode)
        wanted = is_folder or (suffix is not None and not _is_note(entry.name))
        if wanted and self._leaves_corpus(entry):
            what = "folder" if is_folder else "file"
            yield Problem(
                rel,
                f"symlink to a {what} outside the corpus folder; not followed "
                "(`searchidx rebuild --follow-outside` follows it)",
            )
            return
        if is_folder:
            yield from self._linked_folder(path, rel, info, suffix)
            return
        if suffix is None or _is_note(entry.name):
            return
        if not stat.S_ISREG(info.st_mode):
            yield Problem(rel, "not a regular file (device, FIFO or socket)")
            return
        if info.st_size > self.settings.max_file_bytes:
            yield Problem(rel, too_large(info.st_size, self.settings.max_file_bytes))
            return
        yield Source(path=path, rel=rel, size=info.st_size, mtime_ns=info.st_mtime_ns)

    def _leaves_corpus(self, entry: os.DirEntry[str]) -> bool:
        if self.inside is None or not entry.is_symlink():
            return False
        real = os.path.realpath(entry.path)
        return real != self.inside and not real.startswith(self.inside.rstrip(os.sep) + os.sep)

    def _linked_folder(
        self, path: Path, rel: str, info: os.stat_result, suffix: str | None
    ) -> Iterator[Source | Problem]:
        if os.path.realpath(path) in self.skipped:
            return
        key = (info.st_dev, info.st_ino)
        if key in self.ancestors:
            yield Problem(
                rel, "symlink loop: links back to a folder that contains it; not followed"
            )
            return
        if key in self.visited:
            yield Problem(rel, "folder already read through another link; not read twice")
            return
        if suffix is not None:
            yield Problem(
                rel, "a folder named like an article file; its contents are read", skipped=False
            )
        yield from self.folder(path, rel, info)
