"""The tantivy engine numbers documents from its segments' sizes when none is deleted, lists
them otherwise; either way the answers are the same (issue 23: a new process no longer lists
216k addresses before its first answer)."""

from __future__ import annotations

import heapq
import random
from pathlib import Path

import numpy as np
import pytest

from searchidx.index import open_index
from searchidx.index.tantivy_engine import numbering
from searchidx.index.tantivy_engine.reader import TantivyEngine, _by_stamp
from searchidx.index.tantivy_engine.writing import live_addresses
from searchidx.models import FACET_NAMES, SearchRequest
from searchidx.rebuild.run import rebuild
from searchidx.search.searching import search


def _write(root: Path, rel: str, title: str, body: str, day: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: {day}\n---\n{body}\n", encoding="utf-8")


def _batch(corpus: Path, start: int, count: int) -> None:
    for n in range(start, start + count):
        day = "" if n % 7 == 0 else f"2016-0{1 + n % 5}-1{n % 3}"  # ties and undated ones
        _write(corpus, f"a{n:03d}.txt", f"Oil story {n}", f"Oil and wheat {n} at the harbour.", day)
    for n in range(start, start + count, 7):  # no date line at all
        (corpus / f"a{n:03d}.txt").write_text(f"Undated oil {n}\n", encoding="utf-8")


REQUESTS = [
    SearchRequest("", sort="relevance", limit=25, facets=FACET_NAMES),
    SearchRequest("", sort="oldest", limit=25),
    SearchRequest("oil", sort="newest", limit=40, facets=FACET_NAMES),
    SearchRequest("harbour date:2016-02", limit=10),
    SearchRequest("wheat", since=None, limit=5, offset=3),
    SearchRequest("story AND NOT wheat", limit=10),
]


def _answers(index: TantivyEngine) -> list[tuple[object, ...]]:
    found = []
    for request in REQUESTS:
        result = search(index, request)
        hits = [(h.id, h.score, h.title) for h in result.hits]
        found.append((result.total, hits, result.facets, result.entities_pending))
    return found


def _listed(path: Path, monkeypatch: pytest.MonkeyPatch) -> TantivyEngine:
    """The engine as it numbered documents before: every live address listed."""
    with monkeypatch.context() as patched:
        patched.setattr(numbering, "segment_starts", lambda folder, searcher: None)
        engine = TantivyEngine.open(path)
    assert engine.numbering.listed
    return engine


def test_numbers_from_segment_sizes_match_the_listed_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, path = tmp_path / "corpus", tmp_path / "idx"
    for start in (0, 40, 70):  # three rebuilds adding files: three segments, nothing deleted
        _batch(corpus, start, 30)
        rebuild(path, corpus, entities=False, engine="tantivy")
    engine = open_index(path)
    assert isinstance(engine, TantivyEngine)
    assert engine.searcher().num_segments > 1
    assert not engine.numbering.listed
    listed = live_addresses(engine.searcher())
    hits = [(0.0, address) for address in listed]
    assert engine.numbers(hits) == list(range(engine.size))
    for doc in (0, 29, 30, engine.size - 1):
        address = engine.numbering.address(doc)
        assert (address.segment_ord, address.doc) == (listed[doc].segment_ord, listed[doc].doc)
    assert _answers(engine) == _answers(_listed(path, monkeypatch))
    # rebuilt without entities: every article waits for them, counted without listing them
    assert search(engine, SearchRequest("")).entities_pending == engine.size == 90


def test_an_index_with_deleted_documents_lists_them_and_answers_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, path = tmp_path / "corpus", tmp_path / "idx"
    _batch(corpus, 0, 30)
    rebuild(path, corpus, entities=False, engine="tantivy")
    _write(corpus, "a003.txt", "Oil story changed", "Wheat only now.", "2016-03-03")
    rebuild(path, corpus, entities=False, engine="tantivy")  # one deleted, one added
    engine = open_index(path)
    assert isinstance(engine, TantivyEngine)
    assert engine.numbering.listed  # the deleted document is numbered by no one
    listed = live_addresses(engine.searcher())
    assert engine.numbers([(0.0, a) for a in reversed(listed)]) == list(range(engine.size))[::-1]
    for doc in range(engine.size):
        address = engine.numbering.address(doc)
        assert (address.segment_ord, address.doc) == (listed[doc].segment_ord, listed[doc].doc)
    assert _answers(engine)[4][0] == 25  # "wheat": 30 files but the 5 rewritten undated
    assert _answers(engine) == _answers(_listed(path, monkeypatch))


def _reference(stamps: list[int], docs: list[int], newest: bool, limit: int) -> list[int]:
    pick = heapq.nlargest if newest else heapq.nsmallest
    return pick(limit, docs, key=lambda d: (stamps[d], d))


@pytest.mark.parametrize("seed", range(20))
def test_date_order_by_arrays_is_the_heap_order(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(1, 300)
    stamps = [rng.choice([-5, 0, 7, 7, 9, 1000]) + rng.randint(0, 3) for _ in range(size)]
    docs = rng.sample(range(size), rng.randint(1, size))
    for newest in (True, False):
        for limit in (1, 5, 40, size + 3):
            array = np.asarray(docs, dtype=np.int64)
            got = _by_stamp(array, np.asarray(stamps, dtype=np.int64)[array], newest, limit)
            assert got == _reference(stamps, docs, newest, limit)
