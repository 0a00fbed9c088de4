"""Two-phase rebuild: searchable after phase 1 while a (deliberately slow) entity phase runs,
entity values committed batch by batch, facets complete at the end, resumable from the cache."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from searchidx.entities import ArticleEntities
from searchidx.index import open_index
from searchidx.models import SearchRequest, SearchResults
from searchidx.rebuild import enrich
from searchidx.rebuild.run import rebuild
from searchidx.search.searching import search

ARTICLES = 8


def _corpus(root: Path) -> None:
    root.mkdir()
    for number in range(ARTICLES):
        (root / f"s{number}.txt").write_text(
            f"---\ntitle: Harbour story {number}\ndate: 2016-04-11\n---\n"
            f"Dockers at the harbour, story number {number}.\n",
            encoding="utf-8",
        )


class GatedRecognizer:
    """Stands in for spaCy: each batch waits until the test lets it through."""

    def __init__(self) -> None:
        self.allowed = threading.Semaphore(0)
        self.calls = 0

    def __call__(self, items: list[tuple[str, str, str | None]]) -> list[ArticleEntities]:
        assert self.allowed.acquire(timeout=30), "the test never released this batch"
        self.calls += 1
        return [
            ArticleEntities(people=("Ada Lovelace",), places=("London",), language="en")
            for _ in items
        ]


def _query(index_path: Path) -> SearchResults:
    index = open_index(index_path)
    try:
        return search(index, SearchRequest(query="harbour", facets=("people", "places")))
    finally:
        index.close()


def _wait_for(condition: Any, what: str, thread: threading.Thread) -> None:
    import time

    deadline = time.monotonic() + 60
    while not condition():
        assert thread.is_alive() or condition(), f"the rebuild ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _pending(index_path: Path) -> int | None:
    if not (index_path / "CURRENT").exists():
        return None
    return _query(index_path).entities_pending


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> GatedRecognizer:
    recognizer = GatedRecognizer()
    monkeypatch.setattr(enrich, "_recognize_batch", recognizer)
    monkeypatch.setattr(enrich, "BATCH", 2)
    monkeypatch.setattr(enrich, "COMMIT_SECONDS", 0.0)  # publish after every batch,
    monkeypatch.setattr(enrich, "COMMIT_SHARE", 1e9)  # however long a commit takes
    return recognizer


def test_queries_answer_while_entities_fill_in(tmp_path: Path, gated: GatedRecognizer) -> None:
    corpus, index_path = tmp_path / "corpus", tmp_path / "idx"
    _corpus(corpus)
    outcome: dict[str, Any] = {}
    thread = threading.Thread(
        target=lambda: outcome.update(report=rebuild(index_path, corpus, jobs=1)), daemon=True
    )
    thread.start()
    try:
        # phase 1 published while phase 2 is blocked on its first batch
        _wait_for(lambda: _pending(index_path) == ARTICLES, "phase 1 published", thread)
        during = _query(index_path)
        assert during.total == ARTICLES
        assert during.facet("people") == ()
        assert gated.calls == 0 and thread.is_alive()

        gated.allowed.release()  # one batch of two: committed as it comes
        _wait_for(lambda: _pending(index_path) == ARTICLES - 2, "the first batch", thread)
        partial = _query(index_path)
        assert partial.total == ARTICLES
        assert [(f.value, f.count) for f in partial.facet("people")] == [("Ada Lovelace", 2)]
        assert thread.is_alive()
    finally:
        for _ in range(ARTICLES):
            gated.allowed.release()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert outcome["report"].entities_pending == 0
    after = _query(index_path)
    assert after.entities_pending == 0 and after.total == ARTICLES
    assert [(f.value, f.count) for f in after.facet("places")] == [("London", ARTICLES)]
    gens = [p for p in index_path.iterdir() if p.name.startswith("gen-")]
    assert len(gens) <= 2


def test_no_entities_then_a_later_rebuild_fills_them_from_the_cache(
    tmp_path: Path, gated: GatedRecognizer
) -> None:
    corpus, index_path = tmp_path / "corpus", tmp_path / "idx"
    _corpus(corpus)
    assert rebuild(index_path, corpus, entities=False).entities_pending == ARTICLES
    assert _query(index_path).facet("people") == ()
    for _ in range(ARTICLES):
        gated.allowed.release()
    assert rebuild(index_path, corpus, jobs=1).entities_pending == 0
    assert gated.calls == ARTICLES // 2
    assert [(f.value, f.count) for f in _query(index_path).facet("people")] == [
        ("Ada Lovelace", ARTICLES)
    ]
    # a full rebuild recognises nothing again: every text is in the NER cache
    rebuild(index_path, corpus, full=True, jobs=1)
    assert gated.calls == ARTICLES // 2
    assert _query(index_path).entities_pending == 0


def test_an_interrupted_entity_phase_resumes(
    tmp_path: Path, gated: GatedRecognizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_path = tmp_path / "corpus", tmp_path / "idx"
    _corpus(corpus)
    gated.allowed.release()
    gated.allowed.release()
    original = enrich._commit
    commits = {"n": 0}

    def commit_then_stop(phase: Any, progress: Any) -> None:
        original(phase, progress)
        commits["n"] += 1
        if commits["n"] == 2:
            raise KeyboardInterrupt  # Ctrl-C after two batches were committed

    monkeypatch.setattr(enrich, "_commit", commit_then_stop)
    with pytest.raises(KeyboardInterrupt):
        rebuild(index_path, corpus, jobs=1)
    assert _query(index_path).entities_pending == ARTICLES - 4
    monkeypatch.setattr(enrich, "_commit", original)
    for _ in range(ARTICLES):
        gated.allowed.release()
    assert rebuild(index_path, corpus, jobs=1).entities_pending == 0
    assert gated.calls == ARTICLES // 2  # the two committed batches were not recognised again


def _articles(index_path: Path) -> dict[str, str]:
    from searchidx.index.engines import engine_of, write_engine
    from searchidx.index.generations import current_generation

    live = current_generation(index_path)
    assert live is not None
    keys, _ = write_engine(engine_of(index_path)).scan(
        live, lambda s: f"{s.article.path}|{s.article.title}|{s.article.body}"
    )
    return keys


def test_phase_one_publishes_as_it_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import searchidx.rebuild.run as indexer

    corpus, index_path = tmp_path / "corpus", tmp_path / "idx"
    _corpus(corpus)
    monkeypatch.setattr(indexer, "PUBLISH_CHARS", 1)  # a commit and a publish after every file
    import searchidx.rebuild.textphase as textphase

    seen: list[int] = []
    original = textphase.hold

    def record(moment: str) -> None:
        if moment == "published":
            seen.append(len(_articles(index_path)))
        original(moment)

    monkeypatch.setattr(textphase, "hold", record)
    report = rebuild(index_path, corpus, entities=False)
    assert report.articles == ARTICLES
    assert seen == list(range(1, ARTICLES + 1))  # searchable from the first file on
    assert len([p for p in index_path.iterdir() if p.name.startswith("gen-")]) <= 2


def test_interrupted_phase_one_resumes_to_a_full_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import searchidx.rebuild.run as indexer

    corpus, index_path = tmp_path / "corpus", tmp_path / "idx"
    _corpus(corpus)
    rebuild(index_path, corpus, entities=False)
    for number in (1, 4, 6):
        (corpus / f"s{number}.txt").write_text(
            f"---\ntitle: Wheat {number}\n---\nWheat prices, story {number}.\n", encoding="utf-8"
        )
    for number in (20, 21, 22):
        (corpus / f"t{number}.txt").write_text(
            f"---\ntitle: Oil {number}\n---\nOil rose, story {number}.\n", encoding="utf-8"
        )
    (corpus / "s2.txt").unlink()
    monkeypatch.setattr(indexer, "PUBLISH_CHARS", 1)
    original, calls = indexer.apply_outcome, {"n": 0}

    def stop_at_the_fourth(*args: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return original(*args)

    monkeypatch.setattr(indexer, "apply_outcome", stop_at_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        rebuild(index_path, corpus, entities=False)
    partial = _articles(index_path)
    assert "s2.txt" not in partial and len(partial) >= ARTICLES - 1  # deletions went first
    assert "Wheat" in partial["s1.txt"] and "t22.txt" not in partial  # published as it went
    monkeypatch.setattr(indexer, "apply_outcome", original)
    rebuild(index_path, corpus, entities=False)
    fresh = tmp_path / "fresh"
    rebuild(fresh, corpus, entities=False, full=True)
    assert _articles(index_path) == _articles(fresh)


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_indexing_in_workers_gives_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    import searchidx.rebuild.run as indexer
    import searchidx.rebuild.textphase as textphase

    corpus = tmp_path / "corpus"
    for number in range(textphase.PARALLEL_MIN_FILES + 30):
        path = corpus / f"d{number % 7}" / f"n{number:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: Story {number}\n---\nHarbour story {number}.\n", encoding="utf-8"
        )
    (corpus / "d0" / "broken.txt").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    # two files giving one article id ("d5/a.json#1.txt"): the second in walk order is dropped
    (corpus / "d5" / "a.json").write_text('[{"id": "1.txt", "body": "Grain record."}]')
    (corpus / "d5" / "a.json#1.txt").write_text("---\ntitle: Grain\n---\nGrain file.\n")
    monkeypatch.setattr(textphase, "SEGMENT_BYTES", 2000)  # many worker segments
    monkeypatch.setattr(indexer, "PUBLISH_CHARS", 500)  # and many publishes
    parallel, serial = tmp_path / "parallel", tmp_path / "serial"
    first = rebuild(parallel, corpus, jobs=2, entities=False, engine=engine)
    assert first.articles == textphase.PARALLEL_MIN_FILES + 31 and first.failed == 1
    assert any("is also in" in problem.reason for problem in first.new_problems)
    assert first.searchable_after is not None and first.searchable_after < first.seconds
    # an incremental rebuild in workers: changed, touched, deleted and new files
    (corpus / "d1" / "n001.txt").write_text(
        "---\ntitle: Wheat\n---\nWheat rose.\n", encoding="utf-8"
    )
    os.utime(corpus / "d2" / "n002.txt", ns=(1, 1))  # same bytes, new mtime
    (corpus / "d3" / "n003.txt").unlink()
    for number in range(300, 300 + textphase.PARALLEL_MIN_FILES):
        (corpus / "d4" / f"n{number}.txt").write_text(
            f"---\ntitle: Oil {number}\n---\nOil story {number}.\n", encoding="utf-8"
        )
    again = rebuild(parallel, corpus, jobs=2, entities=False)  # keeps the index's engine
    assert (again.indexed, again.updated, again.deleted) == (textphase.PARALLEL_MIN_FILES, 1, 1)
    rebuild(serial, corpus, jobs=1, entities=False, full=True, engine=engine)
    assert _articles(parallel) == _articles(serial)
    assert _stored_count(parallel) == _stored_count(serial) == len(_articles(serial))
    assert not list(parallel.glob(".scratch-*"))


def _stored_count(index_path: Path) -> int:
    from searchidx.index.engines import engine_of, write_engine
    from searchidx.index.generations import current_generation

    live = current_generation(index_path)
    assert live is not None
    return write_engine(engine_of(index_path)).counts(live).articles
