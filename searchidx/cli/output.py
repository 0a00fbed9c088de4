"""Renderers for the CLI: search results and articles as text, JSON, JSONL or CSV.

The JSON shape is a contract (pinned by tests/cli/test_query_cli.py): keys may be added, never
renamed or removed.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

from searchidx.models import Hit, SearchResults, Snippet, StoredArticle

FORMATS = ("text", "json", "jsonl", "csv")
CSV_COLUMNS = (
    "id", "path", "title", "outlet", "published", "authors", "url", "score",
    "people", "organisations", "places", "snippet",
)  # fmt: skip
_BOLD, _YELLOW, _DIM, _RESET = "\x1b[1m", "\x1b[1;33m", "\x1b[2m", "\x1b[0m"


def use_colour(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def published_text(hit: Hit) -> str | None:
    """ISO 8601; a date-only value as YYYY-MM-DD; None when unknown."""
    if hit.published is None:
        return None
    return hit.published.date().isoformat() if hit.date_only else hit.published.isoformat()


def snippet_json(snippet: Snippet) -> dict[str, Any]:
    return {"text": snippet.text, "spans": [[start, end] for start, end in snippet.spans]}


def hit_json(hit: Hit) -> dict[str, Any]:
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
        "snippets": [snippet_json(s) for s in hit.snippets],
        "language": hit.language,
        "title_spans": [[start, end] for start, end in hit.title_spans],
    }


def results_json(results: SearchResults, with_facets: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "query": results.request.query,
        "parsed_query": results.parsed_query,
        "total": results.total,
        "offset": results.request.offset,
        "limit": results.request.limit,
        "hits": [hit_json(h) for h in results.hits],
        "suggestion": results.suggestion,
        "took_ms": results.took_ms,
        "entities_pending": results.entities_pending,
    }
    if with_facets:
        document["facets"] = {
            name: [
                {"value": c.value, "count": c.count, "selected": c.selected, "excluded": c.excluded}
                for c in counts
            ]
            for name, counts in results.facets
        }
        document["facet_errors"] = dict(results.facet_errors)
    return document


def article_json(article: StoredArticle, snippets: tuple[Snippet, ...] = ()) -> dict[str, Any]:
    """Every key of a query hit (`score` null: nothing was ranked), plus the body and its spans."""
    document = hit_json(article.hit)
    document["score"] = None
    document["snippets"] = [snippet_json(s) for s in snippets]
    document["body"] = article.body
    document["body_spans"] = [[s, e] for s, e in article.body_spans]
    return document


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)


def mark(text: str, spans: tuple[tuple[int, int], ...], colour: bool, resume: str = "") -> str:
    """The text with its spans shown: bold yellow on a terminal, [brackets] elsewhere.
    `resume`: the style to return to after each span (the reset ends every style)."""
    out, last = [], 0
    opening, closing = (_YELLOW, _RESET + resume) if colour else ("[", "]")
    for start, end in spans:
        out += [text[last:start], opening, text[start:end], closing]
        last = end
    out.append(text[last:])
    return "".join(out)


def hit_text(hit: Hit, colour: bool) -> str:
    title = mark(hit.title, hit.title_spans, colour, _BOLD)
    title = f"{_BOLD}{title}{_RESET}" if colour else title
    meta = " · ".join(x for x in (hit.outlet, published_text(hit), hit.id) if x)
    lines = [title, f"{_DIM}{meta}{_RESET}" if colour else meta]
    lines += [f"  {snippet_text(s, colour)}" for s in hit.snippets]
    return "\n".join(lines)


def snippet_text(snippet: Snippet, colour: bool) -> str:
    """A marked snippet, with "…" only where it was cut out of a longer text."""
    before = "…" if snippet.cut_start else ""
    after = "…" if snippet.cut_end else ""
    return f"{before}{mark(snippet.text, snippet.spans, colour)}{after}"


def results_text(results: SearchResults, with_facets: bool, colour: bool) -> str:
    first = results.request.offset + 1
    last = results.request.offset + len(results.hits)
    if results.hits:
        head = f"{results.total} articles, showing {first}-{last}"
    else:
        head = f"{results.total} articles"
    blocks = [head]
    if results.suggestion:
        blocks.append(f"did you mean: {results.suggestion}")
    blocks += [hit_text(h, colour) for h in results.hits]
    if with_facets:
        for name, counts in results.facets:
            rows = [
                f"  {'-' if c.excluded else '*' if c.selected else ' '} {c.value}  {c.count}"
                for c in counts
            ]
            blocks.append("\n".join([f"{name}:", *rows]) if rows else f"{name}: (none)")
        for name, reason in results.facet_errors:
            blocks.append(f"{name}: could not be counted ({reason})")
    return "\n\n".join(blocks)


def results_csv(results: SearchResults) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for hit in results.hits:
        writer.writerow([
            hit.id, hit.path, hit.title, hit.outlet or "", published_text(hit) or "",
            "; ".join(hit.authors), hit.url or "", hit.score, "; ".join(hit.people),
            "; ".join(hit.organisations), "; ".join(hit.places),
            " … ".join(s.text for s in hit.snippets),
        ])  # fmt: skip
    return buffer.getvalue().rstrip("\n")


def render_results(results: SearchResults, fmt: str, with_facets: bool, colour: bool) -> str:
    if fmt == "json":
        return dumps(results_json(results, with_facets))
    if fmt == "jsonl":
        return "\n".join(dumps(hit_json(h)) for h in results.hits)
    if fmt == "csv":
        return results_csv(results)
    return results_text(results, with_facets, colour)


def render_article(
    article: StoredArticle, fmt: str, colour: bool, snippets: tuple[Snippet, ...] = ()
) -> str:
    if fmt == "json":
        return dumps(article_json(article, snippets))
    hit = article.hit
    lines = [
        f"{_BOLD}{hit.title}{_RESET}" if colour else hit.title,
        f"id:            {hit.id}",
        f"path:          {hit.path}",
        f"outlet:        {hit.outlet or '-'}",
        f"published:     {published_text(hit) or 'unknown'}",
        f"authors:       {'; '.join(hit.authors) or '-'}",
        f"url:           {hit.url or '-'}",
        f"people:        {'; '.join(hit.people) or '-'}",
        f"organisations: {'; '.join(hit.organisations) or '-'}",
        f"places:        {'; '.join(hit.places) or '-'}",
        "",
        mark(article.body, article.body_spans, colour) if article.body_spans else article.body,
    ]
    return "\n".join(lines)
