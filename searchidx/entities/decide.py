"""Corpus-level decisions on top of spaCy: one kind per name, junk out, lone names joined.

Built from every article's values and context cues (`entities/cues.py`) before the alias table
groups variants, so the table records the outcome:

- **kind**: each name (variant key) gets the one kind most of its mentions vote for. A mention
  votes for the kind spaCy gave it, except that a sports result around it (`club` cue) votes
  organisation, a courtesy title before it (`person` cue) votes person, and a legal form in the
  name ("Ltd", "Inc", "plc") makes it an organisation. Country names (pycountry, plus the nations
  of the United Kingdom) are places whatever the votes: national teams are named after them.
  An article that has a name in several kinds votes for the kind of most of its mentions.
  A player's full name in a result stays a person. An "organisation" named right after "at"
  in half of its articles (2 at least; not after a job: "analyst at UBS") and holding no body
  word is a venue, a place ("at Twickenham"). A place named mostly as a place but also
  as a team ("Atlanta 5 Pittsburgh 1") is a team only in the articles where a result surrounds it.
- **junk**: values that are no name: time zones, bare legal forms, units, a few generic words,
  "A and B Ministries" (two bodies in one span), and names of three words or more seen only in
  headlines (headline case capitalises every word). `searchidx entities --dropped` lists them
  with their reason; `kind: + Name` in the alias file keeps one. Works, products, awards and
  events ("Oscar", "iPod") are junk too (`entities/works.py`).
- **names spaCy missed**: a name that two articles or more tag in one kind only is looked for
  in the runs of capitalised words spaCy left untagged (`entities/cues.py`), so a results
  table's "Lancashire 197-8" or a dateline's "BELGRADE" get their kind; a run's first word is
  skipped when it opens a sentence (unless it is a place in capitals: a dateline), and people
  need two words.
- **lone names**: a one-word person name (a surname or first name) joins the full name whose
  first or last word it is, when that full name is named by at least `DOMINANCE` times the
  articles of any other full name it could stand for (Blair -> Tony Blair beside Cherie Blair);
  otherwise it is left alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from searchidx.entities.clean import STOP_WORDS, variant_key
from searchidx.entities.overrides import Overrides
from searchidx.entities.record import KINDS, ArticleEntities
from searchidx.entities.runs import PLACE_CUES, RunNames, spreadable, untagged
from searchidx.entities.words import (
    BODY_WORDS,
    LEGAL_FORMS,
    TEAM_WORDS,
    country_keys,
    junk_reason,
)
from searchidx.entities.works import REASON as WORK_REASON
from searchidx.entities.works import work_names

DOMINANCE = 3  # a lone name joins a full name named by 3x the articles of any competitor
HEADLINE_WORDS = 3  # names this long seen only in headlines are taken for headline fragments


@dataclass
class Decisions:
    """kind: variant key -> the kind it belongs to; junk: kind -> variant key -> reason;
    joins: lone person name key -> the full name it stands for (merged by the alias table)."""

    kind: dict[str, str] = field(default_factory=dict)
    junk: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in KINDS})
    joins: dict[str, str] = field(default_factory=dict)
    org_joins: dict[str, str] = field(default_factory=dict)  # "united" -> "Manchester United"
    # names of places that are also teams ("Leeds", "Atlanta"): key -> their kind outside sports
    # reports; in an article with a sports result they are organisations
    teams: dict[str, str] = field(default_factory=dict)
    # names other articles tag, by key -> kind: given to runs of capitalised words spaCy missed
    spread: dict[str, str] = field(default_factory=dict)
    # first words of GIVEN_NAME_PEOPLE people's names or more: given names of this corpus
    given: frozenset[str] = frozenset()
    # kind -> variant key -> (a form seen, articles naming it): what --dropped shows
    junk_seen: dict[str, dict[str, tuple[str, int]]] = field(
        default_factory=lambda: {k: {} for k in KINDS}
    )

    def apply(self, entities: ArticleEntities) -> ArticleEntities:
        """The article's values in their decided kind, junk left out, lone names joined."""
        values: dict[str, list[str]] = {kind: [] for kind in KINDS}
        sports = {variant_key(value) for _, value, cue in entities.cues if cue == "club"}
        where = {(kind, value): cue for kind, value, cue in entities.cues if cue in PLACE_CUES}
        for kind in KINDS:
            for value in entities.values(kind):
                key = variant_key(value)
                if key in self.teams:
                    target = "organisations" if key in sports else self.teams[key]
                else:
                    target = self.kind.get(key, kind)
                cue = where.get((kind, value))
                if cue == "dateline":
                    target = "places"
                venue = cue and RunNames(self.spread, self.teams, self.given).place(kind, key)
                for into in {target} | ({"places"} if venue else set()):
                    if key not in self.junk[into] and value not in values[into]:
                        values[into].append(value)
        RunNames(self.spread, self.teams, self.given).add(entities, values, sports)
        return ArticleEntities(
            people=tuple(values["people"]),
            organisations=tuple(values["organisations"]),
            places=tuple(values["places"]),
            language=entities.language,
            acronyms=entities.acronyms,
            cues=entities.cues,
        )


