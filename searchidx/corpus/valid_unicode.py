"""Valid Unicode only: lone surrogates (from `"\\ud800"` in JSON, `&#55296;` in SGML or HTML)
replaced with U+FFFD before an article leaves the readers.

A lone surrogate is a code point no encoder accepts: spaCy, the engine's terms and every output
stream fail on it with UnicodeEncodeError. Python strings never hold a valid surrogate pair (a
decoder joins the pair into one code point), so any code point in U+D800..U+DFFF is lone.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from searchidx.models import Article

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> tuple[str, int]:
    """`text` with each lone surrogate replaced by U+FFFD, and how many there were."""
    if text.isascii():
        return text, 0
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.subn(REPLACEMENT, text)
    return text, 0


def scrub_article(article: Article, *, keep_id: bool = False) -> tuple[Article, int]:
    """The article with every text field valid Unicode, and how many surrogates were replaced.

    `keep_id` leaves `id` and `path` as they are: an index written before this check keys its
    documents by them, and an article must stay deletable by the id it was stored under.
    """
    changes: dict[str, object] = {}
    total = 0
    for item in fields(Article):
        if keep_id and item.name in ("id", "path"):
            continue
        value = getattr(article, item.name)
        if isinstance(value, str):
            clean, count = scrub(value)
            if count:
                changes[item.name], total = clean, total + count
        elif isinstance(value, tuple) and value and isinstance(value[0], str):
            parts = [scrub(part) for part in value]
            count = sum(found for _, found in parts)
            if count:
                changes[item.name], total = tuple(part for part, _ in parts), total + count
    return (replace(article, **changes) if changes else article), total  # type: ignore[arg-type]
