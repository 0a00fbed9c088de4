"""The story table kept in step with the index: seed story, unrelated article, changes, removals,
no-op syncs that read nothing, and a state file never modified in place."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from searchidx.index.generations import current_generation, write_side_json
from searchidx.models import Article
from searchidx.rebuild.run import index_articles, rebuild
from searchidx.stories.grouping import STATE_FILE, StoryIndex
from searchidx.stories.sync import sync_stories
from tests.conftest import SEED_ALIASES, SEED_CORPUS, seed_articles

UNRELATED = Article(
    id="rates",
    path="rates.txt",
    title="Central bank raises rates",
    body="The central bank raised its benchmark rate on Monday, citing inflation in Seoul "
    "and across South Korea, and said more increases could follow.",
    outlet="CNN",
    published=datetime(2016, 4, 11, tzinfo=UTC),
    date_only=True,
    organisations=("Bank of Korea",),
    places=("South Korea", "Seoul"),
)


def _state(index: Path) -> StoryIndex:
    live = current_generation(index)
    assert live is not None
    return StoryIndex.load(live)


def _seed_index(path: Path) -> Path:
    generation = index_articles(path, seed_articles())
    write_side_json(generation, "aliases.json", SEED_ALIASES)
    return path


def test_seed_articles_form_one_story_and_an_unrelated_one_stays_apart(tmp_path: Path) -> None:
    index = _seed_index(tmp_path / "index")
    first = sync_stories(index)
    cnn, vice = (a.id for a in seed_articles())
    state = _state(index)
    assert first.placed == 2
    assert state.story_of(cnn) == state.story_of(vice)

    index_articles(index, [UNRELATED], replace=False)
    second = sync_stories(index)
    state = _state(index)
    assert second.placed == 1  # only the new article; the seed pair is not re-placed
    assert state.story_of("rates") not in (None, state.story_of(cnn))
    assert state.story_of(cnn) == state.story_of(vice)
    assert set(state.members) == {cnn, vice, "rates"}


def test_a_no_op_sync_reads_nothing(tmp_path: Path) -> None:
    index = _seed_index(tmp_path / "index")
    sync_stories(index)
    again = sync_stories(index)
    assert again.current and again.read == 0 and again.placed == 0


def test_a_changed_article_is_re_placed(tmp_path: Path) -> None:
    index = _seed_index(tmp_path / "index")
    sync_stories(index)
    cnn, vice = seed_articles()
    rewritten = replace(cnn, body="A football match report.", organisations=(), places=(),
                        people=("Someone Else",))  # fmt: skip
    index_articles(index, [rewritten], replace=False)
    report = sync_stories(index)
    state = _state(index)
    assert report.placed == 1
    assert state.story_of(cnn.id) != state.story_of(vice.id)


def test_the_previous_generation_keeps_its_own_state_file(tmp_path: Path) -> None:
    # Generations hard-link their files: the sync must replace the file, never write into it.
    index = _seed_index(tmp_path / "index")
    sync_stories(index)
    before = current_generation(index)
    assert before is not None
    old_bytes = (before / STATE_FILE).read_bytes()
    index_articles(index, [UNRELATED], replace=False)
    sync_stories(index)
    after = current_generation(index)
    assert after is not None and after != before
    assert (before / STATE_FILE).read_bytes() == old_bytes
    assert StoryIndex.read_stamp(before) == before.name
    assert StoryIndex.read_stamp(after) == after.name


def test_a_damaged_state_is_rebuilt(tmp_path: Path) -> None:
    index = _seed_index(tmp_path / "index")
    sync_stories(index)
    live = current_generation(index)
    assert live is not None
    (live / STATE_FILE).write_bytes(b"garbage")
    report = sync_stories(index)
    assert report.placed == 2 and len(_state(index).stories()) == 1


def test_rebuilds_keep_the_story_table_in_step(tmp_path: Path) -> None:
    """Real rebuilds with spaCy: the seed pair is one story; an added file stays apart and its
    deletion removes it; a no-op rebuild leaves the table as it was."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    index = tmp_path / "index"
    rebuild(index, corpus)
    state = _state(index)
    cnn, vice = sorted(state.members)
    assert state.story_of(cnn) == state.story_of(vice)

    (corpus / "rates.txt").write_text(
        "---\ntitle: Central bank raises rates\noutlet: CNN\ndate: 2016-04-11\n---\n"
        f"{UNRELATED.body}\n",
        encoding="utf-8",
    )
    rebuild(index, corpus)
    state = _state(index)
    added = set(state.members) - {cnn, vice}
    assert len(added) == 1
    assert state.story_of(added.pop()) != state.story_of(cnn)

    (corpus / "rates.txt").unlink()
    rebuild(index, corpus)
    live = current_generation(index)
    assert live is not None
    state = _state(index)
    assert set(state.members) == {cnn, vice} and state.stamp == live.name
    stamp_file = (live / STATE_FILE).stat()
    rebuild(index, corpus)  # nothing changed
    assert current_generation(index) == live
    assert (live / STATE_FILE).stat().st_mtime_ns == stamp_file.st_mtime_ns


def test_story_articles_lists_every_version_earliest_first(tmp_path: Path) -> None:
    from searchidx.index import open_index
    from searchidx.stories.grouped import story_articles

    index = _seed_index(tmp_path / "index")
    index_articles(index, [UNRELATED], replace=False)
    sync_stories(index)
    opened = open_index(index)
    try:
        cnn, vice = seed_articles()
        versions = story_articles(opened, vice.id)
        assert {h.id for h in versions.hits} == {cnn.id, vice.id}
        assert all(h.snippets for h in versions.hits)
        alone = story_articles(opened, "rates")
        assert [h.id for h in alone.hits] == ["rates"]
    finally:
        opened.close()


def test_a_rebuild_killed_while_grouping_leaves_a_working_index(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from click.testing import CliRunner

    from searchidx.cli import main

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    rebuild(index, corpus, entities=False)
    for number, moment in enumerate(("stories", "stories-save")):
        (corpus / f"extra{number}.txt").write_text(
            f"---\ntitle: Extra {number}\noutlet: CNN\ndate: 2016-04-12\n---\nHarbour news.\n",
            encoding="utf-8",
        )
        marker = tmp_path / f"held-{moment}"
        env = {**os.environ, "SEARCHIDX_TEST_HOLD": moment,
               "SEARCHIDX_TEST_HOLD_FILE": str(marker)}  # fmt: skip
        process = subprocess.Popen(
            [sys.executable, "-m", "searchidx", "rebuild", str(corpus), "--index", str(index),
             "--no-entities", "-q"], env=env, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None and time.monotonic() < deadline, moment
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # the new generation is live, its story table behind: readers still answer
        listed = CliRunner().invoke(main, ["stories", "--min-articles", "1", "--format", "json",
                                           "--index", str(index)])  # fmt: skip
        assert listed.exit_code == 0, listed.output
        assert any(a["id"] == f"extra{number}.txt" for s in json.loads(listed.stdout)
                   for a in s["articles"])  # fmt: skip
        rebuild(index, corpus, entities=False)  # nothing changed: the grouping catches up
        state = _state(index)
        live = current_generation(index)
        assert live is not None and state.stamp == live.name
        assert f"extra{number}.txt" in state.members
