"""The failure report (issue 20): grouped by reason and file, counted in files, with its fix."""

from __future__ import annotations

from searchidx.models import Problem
from searchidx.rebuild.failures import failed_files, fix_for, group_failures, report_lines


def _problems() -> list[Problem]:
    manifest = [
        Problem("MANIFEST.json", f"record {n}: no text (expected a text, body or content field)")
        for n in range(1, 51)
    ]
    return [
        *manifest,
        Problem("de/FAZ.json", "no text (expected a text, body or content field)"),
        Problem("big.html", "too large: 30.0 MB, over the 20.0 MB limit"),
        Problem("old.txt", "not valid UTF-8", skipped=False),
    ]


def test_records_of_one_file_are_one_file_in_the_report() -> None:
    problems = _problems()
    assert failed_files(problems) == 3
    groups = group_failures(problems)
    assert [len(g.files) for g in groups] == [2, 1]
    assert groups[0].files == {"MANIFEST.json": 50, "de/FAZ.json": 1}
    lines = report_lines(problems)
    assert sum("MANIFEST.json" in line for line in lines) == 1
    assert "    MANIFEST.json (50 records)" in lines
    assert any(line.startswith("  warning: not valid UTF-8: 1 file") for line in lines)


def test_each_reason_gets_the_fix_that_applies() -> None:
    assert ".searchidxignore" in fix_for("record 3: no text (expected a text or body field)")
    assert "SEARCHIDX_MAX_FILE_BYTES" in fix_for("too large: 30.0 MB, over the 20.0 MB limit")
    assert "UTF-8" in fix_for("name is not valid UTF-8; rename it to index it")
    assert "--retry-failed" not in fix_for("no text (expected a text, body or content field)")


def test_a_long_group_lists_its_first_files_and_points_to_status() -> None:
    problems = [Problem(f"f{n}.json", "no records") for n in range(15)]
    lines = report_lines(problems, listed=10)
    assert lines[0] == "  failed: no records: 15 files"
    assert "    ... and 5 more: see `searchidx status`" in lines
