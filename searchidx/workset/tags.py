"""Tags, stars and notes on articles, keyed to survive rebuilds, engine changes and moved files.

A mark (an article's tags and note) is stored with the article's id and path as last seen and
a fingerprint of its text (title and body, whitespace folded). Looking marks up follows the live
index: an id still there keeps its marks even when its text changed; a mark whose id is gone is
re-attached to the live article with the same fingerprint (the file moved or was renamed), found
through its title words; a mark matching neither is reported as orphaned, never dropped. Nothing
here depends on engine document numbers, which are only valid for one generation.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from searchidx.errors import SearchIdxError, UnknownArticle
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine
from searchidx.models import Article
from searchidx.workset.db import connect, db_path

STAR = "starred"  # a star is this tag: `tag:starred` finds them
_TAG_RE = re.compile(r"^[^\s\"()]{1,64}$")
_CANDIDATES = 200  # articles sharing a title checked for a moved article's fingerprint


class BadTag(SearchIdxError):
    """A tag with spaces, quotes or brackets (it could not be written in `tag:` queries)."""

    exit_code = 2


@dataclass(frozen=True)
class Mark:
    """What the working set holds for one article."""

    article_id: str
    path: str
    title: str
    tags: tuple[str, ...] = ()
    note: str = ""


def folder_of(index: Engine) -> Path:
    """The index folder (the working-set database sits there, beside the generations)."""
    return index.generation.parent


def has_db(index: Engine) -> bool:
    """False before anything was ever saved: lookups then cost nothing."""
    return db_path(folder_of(index)).exists()


def fingerprint(article: Article) -> str:
    """The article's text, whitespace folded, hashed: the same for a moved or re-read file."""
    text = " ".join(article.title.split()).lower() + "\n" + " ".join(article.body.split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def clean_tag(tag: str) -> str:
    """A tag as stored: lowercased; BadTag when it could not be typed after `tag:`."""
    cleaned = tag.strip().lower()
    if not _TAG_RE.match(cleaned):
        raise BadTag(
            f"bad tag {tag!r}: a tag is 1-64 characters without spaces, quotes or brackets"
        )
    return cleaned


def _doc(index: Engine, article_id: str) -> int | None:
    cache: dict[str, int | None] = index.memo("workset-docs", dict)
    if article_id not in cache:
        cache[article_id] = index.doc_of(article_id)
    return cache[article_id]


def _live(index: Engine, article_id: str) -> int:
    doc = index.doc_of(article_id)
    if doc is None:
        raise UnknownArticle(f"no article with id {article_id!r} in the index")
    return doc


def _ensure_mark(connection: sqlite3.Connection, index: Engine, article_id: str) -> int:
    """The key of the article's mark row, created (or refreshed) from the live article."""
    article = index.stored(_live(index, article_id))
    row = connection.execute("SELECT key FROM marks WHERE article_id = ?", (article_id,)).fetchone()
    values = (article.path, fingerprint(article), article.title)
    if row is not None:
        # the text may have changed: the mark stays, keyed by the text it has now
        connection.execute(
            "UPDATE marks SET path = ?, fingerprint = ?, title = ?, updated = datetime('now') "
            "WHERE key = ?",
            (*values, row[0]),
        )
        return int(row[0])
    cursor = connection.execute(
        "INSERT INTO marks (article_id, path, fingerprint, title) VALUES (?, ?, ?, ?)",
        (article_id, *values),
    )
    return int(cursor.lastrowid or 0)


def _drop_empty(connection: sqlite3.Connection) -> None:
    connection.execute("DELETE FROM marks WHERE note = '' AND key NOT IN (SELECT key FROM tags)")


def add_tags(index: Engine, article_id: str, tags: Iterable[str]) -> Mark:
    """Tag a live article (UnknownArticle when the index has no such id)."""
    cleaned = [clean_tag(t) for t in tags]
    reattach(index)
    with connect(folder_of(index)) as connection:
        key = _ensure_mark(connection, index, article_id)
        connection.executemany(
            "INSERT OR IGNORE INTO tags (key, tag) VALUES (?, ?)", [(key, t) for t in cleaned]
        )
    return mark_of(index, article_id)


def remove_tags(index: Engine, article_id: str, tags: Iterable[str]) -> Mark:
    """Take tags off an article (all of them when `tags` is empty); its note stays."""
    cleaned = [clean_tag(t) for t in tags]
    reattach(index)
    with connect(folder_of(index)) as connection:
        row = connection.execute(
            "SELECT key FROM marks WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is None:
            _live(index, article_id)  # an unknown id is an error; a known untagged one is not
        else:
            if cleaned:
                connection.executemany(
                    "DELETE FROM tags WHERE key = ? AND tag = ?", [(row[0], t) for t in cleaned]
                )
            else:
                connection.execute("DELETE FROM tags WHERE key = ?", (row[0],))
            _drop_empty(connection)
    return mark_of(index, article_id)


def toggle_star(index: Engine, article_id: str) -> Mark:
    """Star or unstar an article; its marks now."""
    if STAR in mark_of(index, article_id).tags:
        return remove_tags(index, article_id, [STAR])
    return add_tags(index, article_id, [STAR])


def set_note(index: Engine, article_id: str, text: str) -> Mark:
    """Replace an article's note (an empty text removes it)."""
    reattach(index)
    with connect(folder_of(index)) as connection:
        key = _ensure_mark(connection, index, article_id)
        connection.execute("UPDATE marks SET note = ? WHERE key = ?", (text.strip(), key))
        _drop_empty(connection)
    return mark_of(index, article_id)


def marks_for(index: Engine, article_ids: Iterable[str]) -> dict[str, Mark]:
    """The marks of these articles (those with none left out): one query for a page of hits."""
    wanted = list(dict.fromkeys(article_ids))
    if not wanted or not has_db(index):
        return {}
    reattach(index)
    found: dict[str, Mark] = {}
    with connect(folder_of(index), create=False) as connection:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                "SELECT m.article_id, m.path, m.title, m.note, group_concat(t.tag, ' ') "
                f"FROM marks m LEFT JOIN tags t ON t.key = m.key WHERE m.article_id IN ({marks}) "
                "GROUP BY m.key",
                chunk,
            ).fetchall()
            for article_id, path, title, note, tags in rows:
                found[article_id] = Mark(
                    article_id, path, title, tuple(sorted((tags or "").split())), note
                )
    return found


def mark_of(index: Engine, article_id: str) -> Mark:
    return marks_for(index, [article_id]).get(article_id) or Mark(article_id, "", "")


def tagged_ids(index: Engine, tag: str) -> list[str]:
    """Ids of the live articles carrying `tag` (`*`: any tag), for `tag:` queries."""
    if not has_db(index):
        return []
    reattach(index)
    wanted = tag.strip().lower()
    with connect(folder_of(index), create=False) as connection:
        if wanted == "*":
            rows = connection.execute(
                "SELECT DISTINCT m.article_id FROM marks m JOIN tags t ON t.key = m.key"
            ).fetchall()
        else:
            rows = connection.execute(
                "SELECT m.article_id FROM marks m JOIN tags t ON t.key = m.key WHERE t.tag = ?",
                (wanted,),
            ).fetchall()
    return sorted(r[0] for r in rows if _doc(index, r[0]) is not None)


def tag_docs(index: Engine, tags: Iterable[str]) -> DocSet:
    """The live documents carrying any of `tags` (the tags facet's filter)."""
    found: set[int] = set()
    for tag in tags:
        found.update(d for i in tagged_ids(index, tag) if (d := _doc(index, i)) is not None)
    return frozenset(found)


def tag_counts(index: Engine, docs: DocSet, size: int = 10) -> list[tuple[str, int]]:
    """The tags facet: (tag, matched articles carrying it), most frequent first. A separate small
    function over the matched documents, so facet code and the TUI can both call it."""
    if not has_db(index):
        return []
    reattach(index)
    with connect(folder_of(index), create=False) as connection:
        rows = connection.execute(
            "SELECT t.tag, m.article_id FROM tags t JOIN marks m ON m.key = t.key"
        ).fetchall()
    counts: dict[str, int] = {}
    for tag, article_id in rows:
        doc = _doc(index, article_id)
        if doc is not None and doc in docs:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]


