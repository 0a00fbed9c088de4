"""Rendering the working set's summary rows (watch, `query --queries`, saved searches) as text,
JSON, JSONL and CSV; the hits inside a row are the one record shape of search.records."""

from __future__ import annotations

from collections.abc import Sequence

from searchidx.search.records import Record, csv_text, dumps, hit_record
from searchidx.search.worksets import Summary

SUMMARY_COLUMNS = ("query", "total", "new", "first", "last", "outlets", "hits", "error")


def outlets_text(row: Summary) -> str:
    return ", ".join(f"{name} {count}" for name, count in row.outlets)


def summary_record(row: Summary, label: str = "query") -> Record:
    """One row as JSON: `label` (query or name), counts, dates, outlets, hits, error."""
    record: Record = {
        label: row.label,
        "total": row.total,
        "first": row.first.isoformat() if row.first else None,
        "last": row.last.isoformat() if row.last else None,
        "outlets": [{"outlet": name, "count": count} for name, count in row.outlets],
        "hits": [hit_record(h) for h in row.hits],
        "error": row.error,
    }
    if row.new is not None:
        record["new"] = row.new
    return record


def render_summaries(
    rows: Sequence[Summary], fmt: str, label: str = "query", extra: Sequence[Record] = ()
) -> str:
    """The rows in `fmt`; `extra`: more keys per row (a watched name's kind and aliases)."""
    records = [summary_record(r, label) for r in rows]
    for record, more in zip(records, extra, strict=False):
        record.update(more)
    if fmt == "json":
        return dumps(records)
    if fmt == "jsonl":
        return "\n".join(dumps(r) for r in records)
    if fmt == "csv":
        columns = (label, *SUMMARY_COLUMNS[1:])
        return csv_text(
            columns,
            (
                [
                    r.label,
                    r.total,
                    "" if r.new is None else r.new,
                    r.first.isoformat() if r.first else "",
                    r.last.isoformat() if r.last else "",
                    outlets_text(r),
                    "; ".join(h.id for h in r.hits),
                    r.error or "",
                ]  # fmt: skip
                for r in rows
            ),
        )
    return "\n\n".join(summary_text(r) for r in rows)


def summary_text(row: Summary) -> str:
    if row.error is not None:
        return f"{row.label}\n  error: {row.error}"
    noun = "article" if row.total == 1 else "articles"
    head = f"{row.label}\n  {row.total} {noun}"
    if row.new is not None:
        head += f" ({row.new} new)"
    if row.first:
        span = row.first.isoformat()
        if row.last and row.last != row.first:
            span += f" .. {row.last.isoformat()}"
        head += f", {span}"
    if row.outlets:
        head += f", {outlets_text(row)}"
    lines = [head]
    for hit in row.hits:
        day = hit.published.date().isoformat() if hit.published else "undated"
        lines.append(f"  - {hit.title} · {hit.outlet or '-'} · {day} · {hit.id}")
    return "\n".join(lines)
