"""The real TUI backend's rebuild progress: counts of files indexed, skipped and failed arrive
while the rebuild runs (the fake backend makes them up; this one must relay them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchidx.entities import ArticleEntities
from searchidx.rebuild import enrich
from tui.backend import IndexBackend, RebuildProgress


def test_real_rebuild_reports_indexed_and_skipped_counts_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real backend (not the fake), on a tiny corpus: its progress reports must carry the
    # files indexed so far, not "indexed 0 · skipped 0" until the outcome.
    def no_spacy(items: list[tuple[str, str, str | None]]) -> list[ArticleEntities]:
        return [ArticleEntities() for _ in items]

    monkeypatch.setattr(enrich, "_recognize_batch", no_spacy)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(3):
        (corpus / f"s{number}.txt").write_text(
            f"---\ntitle: Harbour story {number}\ndate: 2016-04-11\n---\nDockers, {number}.\n",
            encoding="utf-8",
        )
    (corpus / "empty.txt").write_text("---\ntitle: Nothing\n---\n", encoding="utf-8")  # fails
    (corpus / "huge.txt").write_bytes(b"x" * 500)
    monkeypatch.setenv("SEARCHIDX_MAX_FILE_BYTES", "200")  # the walk skips it, and says so
    reports: list[RebuildProgress] = []
    outcome = IndexBackend(tmp_path / ".searchidx").rebuild(corpus, reports.append)
    assert (outcome.indexed, outcome.skipped) == (3, 1)
    reading = [r for r in reports if r.phase == "reading"]
    assert reading and reading[-1].indexed == 3 and reading[-1].skipped == 1
    assert reading[-1].failed == 1
    assert max(r.indexed for r in reports) == outcome.indexed
