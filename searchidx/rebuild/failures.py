"""The failure report: problems grouped by reason and file, counted in files, with the fix that
applies to each reason (an ignore file, an encoding, the size limit, a retry).

A JSON file of 50 records without text is one file in the report, not 50 lines; the count the
CLI prints is of files, as the rebuild's summary counts them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from searchidx.models import Problem

_RECORD = re.compile(r"^(?:record|line) [\d,]+: ")
_NUMBER = re.compile(r"\d[\d,.]*")

# reason words -> the fix; the first that matches applies (checked in order)
_FIXES = (
    (
        ("no text", "not an object", "no records", "not JSON", "not a Reuters", "<REUTERS>"),
        "if these files are not articles, list them in .searchidxignore in the corpus folder "
        "(a pattern a line, as in .gitignore, e.g. `meta/*.json`)",
    ),
    (
        ("too large",),
        "raise the size limit (SEARCHIDX_MAX_FILE_BYTES=BYTES searchidx rebuild) or list them "
        "in .searchidxignore",
    ),
    (
        ("not valid UTF-8", "decod", "encoding", "UTF-16"),
        "save them as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), then `searchidx rebuild`",
    ),
    (
        ("attributes", "nested", "malformed", "not closed", "not parsed"),
        "malformed, or too deep to read safely: repair them, or list them in .searchidxignore",
    ),
    (
        ("no article text",),
        "pages without an article (an index, a login page): list them in .searchidxignore",
    ),
    (
        ("--file-timeout",),
        "`searchidx rebuild --retry-failed --file-timeout SECONDS` gives them longer",
    ),
    (
        ("process died",),
        "`searchidx rebuild --retry-failed` (with fewer --jobs if memory ran out)",
    ),
    (
        ("cannot read", "permission", "cannot list", "No such file"),
        "make them readable, then `searchidx rebuild --retry-failed`",
    ),
)
BINARY_FIX = "not articles: list them in .searchidxignore in the corpus folder"


@dataclass
class FailureGroup:
    """One reason, the files that failed for it, and the records of each (0: the whole file)."""

    reason: str
    files: dict[str, int] = field(default_factory=dict)  # path -> records failed in it
    fix: str = ""

    def file_lines(self) -> list[str]:
        return [
            path + (f" ({records:,} records)" if records > 1 else "")
            for path, records in self.files.items()
        ]


def _key(reason: str) -> str:
    return _NUMBER.sub("N", _RECORD.sub("", reason))


def fix_for(reason: str) -> str:
    if "binary" in reason or "empty file" in reason:
        return BINARY_FIX
    for words, fix in _FIXES:
        if any(word in reason for word in words):
            return fix
    return "fix the files, then `searchidx rebuild --retry-failed` re-reads only them"


def failed_files(problems: Sequence[Problem]) -> int:
    """Files (not records) that failed."""
    return len({p.path for p in problems if p.skipped})


def group_failures(problems: Sequence[Problem], skipped: bool = True) -> list[FailureGroup]:
    """Failures (or, `skipped` False, warnings) grouped by reason, largest group first; numbers
    in a reason (record numbers, sizes) do not split a group, whose reason is then its key."""
    groups: dict[str, FailureGroup] = {}
    for problem in problems:
        if problem.skipped != skipped:
            continue
        key = _key(problem.reason)
        group = groups.get(key)
        if group is None:
            reason = _RECORD.sub("", problem.reason)
            group = groups[key] = FailureGroup(reason, fix=fix_for(problem.reason))
        elif _RECORD.sub("", problem.reason) != group.reason:
            group.reason = key
        group.files[problem.path] = group.files.get(problem.path, 0) + 1
    return sorted(groups.values(), key=lambda g: -len(g.files))


def report_lines(problems: Sequence[Problem], listed: int | None = None) -> list[str]:
    """The grouped report as lines: per reason its file count, the files (the first `listed`
    of each group, all when None) and the fix; then the warnings, grouped the same way."""
    lines: list[str] = []
    for skipped in (True, False):
        for group in group_failures(problems, skipped):
            count = len(group.files)
            label = "failed" if skipped else "warning"
            lines.append(f"  {label}: {group.reason}: {count:,} file{'' if count == 1 else 's'}")
            shown = group.file_lines()
            for line in shown[:listed] if listed is not None else shown:
                lines.append(f"    {line}")
            if listed is not None and len(shown) > listed:
                lines.append(f"    ... and {len(shown) - listed:,} more: see `searchidx status`")
            if skipped:
                lines.append(f"    fix: {group.fix}")
    return lines
