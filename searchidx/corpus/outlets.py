"""One outlet, one value: spellings of an outlet's name folded into the name shown.

Pages and feeds name their outlet in many ways: "AP NEWS" and "AP News" (Associated Press),
"dw.com", "DW.COM" and "Deutsche Welle (www.dw.com)", "MDR" and "mdr.de", "朝日新聞デジタル" for
The Asahi Shimbun. Every spelling gets a key (lowercase, accents, `www.` and the domain's suffix
off, letters and digits only). The known-outlets table (data/outlets.json, shipped with the
package, written from general knowledge of news outlets) lists names, spellings and web domains:
a spelling whose key the table knows gives the table's name; a page that names its outlet in
another script than Latin (朝日新聞デジタル), or not at all, is the outlet whose domain its address
is on. Otherwise the
name is kept, tidied: a bare domain in lowercase, an "(www.domain)" after a name dropped, and a
name whose initials are its site's address ("Neue Example Zeitung" on nez.example) shown with
them, "Neue Example Zeitung (NEZ)": the short name the outlet goes by on the web.

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
from urllib.parse import urlsplit

from searchidx.errors import SearchIdxError
from searchidx.models import ReadResult

_DOMAIN = re.compile(r"^(?:www\.)?([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*)\.([a-z]{2,24})$", re.I)
_PAREN_DOMAIN = re.compile(r"\s*\((?:https?://)?(?:www\.)?[\w.-]+\.[a-z]{2,24}/?\)\s*$", re.I)
_RULE_HEAD = re.compile(r"^\s*outlets?\s*:(.*)$", re.I)
# a letter of another script than Latin (kana, hangul, Cyrillic, Arabic, ...)
OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
# "co" in example.co.uk: the site is the label before it
SECOND_LEVEL = frozenset(("co", "com", "org", "net", "gov", "ac", "ne", "or"))
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})


def outlet_key(name: str) -> str:
    """The key spellings of one outlet share: "DW.COM", "dw.com" and "www.dw.com" give "dw"."""
    text = name.strip().lower().translate(_TRANSLIT)
    text = re.sub(r"^https?://", "", text).rstrip("/")
    domain = _DOMAIN.match(text)
    if domain:
        text = domain.group(1)
        text = re.sub(r"\.(?:co|com|org|net)$", "", text)  # news.co.uk -> news
    return re.sub(r"[\W_]+", "", plain(text))


@dataclass(frozen=True)
class KnownOutlet:
    """One row of the shipped table: the name shown, other spellings, web domains."""

    name: str
    also: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def outlet_table() -> tuple[KnownOutlet, ...]:
    """The shipped known-outlets table (data/outlets.json)."""
    table = json.loads(
        resources.files("searchidx.corpus").joinpath("data/outlets.json").read_text("utf-8")
    )
    return tuple(
        KnownOutlet(row["name"], tuple(row.get("also", ())), tuple(row.get("domains", ())))
        for row in table["outlets"]
    )


@lru_cache(maxsize=1)
def known_outlets() -> dict[str, str]:
    """key -> the name shown, from the shipped table (every spelling and domain, and the name).
    A key two outlets share ("dn": dn.se, dn.no) names neither: their domains still do."""
    found: dict[str, str] = {}
    shared: set[str] = set()
    for row in outlet_table():
        names = {outlet_key(spelling) for spelling in (row.name, *row.also)}
        # a two-letter domain ("wp.pl") is an address, not a name: "WP" stays unfolded
        sites = {outlet_key(domain) for domain in row.domains} - names
        for key in names | {key for key in sites if len(key) > 2}:
            if found.setdefault(key, row.name) != row.name:
                shared.add(key)
    return {key: name for key, name in found.items() if key not in shared}


@lru_cache(maxsize=1)
def _table_spellings() -> dict[str, tuple[str, ...]]:
    """The name shown -> its other names and web domains, from the shipped table."""
    found: dict[str, tuple[str, ...]] = {}
    for row in outlet_table():
        found[row.name] = (*found.get(row.name, ()), *row.also, *row.domains)
    return found


@lru_cache(maxsize=1)
def known_domains() -> dict[str, str]:
    """web domain (lowercase, without www.) -> the name shown, from the shipped table."""
    return {domain.lower(): row.name for row in outlet_table() for domain in row.domains}


def _host(url: str | None) -> str:
    if not url or not url.strip():
        return ""
    try:
        host = urlsplit(url.strip() if "//" in url else f"//{url.strip()}").hostname or ""
    except ValueError:  # an address from a page is untrusted: "http://[::1" is no host
        return ""
    return re.sub(r"^www\d?\.", "", host.lower().rstrip("."))


def outlet_at(url: str | None) -> str | None:
    """The known outlet whose site `url` is on (a subdomain counts: sport.example.de is on
    example.de), or None."""
    return _outlet_on(_host(url))


def _outlet_on(host: str) -> str | None:
    labels = host.split(".")
    domains = known_domains()
    for start in range(max(len(labels) - 1, 0)):
        name = domains.get(".".join(labels[start:]))
        if name:
            return name
    return None


def _initials(name: str, label: str) -> str | None:
    """The site's address `label` when it is the initials of `name` ("Neue Zürcher Zeitung" on
    nzz.ch): the short name the outlet goes by on the web, in capitals."""
    words = re.findall(r"[^\W\d_]+", plain(name.lower().translate(_TRANSLIT)))
    if len(words) < 2 or not label:
        return None
    if 2 <= len(label) <= 5 and label.isalpha() and label == "".join(w[0] for w in words):
        return label.upper()
    return None


def _site_label(host: str) -> str:
    """The main label of a site's host: sport.example.co.uk -> "example"."""
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return ""
    return labels[-3] if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else labels[-2]


