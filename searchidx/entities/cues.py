"""Context cues of one mention, read off the spaCy doc: evidence for the corpus-level decisions.

A cue is recorded per article as (kind, value, cue) and summed over the corpus by
`searchidx.entities.decide`:

- `club`: the mention sits in a sports result ("Liverpool beat Arsenal", "drew with Wales",
  "Leeds 2 Hull 1", "3-1"): a team, an organisation, whatever spaCy's label;
- `person`: a courtesy title stands right before it ("Mr Blair", "Ms Jowell");
- `title`: every mention of the value in this article is in the headline (headline case says
  nothing about whether words are a name: "Latest Propaganda Video Shows");
- `most`: spaCy put the name in several kinds in this article, this one for most mentions;
- `nation`: a country follows in brackets, as results lists name athletes ("Guy Forget
  ( France )");
- `venue`: "at" stands right before it ("Baltimore at Seattle", "at Headingley"): a place;
- `dateline`: in capitals, opening a line, followed by a date ("BELGRADE 1996-08-30");
- `work`: the words around it name a work, product or award rather than a person, body or
  place: "the film Vera Drake", "Oscar-winning", "the Xbox console", "Lord of the Rings
  trilogy", "band Franz Ferdinand", "Harry Potter author", "an Oscar." (`works.py` sums them
  with the names spaCy labels PRODUCT, WORK_OF_ART, EVENT or LAW).

Runs of capitalised words that spaCy tagged as nothing are recorded too, with kind `""` and
cue `run` (`first` when the run opens a line or sentence, `result` when numbers around it make
it a side of a result line or a table row, plus its `club`/`person` cues): the
corpus decisions give such a run a kind when it is a name other articles tag ("Lancashire
197-8" in a results table, where the small model sees no entity at all).
"""

from __future__ import annotations

import re
from typing import Any

from searchidx.entities.clean import variant_key
from searchidx.entities.words import country_keys


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


SPORT_WORDS = _set(
    """beat beaten beating drew draw draws drawn defeated defeat thrashed edged hammered
    v vs vs. trounced routed stunned outclassed"""
)
# "analyst at UBS", "professor at Oxford University": "at" before an employer, not a venue
JOBS = _set(
    """analyst analysts economist economists strategist professor lecturer researcher researchers
    scientist scientists director head chief executive manager partner dealer dealers trader
    traders consultant fellow student students spokesman spokeswoman official officials worker
    workers staff employee employees boss chairman expert experts editor engineer engineers"""
)
HONORIFICS = _set("mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady")
_SCORE = re.compile(r"^\d{1,2}(-\d{1,2})?$")
WINDOW = 3  # tokens looked at on each side of a mention


def _is_score(text: str) -> bool:
    return bool(_SCORE.match(text))


def _score_follows(doc: Any, end: int) -> bool:
    """A result or a table row after the name: "2-1", "2 Arsenal", "10 6 2 2"."""
    if end >= len(doc) or not _is_score(doc[end].text):
        return False
    if "-" in doc[end].text:
        return True
    following = doc[end + 1] if end + 1 < len(doc) else None
    return following is not None and (following.is_title or _is_score(following.text))


def _score_precedes(doc: Any, start: int) -> bool:
    """The second side of a result line: "Minnesota 6 Milwaukee", "Norwich 1 Wolverhampton"."""
    if start < 2 or not _is_score(doc[start - 1].text) or "-" in doc[start - 1].text:
        return False
    return bool(doc[start - 2].is_title or doc[start - 2].is_upper)


def _in_result_line(doc: Any, start: int, end: int) -> bool:
    """A team's place in a result or a table row, by the numbers alone: "Alloa 2 Clyde 1",
    "MILWAUKEE 64 71 .474" (not a score such as "6-3" or "4-37": players and bowlers have them)."""
    if end < len(doc) and "-" in doc[end].text:
        return False
    return _score_follows(doc, end) or _score_precedes(doc, start)


def mention_cues(doc: Any, ent: Any) -> set[str]:
    """The `club` and `person` cues of one entity span `ent` of `doc` (see the module docstring)."""
    cues: set[str] = set()
    before = doc[max(0, ent.start - WINDOW) : ent.start]
    after = doc[ent.end : ent.end + WINDOW]
    words = {t.lower_ for t in before} | {t.lower_ for t in after}
    if words & SPORT_WORDS or _score_follows(doc, ent.end) or _score_precedes(doc, ent.start):
        cues.add("club")
    if len(before) and before[-1].lower_ in HONORIFICS:
        cues.add("person")
    if _nation_follows(doc, ent.end):
        cues.add("nation")
    if (
        len(before)
        and before[-1].lower_ == "at"
        and not (len(before) > 1 and before[-2].lower_ in JOBS)
    ):
        cues.add("venue")
    if _dateline(doc, ent.start, ent.end):
        cues.add("dateline")
    if _work_around(doc, ent.start, ent.end):
        cues.add("work")
    return cues


