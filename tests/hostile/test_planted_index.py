"""A planted index never runs code: crafted pickles in whoosh's TOC or stories.pickle are refused;
discovery stops at folders of another user and says which index it used; index files are private.
"""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from searchidx.cli import main
from searchidx.config import find_index
from searchidx.index.generations import current_generation
from searchidx.models import Article
from searchidx.rebuild.run import index_articles
from searchidx.stories.grouping import STATE_FILE, StoryIndex
from searchidx.stories.sync import sync_stories


class _RunsCommand:
    """Unpickling this runs a shell command that writes a marker file (what an attacker ships)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _index(folder: Path) -> Path:
    articles = [
        Article(id=f"a{n}", path=f"a{n}.txt", title=f"Harbour strike {n}", body="Dockers stopped.")
        for n in range(2)
    ]
    index_articles(folder, articles)
    return folder


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """whoosh's varint (7 bits a byte, low first): (value, offset after it)."""
    value, shift = 0, 0
    while True:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _plant_toc(index: Path, payload: bytes) -> None:
    """Replace the pickled schema in the live generation's TOC by `payload`."""
    generation = current_generation(index)
    assert generation is not None
    (toc,) = generation.glob("_MAIN_*.toc")
    data = toc.read_bytes()
    at = 3 + 4 + 4 + 3  # three size varints, the byte-order int, the version, three varints
    length, start = _varint(data, at)
    toc.write_bytes(data[:at] + _encode_varint(len(payload)) + payload + data[start + length :])


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, env={"SEARCHIDX_INDEX": None})


def test_crafted_toc_runs_nothing_and_names_the_index(tmp_path: Path) -> None:
    index = _index(tmp_path / "archive" / ".searchidx")
    marker = tmp_path / "ran"
    _plant_toc(index, pickle.dumps(_RunsCommand(marker), protocol=2))
    result = run(["query", "harbour", "--index", str(index)])
    assert not marker.exists(), "the planted TOC ran a command"
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(index) in lines[0], result.stderr
    assert "refused to load posix.system" in lines[0]
    assert "Traceback" not in result.output


def test_crafted_toc_found_by_discovery_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported attack: a `.searchidx/` shipped in an archive, `searchidx query` in a
    subfolder of it."""
    index = _index(tmp_path / "archive" / ".searchidx")
    marker = tmp_path / "ran"
    _plant_toc(index, pickle.dumps(_RunsCommand(marker)))
    (tmp_path / "archive" / "2016").mkdir()
    monkeypatch.chdir(tmp_path / "archive" / "2016")
    result = run(["query", "harbour"])
    assert not marker.exists()
    assert result.exit_code == 1 and "Traceback" not in result.output
    # the index used is named, since it is not in the current folder
    assert f"searchidx: using the index at {index}" in result.stderr


def test_the_engines_own_toc_still_opens(tmp_path: Path) -> None:
    index = _index(tmp_path / "idx")
    result = run(["query", "harbour", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0 and '"total": 2' in result.stdout


def test_crafted_story_table_runs_nothing(tmp_path: Path) -> None:
    index = _index(tmp_path / "idx")
    sync_stories(index)
    generation = current_generation(index)
    assert generation is not None
    assert StoryIndex.load(generation).members  # the real file loads through the same check
    marker = tmp_path / "ran"
    with open(generation / STATE_FILE, "wb") as handle:
        pickle.dump(_RunsCommand(marker), handle)
    assert StoryIndex.read_stamp(generation) is None
    assert StoryIndex.load_assignments(generation) is None
    assert not StoryIndex.load(generation).members
    result = run(["stories", "harbour", "--index", str(index), "--min-articles", "1"])
    assert not marker.exists()
    assert "Traceback" not in result.output


def test_discovery_stops_at_another_users_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _index(tmp_path / "shared" / ".searchidx")
    inner = tmp_path / "shared" / "mine"
    inner.mkdir()
    assert find_index(cwd=inner) == index  # the folders are this user's: found
    # the same tree seen by another user: nothing in it is picked up
    monkeypatch.setattr(os, "getuid", lambda: (tmp_path.stat().st_uid + 1) % 65536)
    assert find_index(cwd=inner) is None
    assert find_index(index) == index  # asked for by name, it is still used


def test_index_in_the_cwd_is_used_without_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _index(tmp_path / ".searchidx")
    monkeypatch.chdir(tmp_path)
    result = run(["query", "harbour"])
    assert result.exit_code == 0 and result.stderr == ""


def test_index_files_are_private(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text("---\ntitle: Oil\ndate: 2016-04-11\n---\nOil prices.\n")
    index = tmp_path / "idx"
    old = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        result = run(["rebuild", str(corpus), "--index", str(index), "--no-entities", "-q"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(index.stat().st_mode) == 0o700
    for path in index.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not mode & 0o077, f"{path} is open to others: {oct(mode)}"


def test_every_whoosh_unpickling_is_restricted(tmp_path: Path) -> None:
    """Not only the TOC: posting blocks, inlined postings, stored fields (columns) and formats are
    unpickled later, at query time; each of whoosh's loaders refuses with a one-line error."""
    import io

    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index

    import searchidx.index.whoosh_engine.reader  # noqa: F401  (installs the restricted loader)
    from searchidx.errors import IndexCorrupt

    marker = tmp_path / "ran"
    payload = pickle.dumps(_RunsCommand(marker))
    loaders = [
        whoosh.index.pickle.loads,
        whoosh.codec.whoosh3.loads,
        whoosh.columns.loads,
        whoosh.formats.loads,
        lambda data: whoosh.filedb.structfile.load_pickle(io.BytesIO(data)),
    ]
    for load in loaders:
        with pytest.raises(IndexCorrupt, match="refused to load posix.system"):
            load(payload)
    assert not marker.exists()
