"""`searchidx stories`, `related`, `query --group-stories` and `--timeline` through CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main

CNN = "cnn-2016-04-11-north-korean-colonel-defects"
VICE = "vice-news-2016-04-11-most-senior-military-defection"
STORY_KEYS = {
    "id", "articles", "outlets", "first_published", "first_outlet", "count", "size",
    "collapsed_count",
}  # fmt: skip


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, env={"NO_COLOR": None})


def test_stories_json_is_a_list_of_stories(seed_index: Path) -> None:
    result = run(["stories", "defection", "--format", "json", "--index", str(seed_index)])
    assert result.exit_code == 0 and result.stderr == ""
    stories = json.loads(result.stdout)
    assert isinstance(stories, list) and len(stories) == 1
    story = stories[0]
    assert set(story) == STORY_KEYS
    assert {a["id"] for a in story["articles"]} == {CNN, VICE}
    assert sorted(story["outlets"]) == ["CNN", "VICE News"]
    assert story["first_published"] == "2016-04-11" and story["first_outlet"] in story["outlets"]
    assert story["count"] == story["size"] == 2
    assert story["articles"][0]["snippets"]  # the best hit carries its snippets


def test_stories_respect_filters_and_min_articles(seed_index: Path) -> None:
    index = ["--index", str(seed_index)]
    only_cnn = run(["stories", "--outlet", "CNN", "--format", "json", *index])
    assert only_cnn.exit_code == 0 and json.loads(only_cnn.stdout) == []  # one article < 2
    single = run(["stories", "--outlet", "CNN", "--min-articles", "1", "--format", "json", *index])
    (story,) = json.loads(single.stdout)
    assert [a["id"] for a in story["articles"]] == [CNN]
    assert story["count"] == 1 and story["size"] == 2


def test_stories_text_csv_and_jsonl(seed_index: Path) -> None:
    index = ["--index", str(seed_index)]
    text = run(["stories", "defection", *index])
    assert text.exit_code == 0 and text.stdout.startswith("1 story in 2 articles")
    assert "outlets: " in text.stdout and "also: " in text.stdout
    rows = list(csv.DictReader(io.StringIO(run(["stories", "--format", "csv", *index]).stdout)))
    assert {r["id"] for r in rows} == {CNN, VICE} and {r["story_count"] for r in rows} == {"2"}
    lines = run(["stories", "--format", "jsonl", *index]).stdout.splitlines()
    assert len(lines) == 1 and set(json.loads(lines[0])) == STORY_KEYS


def test_query_group_stories_collapses_to_the_best_hit(seed_index: Path) -> None:
    args = ["query", "defection", "--group-stories", "--format", "json", "--index", str(seed_index)]
    result = run(args)
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert document["total"] == 2 and document["stories_total"] == 1
    (hit,) = document["hits"]
    assert hit["id"] in {CNN, VICE} and hit["snippets"]
    assert hit["story"]["count"] == 2 and sorted(hit["story"]["outlets"]) == ["CNN", "VICE News"]
    text = run(["query", "defection", "--group-stories", "--index", str(seed_index)])
    assert "+1 more in this story" in text.stdout


def test_query_timeline_key(seed_index: Path) -> None:
    result = run(["query", "--timeline", "day", "--format", "json", "--index", str(seed_index)])
    assert result.exit_code == 0
    timeline = json.loads(result.stdout)["timeline"]
    assert timeline["interval"] == "day" and timeline["undated"] == 0
    assert timeline["periods"] == [{
        "period": "2016-04-11", "start": "2016-04-11", "count": 2,
        "outlets": {"CNN": 1, "VICE News": 1},
    }]  # fmt: skip
    plain = run(["query", "--format", "json", "--index", str(seed_index)])
    assert "timeline" not in json.loads(plain.stdout)
    batch = CliRunner().invoke(
        main, ["query", "--batch", "--timeline", "month", "--index", str(seed_index)],
        input="defection\nzzzqqq\n",
    )  # fmt: skip
    counts = [json.loads(line)["timeline"]["periods"] for line in batch.stdout.splitlines()]
    assert [len(c) for c in counts] == [1, 0]


def test_related_lists_co_occurring_entities(seed_index: Path) -> None:
    result = run(["related", "moon sang-gyun", "--format", "json", "--index", str(seed_index)])
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert document["entity"] == "Moon Sang-gyun" and document["total"] == 1
    people = [r["value"] for r in document["related"]["people"]]
    assert "Moon Sang-gyun" not in people and "Jeong Joon-hee" in people
    orgs = {r["value"]: r["count"] for r in document["related"]["organisations"]}
    assert orgs.get("General Reconnaissance Bureau") == 1  # the alias, counted canonically
    bureau = run(["related", "Reconnaissance General Bureau", "--format", "json",
                  "--index", str(seed_index)])  # fmt: skip
    places = {r["value"]: r["count"] for r in json.loads(bureau.stdout)["related"]["places"]}
    assert places["North Korea"] == 2 and places["China"] == 1
    narrowed = run(["related", "General Reconnaissance Bureau", "--outlet", "VICE News",
                    "--format", "json", "--index", str(seed_index)])  # fmt: skip
    assert json.loads(narrowed.stdout)["total"] == 1


def test_related_errors_are_one_line(seed_index: Path, tmp_path: Path) -> None:
    unknown = run(["related", "Nobody At All", "--index", str(seed_index)])
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "searchidx entities" in unknown.stderr
    missing = run(["stories", "--index", str(tmp_path / "none")])
    assert missing.exit_code == 3 and "searchidx rebuild" in missing.stderr
    bad = run(["stories", "title:(open", "--index", str(seed_index)])
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr
