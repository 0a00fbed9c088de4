"""Names in the runs of capitalised words spaCy left untagged (cue kind "", `entities/cues.py`).

The corpus decisions (`entities/decide.py`) pass what they know: `spread` (names two articles or
more tag, by key -> kind), `teams` (places that are also teams, by key -> kind outside sports
results) and `given` (given names of the corpus). A run naming a known name gets its kind; a run
with no known name gets one only from its shape (a side of a result line, a dateline, a name
after "at", an initial and a surname, a given name, a country in brackets after it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from searchidx.entities.clean import STOP_WORDS, variant_key
from searchidx.entities.record import KINDS, ArticleEntities
from searchidx.entities.words import BODY_WORDS, MONTHS_AND_DAYS, ORDINALS


@dataclass(frozen=True)
class RunNames:
    """What the corpus knows, applied to one article's runs."""

    spread: dict[str, str]
    teams: dict[str, str]
    given: frozenset[str]

    def add(
        self, entities: ArticleEntities, values: dict[str, list[str]], sports: set[str]
    ) -> None:
        """Add the known names found in the article's untagged capitalised runs, longest first;
        a run's first word alone is no name when it opens a sentence ("Reading is ...")."""
        runs: dict[str, set[str]] = defaultdict(set)
        for kind, value, cue in entities.cues:
            if not kind:
                runs[value].add(cue)
        have = {variant_key(v) for kind in KINDS for v in values[kind]}
        for run, cues in runs.items():
            words, start = run.split(), 0
            while start < len(words):
                size = len(words) - start
                while size and not self.known(words, start, size, "first" in cues):
                    size -= 1
                if not size:
                    found = self.unknown(run, cues)
                    if start == 0 and found and variant_key(run) not in have:
                        values[found].append(run)
                        have.add(variant_key(run))
                        break
                    start += 1
                    continue
                text = " ".join(words[start : start + size])
                key = variant_key(text)
                target = self.spread[key]
                if key in self.teams:
                    club = "club" in cues or key in sports
                    target = "organisations" if club else self.teams[key]
                if start == 0 and cues & PLACE_CUES and self.place("", key):
                    target = "places"
                if key not in have:
                    values[target].append(text)
                    have.add(key)
                start += size

    def place(self, kind: str, key: str) -> bool:
        """Is the name a place somewhere: spaCy's kind here, a team named after a place, or a
        place in the articles that tag it? ("at Seattle" names the city, not the team.)"""
        return kind == "places" or key in self.teams or self.spread.get(key) == "places"

    def unknown(self, run: str, cues: set[str]) -> str | None:
        """The kind of a run no article tags: a side of a result line is a team ("Alloa 2
        Clyde 1"); two or three words opening with a given name of the corpus are a person
        ("Pete Sampras ( U.S. ) beat ...")."""
        if cues & PLACE_CUES:
            # a dateline, or "at" before a name no article tags ("At Headingley ( Leeds )")
            body = set(variant_key(run).split()) & BODY_WORDS  # "at the Greater Milwaukee Open"
            return "places" if team_like(run) and not body else None
        if "result" in cues:
            return "organisations" if team_like(run) else None
        words = variant_key(run).split()
        if len(words) > 3 or not all(w.isalpha() and w not in STOP_WORDS for w in words[1:]):
            return None
        initial = len(run.split()[0]) == 2 and run[1] == "."  # "W. Athey"
        person = initial or words[0] in self.given or "nation" in cues
        return "people" if person and len(words) >= 2 and not set(words) & BODY_WORDS else None

    def known(self, words: list[str], start: int, size: int, first: bool) -> bool:
        # a capitalised word opening a sentence may be any word; a place in capitals opening a
        # line is a dateline ("BELGRADE 1996-08-30")
        key = variant_key(" ".join(words[start : start + size]))
        dateline = words[0].isupper() and self.spread.get(key) == "places"
        if size == 1 and start == 0 and first and not dateline:
            return False
        return key in self.spread


PLACE_CUES = frozenset(("venue", "dateline"))


def team_like(run: str) -> bool:
    """Could this run beside the numbers of a result line be a team ("Alloa", "East Fife"),
    rather than a date or a word of the table ("June 12", "First 2")?"""
    key = variant_key(run)
    return len(key.split()) <= 3 and key.split()[0] not in MONTHS_AND_DAYS | ORDINALS | STOP_WORDS


SPREAD_ARTICLES = 2  # a name is looked for in untagged text once this many articles tag it


def spreadable(counts: Counter[tuple[str, str]], untagged: Counter[str]) -> dict[str, str]:
    """Key -> kind of the names tagged in SPREAD_ARTICLES articles or more, in one kind only,
    and in at least as many articles as leave them untagged (`untagged`: articles by the key of
    a run or part of one): a word spaCy mostly leaves alone is mostly no name ("World",
    "Christmas"). People need two words or more: a lone first name or surname is too often
    another word."""
    kinds: dict[str, set[str]] = defaultdict(set)
    tagged: Counter[str] = Counter()
    for (kind, key), count in counts.items():
        tagged[key] += count
        if count >= SPREAD_ARTICLES:
            kinds[key].add(kind)
    spread = {}
    for key, found in kinds.items():
        words = key.split()
        if len(found) != 1 or len(key) < 3 or key in MONTHS_AND_DAYS or key in STOP_WORDS:
            continue
        if untagged[key] > tagged[key]:
            continue
        kind = next(iter(found))
        if kind != "people" or len(words) >= 2:
            spread[key] = kind
    return spread


def untagged(per_article: list[ArticleEntities]) -> Counter[str]:
    """Articles by the key of each untagged capitalised run and of each part of one."""
    found: Counter[str] = Counter()
    for entities in per_article:
        keys: set[str] = set()
        for kind, value, cue in entities.cues:
            if not kind and cue == "run":
                words = variant_key(value).split()
                keys.update(
                    " ".join(words[start:end])
                    for start in range(len(words))
                    for end in range(start + 1, len(words) + 1)
                )
        found.update(keys)
    return found
