"""Copies of one article folded into one hit: exact and near duplicates, with "also in".

Two articles are copies when their titles and bodies are the same normalised text (the same
words, lowercased), whatever their dates: candidates are the articles whose MinHash signatures
(the story table's, `stories/text.py`: 64 hashes of the lowercased word shingles) are
identical, then their texts are compared; or when they are in one story and their
signatures agree on at least `NEAR_DUPLICATE` of the hashes within `NEAR_WINDOW_DAYS`, as a
wire copy with an edited line does (the stories' own near-duplicate rule). Copy groups are
found at rebuild, after story grouping, and kept beside the generation (`copies.pickle`);
a reader whose table is behind the index finds them from the story state itself.

Showing them folded is `stories/collapse.py`.
"""

from __future__ import annotations

import pickle
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from searchidx.corpus.dates import day_of_number
from searchidx.index.generations import write_atomic
from searchidx.index.pickles import BUILTINS, restricted_load
from searchidx.stories.grouping import NEAR_DUPLICATE, NEAR_WINDOW_DAYS, StoryIndex
from searchidx.stories.text import signature

COPIES_FILE = "copies.pickle"
COPIES_VERSION = 1
_WORD = re.compile(r"\w+")

if TYPE_CHECKING:
    import numpy as np


def normalised(text: str) -> str:
    """The words of a text, lowercased, one space apart: what two exact copies share."""
    return " ".join(_WORD.findall(text.lower()))


def find_copies(state: StoryIndex, text_of: Callable[[str], str | None]) -> dict[str, str]:
    """Article id -> copy group (the smallest id of the group), for articles with copies.
    `text_of`: an article's title and body (None: not in the index)."""
    parent: dict[str, str] = {}

    def root(article_id: str) -> str:
        while parent.get(article_id, article_id) != article_id:
            article_id = parent[article_id]
        return article_id

    def join(a: str, b: str) -> None:
        first, second = sorted((root(a), root(b)))
        if first != second:
            parent[second] = first

    empty = signature("").tobytes()  # texts without words are not copies of each other
    same_text: dict[bytes, list[str]] = defaultdict(list)
    for article_id, member in state.members.items():
        key = member.signature.tobytes()
        if key != empty:
            same_text[key].append(article_id)
    for candidates in same_text.values():
        if len(candidates) < 2:
            continue
        by_text: dict[str, list[str]] = defaultdict(list)
        for article_id in candidates:
            text = text_of(article_id)
            if text is not None:
                by_text[normalised(text)].append(article_id)
        for ids in by_text.values():
            for other in ids[1:]:
                join(ids[0], other)
    for ids in state.stories().values():
        worded = [i for i in ids if state.members[i].signature.tobytes() != empty]
        if len(worded) > 1:
            _join_near(state, worded, join)
    groups: dict[str, list[str]] = defaultdict(list)
    for article_id in list(parent):
        groups[root(article_id)].append(article_id)
    return {i: group for group, ids in groups.items() for i in (group, *ids)}


def _join_near(state: StoryIndex, ids: list[str], join: Callable[[str, str], None]) -> None:
    """Join the near-duplicate pairs of one story's articles."""
    import numpy as np

    signatures: np.ndarray = np.stack([state.members[i].signature for i in ids])
    for n, a in enumerate(ids[:-1]):
        agree = (signatures[n + 1 :] == signatures[n]).mean(axis=1)
        for offset in np.flatnonzero(agree >= NEAR_DUPLICATE):
            b = ids[n + 1 + int(offset)]
            first, second = day_of_number(state.members[a].day), day_of_number(state.members[b].day)
            if first is None or second is None or abs((first - second).days) <= NEAR_WINDOW_DAYS:
                join(a, b)


# segment id -> segment-local document number -> copy group, for the documents with copies
CopyLocations = dict[str, dict[int, str]]


def copy_locations(state: StoryIndex, copies: dict[str, str]) -> CopyLocations:
    """Where each article with copies is in the index the state last read (`state.locations`):
    readers map copies to documents without loading the whole story table."""
    found: CopyLocations = {}
    for segment, ids in state.locations.items():
        here = {local: copies[i] for local, i in ids.items() if i in copies}
        if here:
            found[segment] = here
    return found


def save_copies(folder: Path, stamp: str, locations: CopyLocations) -> None:
    """Replace the copy table atomically (the generation folder shares files by hard links)."""
    table = pickle.dumps((COPIES_VERSION, stamp, locations), protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(folder / COPIES_FILE, table)


def load_copies(folder: Path) -> CopyLocations | None:
    """The copy table describing generation `folder`, None when missing, stale or damaged."""
    try:
        with open(folder / COPIES_FILE, "rb") as handle:
            version, stamp, locations = restricted_load(handle, BUILTINS)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    if version != COPIES_VERSION or stamp != folder.name or not isinstance(locations, dict):
        return None
    return locations
