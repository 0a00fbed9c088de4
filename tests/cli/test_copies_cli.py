"""Copies folded into one hit (issue 21, item 3): exact and near duplicates, "also in", both
totals, `--all-copies`, and the JSON / CSV records carrying the copies."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main
from searchidx.stories.copies import COPIES_FILE

HARBOUR = (
    "Dock workers at the northern harbour walked out on Monday after talks over night shifts "
    "broke down, leaving container ships waiting offshore and lorries queued along the coast "
    "road. The union said the port authority had refused to discuss rest breaks, while the "
    "authority said it had offered a review of rosters before the summer season began. "
    "Shipping agents warned that perishable cargo would be diverted to other ports within days."
)
# one sentence changed: most five-word shingles are shared, so a near duplicate
EDITED = HARBOUR.replace(
    "Shipping agents warned that perishable cargo would be diverted to other ports within days.",
    "Local traders said fish landed overnight was being sold at the quay instead.",
)
MUSEUM = (
    "The city museum reopened its harbour gallery after two years of repairs, with model "
    "ships, old charts and a restored pilot boat on show to visitors from Saturday."
)
# name -> (title, outlet, date, body)
ARTICLES = {
    "wire-a": ("Harbour strike strands ships", "Wire One", "2024-03-04", HARBOUR),
    "paper-b": ("Harbour strike strands ships", "Daily Paper", "2024-03-04", HARBOUR),
    "site-c": ("Harbour strike strands ships", "News Site", "2024-03-05", EDITED),
    "archive-e": ("Harbour strike strands ships", "Archive", "2026-01-10", HARBOUR),
    "museum-d": ("Museum reopens harbour gallery", "City Desk", "2024-03-06", MUSEUM),
}


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, env={"NO_COLOR": None})


@pytest.fixture(scope="module")
def copies_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("copies")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, (title, outlet, day, body) in ARTICLES.items():
        front = f'---\ntitle: "{title}"\noutlet: {outlet}\ndate: {day}\n---\n'
        (corpus / f"{name}.txt").write_text(front + body + "\n", encoding="utf-8")
    index = folder / "index"
    built = run(["rebuild", str(corpus), "--index", str(index), "--no-entities", "-j", "1"])
    assert built.exit_code == 0, built.output
    assert any(index.glob(f"gen-*/{COPIES_FILE}"))  # found at rebuild, not by the reader
    return index


def test_copies_fold_into_one_hit_with_both_totals(copies_index: Path) -> None:
    result = run(["query", "harbour", "--index", str(copies_index)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 articles (2 after collapsing copies), showing 1-2\n")
    assert result.stdout.count("also in: ") == 1
    also = next(line for line in result.stdout.splitlines() if "also in: " in line)
    # the exact copies (same day, two years later) and the edited one: the hit or also in
    for name in ("wire-a", "paper-b", "site-c", "archive-e"):
        assert (f"{name}.txt" in also) != (f"{name}.txt" in result.stdout.replace(also, ""))
    assert len(re.findall(r"\.txt \([A-Z][a-z]+( [A-Z][a-z]+)?, \d{4}-\d\d-\d\d\)", also)) == 3
    assert "museum-d" not in also


def test_all_copies_lists_every_copy(copies_index: Path) -> None:
    result = run(["query", "harbour", "--all-copies", "--index", str(copies_index)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 articles, showing 1-5\n")
    assert "also in" not in result.stdout and "collapsing" not in result.stdout


def test_json_and_csv_carry_the_copies(copies_index: Path) -> None:
    result = run(["query", "harbour", "--format", "json", "--index", str(copies_index)])
    record = json.loads(result.stdout)
    assert (record["total"], record["collapsed_total"], len(record["hits"])) == (5, 2, 2)
    copies = [c for hit in record["hits"] for c in hit["copies"]]
    assert len(copies) == 3 and set(copies[0]) == {"id", "path", "outlet", "published"}
    shown = {h["id"] for h in record["hits"]} | {c["id"] for c in copies}
    assert shown == {f"{name}.txt" for name in ARTICLES}
    every = json.loads(
        run(
            ["query", "harbour", "--format", "json", "--all-copies", "--index", str(copies_index)]
        ).stdout
    )
    assert (every["total"], every["collapsed_total"], len(every["hits"])) == (5, None, 5)
    assert all(h["copies"] == [] for h in every["hits"])
    rows = list(csv.DictReader(io.StringIO(
        run(["query", "harbour", "--format", "csv", "--index", str(copies_index)]).stdout
    )))  # fmt: skip
    assert len(rows) == 2 and sum(r["copies"].count(".txt") for r in rows) == 3


def test_a_different_article_is_not_a_copy(copies_index: Path) -> None:
    result = run(["query", "museum", "--format", "json", "--index", str(copies_index)])
    record = json.loads(result.stdout)
    assert (record["total"], record["collapsed_total"]) == (1, 1)
    assert record["hits"][0]["copies"] == []


def test_paging_counts_folded_hits(copies_index: Path) -> None:
    pages = []
    for offset in (0, 1, 2):
        found = run(["query", "harbour", "--limit", "1", "--offset", str(offset),
                     "--format", "json", "--index", str(copies_index)])  # fmt: skip
        pages.append([h["id"] for h in json.loads(found.stdout)["hits"]])
    assert [len(page) for page in pages] == [1, 1, 0]
    assert "museum-d.txt" in pages[0] + pages[1] and pages[0] != pages[1]


def test_a_folded_hit_is_the_hit_search_gives(copies_index: Path) -> None:
    from searchidx.index import open_index
    from searchidx.models import SearchRequest
    from searchidx.search.searching import search
    from searchidx.stories.collapse import collapsed_search

    engine = open_index(copies_index)
    for snippets in (0, 3):
        request = SearchRequest(query="harbour strike", snippets=snippets, facets=("outlet",))
        every, folded = search(engine, request), collapsed_search(engine, request)
        assert (every.total, every.collapsed_total, folded.collapsed_total) == (5, None, 2)
        assert folded.facets == every.facets and folded.parsed_query == every.parsed_query
        plain = {hit.id: hit for hit in every.hits}
        for hit in folded.hits:
            assert hit.title_spans and replace(hit, copies=()) == plain[hit.id]


def test_stories_fold_copies_inside_a_story(copies_index: Path) -> None:
    found = run(["stories", "harbour", "--index", str(copies_index)])
    assert found.exit_code == 0, found.output
    assert found.stdout.startswith("1 story in 5 articles (2 after collapsing copies)")
    assert ": 3 articles (1 after collapsing copies)" in found.stdout
    stories = json.loads(
        run(["stories", "harbour", "--format", "json", "--index", str(copies_index)]).stdout
    )
    story = stories[0]
    assert (story["count"], story["collapsed_count"], len(story["articles"])) == (3, 1, 1)
    assert len(story["articles"][0]["copies"]) == 2
    every = json.loads(run(["stories", "harbour", "--format", "json", "--all-copies",
                            "--index", str(copies_index)]).stdout)[0]  # fmt: skip
    assert (every["count"], every["collapsed_count"], len(every["articles"])) == (3, None, 3)
    grouped = json.loads(run(["query", "harbour", "--group-stories", "--format", "json",
                              "--index", str(copies_index)]).stdout)  # fmt: skip
    assert grouped["collapsed_total"] == 2
    assert [h["story"]["collapsed_count"] for h in grouped["hits"]] == [1, 1, 1]
