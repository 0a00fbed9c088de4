"""The one record shape of a hit, an article and a page of results, for every export.

`searchidx query --format json|jsonl|csv`, `show --format json`, the story renderers and the TUI's
export all write these records, so their keys, key order and CSV columns agree. The JSON keys
are a contract (pinned by tests/cli/test_query_cli.py): keys may be added, never renamed or
removed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

from searchidx.models import ENTITY_FIELDS, Copy, Hit, SearchResults, Snippet, StoredArticle

# A JSON value as the records hold it (Sequence and Mapping: a record's lists are JSON too).
Json: TypeAlias = str | int | float | bool | None | Sequence["Json"] | Mapping[str, "Json"]
Record: TypeAlias = dict[str, Json]

CSV_COLUMNS: tuple[str, ...] = (
    "id", "path", "title", "outlet", "published", "authors", "url", "score",
    *ENTITY_FIELDS, "snippet", "tags", "note", "copies",
)  # fmt: skip
# A CSV cell holding several values joins them with this, and a hit's snippets with SNIPPET_JOIN.
VALUES_JOIN = "; "
SNIPPET_JOIN = " … "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def published_text(hit: Hit | Copy) -> str | None:
    """ISO 8601; a date-only value as YYYY-MM-DD; None when unknown."""
    if hit.published is None:
        return None
    return hit.published.date().isoformat() if hit.date_only else hit.published.isoformat()


def spans_list(spans: tuple[tuple[int, int], ...]) -> list[Json]:
    return [[start, end] for start, end in spans]


def snippet_record(snippet: Snippet) -> Record:
    return {"text": snippet.text, "spans": spans_list(snippet.spans)}


def hit_record(hit: Hit) -> Record:
    """A hit as JSON: the object of `query --format json|jsonl` and of the TUI's .jsonl export."""
    return {
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": published_text(hit),
        "authors": list(hit.authors),
        "url": hit.url,
        "score": hit.score,
        "people": list(hit.people),
        "organisations": list(hit.organisations),
        "places": list(hit.places),
        "snippets": [snippet_record(s) for s in hit.snippets],
        "language": hit.language,
        "title_spans": spans_list(hit.title_spans),
        "tags": list(hit.tags),
        "note": hit.note,
        "copies": [copy_record(c) for c in hit.copies],
    }


def copy_record(copy: Copy) -> Record:
    """Another copy of a hit's article (`query` folds copies into one hit unless --all-copies)."""
    return {
        "id": copy.id,
        "path": copy.path,
        "outlet": copy.outlet,
        "published": published_text(copy),
    }


def copy_text(copy: Copy) -> str:
    """`path (outlet, date)`: one copy as the text output's and the CSV's "also in" list it."""
    about = ", ".join(x for x in (copy.outlet, published_text(copy)) if x)
    return f"{copy.path} ({about})" if about else copy.path


def hit_row(hit: Hit) -> list[str | float]:
    """A hit as CSV cells, in the order of CSV_COLUMNS; unknown values are empty cells."""
    return [
        hit.id, hit.path, hit.title, hit.outlet or "", published_text(hit) or "",
        VALUES_JOIN.join(hit.authors), hit.url or "", hit.score,
        *(VALUES_JOIN.join(getattr(hit, kind)) for kind in ENTITY_FIELDS),
        SNIPPET_JOIN.join(s.text for s in hit.snippets),
        VALUES_JOIN.join(hit.tags), hit.note, VALUES_JOIN.join(copy_text(c) for c in hit.copies),
    ]  # fmt: skip


def csv_cell(value: str | int | float) -> str | int | float:
    """A text cell a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a
    carriage return) gets a leading apostrophe, as OWASP's CSV injection advice says."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str | int | float]]) -> str:
    """A header and rows as CSV, "\\n" between lines and none after the last; text cells
    neutralised by `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def hits_csv(hits: Iterable[Hit]) -> str:
    return csv_text(CSV_COLUMNS, (hit_row(h) for h in hits))


def article_record(article: StoredArticle, snippets: tuple[Snippet, ...] = ()) -> Record:
    """Every key of a hit (`score` null: nothing was ranked), plus the body and its spans."""
    record = hit_record(article.hit)
    record["score"] = None
    record["snippets"] = [snippet_record(s) for s in snippets]
    record["body"] = article.body
    record["body_spans"] = spans_list(article.body_spans)
    return record


def results_record(results: SearchResults, with_facets: bool) -> Record:
    """A page of results: the query, counts, hits and (when asked) facet counts."""
    record: Record = {
        "query": results.request.query,
        "parsed_query": results.parsed_query,
        "total": results.total,
        # matches with copies folded into one hit (null: every copy is a hit, --all-copies)
        "collapsed_total": results.collapsed_total,
        "offset": results.request.offset,
        "limit": results.request.limit,
        "hits": [hit_record(h) for h in results.hits],
        "suggestion": results.suggestion,
        "notes": list(results.notes),
        "took_ms": results.took_ms,
        "entities_pending": results.entities_pending,
    }
    if with_facets:
        record["facets"] = {
            name: [
                {"value": c.value, "count": c.count, "selected": c.selected, "excluded": c.excluded}
                for c in counts
            ]
            for name, counts in results.facets
        }
        record["facet_errors"] = dict(results.facet_errors)
    return record


# json.dumps escapes C0 controls; with ensure_ascii off it writes DEL, C1 controls and bidi
# overrides raw, which a terminal would act on (and lone surrogates, which no encoder takes: an
# undecodable byte of a `--batch` line). Written as \u escapes they decode to the same
# text (they can only occur inside JSON strings), so the JSON stays exact.
_ESCAPED = (0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
            *range(0xD800, 0xE000))  # fmt: skip
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in _ESCAPED}


def dumps(record: object, indent: int | None = None) -> str:
    """One record as one line of JSON (or indented), non-ASCII letters kept as they are and
    terminal control characters escaped."""
    return json.dumps(record, ensure_ascii=False, indent=indent).translate(_JSON_ESCAPES)