def _is_tag_leaf(node: qt.QueryNode) -> bool:
    """A `tag:` clause as the parser writes it: an article id, or any of several."""
    if isinstance(node, qt.Term):
        return node.field == "id"
    return isinstance(node, qt.Or) and all(_is_tag_leaf(c) for c in node.children)


def _has_tags(node: qt.QueryNode) -> bool:
    return _is_tag_leaf(node) or any(_has_tags(c) for c in qt.children(node))


def without_tags(node: qt.QueryNode) -> qt.QueryNode:
    """The query to rank by: `tag:` clauses only select (the match set already holds them), and
    scoring hundreds of id terms cost ~0.3 s on Reuters. A query of tags alone ranks as
    browsing (newest first); excluded parts, which rank nothing, are dropped too. A query
    without `tag:` is returned as it is."""
    if not _has_tags(node):
        return node
    if _is_tag_leaf(node):
        return qt.Every()
    if isinstance(node, qt.And | qt.Or):
        kept = [without_tags(c) for c in node.children]
        kept = [c for c in kept if not isinstance(c, qt.Every)]
        if not kept:
            return qt.Every()
        if len(kept) == 1:
            return kept[0]
        if isinstance(node, qt.And):
            return qt.And(tuple(kept))
        return qt.Or(tuple(kept), node.scale, node.boost)
    if isinstance(node, qt.AndNot):
        return without_tags(node.positive)
    if isinstance(node, qt.AndMaybe):
        required, optional = without_tags(node.required), without_tags(node.optional)
        if isinstance(optional, qt.Every):
            return required
        return optional if isinstance(required, qt.Every) else qt.AndMaybe(required, optional)
    return node


