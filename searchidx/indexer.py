"""Rebuild: turn a corpus folder into a new index generation. (First cut: full, in-process.)"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from searchidx.models import Article
from searchidx.store import current_generation, new_generation, publish


def index_articles(index_path: Path, articles: Iterable[Article], *, replace: bool = True) -> Path:
    """Write `articles` as a new generation (all of them when `replace`, else added to the live
    one) and publish it. Used by tests to make small indexes without a corpus folder."""
    from whoosh import index as whoosh_index

    from searchidx.schema import article_document

    live = None if replace else current_generation(index_path)
    generation = new_generation(index_path, link_from=live)
    ix = whoosh_index.open_dir(str(generation))
    writer = ix.writer()
    for article in articles:
        writer.delete_by_term("id", article.id)
        writer.add_document(**article_document(article))
    writer.commit()
    publish(index_path, generation)
    return generation
