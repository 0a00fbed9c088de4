"""Story grouping: articles about one event, from near-duplicate text, shared entities or the
whole text. A new article joins the story of a near duplicate (MinHash over word shingles, banded
LSH for candidates); else the story whose TF-IDF centroid is closest to its vector (vectors.py),
if close enough and its plain words agree, a story it shares distinctive entities with (and an
alike opening) needing a little less; else it starts its own. refine.py then takes a second look
at the batch (moves to closer stories, merges). Removing an article leaves the rest alone. The
state lives beside the index (one pickle per generation, replaced atomically); its small header
(format version, generation) tells a no-op rebuild it is current. docs/stories.md has the rules.
"""

from __future__ import annotations

import math
import os
import pickle
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from searchidx.index.pickles import BUILTINS, NUMPY, restricted_load
from searchidx.stories.members import (
    StoryInput,
    _days_apart,
    _entity_keys,
    _Member,
    _note_day,
    _ordinal,
    _packed,
    _unpacked,
)
from searchidx.stories.refine import refine
from searchidx.stories.text import NUM_PERM, TERM_BUCKETS, lead_terms, signature, word_counts
from searchidx.stories.vectors import TextVectors, with_entities

__all__ = ["StoryIndex", "StoryInput"]

if TYPE_CHECKING:  # numpy is imported where signatures are made: a no-op rebuild never needs it
    import numpy as np

BANDS = 16  # 16 bands of 4 rows: candidate pairs from about 0.5 Jaccard up
ROWS = NUM_PERM // BANDS
NEAR_DUPLICATE = 0.6  # estimated Jaccard of shingles at which two texts are one wire copy
WINDOW_DAYS = 2  # an entity link: both dated, at most this many days apart
NEAR_WINDOW_DAYS = 3  # near duplicates further apart are a recurring template, not copies
# A link joins only a story begun at most this many days away: links would otherwise chain day
# after day into a topic ("USDA", "Boeing") instead of an event.
STORY_SPAN_DAYS = 3
ENTITY_OVERLAP = 0.3  # weighted overlap coefficient of entity sets for an entity link
MIN_SHARED = 3  # shared names (places included) for an entity link
# A loaded state places up to this many articles by scanning (signatures, vectors), building
# the band buckets and term index only for bigger batches: a one-file rebuild skips them.
SCAN_LIMIT = 64
STATE_FILE = "stories.pickle"
STATE_VERSION = 8  # 4: lead terms; 5: own MinHash; 6: IDF of openings; 7: vectors; 8: refine
# The state file sits in an index folder that may not be the user's own: it is read through the
# restricted unpickler, which admits containers and numpy arrays and nothing that runs code.
STATE_CLASSES = BUILTINS | NUMPY
# An entity link also needs alike openings (IDF-weighted cosine of the first LEAD_WORDS words):
# spaCy's values are noisy on wire copy ("WARNS" becomes a name), so names alone join a theme.
MIN_LEAD_COSINE = 0.2
# Pseudo-documents added to every term's count: without them a term both openings share (two
# of two articles on a tiny index) would weigh least of all.
IDF_PRIOR = 5.0
# shared entities must weigh at least this much (weights are IDF scaled to 0..1, a name no other
# article carries weighs 1), so "U.S." plus "Reuters" alone never link two articles
MIN_SHARED_WEIGHT = 2.0
# A text link needs this cosine of the article's vector with the story's centroid (chosen on ECB+
# dev, bench/stories_tune.py); up to SHORT_EXTRA more below SHORT_WORDS distinct words.
TEXT_LINK = 0.3
SHORT_WORDS = 25
SHORT_EXTRA = 0.4
# A template (words found on most days) needs this much more times that share of its vector.
TEMPLATE_EXTRA = 0.5
# The plain words (lower case: what happened, beyond the names) must agree this much too: two
# wire reports on one company the same day (results, a purchase) share only the name.
PLAIN_LINK = 0.05
ENTITY_RELIEF = 0.05  # an entity link lowers the cosine a story needs by this much


def _load(handle: IO[bytes]) -> Any:
    return restricted_load(handle, STATE_CLASSES)


