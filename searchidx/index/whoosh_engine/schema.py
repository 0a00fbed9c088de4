"""The whoosh schema: the one place index fields are declared, and Article <-> document."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from whoosh import fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from searchidx.corpus.dates import day_number
from searchidx.index.whoosh_engine.analysis import body_analyzer, title_analyzer
from searchidx.models import Article

# Multi-valued keyword fields hold values joined by this separator (entity names may hold commas).
SEP = "\x1f"
# An empty multi-valued field gets this value, because whoosh crashes counting facets through term
# vectors on a document that has none (whoosh-notes trap 5). Search and facets hide it.
EMPTY = "\x00none"
# whoosh's BM25F scores each field on its own and adds them up, so a word in the headline that is
# also in the body already counts twice. The boost multiplies the title's stored word counts;
# ranking undoes it and weighs the title's score instead (reader.TITLE_WEIGHT, as tantivy does).
# Kept at 0.5 so that existing indexes stay valid (changing it changes the stored postings).
TITLE_BOOST = 0.5


def _values_field(stored: bool = True) -> fields.KEYWORD:
    # Exact values (case kept for display), one token per value, term vectors for facet counting.
    return fields.KEYWORD(
        stored=stored,
        scorable=False,
        vector=True,
        analyzer=RegexTokenizer(expression=r"[^\x1f]+"),
    )


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        title=fields.TEXT(stored=True, analyzer=title_analyzer(), field_boost=TITLE_BOOST),
        body=fields.TEXT(stored=True, analyzer=body_analyzer(), phrase=True),
        outlet=fields.ID(stored=True, sortable=True),
        outlet_key=fields.ID(),  # lowercased outlet, for case-insensitive `outlet:` queries
        published=fields.STORED(),  # ISO 8601 string, or None
        date_only=fields.STORED(),
        published_ts=fields.NUMERIC(numtype=int, bits=64, signed=True, sortable=True),
        day=fields.NUMERIC(numtype=int, bits=32, signed=False, sortable=True, stored=True),
        month=fields.ID(sortable=True),  # "2016-04", "" when undated
        year=fields.ID(sortable=True),  # "2016", "" when undated
        authors=fields.KEYWORD(
            stored=True, analyzer=RegexTokenizer(expression=r"[^\x1f]+") | LowercaseFilter()
        ),
        url=fields.STORED(),
        language=fields.ID(stored=True),
        people=_values_field(),
        organisations=_values_field(),
        places=_values_field(),
        entities_done=fields.ID(),  # "1" once entity recognition ran (or was not wanted), else "0"
        content_hash=fields.ID(stored=True),
    )


def join_values(values: tuple[str, ...] | list[str]) -> str:
    clean = [v for v in values if v]
    return SEP.join(clean) if clean else EMPTY


def split_values(stored: str | None) -> tuple[str, ...]:
    if not stored or stored == EMPTY:
        return ()
    return tuple(v for v in stored.split(SEP) if v)


def article_document(
    article: Article, content_hash: str = "", entities_done: bool = True
) -> dict[str, object]:
    """The whoosh document for an article (the fields passed to `writer.add_document`)."""
    day = article.day
    published = article.published
    doc: dict[str, object] = {
        "id": article.id,
        "path": article.path,
        "title": article.title or "",
        "body": article.body or "",
        "outlet": article.outlet or "",
        "outlet_key": (article.outlet or "").lower(),
        "published": (day.isoformat() if article.date_only and day else published.isoformat())
        if published
        else None,
        "date_only": article.date_only,
        "published_ts": int(published.timestamp()) if published else 0,
        "day": day_number(article.day),
        "month": f"{day.year:04d}-{day.month:02d}" if day else "",
        "year": f"{day.year:04d}" if day else "",
        "authors": join_values(article.authors),
        "url": article.url,
        "language": article.language or "",
        "people": join_values(article.people),
        "organisations": join_values(article.organisations),
        "places": join_values(article.places),
        "entities_done": "1" if entities_done else "0",
        "content_hash": content_hash,
    }
    return doc


def article_from_stored(stored: dict[str, object]) -> Article:
    """Rebuild an Article from a document's stored fields (inverse of `article_document`)."""
    published_raw = stored.get("published")
    published: datetime | None = None
    date_only = bool(stored.get("date_only"))
    if isinstance(published_raw, str) and published_raw:
        parsed = datetime.fromisoformat(published_raw)
        published = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return Article(
        id=str(stored["id"]),
        path=str(stored.get("path", "")),
        title=str(stored.get("title", "")),
        body=str(stored.get("body", "")),
        outlet=str(stored.get("outlet") or "") or None,
        published=published,
        date_only=date_only,
        authors=split_values(str(stored.get("authors") or "")),
        url=(str(stored["url"]) if stored.get("url") else None),
        language=str(stored.get("language") or "") or None,
        people=split_values(str(stored.get("people") or "")),
        organisations=split_values(str(stored.get("organisations") or "")),
        places=split_values(str(stored.get("places") or "")),
    )


# 3: CJK bigrams and Thai words (index/unspaced.py); older generations are rebuilt whole
SCHEMA_VERSION = 3
SCHEMA_FINGERPRINT = json.dumps({"version": SCHEMA_VERSION})
