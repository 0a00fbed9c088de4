"""One count of truth: `searchidx entities`, the facets and the entity filters agree, also for
two articles with the same text (one NER cache entry, two articles); an alias file edit applies
at the next rebuild."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main

TEXT = (
    "Tony Blair visits Washington\n\n"
    "Prime Minister Tony Blair met officials in the US on Monday. Tony Blair said the talks in "
    "Washington with Microsoft and the United Nations went well, officials in London said.\n"
)


def _json(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


def test_entities_facets_and_filters_count_the_same_articles(tmp_path: Path) -> None:
    corpus, index = tmp_path / "news", tmp_path / "idx"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "b.txt").write_text(TEXT, encoding="utf-8")  # same text: one cache entry
    (corpus / "c.txt").write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "-q", "-j", "1"])
    assert built.exit_code == 0, built.output
    listed = _json(runner, "entities", "--index", str(index), "--format", "json", "--limit", "50")
    facets = _json(runner, "query", "*", "--index", str(index), "--facets", "--format", "json")[
        "facets"
    ]
    assert isinstance(facets, dict)
    checked = 0
    for kind, field in (("people", "person"), ("places", "place")):
        rows = listed[kind]
        assert isinstance(rows, list) and rows
        facet_counts = {row["value"]: row["count"] for row in facets[kind]}
        for row in rows:
            value, count = row["value"], row["articles"]
            assert facet_counts[value] == count, (kind, value)
            hits = _json(
                runner, "query", f'{field}:"{value}"', "--index", str(index), "--format", "json"
            )
            assert hits["total"] == count, (kind, value)
            checked += 1
    assert {"value": "Tony Blair", "articles": 3} in listed["people"]
    assert checked >= 2
    # an alias file edit takes effect at the next rebuild
    (index / "entity-aliases.txt").write_text("people: - Tony Blair\n", encoding="utf-8")
    again = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "-q", "-j", "1"])
    assert again.exit_code == 0, again.output
    listed = _json(runner, "entities", "--index", str(index), "--format", "json")
    assert not any(row["value"] == "Tony Blair" for row in listed["people"])
