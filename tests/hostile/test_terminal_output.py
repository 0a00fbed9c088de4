"""Hostile text reaching the terminal: escape sequences in articles and file names are shown, never
sent, by every command and format; JSON stays exact; CSV cells cannot be formulas."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from searchidx.cli import main
from searchidx.models import Article
from searchidx.rebuild.run import index_articles
from searchidx.stories.sync import sync_stories

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the window title
OSC_LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"  # a hidden link
OSC_CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # writes `echo pwned` into the clipboard
CSI = "\x1b[2J\x1b[31m"  # clears the screen, turns red
C1_CSI = "\x9b2J"  # the same as one C1 byte
BIDI = "\u202eevil\u202c \u2066isolate\u2069"  # reorders the line
HOSTILE = OSC_TITLE + OSC_LINK + OSC_CLIPBOARD + CSI + C1_CSI + BIDI
# What must never reach a terminal: ESC, the C1 controls, BEL, and the bidi controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _article(n: int) -> Article:
    return Article(
        id=f"a{n}{HOSTILE}",
        path=f"news/a{n}{CSI}.txt",
        title=f"Harbour strike {HOSTILE} day {n}",
        body=f"Dockers stopped the harbour cranes {HOSTILE} on Monday. " * 3,
        outlet=f"Wire{OSC_TITLE}",
        published=datetime(2016, 4, 11, tzinfo=UTC),
        date_only=True,
        authors=(f"Ann {OSC_CLIPBOARD}Writer",),
        url=f"https://example.org/{OSC_LINK}",
        people=(f"Ann {BIDI}",),
        organisations=("Harbour Board", f"Union{C1_CSI}"),
        places=("Rotterdam",),
    )


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "index"
    index_articles(path, [_article(1), _article(2)])
    sync_stories(path)
    return path


def run(args: list[str], stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, args, input=stdin, env={"NO_COLOR": None})


def _clean(result: Result) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    for stream in (result.stdout, result.stderr):
        found = FORBIDDEN.search(stream)
        assert found is None, f"{found.group()!r} reached the terminal in {stream[:300]!r}"


READING_COMMANDS = [
    ["query", "harbour", "--facets"],
    ["query", "harbour", "--group-stories", "--timeline", "day"],
    ["query", "harbour", "--format", "csv"],
    ["query", "harbour", "--format", "jsonl"],
    ["query", "harbour", "--format", "json", "--facets"],
    ["query", f"harbor{C1_CSI}{BIDI}"],  # did-you-mean, the query echoed back
    ["show", f"a1{HOSTILE}"],
    ["show", f"a1{HOSTILE}", "--highlight", "harbour", "--format", "json"],
    ["stories", "harbour", "--min-articles", "1"],
    ["stories", "harbour", "--min-articles", "1", "--format", "csv"],
    ["similar", f"a1{HOSTILE}"],
    ["related", f"Ann {BIDI}"],
    ["status"],
    ["status", "--format", "json"],
]


@pytest.mark.parametrize("args", READING_COMMANDS, ids=lambda a: " ".join(a[:3])[:40])
def test_no_escape_reaches_the_terminal(hostile_index: Path, args: list[str]) -> None:
    result = run([*args, "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    _clean(result)


def test_text_shows_the_escapes_visibly(hostile_index: Path) -> None:
    result = run(["show", f"a1{HOSTILE}", "--index", str(hostile_index)])
    assert "\\x1b]0;pwned\\x07" in result.stdout and "\\u202e" in result.stdout
    assert "\\x9b2J" in result.stdout


def test_colour_output_keeps_only_our_styles(
    hostile_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as on a terminal: colour on, and click left to pass styles through (color=True)
    monkeypatch.setattr("searchidx.cli.output.use_colour", lambda stream: True)
    result = CliRunner().invoke(
        main, ["query", "harbour", "--index", str(hostile_index)], env={"NO_COLOR": None},
        color=True,
    )  # fmt: skip
    assert result.exit_code == 0
    assert "\x1b[1;33m" in result.stdout  # the match is marked
    no_styles = re.sub(r"\x1b\[(?:0|1|2|1;33)m", "", result.stdout)
    assert FORBIDDEN.search(no_styles) is None


def test_json_stays_exact(hostile_index: Path) -> None:
    args = ["query", "harbour", "--format", "json", "--index", str(hostile_index)]
    every = json.loads(run([*args, "--all-copies"]).stdout)
    hits = every["hits"]
    assert {h["title"] for h in hits} == {_article(n).title for n in (1, 2)}
    assert all(h["authors"] == list(_article(1).authors) for h in hits)
    # the two are near copies (one body, one day): folded by default, the copy's fields exact
    folded = json.loads(run(args).stdout)
    assert (folded["total"], folded["collapsed_total"], len(folded["hits"])) == (2, 1, 1)
    (hit,) = folded["hits"]
    (copy,) = hit["copies"]
    assert {(hit["id"], hit["path"]), (copy["id"], copy["path"])} == {
        (_article(n).id, _article(n).path) for n in (1, 2)
    }
    assert copy["outlet"] == _article(1).outlet and copy["published"] == "2016-04-11"


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    formulas = ('=HYPERLINK("https://evil.example")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx")
    articles = [
        Article(id=f"f{n}", path=f"f{n}.txt", title=title, body="harbour cranes",
                outlet="-Outlet", authors=("=cmd|' /C calc'!A0",))
        for n, title in enumerate(formulas)
    ]  # fmt: skip
    index_articles(tmp_path / "index", articles)
    args = ["query", "harbour", "--format", "csv", "--index", str(tmp_path / "index")]
    # "\tx" and "\rx" make one text ("x harbour cranes"): folded, the copy is in a cell
    folded = list(csv.DictReader(io.StringIO(run(args).stdout)))
    assert len(folded) == len(formulas) - 1
    assert sorted(r["copies"] for r in folded)[-1] in ("f4.txt (-Outlet)", "f5.txt (-Outlet)")
    result = run([*args, "--all-copies"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(formulas)
    assert {r["title"] for r in rows} == {"'" + visible_cell(t) for t in formulas}
    for row in rows:
        assert row["outlet"] == "'-Outlet" and row["authors"].startswith("'=")
        assert row["id"].startswith("f")  # a plain cell stays as it is


def visible_cell(text: str) -> str:
    return text.replace("\r", "\\x0d")  # CR is shown as an escape; a tab stays a tab


def test_rebuild_and_status_show_hostile_file_names(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("---\ntitle: Oil\ndate: 2016-04-11\n---\nOil prices.\n")
    (corpus / f"bad{OSC_TITLE}{BIDI}.txt").write_bytes(b"")  # empty: reported as failed
    index = tmp_path / "idx"
    rebuilt = run(["rebuild", str(corpus), "--index", str(index), "--no-entities", "--jobs", "1"])
    assert rebuilt.exit_code == 1  # the empty file failed, and is listed by name
    assert "bad\\x1b]0;pwned\\x07" in rebuilt.stderr
    _clean(rebuilt)
    status = run(["status", "--index", str(index)])
    assert status.exit_code == 0 and "bad\\x1b]0;pwned" in status.stdout
    _clean(status)


def test_error_messages_are_sanitised(hostile_index: Path) -> None:
    result = run(["show", f"missing{OSC_CLIPBOARD}", "--index", str(hostile_index)])
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    _clean(result)
    bad_query = run(["query", f"harbor{OSC_TITLE}", "--index", str(hostile_index)])
    assert bad_query.exit_code == 2 and "unmatched" in bad_query.stderr
    _clean(bad_query)
    batch = run(["query", "--batch", "--index", str(hostile_index)], stdin=f'"{OSC_TITLE}\n')
    _clean(batch)
