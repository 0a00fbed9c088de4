"""A second look at a batch once it is placed. Online placement cannot undo an early join: an
article placed before its own event's story existed stays where it landed, and two stories of one
event begun apart never meet. So, after a batch is placed, each of its articles moves to the story
whose centroid is closer to it than its own story's centroid is without it (one k-means step),
and each story of two or more the batch touched merges with the story begun within the window
whose members are most alike to its own on average (average linkage), if alike enough. Only the
batch's articles move and only the stories they are in merge: a one-file rebuild can move the new
article and merge its story with one story begun at most STORY_SPAN_DAYS away, nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Protocol

from searchidx.stories.members import _Member, _note_day, _ordinal
from searchidx.stories.vectors import TextVectors


class Placed(Protocol):
    """What the second look reads and changes of grouping's state (grouping.StoryIndex)."""

    members: dict[str, _Member]
    _by_story: dict[str, set[str]]
    _first_day: dict[str, int]
    _text: TextVectors
    _plain: TextVectors
    _bucketed: bool

    def _within_span(self, day: int, story: str) -> bool: ...


# Two stories merge when the mean cosine of their members' vectors, one from each, reaches this
# (plus what the batch's articles needed beyond the text-link bar: a short text or a template
# needs more). Chosen on ECB+ dev with bench/stories_tune.py.
MERGE_LINK = 0.25


def refine(state: Placed, bars: Mapping[str, float], bounds: tuple[float, float, int]) -> None:
    """Move the batch's articles (id -> the cosine their placement needed) to a closer story,
    then merge the stories they are in with alike ones. `bounds`: the text-link bar, the
    plain-word bar and the story span in days (grouping.py's TEXT_LINK, PLAIN_LINK and
    STORY_SPAN_DAYS)."""
    base, plain, span = bounds
    for article_id, bar in bars.items():
        better = _closer_story(state, article_id, bar, plain, span)
        if better is not None:
            _assign(state, [article_id], better)
    extra: dict[str, float] = {}
    for article_id, bar in bars.items():
        story = state.members[article_id].story
        extra[story] = max(extra.get(story, 0.0), bar - base)
    for story in sorted(extra):
        # a story of one was compared with every candidate centroid just above
        if len(state._by_story.get(story, ())) > 1:
            _merge_alike(state, story, MERGE_LINK + extra[story], plain, span)


def _closer_story(
    state: Placed, article_id: str, bar: float, plain: float, span: int
) -> str | None:
    """A story whose centroid is closer to the article than its own story's centroid without it
    (the cosine with that reaching `bar` and the plain words agreeing), else None."""
    member, text = state.members[article_id], state._text
    vector = text.vectors.get(article_id)
    if vector is None or not member.day:
        return None
    close = text.neighbours(vector, _ordinal(member.day) or 0, span, scan=not state._bucketed)
    stories = {state.members[other].story for other in close} - {member.story}
    others = {s: state._by_story[s] for s in stories if state._within_span(member.day, s)}
    if not others:
        return None
    own = state._by_story[member.story]
    cosines = text.cosines(vector, {member.story: own, **others})
    here = _without(text.centroid_norm(member.story, own), cosines.pop(member.story), len(own))
    for story in sorted(cosines, key=cosines.__getitem__, reverse=True):
        cosine = cosines[story]
        if cosine < bar or cosine <= here:
            return None
        agree = state._plain.cosines(state._plain.vectors[article_id], {story: others[story]})
        if agree[story] >= plain:
            return story
    return None


def _without(norm: float, cosine: float, size: int) -> float:
    """Cosine of a unit vector with its story's centroid less itself, from the cosine with the
    whole centroid (squared norm `norm`); 0 for a story of one."""
    if size < 2 or norm <= 0:
        return 0.0
    dot = cosine * math.sqrt(norm)
    rest = norm - 2.0 * dot + 1.0
    return (dot - 1.0) / math.sqrt(rest) if rest > 1e-9 else 1.0


def _merge_alike(state: Placed, story: str, bar: float, plain: float, span: int) -> None:
    """Merge the story with the most alike story (mean member cosine >= bar) begun within the
    window whose members all lie within the window of this story's beginning, and back."""
    text, members = state._text, state._by_story[story]
    first = state._first_day.get(story, 0)
    centroid = text.unit_centroid(story, members)
    if not first or centroid is None:
        return
    close = text.neighbours(centroid, _ordinal(first) or 0, span, scan=not state._bucketed)
    others = {s: state._by_story[s] for s in {state.members[other].story for other in close}
              if s != story and state._within_span(first, s)}  # fmt: skip
    if not others:
        return
    size, norm = len(members), text.centroid_norm(story, members)
    means = {
        s: cosine * math.sqrt(norm * text.centroid_norm(s, others[s])) / (size * len(others[s]))
        for s, cosine in text.cosines(centroid, others).items()
    }
    ranked = sorted(means, key=means.__getitem__, reverse=True)
    best = next((s for s in ranked if means[s] < bar or _fits(state, story, s)), None)
    if best is None or means[best] < bar:
        return
    plain_centroid = state._plain.unit_centroid(story, members)
    if plain_centroid is None:
        return
    if state._plain.cosines(plain_centroid, {best: others[best]})[best] < plain:
        return
    # the story begun first keeps its id (and the older one when both began on one day)
    keep, gone = sorted((story, best), key=lambda s: (state._first_day.get(s, 0), s))
    _assign(state, list(state._by_story[gone]), keep)


def _fits(state: Placed, story: str, other: str) -> bool:
    """Whether every member of each story is within the window of the other's first day."""
    pairs = ((story, other), (other, story))
    return all(state._within_span(state.members[m].day, b)
               for a, b in pairs for m in state._by_story[a])  # fmt: skip


def _assign(state: Placed, article_ids: Iterable[str], story: str) -> None:
    """Move placed articles to another story, keeping the stories' indexes in step (each story
    left is looked at once: a merge moves a whole story)."""
    left: set[str] = set()
    for article_id in article_ids:
        member = state.members[article_id]
        left.add(member.story)
        state._by_story[member.story].discard(article_id)
        member.story = story
        state._by_story[story].add(article_id)
        _note_day(state._first_day, story, member.day)
    for old in left - {story}:
        if state._by_story[old]:
            days = [state.members[m].day for m in state._by_story[old] if state.members[m].day]
            if days:
                state._first_day[old] = min(days)
        else:
            del state._by_story[old]
            state._first_day.pop(old, None)
    for vectors in (state._text, state._plain):
        for changed in left | {story}:
            vectors.forget(changed)
