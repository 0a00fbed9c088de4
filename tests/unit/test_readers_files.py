"""read_file: dispatch by suffix, and every kind of unreadable file as one Problem line."""

from __future__ import annotations

import gzip
import os
import sys
import types
from pathlib import Path

import pytest

from searchidx.config import ReadSettings
from searchidx.corpus.readers import article_suffix, read_bytes, read_file
from searchidx.models import Article, ReadResult


def _only_problem(result: ReadResult) -> tuple[str, str]:
    assert result.articles == ()
    (problem,) = result.problems
    assert problem.skipped and "\n" not in problem.reason
    return problem.path, problem.reason


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("a.txt", ".txt"),
        ("A.TXT", ".txt"),
        ("a.md", ".md"),
        ("a.json", ".json"),
        ("a.jsonl", ".jsonl"),
        ("reut2-000.sgm", ".sgm"),
        ("a.html", ".html"),
        ("a.htm", ".htm"),
        ("page.html.gz", ".html.gz"),
        ("a.gz", None),
        ("a.pdf", None),
        (".txt", None),
        ("txt", None),
    ],
)
def test_article_suffix(name: str, suffix: str | None) -> None:
    assert article_suffix(name) == suffix


def test_oversize_file_with_a_configurable_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Headline\n\n" + "x" * 2000, encoding="utf-8")
    assert read_file(path, tmp_path).articles  # under the default 20 MB
    rel, reason = _only_problem(read_file(path, tmp_path, ReadSettings(max_file_bytes=1000)))
    assert rel == "big.txt"
    assert reason == "too large: 2.0 KB, over the 1000 bytes limit"


def test_a_directory_named_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    assert _only_problem(read_file(tmp_path / "folder.txt", tmp_path)) == (
        "folder.txt",
        "is a directory, not a file",
    )


def test_a_fifo_is_reported_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert (
        _only_problem(read_file(fifo, tmp_path))[1] == "not a regular file (device, FIFO or socket)"
    )


def test_symlink_loop_and_broken_link(tmp_path: Path) -> None:
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert _only_problem(read_file(tmp_path / "loop.txt", tmp_path))[1] == "symlink loop"
    assert _only_problem(read_file(tmp_path / "gone.txt", tmp_path))[1] == "broken symlink"
    assert _only_problem(read_file(tmp_path / "never.txt", tmp_path))[1] == "file not found"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Headline\n\nText.", encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0)
    else:
        # root reads anything: make opening this one file fail the way chmod 000 would
        real_open = os.open

        def refusing_open(file: object, *args: object, **kwargs: object) -> object:
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr("os.open", refusing_open)
    assert _only_problem(read_file(path, tmp_path)) == (
        "secret.txt",
        "cannot read: permission denied",
    )


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF")
    assert "not a supported article file" in _only_problem(read_file(path, tmp_path))[1]


def test_paths_outside_the_root_keep_an_absolute_rel(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    path = tmp_path / "outside.txt"
    path.write_text("Headline\n\nText.", encoding="utf-8")
    (article,) = read_file(path, tmp_path / "root").articles
    assert article.id == path.as_posix()


def test_html_reader_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the module did not exist
    monkeypatch.setitem(sys.modules, "searchidx.corpus.readers.html", None)
    result = read_bytes(b"<html></html>", "page.html", ".html")
    assert _only_problem(result) == ("page.html", "HTML reader not available")


def test_html_goes_to_read_html_with_the_raw_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, str, bytes]] = []

    def fake_read_html(path: Path, rel: str, data: bytes, limit: int) -> ReadResult:
        calls.append((path, rel, data))
        return ReadResult(articles=(Article(id=rel, path=rel, title="t", body="b"),))

    module = types.ModuleType("searchidx.corpus.readers.html")
    module.read_html = fake_read_html  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "searchidx.corpus.readers.html", module)
    page = tmp_path / "site" / "page.html.gz"
    page.parent.mkdir()
    page.write_bytes(gzip.compress(b"<html><p>hi</p></html>"))
    result = read_file(page, tmp_path)
    assert [a.id for a in result.articles] == ["site/page.html.gz"]
    assert calls == [(page, "site/page.html.gz", page.read_bytes())]


def test_a_reader_bug_costs_one_file_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(
        data: bytes, rel: str, markdown: bool = False, date_format: str | None = None
    ) -> ReadResult:
        raise ValueError("unexpected\nsecond line")

    monkeypatch.setattr("searchidx.corpus.readers.text.read_text", broken)
    assert _only_problem(read_bytes(b"x", "a.txt", ".txt")) == (
        "a.txt",
        "reader failed (ValueError: unexpected)",
    )


def test_each_format_through_read_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\nText.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n', encoding="utf-8")
    (tmp_path / "c.sgm").write_text(
        '<REUTERS NEWID="5"><DATE>26-FEB-1987 15:01:01.79</DATE>'
        "<TEXT><TITLE>T</TITLE><BODY>B</BODY></TEXT></REUTERS>",
        encoding="utf-8",
    )
    ids = [
        a.id
        for name in ("a.md", "b.jsonl", "c.sgm")
        for a in read_file(tmp_path / name, tmp_path).articles
    ]
    assert ids == ["a.md", "b.jsonl#1", "b.jsonl#2", "c.sgm#5"]
