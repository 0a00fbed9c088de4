"""One outlet, one value: spellings of an outlet's name folded into the name shown.

Pages and feeds name their outlet in many ways: "AP NEWS" and "AP News" (Associated Press),
"dw.com", "DW.COM" and "Deutsche Welle (www.dw.com)", "MDR" and "mdr.de". Every spelling gets a
key (lowercase, accents, `www.` and the domain's suffix off, letters and digits only); a key
found in the known-outlets table (data/outlets.json, shipped with the package) gives the table's
name; otherwise the name is kept, tidied: a bare domain in lowercase, an "(www.domain)" after a
name dropped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from searchidx.models import ReadResult

_DOMAIN = re.compile(r"^(?:www\.)?([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*)\.([a-z]{2,24})$", re.I)
_PAREN_DOMAIN = re.compile(r"\s*\((?:https?://)?(?:www\.)?[\w.-]+\.[a-z]{2,24}/?\)\s*$", re.I)
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


def fold_outlet(name: str | None) -> str | None:
    """The name shown for an outlet spelt `name` (None stays None)."""
    if not name or not name.strip():
        return None
    shown = _PAREN_DOMAIN.sub("", name.strip()) or name.strip()
    known = known_outlets().get(outlet_key(shown))
    if known:
        return known
    if _DOMAIN.match(shown):  # a bare web address: one spelling, lowercase, without www.
        return re.sub(r"^www\.", "", shown.lower())
    return shown


def fold_outlets(result: ReadResult) -> ReadResult:
    """The articles of one file with their outlets folded (see `fold_outlet`)."""
    if all(fold_outlet(a.outlet) == a.outlet for a in result.articles):
        return result
    articles = tuple(replace(a, outlet=fold_outlet(a.outlet)) for a in result.articles)
    return ReadResult(articles, result.problems)
