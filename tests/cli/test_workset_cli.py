"""`watch`, `query --queries`, `saved`, `tag`/`untag`/`note`, `show` and `status` through
CliRunner and real rebuilds of a copy of the seed corpus (tags survive `--full` and kill -9)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchidx.cli import main
from searchidx.rebuild.run import rebuild
from tests.conftest import SEED_CORPUS

CNN = "cnn-2016-04-11-north-korean-colonel-defects.txt"
VICE = "vice-news-2016-04-11-most-senior-military-defection.txt"


def run(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, input=stdin, env={"NO_COLOR": None})


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """(corpus folder, index folder): the seed corpus copied and rebuilt without spaCy."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    rebuild(index, corpus, entities=False)
    return corpus, index


def _add(corpus: Path, name: str, body: str) -> None:
    text = f"---\ntitle: Later news {name}\noutlet: Yonhap\ndate: 2016-05-02\n---\n{body}\n"
    (corpus / f"{name}.txt").write_text(text, encoding="utf-8")


def test_watch_text_json_csv_and_new(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = built
    names = tmp_path / "names.txt"
    names.write_text(
        "# the bureau, both spellings\n"
        "org: Reconnaissance General Bureau | General Reconnaissance Bureau\n"
        "rank: colonel\n",
        encoding="utf-8",
    )
    first = run(["watch", str(names), "--format", "json", "--hits", "5", "--index", str(index)])
    assert first.exit_code == 0
    assert "names.txt:3: unknown kind 'rank'" in first.stderr
    [row] = json.loads(first.stdout)
    assert row["name"] == "Reconnaissance General Bureau" and row["kind"] == "organisations"
    assert row["total"] == 2 and {h["id"] for h in row["hits"]} == {CNN, VICE}
    assert row["first"] == row["last"] == "2016-04-11" and "new" not in row
    _add(corpus, "late", "The Reconnaissance General Bureau again.")
    _add(corpus, "unrelated", "Wheat prices.")
    rebuild(index, corpus, entities=False)
    new = run(["watch", str(names), "--new", "--format", "csv", "--hits", "3",
               "--index", str(index)])  # fmt: skip
    [line] = list(csv.DictReader(io.StringIO(new.stdout)))
    assert (line["total"], line["new"], line["hits"]) == ("1", "1", "late.txt")
    text = run(["watch", str(names), "--new", "--index", str(index)])
    assert "0 articles (0 new)" in text.stdout


def test_batch_file_with_a_malformed_line(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, index = built
    queries = tmp_path / "queries.txt"
    queries.write_text("defect*\n(unclosed\n\noutlet:CNN\n", encoding="utf-8")
    result = run(["query", "--queries", str(queries), "--format", "jsonl", "--hits", "1",
                  "--index", str(index)])  # fmt: skip
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["defect*", "(unclosed", "outlet:CNN"]
    assert [r["total"] for r in rows] == [2, 0, 1]
    assert rows[1]["error"].startswith("unclosed '('") and rows[0]["error"] is None
    assert len(rows[0]["hits"]) == 1 and rows[2]["outlets"] == [{"outlet": "CNN", "count": 1}]
    assert "error: '(unclosed'" in result.stderr


def test_batch_csv_column(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, index = built
    sheet = tmp_path / "names.csv"
    sheet.write_text('who,query\na,espionage\nb,"""near words""~3"\n', encoding="utf-8")
    result = run(["query", "--queries", str(sheet), "--column", "query", "--format", "csv",
                  "--index", str(index)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["query"] for r in rows] == ["espionage", '"near words"~3']
    assert rows[0]["total"] == "2" and rows[0]["outlets"] == "CNN 1, VICE News 1"
    missing = run(["query", "--queries", str(sheet), "--column", "nope", "--index", str(index)])
    assert missing.exit_code == 1 and "no column 'nope'" in missing.stderr


def test_saved_add_list_run_new(built: tuple[Path, Path]) -> None:
    corpus, index = built
    ix = ["--index", str(index)]
    added = run(["saved", "add", "bureau", "bureau", "--outlet", "CNN", "--outlet", "Yonhap", *ix])
    assert added.exit_code == 0 and "saved 'bureau'" in added.stderr
    bad = run(["saved", "add", "broken", "(oops", *ix])
    assert bad.exit_code == 2 and "unclosed '('" in bad.stderr
    first = json.loads(run(["saved", "run", "bureau", "--format", "json", *ix]).stdout)[0]
    assert (first["total"], first["new"]) == (1, 0)  # saving saw what matched then
    _add(corpus, "late", "The bureau again.")
    rebuild(index, corpus, entities=False)
    listed = run(["saved", "list", *ix])
    assert "bureau\tbureau\t2 articles, 1 new" in listed.stdout
    fresh = run(["saved", "run", "bureau", "--new", "--format", "json", *ix])
    [row] = json.loads(fresh.stdout)
    assert row["new"] == 1 and [h["id"] for h in row["hits"]] == ["late.txt"]
    assert run(["saved", "remove", "bureau", *ix]).exit_code == 0
    gone = run(["saved", "run", "bureau", *ix])
    assert gone.exit_code == 1 and "no saved search named 'bureau'" in gone.stderr


def test_tag_untag_note_show_and_exports(built: tuple[Path, Path]) -> None:
    _, index = built
    ix = ["--index", str(index)]
    assert run(["tag", CNN, "Lead", "starred", *ix]).stdout.strip() == f"{CNN}\ttags: lead starred"
    assert run(["note", CNN, "call the desk", *ix]).exit_code == 0
    shown = run(["show", CNN, *ix]).stdout
    assert "tags:          lead starred" in shown and "note:          call the desk" in shown
    document = json.loads(run(["query", "tag:lead", "--facets", "--format", "json", *ix]).stdout)
    assert [h["id"] for h in document["hits"]] == [CNN]
    assert document["hits"][0]["tags"] == ["lead", "starred"]
    assert document["hits"][0]["note"] == "call the desk"
    assert [f["value"] for f in document["facets"]["tags"]] == ["lead", "starred"]
    rows = list(
        csv.DictReader(io.StringIO(run(["query", "bureau", "--format", "csv", *ix]).stdout))
    )
    assert {r["id"]: r["tags"] for r in rows} == {CNN: "lead; starred", VICE: ""}
    assert (
        run(["untag", CNN, "lead", *ix])
        .stdout.strip()
        .endswith("tags: starred\tnote: call the desk")
    )
    unknown = run(["tag", "nope.txt", "x", *ix])
    assert unknown.exit_code == 1 and "find ids with" in unknown.stderr
    spaced = run(["tag", CNN, "two words", *ix])
    assert spaced.exit_code == 2 and "bad tag" in spaced.stderr


def test_tags_survive_full_rebuild_moves_and_report_orphans(built: tuple[Path, Path]) -> None:
    corpus, index = built
    ix = ["--index", str(index)]
    run(["tag", CNN, "keep", *ix])
    run(["tag", VICE, "gone", *ix])
    assert run(["rebuild", str(corpus), "--full", "--no-entities", "-q", *ix]).exit_code == 0
    assert json.loads(run(["query", "tag:keep", "--format", "json", *ix]).stdout)["total"] == 1
    (corpus / "archive").mkdir()
    (corpus / CNN).rename(corpus / "archive" / "cnn.txt")
    (corpus / VICE).unlink()
    rebuild(index, corpus, entities=False)
    hits = json.loads(run(["query", "tag:keep", "--format", "json", *ix]).stdout)["hits"]
    assert [h["id"] for h in hits] == ["archive/cnn.txt"]
    status = json.loads(run(["status", "--format", "json", *ix]).stdout)
    assert [(m["id"], m["tags"]) for m in status["orphaned_tags"]] == [(VICE, ["gone"])]
    assert f"tags on missing articles: 1\n  {VICE}" in run(["status", *ix]).stdout


def test_tags_survive_a_killed_rebuild(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = built
    run(["tag", CNN, "keep", "--index", str(index)])
    _add(corpus, "late", "More.")
    marker = tmp_path / "held"
    env = {**os.environ, "SEARCHIDX_TEST_HOLD": "mid-commit",
           "SEARCHIDX_TEST_HOLD_FILE": str(marker)}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--index", str(index),
         "--full", "--no-entities", "-q"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None and time.monotonic() < deadline, "rebuild never held"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    found = json.loads(run(["query", "tag:keep", "--format", "json", "--index", str(index)]).stdout)
    assert [h["id"] for h in found["hits"]] == [CNN]
    rebuild(index, corpus, entities=False)
    again = json.loads(run(["query", "tag:keep", "--format", "json", "--index", str(index)]).stdout)
    assert [h["id"] for h in again["hits"]] == [CNN]


def test_a_broken_database_is_one_error_line_and_search_still_works(
    built: tuple[Path, Path],
) -> None:
    _, index = built
    (index / "workset.sqlite3").write_bytes(b"not a database at all" * 100)
    plain = run(["query", "bureau", "--format", "json", "--index", str(index)])
    assert plain.exit_code == 0 and json.loads(plain.stdout)["total"] == 2
    tagged = run(["tag", CNN, "x", "--index", str(index)])
    assert tagged.exit_code == 1 and len(tagged.stderr.strip().splitlines()) == 1
    assert "workset.sqlite3" in tagged.stderr and "Traceback" not in tagged.output


def test_batch_options_without_a_queries_file(built: tuple[Path, Path]) -> None:
    result = run(["query", "oil", "--hits", "2", "--index", str(built[1])])
    assert result.exit_code == 2 and "--hits go with --queries FILE" in result.stderr


def test_note_needs_its_text_and_empty_text_removes_it(built: tuple[Path, Path]) -> None:
    ix = ["--index", str(built[1])]
    run(["note", CNN, "keep me", *ix])
    forgot = run(["note", CNN, *ix])
    assert forgot.exit_code == 2 and "keep me" in run(["show", CNN, *ix]).stdout
    assert run(["note", CNN, "-", *ix], stdin="from stdin\n").stdout.endswith("note: from stdin\n")
    assert run(["note", CNN, "", *ix]).stdout.strip() == f"{CNN}\ttags: -"
    assert "note:" not in run(["show", CNN, *ix]).stdout