@dataclass
class StoryIndex:
    """Article -> story assignments plus what is needed to place new articles."""

    members: dict[str, _Member] = field(default_factory=dict)
    stamp: str = ""  # the index generation this state describes ("" when never synced)
    # whoosh segment id -> segment-local document number -> article id, where each member was
    # read from: segments are never rewritten, so only new segments need reading at the next sync
    locations: dict[str, dict[int, str]] = field(default_factory=dict)
    _buckets: dict[tuple[int, bytes], set[str]] = field(default_factory=lambda: defaultdict(set))
    _by_entity: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _by_story: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _text: TextVectors = field(default_factory=TextVectors)
    _plain: TextVectors = field(default_factory=TextVectors)  # vectors of plain words only
    _first_day: dict[str, int] = field(default_factory=dict)  # story -> its earliest day known
    _bucketed: bool = True  # False after `load` until a big batch needs the buckets
    # term id -> members whose opening has it (for the IDF of lead terms); None until needed,
    # then counted from the members in one pass
    _df: np.ndarray | None = None
    _df_docs: int = 0

    # ----- persistence -------------------------------------------------------------------
    @staticmethod
    def read_stamp(folder: Path) -> str | None:
        """The generation the saved state describes, reading only the file's header."""
        try:
            with open(folder / STATE_FILE, "rb") as handle:
                version, stamp = _load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        return str(stamp) if version == STATE_VERSION else None

    @staticmethod
    def load_assignments(
        folder: Path,
    ) -> tuple[str, dict[str, str], dict[str, dict[int, str]]] | None:
        """(stamp, article id -> story, segment locations) without the placement state."""
        try:
            with open(folder / STATE_FILE, "rb") as handle:
                version, stamp = _load(handle)
                if version != STATE_VERSION:
                    return None
                assignments, locations = _load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return None
        return str(stamp), assignments, locations

    @classmethod
    def load(cls, folder: Path) -> StoryIndex:
        path = folder / STATE_FILE
        if not path.exists():
            return cls()
        try:
            with open(path, "rb") as handle:
                version, stamp = _load(handle)
                if version != STATE_VERSION:
                    return cls()
                _load(handle)  # the readers' record (assignments, locations)
                columns, locations = _load(handle)
            members, (text, plain) = _unpacked(columns)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return cls()  # a damaged side table is rebuilt from scratch by the next rebuild
        index = cls(stamp=str(stamp), locations=locations, _bucketed=False, _text=text,
                    _plain=plain)  # fmt: skip
        index.members = members
        # what _insert keeps, built in one pass (a one-file rebuild loads every member)
        by_entity, by_story, first_day = index._by_entity, index._by_story, index._first_day
        for article_id, member in members.items():
            by_story[member.story].add(article_id)
            _note_day(first_day, member.story, member.day)
            for entity in member.entities:
                by_entity[entity].add(article_id)
        return index

    def save(self, folder: Path) -> None:
        """Replace the state file atomically (tmp + rename): generations hard-link files."""
        path = folder / STATE_FILE
        tmp = path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            pickle.dump((STATE_VERSION, self.stamp), handle, protocol=pickle.HIGHEST_PROTOCOL)
            # readers need only who is in which story: a small record ahead of the full state
            assignments = {article_id: m.story for article_id, m in self.members.items()}
            pickle.dump((assignments, self.locations), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump((_packed(self.members, (self._text, self._plain)), self.locations), handle,
                        protocol=pickle.HIGHEST_PROTOCOL)  # fmt: skip
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    # ----- queries -----------------------------------------------------------------------
    def story_of(self, article_id: str) -> str | None:
        member = self.members.get(article_id)
        return member.story if member else None

    def stories(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for article_id, member in self.members.items():
            grouped[member.story].append(article_id)
        return dict(grouped)

    # ----- updates -----------------------------------------------------------------------
    def remove(self, ids: Iterable[str]) -> None:
        for article_id in ids:
            member = self.members.pop(article_id, None)
            if member is None:
                continue
            if self._bucketed:
                for key in self._band_keys(member.signature):
                    self._buckets[key].discard(article_id)
            for entity in member.entities:
                self._by_entity[entity].discard(article_id)
            self._count_terms(member.terms, -1)
            self._text.discard(article_id, member.story)
            self._plain.discard(article_id, member.story)
            self._by_story[member.story].discard(article_id)
            if not self._by_story[member.story]:
                del self._by_story[member.story]

    def add(self, items: Iterable[StoryInput]) -> None:
        """Place each article (in the order given: oldest first reads best) into a story."""
        items = list(items)
        if not self._bucketed and len(items) > SCAN_LIMIT:
            self._bucketed = True
            for article_id, member in self.members.items():
                for key in self._band_keys(member.signature):
                    self._buckets[key].add(article_id)
        self.remove(item.id for item in items)
        # The whole batch counts towards the IDF of lead terms before any is placed, so that a
        # full rebuild compares openings with the corpus-wide IDF, not that of the first few.
        leads = [lead_terms(item.text) for item in items]
        self._term_weights(None)  # counts the members' openings once, if not counted yet
        for terms in leads:
            self._count_terms(terms, 1)
        # the same for the whole-text vectors' document frequencies
        words = [word_counts(item.text) for item in items]
        counts = [with_entities(c[:2], _entity_keys(i)) for c, i in zip(words, items, strict=True)]
        plains = [(c[3], c[4]) for c in words]
        days = {article_id: m.day for article_id, m in self.members.items()}
        for text, batch in ((self._text, counts), (self._plain, plains)):
            for found, _ in batch:
                text.count(found)
            text.count_days(((c[0], i.day) for c, i in zip(batch, items, strict=True)), days)
        bars: dict[str, float] = {}  # what each article's placement needed, for refine.py
        for item, terms, mine, many, plain in zip(items, leads, counts, words, plains, strict=True):
            sig = signature(item.text)
            entities = _entity_keys(item)
            vector, plain_vector = self._text.weigh(mine), self._plain.weigh(plain)
            needed = (TEXT_LINK + SHORT_EXTRA * max(0.0, 1.0 - many[2] / SHORT_WORDS)
                      + TEMPLATE_EXTRA * self._text.everyday_share(vector))  # fmt: skip
            if many[2] >= SHORT_WORDS:  # short texts (tables, flashes) keep their first place
                bars[item.id] = needed
            story = self._best_story(item.day, sig, entities, terms, (vector, plain_vector),
                                     needed) or self._new_story_id(item.id)  # fmt: skip
            member = _Member(item.day, sig, entities, story, item.fingerprint, terms)
            self._insert(item.id, member, count_terms=False)
            self._text.insert(item.id, vector, story, _ordinal(item.day) or 0)
            self._plain.insert(item.id, plain_vector, story, _ordinal(item.day) or 0)
        refine(self, {i: bar for i, bar in bars.items() if self.members[i].day},
               (TEXT_LINK, PLAIN_LINK, STORY_SPAN_DAYS))  # fmt: skip

    def _new_story_id(self, article_id: str) -> str:
        # The founding article's id; a re-placed founder must not take back its old story's id
        # while other articles still carry it.
        story, n = f"s-{article_id}", 1
        while story in self._by_story:
            n += 1
            story = f"s-{article_id}-{n}"
        return story

    def _insert(self, article_id: str, member: _Member, count_terms: bool = True) -> None:
        self.members[article_id] = member
        if count_terms:
            self._count_terms(member.terms, 1)
        self._by_story[member.story].add(article_id)
        _note_day(self._first_day, member.story, member.day)
        if self._bucketed:
            for key in self._band_keys(member.signature):
                self._buckets[key].add(article_id)
        for entity in member.entities:
            self._by_entity[entity].add(article_id)

    def _count_terms(self, terms: np.ndarray | None, step: int) -> None:
        if self._df is not None and terms is not None:
            self._df[terms] += step  # term ids are unique within one opening
            self._df_docs += step

    def _term_weights(self, terms: np.ndarray | None) -> np.ndarray:
        """Squared smoothed IDF of each term (a term no other opening has weighs most)."""
        import numpy as np

        if self._df is None:
            leads = [m.terms for m in self.members.values() if m.terms is not None]
            every = np.concatenate(leads) if leads else np.zeros(0, dtype=np.uint32)
            self._df = np.bincount(every, minlength=TERM_BUCKETS).astype(np.int64)
            self._df_docs = len(leads)
        if terms is None or not len(terms):
            return np.zeros(0)
        idf = 1.0 + np.log((self._df_docs + IDF_PRIOR) / (self._df[terms] + IDF_PRIOR))
        return idf * idf  # type: ignore[no-any-return]

    def _lead_cosine(self, mine: np.ndarray, mine_norm: float, theirs: np.ndarray | None) -> float:
        import numpy as np

        if theirs is None or not len(theirs) or not mine_norm:
            return 0.0
        weights = self._term_weights(theirs)
        shared = np.isin(theirs, mine, assume_unique=True)
        return float(weights[shared].sum() / math.sqrt(mine_norm * float(weights.sum())))

    def _near_candidates(self, sig: np.ndarray) -> set[str]:
        """Articles sharing at least one band of the signature (LSH candidates)."""
        if self._bucketed:
            near: set[str] = set()
            for key in self._band_keys(sig):
                near |= self._buckets.get(key, set())
            return near
        if not self.members:
            return set()
        import numpy as np

        ids = list(self.members)
        matrix = np.stack([self.members[i].signature for i in ids]).reshape(len(ids), BANDS, ROWS)
        hits = (matrix == sig.reshape(BANDS, ROWS)).all(axis=2).any(axis=1)
        return {ids[i] for i in np.flatnonzero(hits)}

    @staticmethod
    def _band_keys(sig: np.ndarray) -> list[tuple[int, bytes]]:
        return [(band, sig[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]

    def _weight(self, entity: str) -> float:
        total = max(len(self.members), 1)
        idf = math.log(1.0 + total / max(len(self._by_entity.get(entity, ())), 1))
        return idf / math.log(1.0 + total)

    def _best_story(
        self, day: int, sig: np.ndarray, entities: frozenset[str], terms: np.ndarray,
        vectors: tuple[tuple[np.ndarray, np.ndarray], ...], needed: float,
    ) -> str | None:  # fmt: skip
        """The story to join: a near duplicate's, else the story whose centroid is closest to
        the vector if close enough. Stories an entity link points to need ENTITY_RELIEF less."""
        vector, plain = vectors
        near = self._near_duplicate(day, sig)
        if near is not None or not day:
            return near
        linked = self._entity_stories(day, entities, terms)
        stories: dict[str, set[str]] = {story: self._by_story[story] for story in linked}
        ordinal, scan = _ordinal(day) or 0, not self._bucketed
        close = self._text.neighbours(vector, ordinal, STORY_SPAN_DAYS, scan=scan)
        for story in {self.members[other].story for other in close}:
            if story not in stories and self._within_span(day, story):
                stories[story] = self._by_story[story]
        margins = {story: cosine - needed + (ENTITY_RELIEF if story in linked else 0.0)
                   for story, cosine in self._text.cosines(vector, stories).items()}  # fmt: skip
        # the closest story whose plain words (what happened, beyond the names) agree too
        for story in sorted((s for s in margins if margins[s] >= 0), key=margins.__getitem__,
                            reverse=True):  # fmt: skip
            if self._plain.cosines(plain, {story: stories[story]})[story] >= PLAIN_LINK:
                return story
        return None

    def _within_span(self, day: int, story: str) -> bool:
        """Whether the story began at most STORY_SPAN_DAYS from the day (no topic chains)."""
        apart = _days_apart(day, self._first_day.get(story, 0))
        return apart is not None and apart <= STORY_SPAN_DAYS

    def _near_duplicate(self, day: int, sig: np.ndarray) -> str | None:
        best: str | None = None
        best_jaccard = NEAR_DUPLICATE
        for other in self._near_candidates(sig):
            apart = _days_apart(day, self.members[other].day)
            if apart is not None and apart > NEAR_WINDOW_DAYS:
                continue
            # a daily template's issues are near duplicates: one a day must not chain for weeks
            if apart is not None and not self._within_span(day, self.members[other].story):
                continue
            jaccard = float((self.members[other].signature == sig).mean())
            if jaccard >= best_jaccard:
                best, best_jaccard = self.members[other].story, jaccard
        return best

    def _entity_stories(self, day: int, entities: frozenset[str], terms: np.ndarray) -> set[str]:
        """Stories with a member sharing enough distinctive names and an alike opening."""
        candidates: set[str] = set()
        for entity in entities:
            if not entity.startswith("l\x1f"):  # a shared place alone says little
                candidates |= self._by_entity.get(entity, set())
        mine = sum(self._weight(e) for e in entities)
        lead_norm: float | None = None
        linked: set[str] = set()
        for other in candidates:
            member = self.members[other]
            if member.story in linked:
                continue
            apart = _days_apart(day, member.day)
            if apart is None or apart > WINDOW_DAYS or not self._within_span(day, member.story):
                continue
            shared = entities & member.entities
            if len(shared) < MIN_SHARED:
                continue
            theirs = sum(self._weight(e) for e in member.entities)
            mass = sum(self._weight(e) for e in shared)
            if mass < MIN_SHARED_WEIGHT or mass / max(min(mine, theirs), 1e-9) < ENTITY_OVERLAP:
                continue
            if lead_norm is None:
                lead_norm = float(self._term_weights(terms).sum())
            if self._lead_cosine(terms, lead_norm, member.terms) >= MIN_LEAD_COSINE:
                linked.add(member.story)
        return linked
