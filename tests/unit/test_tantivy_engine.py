"""The tantivy engine on its own: kill -9 safety (also while switching engines), incremental
and no-op rebuilds, the lock, and hard-linked generations leaving the live one untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.errors import IndexLocked
from searchidx.index import open_index
from searchidx.index.engines import engine_of
from searchidx.index.lock import RebuildLock
from searchidx.models import SearchRequest
from searchidx.rebuild.run import rebuild
from searchidx.search.searching import search
from tests.unit.test_crash import MOMENTS, _kill_at, _write

WORDS = ("harbour", "oil", "wheat")


def _answers(index_path: Path) -> dict[str, set[str]]:
    index = open_index(index_path)
    try:
        return {
            word: {hit.path for hit in search(index, SearchRequest(word, limit=50)).hits}
            for word in WORDS
        }
    finally:
        index.close()


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "a.txt", "Harbour", "Dockers at the harbour.")
    _write(corpus, "b.txt", "Oil", "Oil rose.")
    return corpus, index


def _change(corpus: Path) -> None:
    _write(corpus, "c.txt", "Wheat", "Wheat and oil.")
    _write(corpus, "b.txt", "Oil", "Oil fell at the harbour.")


AFTER = {"harbour": {"a.txt", "b.txt"}, "oil": {"b.txt", "c.txt"}, "wheat": {"c.txt"}}


@pytest.mark.parametrize("start", ["tantivy", "whoosh"], ids=["incremental", "switching"])
def test_killed_tantivy_rebuild_leaves_the_index_answering(tmp_path: Path, start: str) -> None:
    corpus, index = _corpus(tmp_path)
    rebuild(index, corpus, entities=False, engine=start)
    before = _answers(index)
    assert before["harbour"] == {"a.txt"}
    _change(corpus)
    for moment in MOMENTS:
        _kill_at(moment, corpus, index, tmp_path, "--engine", "tantivy")
        if moment != "published":
            assert _answers(index) == before, moment
            assert engine_of(index) == start
    report = rebuild(index, corpus, entities=False, engine="tantivy")
    assert report.exit_code == 0
    assert engine_of(index) == "tantivy"
    assert _answers(index) == AFTER
    assert len([p for p in index.iterdir() if p.name.startswith("gen-")]) <= 2


def test_incremental_no_op_and_back_to_whoosh(tmp_path: Path) -> None:
    corpus, index = _corpus(tmp_path)
    rebuild(index, corpus, entities=False, engine="tantivy")
    opened = open_index(index)
    live = opened.generation
    _change(corpus)
    report = rebuild(index, corpus, entities=False)  # keeps the index's engine
    assert (report.indexed, report.updated, report.unchanged) == (1, 1, 1)
    assert engine_of(index) == "tantivy"
    assert _answers(index) == AFTER
    # the older generation an open reader still uses was not changed by the new one's writer
    assert opened.refresh() and opened.generation != live
    assert rebuild(index, corpus, entities=False).published is False  # nothing changed
    rebuild(index, corpus, entities=False, engine="whoosh")
    assert engine_of(index) == "whoosh"
    assert _answers(index) == AFTER


def test_a_second_rebuild_is_refused_while_one_holds_the_lock(tmp_path: Path) -> None:
    corpus, index = _corpus(tmp_path)
    rebuild(index, corpus, entities=False, engine="tantivy")
    with RebuildLock(index), pytest.raises(IndexLocked):
        rebuild(index, corpus, entities=False, engine="tantivy")


def test_the_tui_backend_follows_a_switch_of_engine(tmp_path: Path) -> None:
    from tui.backend import IndexBackend

    corpus, index = _corpus(tmp_path)
    rebuild(index, corpus, entities=False)
    backend = IndexBackend(index)
    assert backend.search(SearchRequest("harbour")).total == 1
    _change(corpus)
    rebuild(index, corpus, entities=False, engine="tantivy")
    assert backend.search(SearchRequest("harbour")).total == 2  # reopened with tantivy