def _votes(
    per_article: list[ArticleEntities], bare: dict[str, Counter[str]] | None = None
) -> dict[str, Counter[str]]:
    """Variant key -> articles voting for each kind; `bare` gets the votes of the articles
    where no sports result surrounds the name."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for entities in per_article:
        cues: dict[tuple[str, str], set[str]] = defaultdict(set)
        for kind, value, cue in entities.cues:
            cues[(kind, value)].add(cue)
        seen: dict[str, str] = {}
        clubs: set[str] = set()
        # a name in several kinds in one article votes for the kind of most of its mentions
        ordered = sorted(
            ((kind, value) for kind in KINDS for value in entities.values(kind)),
            key=lambda item: "most" not in cues.get(item, set()),
        )
        for kind, value in ordered:
            found = cues.get((kind, value), set())
            # players are named in results too ("Sampras beat Agassi"): a sports result makes
            # a team of a place or a one-word "person", not of a person's full name
            club = "club" in found and (kind != "people" or len(value.split()) == 1)
            key = variant_key(value)
            vote = "organisations" if club else kind
            vote = "people" if "person" in found else vote
            # one vote per article and name; a cue-backed vote wins over a bare one
            if key not in seen or found & {"club", "person"}:
                seen[key] = vote
            if bare is not None and club:
                clubs.add(key)
        for key, vote in seen.items():
            votes[key][vote] += 1
            if bare is not None and key not in clubs:
                bare[key][vote] += 1
    return votes


def _headline_only(per_article: list[ArticleEntities]) -> dict[str, set[str]]:
    """kind -> values of HEADLINE_WORDS words or more that no article names outside a headline."""
    total: Counter[tuple[str, str]] = Counter()
    titled: Counter[tuple[str, str]] = Counter()
    for entities in per_article:
        for kind in KINDS:
            for value in entities.values(kind):
                if len(value.split()) >= HEADLINE_WORDS:
                    total[(kind, value)] += 1
        for kind, value, cue in entities.cues:
            if cue == "title" and len(value.split()) >= HEADLINE_WORDS:
                titled[(kind, value)] += 1
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for (kind, value), count in total.items():
        if titled[(kind, value)] >= count:
            found[kind].add(variant_key(value))
    return found


def _lone_joins(counts: Counter[str]) -> dict[str, str]:
    """Lone person name key -> the dominant full name whose first or last word it is."""
    by_word: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        words = variant_key(name).split()
        if len(words) >= 2:
            for word in {words[0], words[-1]}:
                by_word[word].append(name)
    joins: dict[str, str] = {}
    for name in counts:
        key = variant_key(name)
        if len(key.split()) != 1 or key not in by_word:
            continue
        # "George Bush" inside "George W Bush" is a variant of it, not a competitor: names nested
        # in a longer candidate count for it
        family: Counter[str] = Counter()
        for candidate in by_word[key]:
            longer = [n for n in by_word[key] if _within(variant_key(candidate), variant_key(n))]
            family[max(longer, key=lambda n: (counts[n], len(n.split()), n))] += counts[candidate]
        ranked = sorted(family, key=lambda n: (-family[n], n))
        if len(ranked) == 1 or family[ranked[0]] >= DOMINANCE * family[ranked[1]]:
            joins[key] = ranked[0]
    return joins


def _top(votes: Counter[str]) -> str:
    return min(votes, key=lambda k: (-votes[k], KINDS.index(k)))


def _within(short: str, long: str) -> bool:
    """`short`'s words appear in `long` in order (not necessarily next to each other)."""
    remaining = iter(long.split())
    return all(word in remaining for word in short.split())