def plain(text: str) -> str:
    """`text` without its accents: "Zürich" -> "Zurich"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class OutletRulesError(SearchIdxError):
    """An outlet line of the user's alias file cannot be read."""


@dataclass(frozen=True)
class OutletRules:
    """The user's outlet rules: spelling key -> the name shown, ahead of the shipped table
    (a split is a name of its own: its key -> itself)."""

    names: dict[str, str] = field(default_factory=dict)
    # the name shown -> the spellings its rule writes, for `searchidx entities --aliases`
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
    written: dict[str, tuple[str, ...]] = {}
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
        written[spellings[0]] = (*written.get(spellings[0], ()), *spellings[1:])
    return OutletRules(names, written)


def outlet_variants(name: str, rules: OutletRules | None = None) -> list[str]:
    """The spellings folded into the outlet shown as `name`: its user rule's, then (unless the
    user split the name off) the shipped table's other names and web domains."""
    found = list(rules.written.get(name, ())) if rules else []
    split = rules is not None and rules.names.get(outlet_key(name)) == name and not found
    if not split:
        found.extend(_table_spellings().get(name, ()))
    return list(dict.fromkeys(spelling for spelling in found if spelling != name))


def fold_outlet(
    name: str | None, rules: OutletRules | None = None, url: str | None = None
) -> str | None:
    """The name shown for an outlet spelt `name` (None stays None unless `url` is on a known
    outlet's site): the user's rules' name, else the shipped table's name for the spelling,
    else, for a page naming no outlet or one in another script, the known outlet whose site
    the address `url` is on, else the spelling tidied (with the short name its address gives: "Neue
    Example Zeitung (NEZ)" on nez.example)."""
    shown = _PAREN_DOMAIN.sub("", name.strip()) or name.strip() if name else ""
    # The address names the outlet only when the page does not, or in another script than
    # Latin: a syndicated page's address is often its first publisher's.
    # (a name that is only the address's label, "aa" on aa.com.tr, says no more than it)
    host = _host(url)
    label = _site_label(host)
    shown_key = outlet_key(shown)
    unnamed = not shown or shown_key == outlet_key(label)
    at = _outlet_on(host) if unnamed or OTHER_SCRIPT.search(shown) else None
    if not shown and not at:
        return None
    keys = [shown_key, outlet_key(name or ""), outlet_key(at or "")]
    mine = next((rules.names[key] for key in keys if key in rules.names), None) if rules else None
    if mine:
        return mine
    known = known_outlets().get(shown_key) or at
    if known:
        return known
    if _DOMAIN.match(shown):  # a bare web address: one spelling, lowercase, without www.
        return re.sub(r"^www\.", "", shown.lower())
    short = _initials(shown, label)
    return f"{shown} ({short})" if short else shown


def fold_outlets(result: ReadResult, rules: OutletRules | None = None) -> ReadResult:
    """The articles of one file with their outlets folded (see `fold_outlet`)."""
    folded = [fold_outlet(a.outlet, rules, a.url) for a in result.articles]
    if all(new == a.outlet for new, a in zip(folded, result.articles, strict=True)):
        return result
    articles = tuple(replace(a, outlet=new) for new, a in zip(folded, result.articles, strict=True))
    return ReadResult(articles, result.problems)
