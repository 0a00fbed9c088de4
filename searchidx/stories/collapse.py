"""Search results with copies folded: each article's best-ranked matching copy is the hit, the
group's other matching copies its `copies` ("also in"); `SearchResults.collapsed_total` counts
the matches with copies folded, beside `total`, which counts every copy. Copy groups: copies.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine
from searchidx.models import Copy, Hit, SearchRequest, SearchResults
from searchidx.search.searching import (
    article_hit,
    matched_docs,
    query_marks,
    ranked_docs,
    search,
    with_marks,
)
from searchidx.search.snippets import make_snippets
from searchidx.stories.copies import copy_locations, find_copies, load_copies
from searchidx.stories.grouping import StoryIndex
from searchidx.stories.sync import READER_SYNC_LIMIT, stored_text, unseen_count, update
from searchidx.workset.tags import without_tags

SPARE = 5  # matches ranked beyond a page at first, for copies to be skipped


def doc_copies(index: Engine) -> dict[int, tuple[int, ...]]:
    """Document -> every document of its copy group, for documents with copies (cached)."""

    def load() -> dict[int, tuple[int, ...]]:
        generation = index.generation
        locations = load_copies(generation)
        if locations is None:  # behind the index: from the story state, as readers group stories
            state = StoryIndex.load(generation)
            segments = index.segments()
            if state.stamp != generation.name:
                if unseen_count(state, segments) > READER_SYNC_LIMIT:
                    return {}
                update(state, segments, generation)
            locations = copy_locations(state, find_copies(state, stored_text(index)))
        groups: dict[str, list[int]] = defaultdict(list)
        for segment in index.segments():
            for local, group in locations.get(segment.id, {}).items():
                if not segment.is_deleted(local):
                    groups[group].append(segment.doc(local))
        return {d: tuple(ds) for ds in groups.values() if len(ds) > 1 for d in ds}

    return index.memo("stories:copies", load)


def collapsed_search(index: Engine, request: SearchRequest) -> SearchResults:
    """`search`, each article's matching copies folded into its best-ranked one."""
    groups = {} if request.all_copies else doc_copies(index)
    if not groups:
        found = search(index, request)
        return found if request.all_copies else replace(found, collapsed_total=found.total)
    q, matched = matched_docs(index, request)
    folded = folded_count(groups, matched)
    if not folded:
        found = search(index, request)
        return replace(found, collapsed_total=found.total)
    plain = search(index, replace(request, limit=0, offset=0))
    hits = _page(index, request, q, matched, groups, folded)
    return replace(plain, request=request, hits=hits, collapsed_total=len(matched) - folded)


def folded_count(groups: dict[int, tuple[int, ...]], matched: DocSet) -> int:
    """Matches that are not the first matching copy of their article (what folding hides)."""
    seen: set[tuple[int, ...]] = set()
    folded = 0
    for docnum in groups.keys() & matched:
        group = groups.get(docnum)
        if group is not None:
            if group in seen:
                folded += 1
            seen.add(group)
    return folded


def _page(
    index: Engine,
    request: SearchRequest,
    q: qt.QueryNode,
    matched: DocSet,
    groups: dict[int, tuple[int, ...]],
    folded: int,
) -> tuple[Hit, ...]:
    """The page of hits. The first `wanted` distinct articles are among the first `wanted +
    folded` ranked matches (at most `folded` are skipped as copies), but ranking that many costs
    more than a page (whoosh skips fewer blocks for a longer top list): a few more than the page
    first, all of them only when copies filled those."""
    wanted = request.offset + request.limit
    if request.limit <= 0 or not matched:
        return ()
    shown: list[tuple[int, float]] = []
    for extra in (min(folded, max(wanted // 2, SPARE)), folded):
        ranked = ranked_docs(index, without_tags(q), matched, request.sort, wanted + extra)
        shown, seen = [], set()
        for docnum, score in ranked:
            group = groups.get(docnum)
            if group is None or group not in seen:
                shown.append((docnum, score))
            if group is not None:
                seen.add(group)
        if len(shown) >= wanted or len(ranked) < wanted + extra:
            break
    body, title = query_marks(index, q)  # as search() marks its hits
    hits = []
    for docnum, score in shown[request.offset : wanted]:
        stored = index.stored(docnum)
        snippets = make_snippets(stored.body, body, request.snippets) if request.snippets else ()
        others = [d for d in groups.get(docnum, ()) if d != docnum and d in matched]
        copies = tuple(copy_of(index, d) for d in others)
        hits.append(replace(article_hit(stored, score, snippets, title), copies=copies))
    return with_marks(index, hits)


def copy_of(index: Engine, docnum: int) -> Copy:
    """A document as the `Copy` a hit lists in "also in"."""
    stored = index.stored(docnum)
    return Copy(stored.id, stored.path, stored.outlet, stored.published, stored.date_only)
