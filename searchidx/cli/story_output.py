"""Renderers for stories, story-grouped hits and co-occurrence: text, JSON, JSONL, CSV.

JSON keys may be added, never renamed (pinned by tests/cli/test_stories_cli.py).
"""

from __future__ import annotations

from searchidx.cli.output import counted, hit_text, totals_text
from searchidx.cli.terminal import visible
from searchidx.search.records import (
    CSV_COLUMNS,
    VALUES_JOIN,
    Record,
    copy_text,
    csv_text,
    dumps,
    hit_record,
    hit_row,
    published_text,
)
from searchidx.stories.grouped import Story, StoryResults
from searchidx.stories.related import RelatedResults


def story_json(story: Story) -> Record:
    return {
        "id": story.id,
        "articles": [hit_record(h) for h in story.hits],
        "outlets": list(story.outlets),
        "first_published": story.first_published,
        "first_outlet": story.first_outlet,
        "count": story.count,
        "size": story.size,
        # `count` with copies of one article counted once (null: --all-copies)
        "collapsed_count": story.collapsed_count,
    }


def story_summary(story: Story) -> Record:
    """The `story` key added to a hit by `query --group-stories`."""
    document = story_json(story)
    del document["articles"]
    return document


def grouped_hits_json(found: StoryResults) -> list[Record]:
    return [{**hit_record(s.hits[0]), "story": story_summary(s)} for s in found.stories]


def _story_line(story: Story) -> str:
    first = " · ".join(x for x in (story.first_outlet, story.first_published) if x)
    others = story.count - 1
    more = f"+{others} more in this story" if others else "only article of its story"
    return visible(f"  [{more}; outlets: {', '.join(story.outlets) or '-'}; first: {first or '-'}]")


def grouped_text(found: StoryResults, colour: bool) -> list[str]:
    """One block per story: its best hit, then a line with the rest of the story."""
    return [f"{hit_text(s.hits[0], colour)}\n{_story_line(s)}" for s in found.stories]


def _articles(story: Story) -> str:
    """`3 articles (2 after collapsing copies)`; the second number only when it differs."""
    text = counted(story.count, "article")
    folded = story.collapsed_count
    return (
        text
        if folded is None or folded == story.count
        else f"{text} ({folded:,} after collapsing copies)"
    )


def stories_text(found: StoryResults, colour: bool) -> str:
    first = found.results.request.offset + 1
    stories = counted(found.total_stories, "story", "stories")
    head = f"{stories} in {totals_text(found.results)}"
    if found.stories:
        head += f", showing {first}-{first + len(found.stories) - 1}"
    blocks = [head]
    if found.stale:
        blocks.append("(story grouping is behind the index: run `searchidx rebuild`)")
    for story in found.stories:
        lines = [
            visible(
                f"story {story.id}: {_articles(story)}"
                + (f"; outlets: {', '.join(story.outlets)}" if story.outlets else "")
            )
        ]
        earliest = [part for part in (story.first_outlet, story.first_published) if part]
        if earliest:  # who had it first, when known ("first: - · -" said nothing)
            lines.append(visible(f"first: {' · '.join(earliest)}"))
        lines.append(hit_text(story.hits[0], colour))
        for hit in story.hits[1:]:
            lines.append(visible(f"  also: {hit.title} · {hit.outlet or '-'} · "
                                 f"{published_text(hit) or '-'} · {hit.id}"))  # fmt: skip
            if hit.copies:
                also = "; ".join(copy_text(c) for c in hit.copies)
                lines.append(visible(f"    also in: {also}"))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def stories_csv(found: StoryResults) -> str:
    """`query --format csv` columns, after the story's id, count and outlets."""
    rows = (
        [story.id, story.count, VALUES_JOIN.join(story.outlets), *hit_row(hit)]
        for story in found.stories
        for hit in story.hits
    )
    return csv_text(("story", "story_count", "story_outlets", *CSV_COLUMNS), rows)


def render_stories(found: StoryResults, fmt: str, colour: bool) -> str:
    if fmt == "json":
        return dumps([story_json(s) for s in found.stories])
    if fmt == "jsonl":
        return "\n".join(dumps(story_json(s)) for s in found.stories)
    if fmt == "csv":
        return stories_csv(found)
    return stories_text(found, colour)


def related_json(found: RelatedResults) -> Record:
    return {
        "entity": found.entity,
        "kinds": list(found.kinds),
        "total": found.total,
        "related": {
            kind: [{"value": r.value, "count": r.count, "share": r.share} for r in rows]
            for kind, rows in found.related.items()
        },
        "took_ms": found.took_ms,
    }


def render_related(found: RelatedResults, fmt: str) -> str:
    if fmt == "json":
        return dumps(related_json(found))
    blocks = [f"{found.entity}: named in {found.total} matching articles"]
    for kind, rows in found.related.items():
        lines = [f"  {r.value}  {r.count}" for r in rows]
        blocks.append("\n".join([f"{kind}:", *lines]) if lines else f"{kind}: (none)")
    return "\n\n".join(blocks)