# Nouns right before a name that make it a work ("the film Vera Drake", "the band Oasis")
WORK_BEFORE = _set("film movie novel album sitcom documentary musical drama trilogy band")
# ... right after it ("the Xbox console", "Harry Potter author JK Rowling", "Oscar nominations")
WORK_AFTER = _set(
    """trilogy franchise sequel prequel console consoles handset handsets nomination
    nominations nominee nominees statuette frontman frontwoman guitarist drummer bassist author"""
)
WORK_AFTER_TWO = frozenset(("games console", "operating system", "music player", "media player"))
# ... after a hyphen: "Oscar-winning", "Grammy-nominated"
WORK_HYPHENATED = _set("winning winner winners nominated nominee nominees")
# Owned like a thing, and not a modifier of the next word: "his Oscar.", "an iPod and"
OWNERS = _set("his her its their my your our an")
_FUNCTION = _set("and or but of in on at to for with from by as than is was are were has had")


def _untagged_title(token: Any) -> bool:
    return token.is_title and not token.ent_type_


def _in_title(doc: Any, start: int, end: int) -> bool:
    """The name is part of a longer title spaCy cut: "Lord of the Rings" (a capitalised word no
    entity holds, then "of the"), "Harry Potter and the Goblet of Fire" ("and the", then one)."""
    if start >= 3 and doc[start - 2 : start].text == "of the":
        return _untagged_title(doc[start - 3])
    if end + 2 < len(doc) and doc[end : end + 2].text == "and the":
        return _untagged_title(doc[end + 2])
    return False


def _work_around(doc: Any, start: int, end: int) -> bool:
    """Words around doc[start:end] that name it a work, product or award (cue `work`)."""
    previous = doc[start - 1].lower_ if start else ""
    following = doc[end] if end < len(doc) else None
    if previous in WORK_BEFORE or (following is not None and following.lower_ in WORK_AFTER):
        return True
    if doc[end : end + 2].text.lower() in WORK_AFTER_TWO or _in_title(doc, start, end):
        return True
    if following is not None and following.text == "-" and end + 1 < len(doc):
        return doc[end + 1].lower_ in WORK_HYPHENATED
    head = following is None or not following.is_alpha or following.lower_ in _FUNCTION
    if previous in OWNERS and head:
        return True
    # a body's thing: "Microsoft's Xbox", "Apple's iPod" (not "Chelsea's Frank Lampard"; one
    # word: "the Bank of England's Monetary Policy Committee" is a body of a body)
    return (
        previous == "'s"
        and end - start == 1
        and start >= 2
        and doc[start - 2].ent_type_ == "ORG"
        and doc[start].ent_type_ == "ORG"
    )


_DATE = re.compile(r"^\d{4}-\d\d-\d\d")


def _dateline(doc: Any, start: int, end: int) -> bool:
    """A name in capitals opening a line and followed by a date: a news wire's dateline
    ("BELGRADE 1996-08-30", "NEW YORK, March 3 -")."""
    opens = start == 0 or "\n" in doc[start - 1].text or "\n" in doc[start - 1].whitespace_
    if not opens or not all(token.is_upper for token in doc[start:end]) or end >= len(doc):
        return False
    if _DATE.match(doc.text[doc[end].idx : doc[end].idx + 10]):
        return True
    month = doc[end + 1] if end + 1 < len(doc) else None
    return doc[end].text == "," and month is not None and month.lower_[:3] in _MONTHS


_MONTHS = frozenset(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)


def _nation_follows(doc: Any, end: int) -> bool:
    """A country in brackets after the name, as results lists write athletes: "Guy Forget
    ( France )", "Pete Sampras (U.S.)"."""
    if end >= len(doc) or doc[end].text != "(":
        return False
    inside: list[str] = []
    for token in doc[end + 1 : end + 5]:
        if token.text == ")":
            text = " ".join(inside)
            code = text.replace(".", "")
            return variant_key(text) in country_keys() or (code.isupper() and len(code) <= 3)
        inside.append(token.text)
    return False


_INITIAL = re.compile(r"^[A-Z]\.$")  # "W. Athey": initials belong to the run
MAX_RUNS = 200  # capitalised runs recorded per article
RUN_WORDS = 4  # the longest run recorded; longer ones are cut into runs of this length
_OPENERS = frozenset(".!?:;\"'(-")


def name_runs(doc: Any, taken: set[int]) -> list[tuple[str, str, str]]:
    """("", run, cue) for each run of capitalised words outside the token indices `taken`."""
    found: list[tuple[str, str, str]] = []
    run: list[Any] = []

    def close() -> None:
        for start in range(0, len(run), RUN_WORDS):
            part = run[start : start + RUN_WORDS]
            first, last = part[0].i, part[-1].i + 1
            text = " ".join(token.text for token in part)
            found.append(("", text, "run"))
            previous = doc[first - 1] if first else None
            if previous is None or previous.is_space or previous.text in _OPENERS:
                found.append(("", text, "first"))
            found.extend(("", text, cue) for cue in mention_cues(doc, doc[first:last]))
            if _in_result_line(doc, first, last):
                found.append(("", text, "result"))
        run.clear()

    for token in doc:
        if len(found) >= 3 * MAX_RUNS:
            break
        if (
            token.i not in taken
            and token.lower_ not in ("at", "v", "vs")
            and ((token.is_alpha and token.text[:1].isupper()) or _INITIAL.match(token.text))
        ):
            run.append(token)
        elif run:
            close()
    if run:
        close()
    return found
