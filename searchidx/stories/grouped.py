"""Search results grouped by story: each story with its matching articles, outlets and who
published first (for `searchidx stories`, `query --group-stories` and the TUI)."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace

from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine
from searchidx.models import Hit, SearchRequest, SearchResults
from searchidx.search.records import published_text

FIRST_PASS = 200  # ranked matches read before falling back to ranking them all


@dataclass(frozen=True)
class Story:
    """One story among the matches: its articles best first (the first is the best hit)."""

    id: str
    hits: tuple[Hit, ...]  # at most `articles` of them
    count: int  # matching articles in the story
    size: int  # articles in the story, matching or not
    outlets: tuple[str, ...]  # outlets of the matching articles, earliest publisher first
    first_published: str | None  # ISO 8601 (YYYY-MM-DD for a date-only value), None: unknown
    first_outlet: str | None
    # matching articles with copies of one article counted once (their hits carry the others
    # as `copies`); None with `SearchRequest.all_copies`
    collapsed_count: int | None = None


@dataclass(frozen=True)
class StoryResults:
    results: SearchResults  # total, facets, suggestion of the plain search; hits: best hits
    stories: tuple[Story, ...]  # one page of stories
    total_stories: int
    stale: bool  # the story table is behind the index: run `searchidx rebuild`


def _ordered_stories(
    index: Engine,
    q: qt.QueryNode,
    groups: dict[str, list[int]],
    docs: DocSet,
    sort: str,
    wanted: int,
) -> tuple[list[str], dict[int, tuple[int, float]]]:
    """Story ids in order of their best-ranked match; docnum -> (rank, score) of those seen."""
    from searchidx.search.searching import ranked_docs

    story_of = {d: s for s, members in groups.items() for d in members}
    limit: int | None = max(FIRST_PASS, wanted * 4)
    while True:
        ranked = ranked_docs(index, q, docs, sort, limit)
        order: list[str] = []
        seen: set[str] = set()
        for docnum, _ in ranked:
            story = story_of[docnum]
            if story not in seen:
                seen.add(story)
                order.append(story)
        if len(order) >= wanted or limit is None or len(ranked) < limit:
            return order, {d: (i, score) for i, (d, score) in enumerate(ranked)}
        limit = None


def search_stories(
    index: Engine, request: SearchRequest, *, min_articles: int = 1, articles: int = 10
) -> StoryResults:
    """Stories with at least `min_articles` matching articles, paged by `request`'s limit and
    offset, ranked by their best match in `request.sort` order."""
    from searchidx.search.searching import hit_for, matched_docs, query_marks, search
    from searchidx.stories.collapse import copy_of, doc_copies, folded_count
    from searchidx.stories.sync import doc_stories

    started = time.perf_counter()
    plain = search(index, replace(request, limit=0, offset=0))
    q, matched = matched_docs(index, request)
    table, stale = doc_stories(index)
    all_groups: dict[str, list[int]] = defaultdict(list)
    for docnum in matched:
        all_groups[table.get(docnum, f"d-{docnum}")].append(docnum)
    groups = {s: m for s, m in all_groups.items() if len(m) >= min_articles}
    docs = frozenset(d for members in groups.values() for d in members)
    wanted = request.offset + request.limit
    order, scores = _ordered_stories(index, q, groups, docs, request.sort, wanted)
    sizes: dict[str, int] = defaultdict(int)
    for story in table.values():
        sizes[story] += 1
    published = index.number_column("published_ts")
    outlets = index.text_column("outlet")
    marks = query_marks(index, q) if request.snippets > 0 else None
    copies = {} if request.all_copies else doc_copies(index)
    page: list[Story] = []
    for story in order[request.offset : wanted]:
        members = groups[story]
        by_time = sorted(members, key=lambda d: (published[d] or 2**62, d))
        unranked = (len(scores), 0.0)
        best = min(members, key=lambda d: (scores.get(d, unranked)[0], by_time.index(d)))
        folded = _folded([best] + [d for d in by_time if d != best], copies)
        shown = list(folded)[: max(articles, 1)]  # the best first, then by date
        hits = tuple(
            replace(
                hit_for(
                    index,
                    d,
                    scores.get(d, unranked)[1],
                    marks if d == best else None,
                    request.snippets,
                ),
                copies=tuple(copy_of(index, c) for c in folded[d]),
            )  # fmt: skip
            for d in shown
        )
        names: list[str] = []
        for d in by_time:
            name = outlets[d]
            if name and name not in names:
                names.append(name)
        first = next((d for d in by_time if published[d]), None)
        first_hit = None
        if first is not None:
            first_hit = next((h for h, d in zip(hits, shown, strict=True) if d == first), None)
            first_hit = first_hit or hit_for(index, first, 0.0)
        page.append(Story(
            id=story, hits=hits, count=len(members), size=sizes.get(story, len(members)),
            outlets=tuple(names),
            first_published=published_text(first_hit) if first_hit else None,
            first_outlet=first_hit.outlet if first_hit else None,
            collapsed_count=None if request.all_copies else len(folded),
        ))  # fmt: skip
    results = replace(
        plain,
        request=request,
        hits=tuple(s.hits[0] for s in page),
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        collapsed_total=None
        if request.all_copies
        else len(matched) - folded_count(copies, matched),
    )
    return StoryResults(results, tuple(page), len(groups), stale)


def _folded(members: list[int], copies: dict[int, tuple[int, ...]]) -> dict[int, list[int]]:
    """The members shown (in `members`' order: the first copy of each article) -> the other
    members that are copies of it."""
    shown: dict[int, list[int]] = {}
    lead: dict[tuple[int, ...], int] = {}
    for docnum in members:
        group = copies.get(docnum)
        if group is not None and group in lead:
            shown[lead[group]].append(docnum)
            continue
        if group is not None:
            lead[group] = docnum
        shown[docnum] = []
    return shown


def story_articles(index: Engine, article_id: str) -> SearchResults:
    """Every article of the story `article_id` belongs to (itself included), earliest first:
    the other outlets' versions of one event."""
    from searchidx.search.searching import article_hit, doc_number
    from searchidx.search.snippets import opening
    from searchidx.stories.sync import doc_stories

    started = time.perf_counter()
    docnum = doc_number(index, article_id)
    table, _ = doc_stories(index)
    story = table.get(docnum)
    members = [d for d, s in table.items() if s == story] if story else [docnum]
    published = index.number_column("published_ts")
    members.sort(key=lambda d: (published[d] or 2**62, d))
    hits = []
    for d in members:
        stored = index.stored(d)
        hits.append(article_hit(stored, 0.0, (opening(stored.body),)))
    return SearchResults(
        request=SearchRequest(query=f"story:{article_id}", limit=len(hits)),
        total=len(hits),
        hits=tuple(hits),
        parsed_query=f"story of {article_id}",
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )
