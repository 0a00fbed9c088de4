"""Size caps on what one article may carry into the index (issue 22, item 13).

A file under the size limit may still hold one enormous article (a 19 MB JSONL line). Every
later stage pays for its text again: story signatures, snippets at query time, the stored field
read back for every hit. So each article leaving the readers has its body cut at
`MAX_BODY_CHARS` characters (at a word boundary when one is near) and its other text fields at
`MAX_FIELD_CHARS`, and the file gets a warning naming the article and what was cut. The longest
news articles run to some 100,000 characters; the caps are far above that.
"""

from __future__ import annotations

from dataclasses import fields, replace

from searchidx.models import Article, Problem

MAX_BODY_CHARS = 2_000_000  # about 2 MB of text: 20 times the longest real article
MAX_FIELD_CHARS = 2_000  # a title, outlet, URL, author name or language
_WORD_BOUNDARY = 1_000  # a cut looks this far back for a space


def _cut(text: str, limit: int) -> str:
    space = text.rfind(" ", limit - _WORD_BOUNDARY, limit)
    return text[: space if space > 0 else limit].rstrip()


def _capped_fields(article: Article) -> tuple[dict[str, object], list[str]]:
    changes: dict[str, object] = {}
    cut: list[str] = []
    for item in fields(Article):
        if item.name in ("id", "path", "body"):
            continue  # the id and path name the file: a path is bounded by the file system
        value = getattr(article, item.name)
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            changes[item.name] = _cut(value, MAX_FIELD_CHARS)
            cut.append(item.name)
        elif isinstance(value, tuple) and any(
            isinstance(part, str) and len(part) > MAX_FIELD_CHARS for part in value
        ):
            changes[item.name] = tuple(
                _cut(part, MAX_FIELD_CHARS) if len(part) > MAX_FIELD_CHARS else part
                for part in value
            )
            cut.append(item.name)
    return changes, cut


def cap_article(article: Article, rel: str) -> tuple[Article, Problem | None]:
    """The article within the caps, and a warning for its file when something was cut."""
    changes, cut = _capped_fields(article)
    notes = [f"{name} truncated at {MAX_FIELD_CHARS:,} characters" for name in cut]
    if len(article.body) > MAX_BODY_CHARS:
        changes["body"] = _cut(article.body, MAX_BODY_CHARS)
        notes.insert(
            0, f"text truncated at {MAX_BODY_CHARS:,} characters (of {len(article.body):,})"
        )
    if not changes:
        return article, None
    which = "" if article.id == rel else f"article {article.id.removeprefix(rel)}: "
    reason = which + "; ".join(notes)
    return replace(article, **changes), Problem(rel, reason, skipped=False)  # type: ignore[arg-type]
