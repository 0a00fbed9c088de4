"""Alias-file edits reach the index at the next plain rebuild: the table is rebuilt from the NER
cache (no NER runs) and only articles whose canonical values change are rewritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main
from searchidx.entities import ArticleEntities
from searchidx.index.generations import META_NAME, current_generation, read_side_json
from searchidx.index.writing import IndexDocument, StoredDocument
from searchidx.rebuild import enrich
from searchidx.rebuild.run import rebuild

# title -> the organisation a (fake) recogniser finds in that article
ORGS = {"Merger talks": "Acme Corp", "Acme results": "Acme Holdings", "Port strike": "Dock Union"}


class CountingRecognizer:
    """Stands in for spaCy; counts the articles it was asked to recognise."""

    def __init__(self) -> None:
        self.articles = 0

    def __call__(self, items: list[tuple[str, str, str | None]]) -> list[ArticleEntities]:
        self.articles += len(items)
        return [
            ArticleEntities(organisations=(ORGS[title],), language="en") for title, _, _ in items
        ]


@pytest.fixture
def recognizer(monkeypatch: pytest.MonkeyPatch) -> CountingRecognizer:
    fake = CountingRecognizer()
    monkeypatch.setattr(enrich, "_recognize_batch", fake)
    monkeypatch.delenv("SEARCHIDX_ALIASES", raising=False)
    monkeypatch.delenv("SEARCHIDX_INDEX", raising=False)
    return fake


def _corpus(root: Path) -> Path:
    root.mkdir()
    for number, title in enumerate(ORGS):
        (root / f"a{number}.txt").write_text(
            f"---\ntitle: {title}\ndate: 2016-04-1{number}\n---\n{title}, told in full.\n",
            encoding="utf-8",
        )
    return root


def _query_org(index_path: Path, org: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["query", "--index", str(index_path), "--org", org,
                                       "--facets", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _ids(data: dict[str, object]) -> set[str]:
    return {str(hit["id"]) for hit in data["hits"]}  # type: ignore[attr-defined]


def _org_facet(data: dict[str, object]) -> dict[str, int]:
    facets = data["facets"]
    assert isinstance(facets, dict)
    return {row["value"]: row["count"] for row in facets["organisations"]}


def _generation_files(index_path: Path) -> set[str]:
    live = current_generation(index_path)
    assert live is not None
    return {p.name for p in live.iterdir()}


def test_an_edited_alias_file_takes_effect_at_a_plain_rebuild_without_ner(
    tmp_path: Path, recognizer: CountingRecognizer
) -> None:
    corpus, index_path = _corpus(tmp_path / "corpus"), tmp_path / "idx"
    assert rebuild(index_path, corpus, jobs=1).entities_pending == 0
    assert recognizer.articles == len(ORGS)
    first = read_side_json(current_generation(index_path), META_NAME)  # type: ignore[arg-type]
    assert first[enrich.ALIASES_STAMP] == "none"  # recorded by the entity phase itself
    assert _ids(_query_org(index_path, "Acme Group")) == set()
    before = _query_org(index_path, "Acme Corp")
    assert _ids(before) == {"a0.txt"}

    # a no-op rebuild with no alias file touches nothing
    generation = current_generation(index_path)
    rebuild(index_path, corpus, jobs=1)
    assert current_generation(index_path) == generation

    (index_path / "entity-aliases.txt").write_text(
        "organisations: Acme Group = Acme Corp = Acme Holdings\n", encoding="utf-8"
    )
    rebuild(index_path, corpus, jobs=1)
    assert recognizer.articles == len(ORGS)  # no NER ran: the table came from the cache
    merged = _query_org(index_path, "Acme Group")
    assert _ids(merged) == {"a0.txt", "a1.txt"}
    assert _org_facet(merged) == {"Acme Group": 2, "Dock Union": 1}  # no variant rows left
    assert _ids(_query_org(index_path, "Acme Corp")) == {"a0.txt", "a1.txt"}  # now a variant
    live = current_generation(index_path)
    assert live is not None
    meta = read_side_json(live, META_NAME, {})
    assert meta[enrich.ALIASES_STAMP] == enrich.aliases_stamp(index_path / "entity-aliases.txt")

    # the same file again: nothing is rewritten, no new generation
    rebuild(index_path, corpus, jobs=1)
    assert current_generation(index_path) == live

    # removing the file splits the values again
    (index_path / "entity-aliases.txt").unlink()
    rebuild(index_path, corpus, jobs=1)
    assert _ids(_query_org(index_path, "Acme Group")) == set()
    assert _ids(_query_org(index_path, "Acme Holdings")) == {"a1.txt"}
    assert recognizer.articles == len(ORGS)


def test_only_articles_whose_values_change_are_rewritten(
    tmp_path: Path, recognizer: CountingRecognizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_path = _corpus(tmp_path / "corpus"), tmp_path / "idx"
    rebuild(index_path, corpus, jobs=1)
    aliases = tmp_path / "my-aliases.txt"
    aliases.write_text("orgs: Acme Group = Acme Corp = Acme Holdings\n", encoding="utf-8")
    rewritten: list[str] = []
    original = enrich._document

    def recorded(stored: StoredDocument, entities: ArticleEntities) -> IndexDocument:
        rewritten.append(stored.article.id)
        return original(stored, entities)

    monkeypatch.setattr(enrich, "_document", recorded)
    result = CliRunner().invoke(main, ["rebuild", "--index", str(index_path), "-q", "-j", "1",
                                       "--aliases-file", str(aliases)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(rewritten) == ["a0.txt", "a1.txt"]  # not the Dock Union article
    assert recognizer.articles == len(ORGS)
    assert _org_facet(_query_org(index_path, "Acme Holdings"))["Acme Group"] == 2


def test_a_deleted_article_changes_the_table_at_a_plain_rebuild(
    tmp_path: Path, recognizer: CountingRecognizer
) -> None:
    corpus, index_path = _corpus(tmp_path / "corpus"), tmp_path / "idx"
    aliases = index_path / "entity-aliases.txt"
    index_path.mkdir()
    aliases.write_text("orgs: Acme Group = Acme Corp\n", encoding="utf-8")
    rebuild(index_path, corpus, jobs=1)
    assert (
        "acme corp"
        in read_side_json(
            current_generation(index_path),  # type: ignore[arg-type]
            "aliases.json",
        )["organisations"]
    )
    (corpus / "a2.txt").unlink()  # the only Dock Union article
    rebuild(index_path, corpus, jobs=1)
    table = read_side_json(current_generation(index_path), "aliases.json")  # type: ignore[arg-type]
    assert "dock union" not in table["organisations"]
    assert "aliases.json" in _generation_files(index_path)
    assert recognizer.articles == len(ORGS)


def test_a_missing_aliases_file_is_a_usage_error(
    tmp_path: Path, recognizer: CountingRecognizer
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    result = CliRunner().invoke(main, ["rebuild", str(corpus), "--index", str(tmp_path / "idx"),
                                       "--aliases-file", str(tmp_path / "nope.txt")])  # fmt: skip
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr and "Traceback" not in result.output


def test_an_alias_rewrite_interrupted_between_generations_is_finished_next_time(
    tmp_path: Path, recognizer: CountingRecognizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index_path = _corpus(tmp_path / "corpus"), tmp_path / "idx"
    rebuild(index_path, corpus, jobs=1)
    (index_path / "entity-aliases.txt").write_text(
        "organisations: Acme Group = Acme Corp = Acme Holdings\n", encoding="utf-8"
    )
    monkeypatch.setattr(enrich, "COMMIT_MAX", 1)  # one rewritten article a generation
    original = enrich._publish
    published: list[int] = []

    def publish_then_stop(
        phase: object,
        documents: list[IndexDocument],
        table: object,
        fingerprint: str | None = None,
    ) -> None:
        original(phase, documents, table, fingerprint)  # type: ignore[arg-type]
        published.append(len(documents))
        raise KeyboardInterrupt  # Ctrl-C once the first generation is live

    monkeypatch.setattr(enrich, "_publish", publish_then_stop)
    with pytest.raises(KeyboardInterrupt):
        rebuild(index_path, corpus, jobs=1)
    assert published == [1]
    meta = read_side_json(current_generation(index_path), META_NAME)  # type: ignore[arg-type]
    assert meta[enrich.ALIASES_STAMP] == "none"  # still the old file's: the next run checks
    half = _query_org(index_path, "Acme Group")
    # half done: one article rewritten, and the new table already maps the other's old value
    assert sorted(hit["organisations"][0] for hit in half["hits"]) == [  # type: ignore[attr-defined]
        "Acme Group",
        "Acme Holdings",
    ]

    monkeypatch.setattr(enrich, "_publish", original)
    rebuild(index_path, corpus, jobs=1)
    assert _ids(_query_org(index_path, "Acme Group")) == {"a0.txt", "a1.txt"}
    assert _org_facet(_query_org(index_path, "Acme Group"))["Acme Group"] == 2
    assert recognizer.articles == len(ORGS)
