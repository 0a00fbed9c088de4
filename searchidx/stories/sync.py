"""Keeps the story side table (stories.pickle) in step with the index: at rebuild, and for readers.

The engine never rewrites a segment (`Engine.segments`): a new or changed article (or one whose
entities were filled in) lands in a new segment, a removed one is only marked deleted in its old
segment. So a sync reads the stored fields of documents in segments the state has not seen,
re-places those whose fingerprint (text, day, entity values) differs, and removes the articles
deleted from the segments it knew. When the state already describes the live generation (a
no-op rebuild) it reads nothing but the state file's header.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from searchidx.corpus.dates import day_number
from searchidx.index import Engine, open_index
from searchidx.index.engine import Segment
from searchidx.index.generations import current_generation, hold, read_side_json
from searchidx.models import ENTITY_FIELDS, Article
from searchidx.search.facets import alias_maps
from searchidx.stories.copies import copy_locations, find_copies, save_copies
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
    return alias_maps(read_side_json(generation, "aliases.json", {}))


def story_input(article: Article, aliases: dict[str, dict[str, str]]) -> StoryInput:
    """What grouping needs of one indexed article; entity values put under canonical names."""
    values: dict[str, tuple[str, ...]] = {}
    for kind in ENTITY_FIELDS:
        table = aliases.get(kind, {})
        names: tuple[str, ...] = getattr(article, kind)
        values[kind] = tuple(sorted({table.get(n.lower(), n) for n in names}))
    title, body = article.title, article.body
    day = day_number(article.day)
    digest = hashlib.blake2b(digest_size=16)
    for part in (title, body, str(day), *("\x1e".join(v) for v in values.values())):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
    return StoryInput(
        id=article.id, text=f"{title}\n{body}", day=day, fingerprint=digest.hexdigest(),
        **values,
    )  # fmt: skip


def stored_text(index: Engine) -> Callable[[str], str | None]:
    """An article's title and body as the index stores them (for comparing copies)."""

    def text_of(article_id: str) -> str | None:
        docnum = index.doc_of(article_id)
        if docnum is None:
            return None
        stored = index.stored(docnum)
        return f"{stored.title}\n{stored.body}"

    return text_of


def unseen_count(state: StoryIndex, segments: Sequence[Segment]) -> int:
    """Live documents in segments the state has not read."""
    return sum(s.doc_count() for s in segments if s.id not in state.locations)


def update(state: StoryIndex, segments: Sequence[Segment], generation: Path) -> SyncReport:
    """Bring `state` in step with the index made of `segments` (in memory; the caller saves)."""
    started = time.monotonic()
    current = {segment.id for segment in segments}
    gone: set[str] = set()  # ids whose known copy is deleted or merged away
    locations: dict[str, dict[int, str]] = {}
    for seg, ids in state.locations.items():
        if seg not in current:
            gone.update(ids.values())
    aliases: dict[str, dict[str, str]] | None = None
    fresh: dict[str, StoryInput] = {}
    read = 0
    for segment in segments:
        seg = segment.id
        known = state.locations.get(seg)
        if known is not None:
            kept = {}
            for local, article_id in known.items():
                if segment.is_deleted(local):
                    gone.add(article_id)
                else:
                    kept[local] = article_id
            locations[seg] = kept
            continue
        aliases = aliases if aliases is not None else _aliases(generation)
        placed_here: dict[int, str] = {}
        for local in segment.live():
            item = story_input(segment.stored(local), aliases)
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


def sync_stories(index_path: Path, on_stage: Callable[[str], None] | None = None) -> SyncReport:
    """Rebuild hook (call with the rebuild lock held): update the live generation's story state
    and replace it atomically. Does nothing but read a header when it is already current.
    `on_stage` is told when the grouping starts (a progress stage)."""
    started = time.monotonic()
    live = current_generation(index_path)
    if live is None or StoryIndex.read_stamp(live) == live.name:
        return SyncReport(current=True, seconds=time.monotonic() - started)
    if on_stage is not None:
        on_stage("grouping stories")
    state = StoryIndex.load(live)
    index = open_index(index_path)
    try:
        report = update(state, index.segments(), index.generation)
        copies = copy_locations(state, find_copies(state, stored_text(index)))
    finally:
        index.close()
    hold("stories-save")  # crash tests: killed here, the old state file stays whole
    state.save(live)
    save_copies(live, live.name, copies)
    return SyncReport(report.read, report.placed, report.removed,
                      time.monotonic() - started)  # fmt: skip


Assignments = tuple[dict[str, str], dict[str, dict[int, str]], bool]


def reader_state(index: Engine) -> Assignments:
    """(article id -> story, segment locations, stale) for an open index, cached per generation.
    Only the small readers' record of the state file is loaded.

    A state behind the live generation (a rebuild is running, or died before grouping) is
    brought up to date in memory when few articles are unseen; otherwise those articles show as
    stories of their own until the next `searchidx rebuild`.
    """

    def load() -> Assignments:
        generation = index.generation
        loaded = StoryIndex.load_assignments(generation)
        stamp, assignments, locations = loaded if loaded else ("", {}, {})
        stale = stamp != generation.name
        if stale:
            state = StoryIndex.load(generation)
            segments = index.segments()
            if unseen_count(state, segments) <= READER_SYNC_LIMIT:
                update(state, segments, generation)
                stale = False
                assignments = {i: m.story for i, m in state.members.items()}
                locations = state.locations
        return assignments, locations, stale

    return index.memo("stories:state", load)


def doc_stories(index: Engine) -> tuple[dict[int, str], bool]:
    """Document number -> story id for every live document of the open index (cached)."""

    def load() -> tuple[dict[int, str], bool]:
        assignments, locations, stale = reader_state(index)
        table: dict[int, str] = {}
        for segment in index.segments():
            known = locations.get(segment.id, {})
            for local in segment.live():
                article_id = known.get(local)
                story = assignments.get(article_id) if article_id else None
                table[segment.doc(local)] = story or f"d-{segment.id}-{local}"
        return table, stale

    return index.memo("stories:docs", load)
