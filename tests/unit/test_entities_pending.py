"""The count of articles waiting for the entity phase: right, and counted once a generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.index import open_index
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search.searching import search


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_pending_articles_are_counted_once_per_generation(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = [Article(id=f"a{n}", path=f"a{n}.txt", title="t", body=f"oil {n}") for n in range(3)]
    index_articles(tmp_path, articles, engine=engine)
    index = open_index(tmp_path)
    counted: list[str] = []
    count = index.value_count

    def counting(field: str, value: str) -> int:
        counted.append(field)
        return count(field, value)

    monkeypatch.setattr(index, "value_count", counting)
    first = search(index, SearchRequest(query="oil"))
    second = search(index, SearchRequest(query="oil 1"))
    assert first.entities_pending == second.entities_pending == count("entities_done", "0")
    assert counted.count("entities_done") == 1
