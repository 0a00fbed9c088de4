"""JSON and JSON Lines articles: one article per object, with the usual field names.

A .json file holds one object (one article, id = the file's path), a list of objects, or an object
wrapping such a list ("articles", "items", ...). A .jsonl file holds one object per line. In a file
of several records the N-th (1-based) gets the id `path#N`, or `path#<id>` when it has its own id.
A record that is not an object or has no text is reported; the others are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from searchidx.corpus.dates import read_date
from searchidx.corpus.readers.text import (
    MAX_TITLE,
    decode,
    headline,
    looks_binary,
    shorten,
    split_authors,
)
from searchidx.models import Article, Problem, ReadResult

TEXT_FIELDS = ("text", "body", "content", "article", "maintext")
TITLE_FIELDS = ("title", "headline")
OUTLET_FIELDS = ("outlet", "source", "publisher", "site", "site_name", "source_domain")
DATE_FIELDS = ("date", "published", "publishedAt", "published_at", "date_publish", "pubDate")
URL_FIELDS = ("url", "link")
AUTHOR_FIELDS = ("authors", "author", "byline")
LANGUAGE_FIELDS = ("language", "lang")
WRAPPERS = ("articles", "items", "documents", "docs", "records", "data", "results")
# Parsed JSON costs ~60-200 bytes per object or list: 15 MB of `{}` became ~400 MB. A text (a
# file or a JSONL line) with more `{` and `[` than this is refused unparsed (issue 22, item 13).
MIN_CONTAINERS = 100_000  # never refused below this many
BYTES_PER_CONTAINER = 32  # above it, at least this many characters per object or list


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _string(value: Any) -> str | None:
    """A field as text: strings as they are, lists of strings joined into paragraphs,
    objects by their name ({"id": "cnn", "name": "CNN"} as NewsAPI gives sources)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return "\n\n".join(item.strip() for item in value if item.strip()) or None
    if isinstance(value, dict):
        return _string(value.get("name"))
    return None


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        names = (_string(item) for item in value)
        return tuple(dict.fromkeys(name for name in names if name))
    text = _string(value)
    return split_authors(text) if text else ()


def _record_id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text or None


def read_record(
    record: Any, rel: str, article_id: str, label: str, date_format: str | None = None
) -> tuple[Article | None, list[Problem]]:
    """One JSON value as an article; `label` names it in messages ("record 3"); `date_format`
    is how its date is written (a folder's `.searchidx.toml`)."""
    prefix = f"{label}: " if label else ""
    if not isinstance(record, dict):
        kind = {list: "a list", str: "a string", type(None): "null"}.get(type(record), "a value")
        return None, [Problem(rel, f"{prefix}not an object ({kind})")]
    body = _string(_first(record, TEXT_FIELDS))
    if body is None:
        return None, [Problem(rel, f"{prefix}no text (expected a text, body or content field)")]
    problems: list[Problem] = []
    title = _string(_first(record, TITLE_FIELDS)) or headline(body) or article_id
    outcome = read_date(_first(record, DATE_FIELDS), date_format=date_format)
    if outcome.warning:
        problems.append(Problem(rel, prefix + outcome.warning, skipped=False))
    published = outcome.parsed
    article = Article(
        id=article_id,
        path=rel,
        title=shorten(title, MAX_TITLE),
        body=body,
        outlet=_string(_first(record, OUTLET_FIELDS)),
        published=published.published if published else None,
        date_only=published.date_only if published else False,
        authors=_authors(_first(record, AUTHOR_FIELDS)),
        url=_string(_first(record, URL_FIELDS)),
        language=_string(_first(record, LANGUAGE_FIELDS)),
    )
    return article, problems


def _read_records(
    records: Iterator[tuple[int, Any]], rel: str, date_format: str | None = None
) -> ReadResult:
    """Records of a multi-article file, numbered 1.. in file order."""
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, record in records:
        if isinstance(record, Problem):
            problems.append(record)
            continue
        own = _record_id(record) if isinstance(record, dict) else None
        article_id = f"{rel}#{own}" if own else f"{rel}#{number}"
        if article_id in seen:
            problems.append(
                Problem(rel, f"record {number}: id {own!r} used twice; kept as #{number}", False)
            )
            article_id = f"{rel}#{number}"
        article, found = read_record(record, rel, article_id, f"record {number}", date_format)
        problems.extend(found)
        if article is not None:
            seen.add(article.id)
            articles.append(article)
    if not articles and not problems:
        problems.append(Problem(rel, "no records"))
    return ReadResult(tuple(articles), tuple(problems))


def _decoded(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    if looks_binary(data):
        return None, [Problem(rel, "binary file, not JSON")]
    text, warning = decode(data, rel)
    if not text.strip():
        return None, [Problem(rel, "empty file")]
    return text, [warning] if warning else []


def crowded(text: str) -> str | None:
    """Why `text` is not parsed, when it opens too many objects and lists for its size."""
    count = text.count("{") + text.count("[")
    if count <= max(MIN_CONTAINERS, len(text) // BYTES_PER_CONTAINER):
        return None
    return (
        f"{count:,} objects and lists in {len(text):,} characters (more than one per "
        f"{BYTES_PER_CONTAINER} characters): not parsed"
    )


def read_json(data: bytes, rel: str, date_format: str | None = None) -> ReadResult:
    """A .json file: one article, or one per object of a (wrapped) list."""
    text, problems = _decoded(data, rel)
    if text is None:
        return ReadResult(problems=tuple(problems))
    refused = crowded(text)
    if refused:
        return ReadResult(problems=(*problems, Problem(rel, refused)))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}"
        return ReadResult(problems=(*problems, Problem(rel, reason)))
    except RecursionError:
        return ReadResult(problems=(*problems, Problem(rel, "malformed JSON: nested too deeply")))
    if isinstance(value, dict):
        wrapped = next((value[key] for key in WRAPPERS if isinstance(value.get(key), list)), None)
        if wrapped is not None and _first(value, TEXT_FIELDS) is None:
            value = wrapped
    if isinstance(value, list):
        result = _read_records(iter(enumerate(value, start=1)), rel, date_format)
        return ReadResult(result.articles, (*problems, *result.problems))
    article, found = read_record(value, rel, rel, "", date_format)
    return ReadResult((article,) if article else (), (*problems, *found))


def _lines(text: str, rel: str) -> Iterator[tuple[int, Any]]:
    number = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        number += 1
        refused = crowded(line)
        if refused:
            yield number, Problem(rel, f"line {line_number}: {refused}")
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield number, Problem(rel, f"line {line_number}: malformed JSON: {error.msg}")
        except RecursionError:
            yield number, Problem(rel, f"line {line_number}: malformed JSON: nested too deeply")


def read_jsonl(data: bytes, rel: str, date_format: str | None = None) -> ReadResult:
    """A .jsonl file: one article per line; a bad line is reported and the others are read."""
    text, problems = _decoded(data, rel)
    if text is None:
        return ReadResult(problems=tuple(problems))
    result = _read_records(_lines(text, rel), rel, date_format)
    return ReadResult(result.articles, (*problems, *result.problems))
