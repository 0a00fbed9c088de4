"""Batch-search files: one query a line, or one column of a CSV file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from searchidx.workset.watchlist import WatchlistError


def read_queries(path: Path, column: str | None = None) -> list[str]:
    """The queries of a file, in order; blank lines skipped. With `column`, the file is CSV with a
    header and the queries are that column's cells (a name or a 1-based number)."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as error:
        raise WatchlistError(f"cannot read the queries file {path}: {error.strerror}") from error
    if column is None:
        return [line.strip() for line in text.splitlines() if line.strip()]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    if column in header:
        at = header.index(column)
    elif column.isdigit() and 1 <= int(column) <= len(header):
        at = int(column) - 1
    else:
        raise WatchlistError(
            f"{path} has no column {column!r} (columns: {', '.join(header) or 'none'})"
        )
    return [row[at].strip() for row in rows[1:] if len(row) > at and row[at].strip()]