GIVEN_NAME_PEOPLE = 3  # a first word shared by this many people's names is a given name


PLACE_INITIALS = frozenset(("us", "uk", "usa", "uae", "ussr", "la", "nyc", "dc"))


def _articles(all_votes: dict[str, Counter[str]], key: str) -> int:
    return sum(all_votes[key].values())


def _venue(venue_articles: int, votes: Counter[str]) -> bool:
    """A name right after "at" in half the articles that name it (2 at least) is a venue."""
    return venue_articles >= 2 and 2 * venue_articles >= sum(votes.values())


def _titled_and_acronyms(per_article: list[ArticleEntities]) -> tuple[Counter[str], set[str]]:
    """Articles naming each key with a courtesy title before it ("Mr Campbell"), and the keys
    only ever written as initials ("BT", "IBM")."""
    titled: Counter[str] = Counter()
    acronyms: set[str] = set()
    words: set[str] = set()  # written in lower case too: a word in capitals ("TEXAS")
    for entities in per_article:
        titled.update({variant_key(v) for _, v, cue in entities.cues if cue == "person"})
        for kind in KINDS:
            for value in entities.values(kind):
                initials = value.isalpha() and value.isupper() and 2 <= len(value) <= 4
                (acronyms if initials else words).add(variant_key(value))
    return titled, acronyms - words


def _given_name_people(all_votes: dict[str, Counter[str]], decisions: Decisions) -> None:
    """An "organisation" of two or three words that opens with a given name of the corpus
    (the first word of GIVEN_NAME_PEOPLE people's names or more) is a person: the small model
    calls many athletes in results lists organisations ("Guy Forget ( France )")."""

    def kind_of(key: str) -> str:
        return decisions.kind.get(key) or _top(all_votes[key])

    # a given name opens names with different second words: "Lib Dem Charles Kennedy" and "Lib
    # Dem Mark Oaten" make no given name of "Lib"
    seconds: dict[str, set[str]] = defaultdict(set)
    for key in all_votes:
        words = key.split()
        if len(words) >= 2 and kind_of(key) == "people":
            seconds[words[0]].add(words[1])
    bodies: Counter[str] = Counter(
        key.split()[0] for key in all_votes if len(key.split()) >= 2 and kind_of(key) != "people"
    )
    # ... and opens more people's names than names of places and bodies ("New York", "New Year")
    first_words = Counter(
        {word: len(after) for word, after in seconds.items() if len(after) > bodies[word]}
    )
    decisions.given = frozenset(
        word
        for word, count in first_words.items()
        if count >= GIVEN_NAME_PEOPLE and len(word) > 1 and word not in STOP_WORDS
    )
    for key, votes in all_votes.items():
        words = key.split()
        if (
            2 <= len(words) <= 3
            and all(word.isalpha() for word in words)
            and kind_of(key) == "organisations"
            and key not in decisions.teams
            and not votes["places"]
            and first_words[words[0]] >= GIVEN_NAME_PEOPLE
            and not set(words) & BODY_WORDS
        ):
            decisions.kind[key] = "people"


