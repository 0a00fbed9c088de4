"""One record shape: the TUI's export writes exactly what `query --format jsonl|csv` prints."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main
from searchidx.index import open_index
from searchidx.models import Hit, SearchRequest
from searchidx.search.records import CSV_COLUMNS, hit_record
from searchidx.search.searching import search
from tui.backend import write_export


def test_tui_export_is_the_query_output(seed_index: Path, tmp_path: Path) -> None:
    hits = list(search(open_index(seed_index), SearchRequest("defection", snippets=0)).hits)
    assert len(hits) == 2
    for fmt, suffix in (("jsonl", ".jsonl"), ("csv", ".csv")):
        printed = CliRunner().invoke(
            main, ["query", "defection", "--snippets", "0", "--format", fmt,
                   "--index", str(seed_index)],
        )  # fmt: skip
        assert printed.exit_code == 0
        target = tmp_path / f"export{suffix}"
        assert write_export(hits, target) == 2
        assert target.read_text(encoding="utf-8") == printed.stdout


def test_csv_columns_follow_the_json_keys() -> None:
    hit = Hit(id="a", path="a.txt", title="A", outlet=None, published=None, date_only=False,
              authors=(), url=None, score=0.0)  # fmt: skip
    keys = list(hit_record(hit))
    # CSV has one `snippet` column (the texts joined) where JSON has `snippets`; the rest agree
    assert [c for c in CSV_COLUMNS if c != "snippet"] == [
        k for k in keys if k in CSV_COLUMNS and k != "snippets"
    ]
