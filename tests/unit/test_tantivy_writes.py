"""The tantivy engine's write side: facet table values from fast fields (as the stored documents
say), and phase 1 publishing twice as much text each time (the checkpoints read the index)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from searchidx.index import generations
from searchidx.index.engines import write_engine
from searchidx.index.facet_tables import COLUMNS, TABLE_FIELDS
from searchidx.index.generations import current_generation
from searchidx.index.tantivy_engine.writing import TantivyWriteEngine, iter_stored
from searchidx.models import Article
from searchidx.rebuild.run import index_articles, rebuild
from tests.unit.test_crash import _write


def _article(number: int) -> Article:
    return Article(
        id=f"a{number}",
        path=f"p{number}.txt",
        title=f"Story {number}",
        body="Oil and wheat.",
        outlet=("Reuters", "BBC", None)[number % 3],
        published=datetime(2020, 1 + number % 12, 2, tzinfo=UTC) if number % 4 else None,
        people=("Ann Lee", "Bo Ng")[: number % 3],
        places=("Paris",) if number % 5 == 0 else (),
    )


def _from_stored(generation: Path) -> tuple[dict[str, dict[str, list[int]]], dict[str, list[int]]]:
    """The values as read from every stored document, in the reader's numbering."""
    fields: dict[str, dict[str, list[int]]] = {name: {} for name in TABLE_FIELDS}
    columns: dict[str, list[int]] = {name: [] for name in COLUMNS}
    for local, stored in enumerate(iter_stored(generation)):
        for name in TABLE_FIELDS:
            for value in stored.get(name) or []:
                if value:
                    fields[name].setdefault(str(value), []).append(local)
        for name in COLUMNS:
            columns[name].append(int((stored.get(name) or [0])[0]))
    return fields, columns


@pytest.mark.parametrize("entities", [True, False])
def test_table_values_are_the_stored_documents_values(tmp_path: Path, entities: bool) -> None:
    index = tmp_path / "idx"
    articles = [_article(n) for n in range(60)]
    if not entities:
        articles = [Article(**{**a.__dict__, "people": (), "places": ()}) for a in articles]
    index_articles(index, articles, engine="tantivy")
    replaced = Article(id="a7", path="p7.txt", title="Again", body="Oil.", outlet="AP")
    index_articles(index, [replaced], replace=False, engine="tantivy")  # a delete, then an add
    generation = current_generation(index)
    assert generation is not None
    (entry,) = TantivyWriteEngine().segment_values(generation, set())
    assert entry.values is not None and entry.size == 60
    fields, columns = _from_stored(generation)
    assert entry.values.fields == fields
    assert {name: list(values) for name, values in entry.values.columns.items()} == columns
    assert bool(fields["people"]) is entities and set(fields["outlet"]) == {"AP", "BBC", "Reuters"}
    (known,) = TantivyWriteEngine().segment_values(generation, {entry.id})
    assert known.values is None and known.size == 60


@pytest.mark.parametrize(
    ("engine", "expected"), [("tantivy", [1, 2, 4, 8, 10]), ("whoosh", list(range(1, 11)))]
)
def test_phase_one_publishes_double_the_text_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, expected: list[int]
) -> None:
    import searchidx.rebuild.run as indexer
    import searchidx.rebuild.textphase as textphase

    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    for number in range(10):
        _write(corpus, f"s{number}.txt", f"Story {number}", "Oil rose at the harbour.")
    monkeypatch.setattr(indexer, "PUBLISH_CHARS", 1)  # whoosh: a commit after every file
    seen: list[int] = []
    original = generations.hold

    def record(moment: str) -> None:
        if moment == "published":
            live = current_generation(index)
            assert live is not None
            seen.append(write_engine(engine).counts(live).articles)
        original(moment)

    monkeypatch.setattr(textphase, "hold", record)
    assert rebuild(index, corpus, entities=False, engine=engine).articles == 10
    assert seen == expected
