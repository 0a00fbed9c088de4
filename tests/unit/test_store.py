"""Generations on disk, the atomic CURRENT pointer, stale clean-up and the rebuild lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from searchidx.errors import IndexLocked, IndexMissing
from searchidx.index import open_index
from searchidx.index.generations import (
    clean_stale,
    current_generation,
    generations,
    new_generation,
    publish,
)
from searchidx.index.lock import RebuildLock, lock_holder
from searchidx.models import Article
from searchidx.rebuild.run import index_articles


def _article(number: int, word: str = "harbour") -> Article:
    return Article(
        id=f"a{number}",
        path=f"a{number}.txt",
        title=f"Story {number}",
        body=f"A {word} story number {number}.",
        outlet="Wire",
        published=datetime(2020, 1, number, tzinfo=UTC),
    )


def test_index_articles_publishes_a_searchable_generation(tmp_path: Path) -> None:
    generation = index_articles(tmp_path, [_article(1), _article(2)])
    assert current_generation(tmp_path) == generation
    index = open_index(tmp_path)
    assert index.searcher().doc_count() == 2
    index.close()


def test_new_generation_hard_links_the_live_files(tmp_path: Path) -> None:
    live = index_articles(tmp_path, [_article(1)])
    following = new_generation(tmp_path, link_from=live)
    segment = next(p for p in live.iterdir() if p.suffix == ".seg")
    assert (following / segment.name).stat().st_ino == segment.stat().st_ino
    assert not any(p.name.endswith("WRITELOCK") for p in following.iterdir())


def test_refresh_follows_a_new_generation_and_keeps_one_older(tmp_path: Path) -> None:
    first = index_articles(tmp_path, [_article(1)])
    index = open_index(tmp_path)
    second = index_articles(tmp_path, [_article(2), _article(3)], replace=False)
    assert index.searcher().doc_count() == 1  # an open reader keeps its generation
    assert index.refresh() is True
    assert index.generation == second
    assert index.searcher().doc_count() == 3
    third = index_articles(tmp_path, [_article(4)], replace=False)
    assert generations(tmp_path) == [second, third]
    assert not first.exists()
    index.close()


def test_clean_stale_drops_unpublished_generations(tmp_path: Path) -> None:
    live = index_articles(tmp_path, [_article(1)])
    crashed = new_generation(tmp_path, link_from=live)  # a rebuild died before publishing
    (tmp_path / ".CURRENT.123.tmp").write_text("gen-000009")
    clean_stale(tmp_path)
    assert generations(tmp_path) == [live]
    assert not crashed.exists()
    assert not (tmp_path / ".CURRENT.123.tmp").exists()
    assert open_index(tmp_path).searcher().doc_count() == 1


def test_publish_switches_only_after_the_hook(tmp_path: Path) -> None:
    live = index_articles(tmp_path, [_article(1)])
    following = new_generation(tmp_path, link_from=live)
    seen: list[Path | None] = []
    publish(tmp_path, following, before_switch=lambda: seen.append(current_generation(tmp_path)))
    assert seen == [live]
    assert current_generation(tmp_path) == following


def test_open_index_without_one_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="searchidx rebuild"):
        open_index(tmp_path / "nothing")
    with pytest.raises(IndexMissing):
        open_index(None)


def test_second_lock_fails_at_once_naming_the_holder(tmp_path: Path) -> None:
    with RebuildLock(tmp_path):
        assert lock_holder(tmp_path) == os.getpid()
        started = time.monotonic()
        with pytest.raises(IndexLocked, match=f"pid {os.getpid()}"):
            RebuildLock(tmp_path).acquire()
        assert time.monotonic() - started < 1
    assert lock_holder(tmp_path) is None
    with RebuildLock(tmp_path):  # released: can be taken again
        pass


def test_lock_of_a_killed_process_is_free(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from searchidx.index.lock import RebuildLock; "
        f"RebuildLock(Path({str(tmp_path)!r})).acquire(); print('held', flush=True); "
        "time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert lock_holder(tmp_path) == holder.pid
        with pytest.raises(IndexLocked):
            RebuildLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    assert lock_holder(tmp_path) is None
    with RebuildLock(tmp_path):
        assert (tmp_path / "LOCK").read_text().strip() == str(os.getpid())
