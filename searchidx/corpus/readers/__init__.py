"""Readers: choose the reader for a file by its suffix and turn any failure into a Problem.

`read_file` is the one entry point (safe to call from worker processes): it never raises for bad
input. Each format lives in its own module: text.py (.txt, .md), jsonl.py (.json, .jsonl),
sgml.py (Reuters-21578 .sgm) and html.py (.html, .htm, .html.gz).
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from searchidx.config import ReadSettings
from searchidx.corpus.folder_settings import folder_settings, inherit
from searchidx.corpus.outlets import fold_outlets, parse_outlet_rules
from searchidx.corpus.readers.caps import cap_article
from searchidx.corpus.regular import NOT_REGULAR, open_regular
from searchidx.corpus.valid_unicode import scrub, scrub_article
from searchidx.models import Problem, ReadResult

# Longest first: ".html.gz" must win over a bare ".gz".
SUFFIXES: tuple[str, ...] = (".html.gz", ".txt", ".md", ".json", ".jsonl", ".sgm", ".html", ".htm")
DEFAULT_SETTINGS = ReadSettings()
HTML_SUFFIXES = frozenset({".html", ".htm", ".html.gz"})


def article_suffix(name: str) -> str | None:
    """The supported suffix of a file name (case-insensitive), or None for other files."""
    lowered = name.lower()
    for suffix in SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return suffix
    return None


def relative_name(path: Path, root: Path) -> str:
    """`path` relative to the corpus root in posix form (the absolute path if outside the root)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if relative == ".." or relative.startswith(".." + os.sep):
        return Path(os.path.abspath(path)).as_posix()
    return Path(relative).as_posix()


def _problem(rel: str, reason: str) -> ReadResult:
    return ReadResult(problems=(Problem(rel, reason),))


def size_text(size: int) -> str:
    """A byte count for messages: "512 bytes", "3.2 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(size: int, limit: int) -> str:
    return f"too large: {size_text(size)}, over the {size_text(limit)} limit"


def read_file(path: Path, root: Path, settings: ReadSettings = DEFAULT_SETTINGS) -> ReadResult:
    """Read one corpus file into articles, or into Problems naming why it could not be read."""
    rel = relative_name(path, root)
    suffix = article_suffix(path.name)
    if suffix is None:
        return _problem(rel, "not a supported article file (.txt .md .json .jsonl .sgm .html)")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        # lstat succeeds on a dangling or looping link, stat does not
        reason = "broken symlink" if os.path.islink(path) else "file not found"
        return _problem(rel, reason)
    except OSError as error:
        return _problem(rel, _os_reason(error))
    if stat.S_ISDIR(info.st_mode):
        return _problem(rel, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # opening a FIFO would block the whole run
        return _problem(rel, "not a regular file (device, FIFO or socket)")
    if info.st_size > settings.max_file_bytes:
        return _problem(rel, too_large(info.st_size, settings.max_file_bytes))
    try:
        with open_regular(path) as handle:
            # the file may have grown since stat: never read more than the limit allows
            data = handle.read(settings.max_file_bytes + 1)
    except OSError as error:
        return _problem(rel, _os_reason(error))
    if len(data) > settings.max_file_bytes:
        return _problem(rel, too_large(len(data), settings.max_file_bytes))
    # outlet spellings folded into one value; a folder's .searchidx.toml gives the outlet and
    # language its files do not say (taken as the user wrote them)
    date_format = folder_settings(root, rel).date_format if not rel.startswith("/") else None
    read = read_bytes(data, rel, suffix, path, settings.max_file_bytes, date_format)
    rules = parse_outlet_rules(settings.outlet_rules) if settings.outlet_rules else None
    return inherit(fold_outlets(read, rules), root, rel)


def _os_reason(error: OSError) -> str:
    if error.errno is not None and error.errno == 40:  # ELOOP
        return "symlink loop"
    if isinstance(error, PermissionError):
        return "cannot read: permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    if error.strerror == NOT_REGULAR:
        return NOT_REGULAR
    return f"cannot read: {error.strerror or error}"


def read_bytes(
    data: bytes,
    rel: str,
    suffix: str,
    path: Path | None = None,
    limit: int = DEFAULT_SETTINGS.max_file_bytes,
    date_format: str | None = None,
) -> ReadResult:
    """Read the content of one file (already loaded) with the reader for `suffix`; `limit`
    bounds its size after decompression; `date_format` is how front matter and JSON dates are
    written (a folder's `.searchidx.toml`)."""
    try:
        return _valid(_dispatch(data, rel, suffix, path, limit, date_format), rel)
    except MemoryError:
        raise  # the reading worker's memory budget: the caller names it
    except Exception as error:  # noqa: BLE001 - a reader bug must cost one file, not the run
        detail = str(error).splitlines()[0] if str(error) else ""
        name = type(error).__name__
        return _problem(
            rel, f"reader failed ({name}: {detail})" if detail else f"reader failed ({name})"
        )


def _valid(result: ReadResult, rel: str) -> ReadResult:
    """The result with lone surrogates replaced (no encoder downstream accepts them) and each
    article within the size caps (`caps.py`), and a warning for the file saying so."""
    articles, replaced, cut = [], 0, []
    for article in result.articles:
        clean, count = scrub_article(article)
        clean, warning = cap_article(clean, rel)
        articles.append(clean)
        replaced += count
        cut.extend([warning] if warning else [])
    problems = tuple(replace(p, reason=scrub(p.reason)[0]) for p in result.problems) + tuple(cut)
    if replaced:
        reason = f"{replaced} invalid Unicode character(s) (lone surrogates) replaced with U+FFFD"
        problems += (Problem(rel, reason, skipped=False),)
    elif problems == result.problems:
        return result
    return ReadResult(tuple(articles), problems)


def _dispatch(
    data: bytes, rel: str, suffix: str, path: Path | None, limit: int, date_format: str | None
) -> ReadResult:
    if suffix in (".txt", ".md"):
        from searchidx.corpus.readers.text import read_text

        return read_text(data, rel, markdown=suffix == ".md", date_format=date_format)
    if suffix in (".json", ".jsonl"):
        from searchidx.corpus.readers.jsonl import read_json, read_jsonl

        reader = read_jsonl if suffix == ".jsonl" else read_json
        return reader(data, rel, date_format)
    if suffix == ".sgm":
        from searchidx.corpus.readers.sgml import read_sgml

        return read_sgml(data, rel)
    if suffix in HTML_SUFFIXES:
        try:
            from searchidx.corpus.readers.html import read_html
        except ModuleNotFoundError as error:
            if error.name != "searchidx.corpus.readers.html":
                raise
            return _problem(rel, "HTML reader not available")
        return read_html(path if path is not None else Path(rel), rel, data, limit)
    return _problem(rel, f"no reader for {suffix} files")
