"""Rebuild end to end: incremental equals full, unchanged files not re-read, bad files listed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from searchidx.index import open_index
from searchidx.index.generations import current_generation, generations
from searchidx.index.whoosh_engine.schema import split_values
from searchidx.rebuild.run import index_status, rebuild


def write_article(folder: Path, rel: str, title: str, body: str, date: str = "2016-04-11") -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\noutlet: Wire\ndate: {date}\n---\n{body}\n", encoding="utf-8"
    )
    return path


def stored_articles(index_path: Path) -> dict[str, dict[str, object]]:
    index = open_index(index_path)
    try:
        return {str(d["id"]): dict(d) for d in index.searcher().all_stored_fields()}
    finally:
        index.close()


def hits(index_path: Path, field: str, word: str) -> set[str]:
    from whoosh.query import Term

    index = open_index(index_path)
    try:
        return {h["id"] for h in index.searcher().search(Term(field, word), limit=None)}
    finally:
        index.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_article(root, "a.txt", "Harbour strike", "Dockers walked out at the harbour today.")
    write_article(root, "b.txt", "Oil prices", "Crude oil rose sharply on Monday.")
    write_article(root, "c.txt", "Election", "Voters went to the polls in the north.")
    write_article(root, "sub/d.txt", "Wheat harvest", "The wheat harvest was late this year.")
    return root


def test_first_rebuild_indexes_every_file(corpus: Path, tmp_path: Path) -> None:
    report = rebuild(tmp_path / "idx", corpus, entities=False)
    assert (report.indexed, report.failed, report.articles, report.exit_code) == (4, 0, 4, 0)
    assert set(stored_articles(tmp_path / "idx")) == {"a.txt", "b.txt", "c.txt", "sub/d.txt"}
    assert hits(tmp_path / "idx", "body", "harvest") == {"sub/d.txt"}


def test_noop_rebuild_reads_nothing_and_keeps_the_generation(corpus: Path, tmp_path: Path) -> None:
    rebuild(tmp_path / "idx", corpus, entities=False)
    before = generations(tmp_path / "idx")
    report = rebuild(tmp_path / "idx", None, entities=False)  # the recorded corpus root
    assert (report.unchanged, report.indexed, report.updated, report.published) == (4, 0, 0, False)
    assert generations(tmp_path / "idx") == before


def test_touched_file_with_same_bytes_is_not_reparsed(corpus: Path, tmp_path: Path) -> None:
    rebuild(tmp_path / "idx", corpus, entities=False)
    stamp = (corpus / "a.txt").stat().st_mtime_ns + 5_000_000_000
    os.utime(corpus / "a.txt", ns=(stamp, stamp))
    report = rebuild(tmp_path / "idx", corpus, entities=False)
    assert (report.unchanged, report.updated) == (4, 0)
    again = rebuild(tmp_path / "idx", corpus, entities=False)  # the new mtime was recorded
    assert again.published is False


def test_add_change_delete_rename_equals_a_fresh_full_rebuild(corpus: Path, tmp_path: Path) -> None:
    rebuild(tmp_path / "idx", corpus, entities=False)
    write_article(corpus, "e.txt", "Fishing quotas", "New fishing quotas were agreed.")
    write_article(
        corpus, "b.txt", "Oil prices fall", "Crude oil fell sharply on Tuesday.", date="2016-04-12"
    )
    (corpus / "c.txt").unlink()
    (corpus / "sub/d.txt").rename(corpus / "sub/d2.txt")
    report = rebuild(tmp_path / "idx", corpus, entities=False)
    assert (report.indexed, report.updated, report.deleted, report.unchanged) == (2, 1, 2, 1)

    rebuild(tmp_path / "fresh", corpus, entities=False, full=True)
    incremental = stored_articles(tmp_path / "idx")
    assert incremental == stored_articles(tmp_path / "fresh")
    assert set(incremental) == {"a.txt", "b.txt", "e.txt", "sub/d2.txt"}
    assert hits(tmp_path / "idx", "body", "rose") == set()  # the old text of b.txt is gone
    assert hits(tmp_path / "idx", "body", "tuesday") == {"b.txt"}
    assert hits(tmp_path / "idx", "body", "voter") == set()
    assert len(generations(tmp_path / "idx")) <= 2


def test_full_rebuild_of_a_changed_corpus_matches_incremental_twice(
    corpus: Path, tmp_path: Path
) -> None:
    # two changes of one file in a row: delete-then-add never leaves a duplicate (trap 7)
    rebuild(tmp_path / "idx", corpus, entities=False)
    for text in ("First change.", "Second change."):
        write_article(corpus, "a.txt", "Harbour strike", text)
        os.utime(corpus / "a.txt", ns=(1, len(text)))
        rebuild(tmp_path / "idx", corpus, entities=False)
    assert hits(tmp_path / "idx", "id", "a.txt") == {"a.txt"}
    assert stored_articles(tmp_path / "idx")["a.txt"]["body"].startswith("Second change.")


def test_every_bad_file_is_listed_and_every_good_article_indexed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEARCHIDX_MAX_FILE_BYTES", "2000")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "huge.txt").write_text("word " * 1000)
    (corpus / "only-front.txt").write_text("---\ntitle: Nothing\n---\n")
    (corpus / "broken.json").write_text("{not json")
    os.symlink(corpus / "missing.txt", corpus / "dangling.txt")
    os.mkfifo(corpus / "pipe.txt")
    bad = {
        "empty.txt",
        "binary.txt",
        "huge.txt",
        "only-front.txt",
        "broken.json",
        "dangling.txt",
        "pipe.txt",
    }

    report = rebuild(tmp_path / "idx", corpus, entities=False)
    assert report.exit_code == 1
    assert set(stored_articles(tmp_path / "idx")) == {"a.txt", "b.txt", "c.txt", "sub/d.txt"}
    listed = {p.path for p in report.failures if p.skipped}
    assert listed == bad
    assert all(p.reason for p in report.failures)
    status = index_status(tmp_path / "idx")
    assert {p.path for p in status.failures if p.skipped} == bad

    # fixed: --retry-failed reads only the failed files again
    (corpus / "empty.txt").unlink()
    write_article(corpus, "binary.txt", "Recovered", "Now it is text.")
    write_article(corpus, "a.txt", "Changed meanwhile", "Not read by --retry-failed.")
    retried = rebuild(tmp_path / "idx", corpus, entities=False, retry_failed=True)
    assert "binary.txt" in stored_articles(tmp_path / "idx")
    assert "empty.txt" not in {p.path for p in retried.failures}
    assert stored_articles(tmp_path / "idx")["a.txt"]["title"] == "Harbour strike"


def test_walk_skips_an_index_inside_the_corpus(corpus: Path) -> None:
    inside = corpus / ".searchidx"
    rebuild(inside, corpus, entities=False)
    (corpus / "visible-index").mkdir()
    report = rebuild(corpus / "visible-index", corpus, entities=False)
    assert report.articles == 4 and report.failures == []
    report = rebuild(corpus / "visible-index", corpus, entities=False)
    assert report.published is False


def test_status_reports_location_root_count_and_time(corpus: Path, tmp_path: Path) -> None:
    rebuild(tmp_path / "idx", corpus, entities=False)
    status = index_status(tmp_path / "idx")
    assert status.location == str(tmp_path / "idx")
    assert status.corpus_root == str(corpus)
    assert status.articles == 4
    assert status.last_rebuild is not None
    assert status.entities_pending == 4  # entities were not run


def test_entity_phase_fills_pending_articles(seed_corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    report = rebuild(tmp_path / "idx", seed_corpus, entities=False)
    assert report.entities_pending == 2
    report = rebuild(tmp_path / "idx", seed_corpus)  # no change: only the entity phase runs
    assert report.entities_pending == 0
    assert index_status(tmp_path / "idx").entities_pending == 0
    stored = stored_articles(tmp_path / "idx")
    people = {a: split_values(str(d["people"])) for a, d in stored.items()}
    assert all(people.values()), people
    assert hits(tmp_path / "idx", "entities_done", "0") == set()
    assert (current_generation(tmp_path / "idx") / "aliases.json").is_file()