def _moved_to(index: Engine, title: str, print_: str) -> Article | None:
    """The live article with this fingerprint, looked for among articles sharing the title."""
    terms = index.analyze(title, "title")
    if not terms:
        return None
    query: qt.QueryNode = (
        qt.Term("title", terms[0]) if len(terms) == 1 else qt.Phrase("title", tuple(terms))
    )
    for doc in sorted(index.match(query))[:_CANDIDATES]:
        article = index.stored(doc)
        if fingerprint(article) == print_:
            return article
    return None


def _reattach_now(index: Engine) -> list[Mark]:
    """Move marks whose id left the index to the article with their text; the rest: orphans."""
    orphans: list[Mark] = []
    with connect(folder_of(index), create=False) as connection:
        rows = connection.execute(
            "SELECT key, article_id, path, fingerprint, title, note FROM marks"
        ).fetchall()
        for key, article_id, path, print_, title, note in rows:
            if _doc(index, article_id) is not None:
                continue
            moved = _moved_to(index, title, print_)
            if moved is None:
                rows_ = connection.execute("SELECT tag FROM tags WHERE key = ?", (key,))
                tags = tuple(sorted(t[0] for t in rows_))
                orphans.append(Mark(article_id, path, title, tags, note))
                continue
            other = connection.execute(
                "SELECT key FROM marks WHERE article_id = ?", (moved.id,)
            ).fetchone()
            if other is not None:  # the new id has marks of its own: merge into them
                connection.execute(
                    "INSERT OR IGNORE INTO tags (key, tag) SELECT ?, tag FROM tags WHERE key = ?",
                    (other[0], key),
                )
                if note:
                    connection.execute(
                        "UPDATE marks SET note = trim(note || ' ' || ?) WHERE key = ?",
                        (note, other[0]),
                    )
                connection.execute("DELETE FROM marks WHERE key = ?", (key,))
            else:
                connection.execute(
                    "UPDATE marks SET article_id = ?, path = ? WHERE key = ?",
                    (moved.id, moved.path, key),
                )
    return orphans


def reattach(index: Engine) -> list[Mark]:
    """Re-attach moved articles' marks, once per generation (engine memo); the orphans."""
    if not has_db(index):
        return []
    return index.memo("workset-reattach", lambda: _reattach_now(index))


def orphans(index: Engine) -> list[Mark]:
    """Marks whose article is gone from the index (no id, no article with the same text)."""
    return reattach(index)