def decide(per_article: Iterable[ArticleEntities], overrides: Overrides) -> Decisions:
    """The corpus-level decisions over all articles; the alias file's rules win over them."""
    articles = list(per_article)
    decisions = Decisions()
    countries = country_keys()
    bare: dict[str, Counter[str]] = defaultdict(Counter)
    all_votes = _votes(articles, bare)
    known = set(all_votes)
    titled, acronyms = _titled_and_acronyms(articles)
    venues: Counter[str] = Counter()
    for entities in articles:
        venues.update({variant_key(v) for _, v, cue in entities.cues if cue == "venue"})
    for key, votes in all_votes.items():
        words = key.split()
        if key in countries:
            chosen = "places"
        elif titled[key] >= 2 and 4 * titled[key] >= sum(votes.values()):
            chosen = "people"  # "Mr Campbell": no place or body is called Mr
        elif len(words) >= 2 and words[-1] in LEGAL_FORMS | TEAM_WORDS:
            chosen = "organisations"
        elif key in acronyms and votes["organisations"] and key not in PLACE_INITIALS:
            chosen = "organisations"  # initials name bodies far more often than places ("BT")
        elif bare[key]["places"] and 2 * sum(bare[key].values()) >= sum(votes.values()) > sum(
            bare[key].values()
        ):
            # a place that is also a team: a team in sports reports, a place elsewhere
            outside = _top(bare[key])
            decisions.teams[key] = "places" if outside == "people" else outside
            continue
        elif (
            _top(votes) == "organisations"
            and _venue(venues[key], votes)
            and not set(words) & BODY_WORDS
        ):
            chosen = "places"  # a "body" named "at" X in half its articles is a venue: "at Lord's"
        else:
            chosen = _top(votes)
            others = sum(votes.values()) - votes["people"]
            # spaCy's small model calls many capitalised single words persons ("Glasgow"): a
            # one-word name a third of whose articles name it as a place or body is one
            if chosen == "people" and len(words) == 1 and 3 * others >= sum(votes.values()):
                chosen = max(("organisations", "places"), key=lambda k: votes[k])
        if len(votes) > 1 or chosen not in votes:
            decisions.kind[key] = chosen
    # a person's name has no plural: "Lib Dems" beside "Lib Dem" names a group; a family ("the
    # Reagans") is named far less often than its best-known member
    for key in [k for k, v in decisions.kind.items() if v == "people"] + [
        k for k, votes in all_votes.items() if k not in decisions.kind and "people" in votes
    ]:
        plural = _articles(all_votes, key)
        if key.endswith("s") and key[:-1] in known and 4 * plural >= _articles(all_votes, key[:-1]):
            decisions.kind[key] = decisions.kind[key[:-1]] = "organisations"
    _given_name_people(all_votes, decisions)
    for kind, keys in overrides.kinds.items():
        for key in keys:
            decisions.kind[key] = kind
            decisions.teams.pop(key, None)
    headline = _headline_only(articles)
    works = work_names(articles, {key: _articles(all_votes, key) for key in all_votes}, countries)
    for entities in articles:
        named: dict[tuple[str, str], str] = {}
        for kind in KINDS:
            for value in entities.values(kind):
                key = variant_key(value)
                target = decisions.kind.get(key, kind)
                reason = junk_reason(target, value)
                if reason is None and key in headline[kind]:
                    reason = "only in headlines"
                if reason is None and key in works:
                    reason = WORK_REASON
                if reason is not None and key not in overrides.keeps[target]:
                    decisions.junk[target][key] = reason
                    named.setdefault((target, key), value)
        for (target, key), value in named.items():
            form, count = decisions.junk_seen[target].get(key, (value, 0))
            decisions.junk_seen[target][key] = (form, count + 1)
    people: Counter[str] = Counter()
    for entities in articles:
        for value in decisions.apply(entities).people:
            people[value] += 1
    joins = _lone_joins(people)
    decisions.joins = {k: v for k, v in joins.items() if k not in overrides.splits["people"]}
    # a team word alone ("United") stands for the one team most articles name with it
    bodies: Counter[str] = Counter()
    for entities in articles:
        bodies.update(set(decisions.apply(entities).organisations))
    decisions.org_joins = {
        key: full
        for key, full in _lone_joins(bodies).items()
        if key in TEAM_WORDS and key not in overrides.splits["organisations"]
    }
    tagged: Counter[tuple[str, str]] = Counter()
    for entities in articles:
        applied = decisions.apply(entities)
        for kind in KINDS:
            tagged.update({(kind, variant_key(v)) for v in applied.values(kind)})
    drops = {(kind, key) for kind in KINDS for key in overrides.drops[kind]}
    decisions.spread = {
        key: kind
        for key, kind in spreadable(tagged, untagged(articles)).items()
        if (kind, key) not in drops
    }
    return decisions
