"""walk(): which files are sources, in what order, and which entries are reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from searchidx.config import ReadSettings
from searchidx.corpus.walk import Source, walk
from searchidx.errors import CorpusError
from searchidx.models import Problem


def _touch(root: Path, rel: str, content: str = "Headline\n\nText.") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def _split(items: list[Source | Problem]) -> tuple[list[str], list[tuple[str, str, bool]]]:
    sources = [item.rel for item in items if isinstance(item, Source)]
    problems = [(i.path, i.reason, i.skipped) for i in items if isinstance(i, Problem)]
    return sources, problems


def test_supported_files_in_a_stable_sorted_order(tmp_path: Path) -> None:
    for rel in ("b.txt", "a.md", "z/y.json", "z/x.jsonl", "c.sgm", "d.HTML", "e.htm", "f.html.gz"):
        _touch(tmp_path, rel)
    for rel in (
        "notes.pdf",
        "image.png",
        "archive.gz",
        "README.md",
        "LICENSE.txt",
        "sub/SOURCE.md",
    ):
        _touch(tmp_path, rel)
    items = list(walk(tmp_path))
    sources, problems = _split(items)
    assert problems == []
    assert sources == [
        "a.md",
        "b.txt",
        "c.sgm",
        "d.HTML",
        "e.htm",
        "f.html.gz",
        "z/x.jsonl",
        "z/y.json",
    ]
    assert items == list(walk(tmp_path))  # deterministic
    first = items[0]
    assert isinstance(first, Source)
    assert first.path == tmp_path / "a.md" and first.path.is_absolute()
    assert first.size == len("Headline\n\nText.")
    assert first.mtime_ns == os.stat(tmp_path / "a.md").st_mtime_ns


def test_hidden_entries_and_the_index_folder_are_skipped(tmp_path: Path) -> None:
    _touch(tmp_path, "keep.txt")
    _touch(tmp_path, ".hidden.txt")
    _touch(tmp_path, ".git/x.txt")
    _touch(tmp_path, "index/segment.txt")
    sources, _ = _split(list(walk(tmp_path, skip=[tmp_path / "index"])))
    assert sources == ["keep.txt"]


def test_oversize_files_are_reported_with_a_configurable_limit(tmp_path: Path) -> None:
    _touch(tmp_path, "small.txt", "x" * 10)
    _touch(tmp_path, "big.txt", "x" * 5000)
    sources, problems = _split(list(walk(tmp_path, settings=ReadSettings(max_file_bytes=100))))
    assert sources == ["small.txt"]
    assert problems == [("big.txt", "too large: 4.9 KB, over the 100 bytes limit", True)]


def test_symlink_loops_are_reported_not_followed(tmp_path: Path) -> None:
    _touch(tmp_path, "sub/a.txt")
    (tmp_path / "sub" / "back").symlink_to(tmp_path)  # back up to the root
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    sources, problems = _split(list(walk(tmp_path)))
    assert sources == ["sub/a.txt"]
    assert problems == [
        ("self.txt", "symlink loop", True),
        ("sub/back", "symlink loop: links back to a folder that contains it; not followed", True),
    ]


def test_links_to_files_and_folders_are_followed_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _touch(outside, "o.txt")
    root = tmp_path / "root"
    _touch(root, "real/r.txt")
    (root / "link-to-outside").symlink_to(outside)
    (root / "second-link").symlink_to(root / "real")
    (root / "file-link.txt").symlink_to(outside / "o.txt")
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    sources, problems = _split(list(walk(root, follow_outside=True)))
    assert sources == ["file-link.txt", "link-to-outside/o.txt", "real/r.txt"]
    assert problems == [
        ("dangling.txt", "broken symlink", True),
        ("second-link", "folder already read through another link; not read twice", True),
    ]
    sources, problems = _split(list(walk(root)))  # links out of the corpus are not followed
    assert sources == ["real/r.txt"]
    assert [path for path, reason, _ in problems if "outside the corpus folder" in reason] == [
        "file-link.txt",
        "link-to-outside",
    ]


def test_a_directory_named_like_a_file_is_read_as_a_folder_with_a_warning(tmp_path: Path) -> None:
    _touch(tmp_path, "2016.txt/story.txt")
    sources, problems = _split(list(walk(tmp_path)))
    assert sources == ["2016.txt/story.txt"]
    assert problems == [
        ("2016.txt", "a folder named like an article file; its contents are read", False)
    ]


def test_fifos_are_reported(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.other")  # not an article name: ignored silently
    assert _split(list(walk(tmp_path))) == (
        [],
        [("pipe.txt", "not a regular file (device, FIFO or socket)", True)],
    )


def test_unlistable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _touch(tmp_path, "ok.txt")
    _touch(tmp_path, "locked/a.txt")
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr("searchidx.corpus.walk.os.scandir", scandir)
    assert _split(list(walk(tmp_path))) == (
        ["ok.txt"],
        [("locked", "cannot list folder: permission denied", True)],
    )


def test_missing_or_non_folder_root_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        list(walk(tmp_path / "nope"))
    _touch(tmp_path, "file.txt")
    with pytest.raises(CorpusError, match="not a folder"):
        list(walk(tmp_path / "file.txt"))


def test_shipped_seed_corpus(seed_corpus: Path) -> None:
    sources, problems = _split(list(walk(seed_corpus)))
    assert problems == []
    assert sources == [
        "cnn-2016-04-11-north-korean-colonel-defects.txt",
        "vice-news-2016-04-11-most-senior-military-defection.txt",
    ]
