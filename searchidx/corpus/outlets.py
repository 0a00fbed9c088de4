"""One outlet, one value: spellings of an outlet's name folded into the name shown.

Pages and feeds name their outlet in many ways: "AP NEWS" and "AP News" (Associated Press),
"dw.com", "DW.COM" and "Deutsche Welle (www.dw.com)", "MDR" and "mdr.de". Every spelling gets a
key (lowercase, accents, `www.` and the domain's suffix off, letters and digits only); a key
found in the known-outlets table (data/outlets.json, shipped with the package) gives the table's
name; otherwise the name is kept, tidied: a bare domain in lowercase, an "(www.domain)" after a
name dropped.

The user's alias file (the entity alias file, docs/entities.md) may hold outlet rules, which
come first: `outlets: Name = spelling = spelling` merges spellings into one name,
`outlets: ! Name` splits a name off: its spellings (same key) are that outlet, shown as written
there, and the shipped table does not fold them into another ("AP News" apart from "Associated
Press").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from searchidx.errors import SearchIdxError
from searchidx.models import ReadResult

_DOMAIN = re.compile(r"^(?:www\.)?([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*)\.([a-z]{2,24})$", re.I)
_PAREN_DOMAIN = re.compile(r"\s*\((?:https?://)?(?:www\.)?[\w.-]+\.[a-z]{2,24}/?\)\s*$", re.I)
_RULE_HEAD = re.compile(r"^\s*outlets?\s*:(.*)$", re.I)
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})


def outlet_key(name: str) -> str:
    """The key spellings of one outlet share: "DW.COM", "dw.com" and "www.dw.com" give "dw"."""
    text = name.strip().lower().translate(_TRANSLIT)
    text = re.sub(r"^https?://", "", text).rstrip("/")
    domain = _DOMAIN.match(text)
    if domain:
        text = domain.group(1)
        text = re.sub(r"\.(?:co|com|org|net)$", "", text)  # news.co.uk -> news
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "", plain)


@lru_cache(maxsize=1)
def known_outlets() -> dict[str, str]:
    """key -> the name shown, from the shipped table (every spelling listed, and the name)."""
    table = json.loads(
        resources.files("searchidx.corpus").joinpath("data/outlets.json").read_text("utf-8")
    )
    found: dict[str, str] = {}
    for name, spellings in table.items():
        if name.startswith("_"):
            continue
        for spelling in (name, *spellings):
            found.setdefault(outlet_key(spelling), name)
    return found


class OutletRulesError(SearchIdxError):
    """An outlet line of the user's alias file cannot be read."""


@dataclass(frozen=True)
class OutletRules:
    """The user's outlet rules: spelling key -> the name shown, ahead of the shipped table
    (a split is a name of its own: its key -> itself)."""

    names: dict[str, str] = field(default_factory=dict)


def outlet_lines(text: str) -> str:
    """The outlet rules of an alias file's text, one a line, comments and other kinds left out:
    what the readers are given, and what a rebuild compares to see whether they changed."""
    found = []
    for line in text.splitlines():
        rule = _RULE_HEAD.match(line.split("#", 1)[0])
        if rule and rule.group(1).strip():
            found.append("outlets: " + " ".join(rule.group(1).split()))
    return "\n".join(found)


@lru_cache(maxsize=8)
def parse_outlet_rules(lines: str, source: str = "alias file") -> OutletRules:
    """`outlet_lines` as rules; OutletRulesError names the line that cannot be read."""
    names: dict[str, str] = {}
    for number, line in enumerate(lines.splitlines(), start=1):
        rest = line.split(":", 1)[1].strip()
        if rest.startswith("!"):
            if not outlet_key(rest[1:]):
                raise OutletRulesError(f"{source}: outlet rule {number}: a name is missing after !")
            names[outlet_key(rest[1:])] = rest[1:].strip()
            continue
        spellings = [part.strip() for part in rest.split("=")]
        if len(spellings) < 2 or not all(outlet_key(name) for name in spellings):
            raise OutletRulesError(
                f"{source}: outlet rule {number} ({line!r}): write "
                "`outlets: Name = spelling = spelling` or `outlets: ! spelling`"
            )
        for name in spellings:
            names[outlet_key(name)] = spellings[0]
    return OutletRules(names)


def fold_outlet(name: str | None, rules: OutletRules | None = None) -> str | None:
    """The name shown for an outlet spelt `name` (None stays None): the user's rules' name, else
    the shipped table's, else the spelling tidied."""
    if not name or not name.strip():
        return None
    shown = _PAREN_DOMAIN.sub("", name.strip()) or name.strip()
    key = outlet_key(shown)
    mine = rules.names.get(key) or rules.names.get(outlet_key(name)) if rules else None
    if mine:
        return mine
    known = known_outlets().get(key)
    if known:
        return known
    if _DOMAIN.match(shown):  # a bare web address: one spelling, lowercase, without www.
        return re.sub(r"^www\.", "", shown.lower())
    return shown


def fold_outlets(result: ReadResult, rules: OutletRules | None = None) -> ReadResult:
    """The articles of one file with their outlets folded (see `fold_outlet`)."""
    if all(fold_outlet(a.outlet, rules) == a.outlet for a in result.articles):
        return result
    articles = tuple(replace(a, outlet=fold_outlet(a.outlet, rules)) for a in result.articles)
    return ReadResult(articles, result.problems)
