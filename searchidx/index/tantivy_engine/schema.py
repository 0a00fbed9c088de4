"""The tantivy schema, Article <-> tantivy document, and the text analysis both engines share.

Text is analysed in Python by the analysis the whoosh engine indexes with (Porter2 as whoosh
implements it, its stop words, renumbered positions) and given to tantivy as pre-tokenised
text, so both engines hold the same terms at the same positions and a query's totals agree.
tantivy's own `en_stem` is Snowball 2, which stems 39 of BBC News's 30,455 distinct words
differently (`added`, `university`, `evening`: `python -m bench.stemmers`, docs/index-design.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import tantivy

from searchidx.corpus.dates import day_number
from searchidx.index.whoosh_engine.analysis import (
    Columns,
    analyze_text,
    index_columns,
    index_tokens,
    text_tokens,
)
from searchidx.models import Article

__all__ = ["analyze_text", "index_tokens", "text_tokens"]

SUBDIR = "tantivy"  # the index's folder inside a generation
TEXT_FIELDS = ("title", "body")
# exact values, one term each (a multi-valued field holds several)
KEYWORD_FIELDS = (
    "id",
    "outlet",
    "outlet_key",
    "month",
    "year",
    "authors",
    "language",
    "people",
    "organisations",
    "places",
    "entities_done",
    "content_hash",
)
FAST_KEYWORDS = ("outlet", "month", "year")
STORED_ONLY = ("path", "published", "url", "author_names")
NUMBER_FIELDS = ("day", "published_ts")
SCHEMA_VERSION = 2  # 2: CJK bigrams and Thai words, as the whoosh schema's 3
SCHEMA_FINGERPRINT = json.dumps({"engine": "tantivy", "version": SCHEMA_VERSION})


def make_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        # the tokenizer is never used: text arrives pre-tokenised
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="position")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(
            name,
            stored=True,
            tokenizer_name="raw",
            index_option="basic",
            fast=name in FAST_KEYWORDS,
        )
    for name in STORED_ONLY:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("date_only", stored=True)
    builder.add_unsigned_field("day", stored=True, indexed=True, fast=True)
    builder.add_integer_field("published_ts", stored=True, indexed=True, fast=True)
    return builder.build()


def pre_tokenized(text: str, words: Columns) -> tantivy.PreTokenizedString:
    tokens = list(map(tantivy.Token, words.terms, words.positions, words.starts, words.ends))
    return tantivy.PreTokenizedString(text, tokens)


Analysed = tuple[Columns, Columns]  # a title's and a body's indexed words


def analysed(article: Article) -> Analysed:
    """The title's and body's indexed words (worker processes compute them, the writer adds
    them): `text_tokens` of each, computed as columns by `index_columns` (the same, faster)."""
    return index_columns(article.title or ""), index_columns(article.body or "")


def article_document(
    article: Article,
    content_hash: str = "",
    entities_done: bool = True,
    tokens: Analysed | None = None,
) -> tantivy.Document:
    """The tantivy document of an article; `tokens`: its `analysed` text when already known."""
    title_tokens, body_tokens = tokens if tokens is not None else analysed(article)
    doc = tantivy.Document()
    doc.add_pre_tokenized_text("title", pre_tokenized(article.title or "", title_tokens))
    doc.add_pre_tokenized_text("body", pre_tokenized(article.body or "", body_tokens))
    day, published = article.day, article.published
    if published:
        stamp = day.isoformat() if article.date_only and day else published.isoformat()
        doc.add_text("published", stamp)
    keywords: dict[str, object] = {
        "id": article.id,
        "outlet": article.outlet or "",
        "outlet_key": (article.outlet or "").lower(),
        "month": f"{day.year:04d}-{day.month:02d}" if day else "",
        "year": f"{day.year:04d}" if day else "",
        "authors": [a.lower() for a in article.authors if a],
        "author_names": [a for a in article.authors if a],
        "language": article.language or "",
        "people": list(article.people),
        "organisations": list(article.organisations),
        "places": list(article.places),
        "entities_done": "1" if entities_done else "0",
        "content_hash": content_hash,
        "path": article.path,
        "url": article.url or "",
    }
    for name, value in keywords.items():
        for one in value if isinstance(value, list) else [value]:
            if one:
                doc.add_text(name, str(one))
    doc.add_unsigned("date_only", 1 if article.date_only else 0)
    doc.add_unsigned("day", day_number(day))
    doc.add_integer("published_ts", int(published.timestamp()) if published else 0)
    return doc


def _first(fields: Mapping[str, list[Any]], name: str) -> str:
    values = fields.get(name) or []
    return str(values[0]) if values else ""


def _all(fields: Mapping[str, list[Any]], name: str) -> tuple[str, ...]:
    return tuple(str(v) for v in fields.get(name) or [] if v)


def article_from_stored(fields: Mapping[str, list[Any]]) -> Article:
    """The Article of a stored document (`Document.to_dict()`), inverse of `article_document`."""
    published_raw = _first(fields, "published")
    published: datetime | None = None
    if published_raw:
        parsed = datetime.fromisoformat(published_raw)
        published = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return Article(
        id=_first(fields, "id"),
        path=_first(fields, "path"),
        title=_first(fields, "title"),
        body=_first(fields, "body"),
        outlet=_first(fields, "outlet") or None,
        published=published,
        date_only=bool((fields.get("date_only") or [0])[0]),
        authors=_all(fields, "author_names"),
        url=_first(fields, "url") or None,
        language=_first(fields, "language") or None,
        people=_all(fields, "people"),
        organisations=_all(fields, "organisations"),
        places=_all(fields, "places"),
    )
