"""The outlet a page names: its declarations, the ends of its <title>, its copyright line."""

from __future__ import annotations

import re

from searchidx.corpus.outlets import OTHER_SCRIPT, outlet_key, plain

TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " / ", "｜", "ㅣ",
                     "：", " : ")  # fmt: skip
DOMAIN_NAME = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}$", re.I)
_SPACE = re.compile(r"\s+")
# "© 2024 The Example Shimbun Company. All rights reserved": the words after the mark and year
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|&#169;|ⓒ|\((?i:c)\)|\b(?i:copyright)\b)[\s:]*(?:(?:©|&copy;|ⓒ|\((?i:c)\))\s*)?"
    r"(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?[\s,]*)?"
    r"([A-Z][\w&'.-]*(?:[ \t]+[A-Z][\w&'.-]*){0,5})"
)
_COMPANY = re.compile(
    r"(?:[\s,]+(?:Company|Co\.?|Inc\.?|Ltd\.?|LLC|AG|GmbH|Corporation|Corp\.?|Group|All|"
    r"Holdings|Media|Digital)\b\.?)+$|[.,]+$"
)


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def name_matches(part: str, name: str) -> bool:
    return bool(part) and (part == name or (len(part) >= 3 and (part in name or name in part)))


def _clean(value: str) -> str:
    return _SPACE.sub(" ", value).strip()


def title_ends(page_title: str | None) -> list[str]:
    """The first and last parts of a <title> cut at a separator ("Headline | Site"), not web
    addresses: where pages put their site's name."""
    ends: list[str] = []
    for separator in TITLE_SEPARATORS:
        parts = [_clean(part) for part in (page_title or "").split(separator)]
        if len(parts) > 1:
            ends.extend(part for part in (parts[-1], parts[0]) if part and len(part) < 40)
    return [end for end in ends if not DOMAIN_NAME.match(end)]


def choose_outlet(
    names: list[str | None],
    app_name: str | None,
    host: str | None,
    title_names: list[str] | None = None,
) -> str | None:
    """The outlet's own name: og:site_name or the JSON-LD publisher, preferring one its web
    address confirms (og:site_name is sometimes a section, such as "Security" on heise.de);
    then a name around the <title> the address confirms (an English page whose publisher is
    declared in Chinese ends its title "- Taipei Times"); then the first declared name; then the
    web app's name; then the main label of the host."""
    declared = [_clean(name) for name in names if name and _clean(name)]
    declared = [name for name in declared if not name.startswith(("http://", "https://"))]
    label = squash(host or "")
    if label and len(label) >= 3:
        for name in declared + (title_names or []):
            if name_matches(squash(_fold(name)), label):
                return name
    if declared:
        return declared[0]
    if app_name and not app_name.startswith(("http://", "https://")) and len(app_name) < 40:
        return _clean(app_name)
    return host


def _fold(text: str) -> str:
    """Accents off, so 'Habertürk' is confirmed by haberturk.com."""
    return plain(text.replace("ı", "i"))


def copyright_names(html: str, limit: int = 10) -> list[str]:
    """Names in Latin letters after the page's copyright marks ("© 2024 The Example Shimbun
    Company." gives "The Example Shimbun"), in page order, without company words."""
    names: list[str] = []
    for found in _COPYRIGHT.finditer(html):
        name = _COMPANY.sub("", re.split(r"[.,;|](?:\s|$)", found.group(1))[0]).strip()
        if name and name not in names:
            names.append(name)
        if len(names) >= limit:
            break
    return names


def latin_name(
    outlet: str | None, host: str | None, html: str, handle: str | None = None
) -> str | None:
    """The outlet's name in Latin letters when the page `html` declares it in another script
    (朝日新聞デジタル, 日刊ゲンダイDIGITAL) and its address does not confirm that: the first of its
    copyright names the address confirms, else its social-media `handle` (twitter:site) when
    that is the address's name too, capitalised."""
    label = squash(host or "")
    if not outlet or not OTHER_SCRIPT.search(outlet) or len(label) < 3:
        return None
    if name_matches(squash(_fold(outlet)), label):  # "Example新聞" on example.jp
        return None
    for name in copyright_names(html):  # only here: a regex over the whole page costs ~8 ms
        bare = re.sub(r"^the\s+", "", name, flags=re.I)
        if name_matches(squash(_fold(bare)), label) and outlet_key(bare):
            return name
    # its social-media handle, when that is its web address too (@example on example.jp)
    if handle and squash(handle.lstrip("@")) == label and label.isalpha():
        return label.capitalize()
    return None
