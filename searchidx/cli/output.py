"""CLI renderers: results and articles as text; as JSON, JSONL or CSV through search.records.

Every text taken from an article passes `terminal.visible` here, before any style is added, so
that a colour terminal gets the renderers' styles and nothing an article brings (see
cli/terminal.py; the CLI prints through `terminal.echo`, which sanitises again)."""

from __future__ import annotations

import os
from typing import TextIO

from searchidx.cli.terminal import BOLD as _BOLD
from searchidx.cli.terminal import DIM as _DIM
from searchidx.cli.terminal import RESET as _RESET
from searchidx.cli.terminal import YELLOW as _YELLOW
from searchidx.cli.terminal import visible
from searchidx.models import Hit, SearchResults, Snippet, StoredArticle
from searchidx.search.records import (
    article_record,
    copy_text,
    dumps,
    hit_record,
    hits_csv,
    published_text,
    results_record,
)


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def mark(text: str, spans: tuple[tuple[int, int], ...], colour: bool, resume: str = "") -> str:
    """The text with its spans shown: bold yellow on a terminal, [brackets] elsewhere; control
    characters made visible piece by piece (the spans are offsets into the raw text).
    `resume`: the style to return to after each span (the reset ends every style)."""
    out, last = [], 0
    opening, closing = (_YELLOW, _RESET + resume) if colour else ("[", "]")
    for start, end in spans:
        out += [visible(text[last:start]), opening, visible(text[start:end]), closing]
        last = end
    out.append(visible(text[last:]))
    return "".join(out)


def hit_text(hit: Hit, colour: bool) -> str:
    title = mark(hit.title, hit.title_spans, colour, _BOLD)
    title = f"{_BOLD}{title}{_RESET}" if colour else title
    meta = visible(" · ".join(x for x in (hit.outlet, published_text(hit), hit.id) if x))
    lines = [title, f"{_DIM}{meta}{_RESET}" if colour else meta]
    lines += [f"  {snippet_text(s, colour)}" for s in hit.snippets]
    if hit.copies:
        also = visible("also in: " + "; ".join(copy_text(c) for c in hit.copies))
        lines.append(f"  {_DIM}{also}{_RESET}" if colour else f"  {also}")
    return "\n".join(lines)


def snippet_text(snippet: Snippet, colour: bool) -> str:
    """A marked snippet, with "…" only where it was cut out of a longer text."""
    before = "…" if snippet.cut_start else ""
    after = "…" if snippet.cut_end else ""
    return f"{before}{mark(snippet.text, snippet.spans, colour)}{after}"


def counted(count: int, noun: str, nouns: str = "") -> str:
    """`1 article`, `2 articles` (`nouns`: an irregular plural, e.g. stories)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def totals_text(results: SearchResults) -> str:
    """`152 articles (131 after collapsing copies)`; the second number only when it differs."""
    head = counted(results.total, "article")
    folded = results.collapsed_total
    if folded is not None and folded != results.total:
        head += f" ({folded:,} after collapsing copies)"
    return head


def results_text(results: SearchResults, with_facets: bool, colour: bool) -> str:
    first = results.request.offset + 1
    last = results.request.offset + len(results.hits)
    head = totals_text(results)
    if results.hits:
        head += f", showing {first}-{last}"
    blocks = [head]
    if results.suggestion:
        blocks.append(visible(f"did you mean: {results.suggestion}"))
    blocks += [hit_text(h, colour) for h in results.hits]
    if with_facets:
        for name, counts in results.facets:
            rows = [
                f"  {'-' if c.excluded else '*' if c.selected else ' '} {c.value}  {c.count}"
                for c in counts
            ]
            blocks.append(visible("\n".join([f"{name}:", *rows]) if rows else f"{name}: (none)"))
        for name, reason in results.facet_errors:
            blocks.append(visible(f"{name}: could not be counted ({reason})"))
    return "\n\n".join(blocks)


def render_results(results: SearchResults, fmt: str, with_facets: bool, colour: bool) -> str:
    if fmt == "json":
        return dumps(results_record(results, with_facets))
    if fmt == "jsonl":
        return "\n".join(dumps(hit_record(h)) for h in results.hits)
    if fmt == "csv":
        return hits_csv(results.hits)
    return results_text(results, with_facets, colour)


def render_article(
    article: StoredArticle, fmt: str, colour: bool, snippets: tuple[Snippet, ...] = ()
) -> str:
    if fmt == "json":
        return dumps(article_record(article, snippets))
    hit = article.hit
    title = visible(hit.title)
    fields = [
        f"id:            {hit.id}",
        f"path:          {hit.path}",
        f"outlet:        {hit.outlet or '-'}",
        f"published:     {published_text(hit) or 'unknown'}",
        f"authors:       {'; '.join(hit.authors) or '-'}",
        f"url:           {hit.url or '-'}",
        f"people:        {'; '.join(hit.people) or '-'}",
        f"organisations: {'; '.join(hit.organisations) or '-'}",
        f"places:        {'; '.join(hit.places) or '-'}",
        *([f"tags:          {' '.join(hit.tags)}"] if hit.tags else []),
        *([f"note:          {hit.note}"] if hit.note else []),
    ]
    lines = [
        f"{_BOLD}{title}{_RESET}" if colour else title,
        *(visible(line) for line in fields),
        "",
        mark(article.body, article.body_spans, colour),
    ]
    return "\n".join(lines)
