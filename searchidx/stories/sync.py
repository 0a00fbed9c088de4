"""Keeps the story side table (stories.pickle) in step with the index: at rebuild, and for readers.

whoosh never rewrites a segment: a new or changed article (or one whose entities were filled in)
lands in a new segment, a removed one is only marked deleted in its old segment. So a sync reads
the stored fields of documents in segments the state has not seen, re-places those whose
fingerprint (text, day, entity values) differs, and removes the articles deleted from the
segments it knew. When the state already describes the live generation (a no-op rebuild) it
reads nothing but the state file's header.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from searchidx.index.whoosh_engine.schema import split_values
from searchidx.stories.grouping import StoryIndex, StoryInput

READER_SYNC_LIMIT = 2000  # a reader groups at most this many unseen articles itself


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    read: int = 0  # documents whose stored fields were read
    placed: int = 0  # articles (re-)placed into a story
    removed: int = 0
    seconds: float = 0.0
    current: bool = False  # True: the state already described the live generation


def _aliases(generation: Path) -> dict[str, dict[str, str]]:
    from searchidx.index.store import read_side_json

    table = read_side_json(generation, "aliases.json", {}) or {}
    out: dict[str, dict[str, str]] = {}
    for kind in ("people", "organisations", "places"):
        section = table.get(kind, {}) if isinstance(table, dict) else {}
        out[kind] = {str(k).lower(): str(v) for k, v in section.items()} if section else {}
    return out


def story_input(stored: dict[str, Any], aliases: dict[str, dict[str, str]]) -> StoryInput:
    """What grouping needs of one stored document; entity values put under canonical names."""
    values: dict[str, tuple[str, ...]] = {}
    for kind in ("people", "organisations", "places"):
        table = aliases.get(kind, {})
        names = split_values(str(stored.get(kind) or ""))
        values[kind] = tuple(sorted({table.get(n.lower(), n) for n in names}))
    title, body = str(stored.get("title") or ""), str(stored.get("body") or "")
    day = int(stored.get("day") or 0)
    digest = hashlib.blake2b(digest_size=16)
    for part in (title, body, str(day), *("\x1e".join(v) for v in values.values())):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
    return StoryInput(
        id=str(stored["id"]), text=f"{title}\n{body}", day=day, fingerprint=digest.hexdigest(),
        **values,
    )  # fmt: skip


def _segments(reader: Any) -> list[tuple[str, Any, int]]:
    return [(leaf.segment().segment_id(), leaf, offset) for leaf, offset in reader.leaf_readers()]


def unseen_count(state: StoryIndex, reader: Any) -> int:
    """Live documents in segments the state has not read."""
    return sum(leaf.doc_count() for seg, leaf, _ in _segments(reader) if seg not in state.locations)


def update(state: StoryIndex, reader: Any, generation: Path) -> SyncReport:
    """Bring `state` in step with the index `reader` reads (in memory; the caller saves)."""
    started = time.monotonic()
    segments = _segments(reader)
    current = {seg for seg, _, _ in segments}
    gone: set[str] = set()  # ids whose known copy is deleted or merged away
    locations: dict[str, dict[int, str]] = {}
    for seg, ids in state.locations.items():
        if seg not in current:
            gone.update(ids.values())
    aliases: dict[str, dict[str, str]] | None = None
    fresh: dict[str, StoryInput] = {}
    read = 0
    for seg, leaf, _ in segments:
        known = state.locations.get(seg)
        if known is not None:
            kept = {}
            for local, article_id in known.items():
                if leaf.is_deleted(local):
                    gone.add(article_id)
                else:
                    kept[local] = article_id
            locations[seg] = kept
            continue
        aliases = aliases if aliases is not None else _aliases(generation)
        placed_here: dict[int, str] = {}
        for local in leaf.all_doc_ids():
            item = story_input(dict(leaf.stored_fields(local)), aliases)
            read += 1
            fresh[item.id] = item
            placed_here[local] = item.id
        locations[seg] = placed_here
    removed = gone - fresh.keys()
    changed = [
        item
        for article_id, item in fresh.items()
        if (member := state.members.get(article_id)) is None
        or member.fingerprint != item.fingerprint
    ]
    state.remove(removed)
    # Oldest first: an article joins the story of an earlier one rather than the other way.
    state.add(sorted(changed, key=lambda i: (i.day or 99_999_999, i.id)))
    state.locations = locations
    state.stamp = generation.name
    return SyncReport(read, len(changed), len(removed), time.monotonic() - started)


def sync_stories(index_path: Path, progress: Any = None) -> SyncReport:
    """Rebuild hook (call with the rebuild lock held): update the live generation's story state
    and replace it atomically. Does nothing but read a header when it is already current."""
    from searchidx.index.store import current_generation

    started = time.monotonic()
    live = current_generation(index_path)
    if live is None or StoryIndex.read_stamp(live) == live.name:
        return SyncReport(current=True, seconds=time.monotonic() - started)
    if progress is not None:
        progress.stage("grouping stories")
    state = StoryIndex.load(live)
    ix = whoosh_index.open_dir(str(live))
    reader = ix.reader()
    try:
        report = update(state, reader, live)
    finally:
        reader.close()
    from searchidx.rebuild.run import hold

    hold("stories-save")  # crash tests: killed here, the old state file stays whole
    state.save(live)
    return SyncReport(report.read, report.placed, report.removed,
                      time.monotonic() - started)  # fmt: skip


def reader_state(index: Any) -> tuple[dict[str, str], dict[str, dict[int, str]], bool]:
    """(article id -> story, segment locations, stale) for an open `store.Index`, cached per
    searcher. Only the small readers' record of the state file is loaded.

    A state behind the live generation (a rebuild is running, or died before grouping) is
    brought up to date in memory when few articles are unseen; otherwise those articles show as
    stories of their own until the next `searchidx rebuild`.
    """
    key = "stories:state"
    if key not in index.cache:
        generation = index.generation
        loaded = StoryIndex.load_assignments(generation)
        stamp, assignments, locations = loaded if loaded else ("", {}, {})
        stale = stamp != generation.name
        if stale:
            state = StoryIndex.load(generation)
            reader = index.searcher().reader()
            if unseen_count(state, reader) <= READER_SYNC_LIMIT:
                update(state, reader, generation)
                stale = False
                assignments = {i: m.story for i, m in state.members.items()}
                locations = state.locations
        index.cache[key] = (assignments, locations, stale)
    return index.cache[key]  # type: ignore[no-any-return]


def doc_stories(index: Any) -> tuple[dict[int, str], bool]:
    """Document number -> story id for every live document of the open index (cached)."""
    key = "stories:docs"
    if key not in index.cache:
        assignments, locations, stale = reader_state(index)
        reader = index.searcher().reader()
        table: dict[int, str] = {}
        for seg, leaf, offset in _segments(reader):
            known = locations.get(seg, {})
            for local in leaf.all_doc_ids():
                article_id = known.get(local)
                story = assignments.get(article_id) if article_id else None
                table[offset + local] = story or f"d-{seg}-{local}"
        index.cache[key] = (table, stale)
    return index.cache[key]  # type: ignore[no-any-return]
