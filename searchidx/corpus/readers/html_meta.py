"""Article metadata from a page's own declarations: meta tags, JSON-LD, <time>, <h1>, <title>."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

# SoupStrainer lives in bs4.filter from 4.13 on; bs4 re-exports it, without saying so to mypy.
from bs4 import BeautifulSoup, SoupStrainer, Tag  # type: ignore[attr-defined]

from searchidx.corpus.outlets import SECOND_LEVEL, outlet_key
from searchidx.corpus.readers.html_dates import find_dateline, midnight, parse_date
from searchidx.corpus.readers.html_outlet import (
    DOMAIN_NAME,
    TITLE_SEPARATORS,
    choose_outlet,
    latin_name,
    name_matches,
    squash,
    title_ends,
)

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "blogposting", "liveblogposting",
    "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
    "socialmediaposting", "report", "scholarlyarticle", "techarticle", "askpublicnewsarticle",
}  # fmt: skip
DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "published_time", "article.published", "article:published",
    "parsely-pub-date", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "date.available", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dcterms.created", "dc.date.created", "sailthru.date", "date",
    "article_date_original", "original-publish-date", "cxenseparse:recs:publishtime",
    "ptime", "displaydate", "article.created", "og:pubdate", "creation_date",
)  # fmt: skip
AUTHOR_META = (
    "author", "article:author", "parsely-author", "dc.creator", "dcterms.creator",
    "sailthru.author", "byl", "twitter:creator",
)  # fmt: skip
_SPACE = re.compile(r"\s+")
# Only these tags carry metadata: parsing just them halves BeautifulSoup's time on news pages.
METADATA_TAGS = ("meta", "link", "script", "title", "h1", "time")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z_-]+)", re.I)
_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class PageMetadata:
    """What the page declares about itself; every field may be missing."""

    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    date_only: bool = False
    authors: tuple[str, ...] = ()
    url: str | None = None
    language: str | None = None
    # Every headline-like text the page declares: the body should not start by repeating one.
    title_variants: tuple[str, ...] = ()
    article_body: str | None = None  # JSON-LD articleBody, when the page carries one
    lead: str | None = None  # the declared description (JSON-LD, og:description): often the lead


def clean(value: object) -> str:
    """One line of text with runs of white space collapsed."""
    return _SPACE.sub(" ", str(value)).strip() if value is not None else ""


def _meta_values(soup: BeautifulSoup) -> dict[str, list[str]]:
    """name / property / itemprop / http-equiv (lower-cased) -> contents, in page order."""
    values: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        content = clean(tag.get("content") or tag.get("datetime") or "")
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = tag.get(attr)
            if isinstance(key, str) and key.strip():
                values.setdefault(key.strip().lower(), []).append(content)
    return values


def _walk_json(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_json(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk_json(node[key])


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", ())
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def json_ld_objects(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, articles first; broken blocks are skipped."""
    found: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": re.compile("ld\\+json", re.I)}):
        text = script.string or script.get_text() or ""
        try:
            parsed = json.loads(text.strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        found.extend(_walk_json(parsed))
    return sorted(found, key=lambda node: 0 if _types(node) & ARTICLE_TYPES else 1)


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return _name(value.get("name") or "")
    if isinstance(value, list):
        return _name(value[0]) if value else ""
    # JSON-LD is often written by templates that escape HTML entities twice.
    return clean(html.unescape(value)) if isinstance(value, str) else ""


def _ld_field(objects: list[dict[str, Any]], key: str, article_only: bool = True) -> Any:
    for node in objects:
        if article_only and not _types(node) & ARTICLE_TYPES:
            continue
        if node.get(key):
            return node[key]
    return None


def _ld_authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = _name(item)
        if name:
            names.extend(split_authors(name))
    return names


def split_authors(text: str) -> list[str]:
    """'By A, B and C' -> ['A', 'B', 'C']; URLs (profile links) are not names."""
    text = _BY.sub("", clean(text))
    if not text or text.startswith(("http://", "https://", "@")):
        return []
    parts = re.split(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&)\s*", text)
    return [part for part in (p.strip() for p in parts) if part and len(part) < 80]


_INITIALS = re.compile(r"\s*\((?:[a-z]{2,4}|[A-Z]{2,4})\)$")  # "Ann Muster (amu)": a desk code
_EMAIL = re.compile(r"\S+@\S+\.\w+")


def clean_authors(authors: list[str], outlets: list[str]) -> list[str]:
    """People, not addresses or the outlet: e-mail addresses and bare web domains dropped, an
    author that is one of `outlets` (or a spelling of it: "Deutsche Welle (www.dw.com)" for DW)
    dropped, a trailing desk code in brackets taken off. The page's reader keeps the outlet as
    the credit only when no person is named anywhere on the page."""
    keys = {outlet_key(name) for name in outlets} - {""}
    kept = []
    for author in authors:
        name = re.sub(r"\s*\((?:https?://)?(?:www\.)?[\w.-]+\.[a-z]{2,24}/?\)$", "", author)
        name = _INITIALS.sub("", _EMAIL.sub("", name).strip()).strip(" ,;")
        if not name or DOMAIN_NAME.match(name) or outlet_key(name) in keys:
            continue
        kept.append(name)
    return kept


def host_label(url: str | None) -> str | None:
    """Main label of a URL's host: https://www.spiegel.de/x -> 'spiegel'."""
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # not an address ("http://[::1"): pages are untrusted
        return None
    labels = [label for label in host.split(".") if label and label != "www"]
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else None)


def strip_site_suffix(title: str, outlets: list[str]) -> str:
    """Remove ' | Site' / 'Site - ' around a title when the part matches the outlet's name."""
    names = [squash(name) for name in outlets if name and squash(name)]
    if not names:
        return title
    for separator in TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if head and any(name_matches(squash(tail), name) for name in names):
            return strip_site_suffix(head.strip(), outlets)
        first, _, rest = title.partition(separator)
        if rest and any(name_matches(squash(first), name) for name in names):
            return strip_site_suffix(rest.strip(), outlets)
    return title


def choose_title(
    declared: list[str | None], headings: list[str], page_title: str | None, outlets: list[str]
) -> str | None:
    """The headline readers saw: an <h1> the page's metadata confirms, else the declared title.

    Social titles (og:title) are often rewritten for sharing and <h1> is sometimes a logo or a
    section name, so an <h1> counts only when a declared title (JSON-LD, og:title, twitter:title)
    equals or contains it. Measured on fundus_dev, the JSON-LD headline agrees with the expected
    title more often than og:title does.
    """
    # Not <title>: templates build it from the same field as <h1>, so it confirms nothing.
    known = [squash(value) for value in declared if value]
    for heading in headings[:5]:
        mine = squash(heading)
        if mine and any(mine == other or (len(mine) > 15 and mine in other) for other in known):
            return _as_declared(heading, declared)
    fallback = [value for value in (*declared[:2], *headings[:1], page_title) if value]
    return strip_site_suffix(fallback[0], outlets) if fallback else None


def _as_declared(heading: str, declared: list[str | None]) -> str:
    """The heading as the page's metadata spells it when the two differ only in spaces: an <h1>
    of parts ("Kicker", ":", "Headline") reads "Kicker : Headline" once its text is joined."""
    bare = re.sub(r"\s+", "", heading)
    same = [value for value in declared if value and re.sub(r"\s+", "", value) == bare]
    return clean(same[0]) if same else heading


def _first(values: dict[str, list[str]], keys: tuple[str, ...] | list[str]) -> str | None:
    for key in keys:
        for value in values.get(key, ()):
            if value:
                return value
    return None


def _page_date(
    meta: dict[str, list[str]], objects: list[dict[str, Any]], soup: BeautifulSoup
) -> tuple[datetime, bool] | None:
    candidates: list[str] = []
    first = _first(meta, ("article:published_time", "og:article:published_time"))
    if first:
        candidates.append(first)
    published = _ld_field(objects, "datePublished") or _ld_field(objects, "datePublished", False)
    if isinstance(published, str):
        candidates.append(published)
    for tag in soup.find_all("time"):
        stamp = tag.get("datetime")
        if isinstance(stamp, str) and stamp.strip():
            candidates.append(stamp)
            break
    other = _first(meta, DATE_META)
    if other:
        candidates.append(other)
    for value in candidates:
        parsed = parse_date(value)
        if parsed:
            return parsed
    return None


def _language(soup: BeautifulSoup, meta: dict[str, list[str]], html_lang: str | None) -> str | None:
    html = soup.find("html")
    declared = html.get("lang") if isinstance(html, Tag) else html_lang
    if not isinstance(declared, str) or not declared.strip():
        declared = _first(meta, ("content-language", "language", "og:locale", "dc.language"))
    if not declared:
        return None
    code = re.split(r"[-_]", declared.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def read_page_metadata(html: str) -> PageMetadata:
    """Metadata declared by the page `html` (parsed with bs4 + lxml, metadata tags only)."""
    soup = BeautifulSoup(html, "lxml", parse_only=SoupStrainer(list(METADATA_TAGS)))
    found = _HTML_LANG.search(html[:20000])
    lang = found.group(1) if found else None
    return page_metadata(soup, html_lang=lang, html=html)


def page_metadata(
    soup: BeautifulSoup, html_lang: str | None = None, html: str = ""
) -> PageMetadata:
    """Metadata declared by the page itself, in the order of trust given by issue 3.

    `html_lang` is the <html lang> value, for soups parsed without the <html> element;
    `html` the page's text, where a copyright line may name the outlet (`latin_name`).
    """
    meta = _meta_values(soup)
    objects = json_ld_objects(soup)

    canonical = soup.find("link", rel="canonical")
    ld_url = _ld_field(objects, "url")
    addresses = [
        canonical.get("href") if isinstance(canonical, Tag) else None,
        _first(meta, ("og:url", "twitter:url")),
        ld_url,
    ]
    # Relative canonical links (heise.de) cannot name the host: the first absolute one wins.
    url = next(
        (clean(a) for a in addresses if isinstance(a, str) and clean(a).startswith("http")), None
    )

    publisher = _name(_ld_field(objects, "publisher") or _ld_field(objects, "publisher", False))
    host = host_label(url)
    page_title = clean(soup.title.get_text(" ")) if isinstance(soup.title, Tag) else None
    outlet = choose_outlet(
        [_first(meta, ("og:site_name",)), publisher],
        _first(meta, ("application-name", "apple-mobile-web-app-title")),
        host,
        title_ends(page_title),
    )
    # a name in another script only: the copyright line's Latin name, if the address confirms it
    handle = _first(meta, ("twitter:site",))
    outlet = latin_name(outlet, host, html, handle) or outlet

    suffix_names = [name for name in (outlet, publisher, host) if name]
    declared = [_name(_ld_field(objects, "headline")) or _first(meta, ("headline",)),
                _first(meta, ("og:title",)), _first(meta, ("twitter:title",))]  # fmt: skip
    headings = [clean(h1.get_text(" ")) for h1 in soup.find_all("h1")]
    title = choose_title(declared, headings, page_title, suffix_names)
    article_body = _ld_field(objects, "articleBody")

    names = [n for n in (outlet, publisher, host, _first(meta, ("og:site_name",))) if n]
    credited = _ld_authors(_ld_field(objects, "author"))
    authors = clean_authors(credited, names)
    for key in AUTHOR_META if not authors else ():
        for value in meta.get(key, ()):
            credited.extend(split_authors(value))
            authors.extend(clean_authors(split_authors(value), names))
        if authors:
            break
    if not authors:  # no person named anywhere: the outlet's own credit ("By BBC News") stays
        authors = clean_authors(credited, [])

    dated = _page_date(meta, objects, soup)
    if dated is None and page_title:
        # Some outlets (DW) put the date only in the <title>: "Headline | DW | 28.04.2023".
        written = find_dateline(page_title)
        dated = (midnight(written), True) if written else None
    return PageMetadata(
        title=title or None,
        outlet=clean(outlet) or None,
        published=dated[0] if dated else None,
        date_only=dated[1] if dated else False,
        authors=tuple(dict.fromkeys(authors)),
        url=url,
        language=_language(soup, meta, html_lang),
        title_variants=tuple(t for t in (title, *declared, *headings[:5], page_title) if t),
        article_body=article_body.strip() or None if isinstance(article_body, str) else None,
        lead=_lead(objects, meta),
    )


def _lead(objects: list[dict[str, Any]], meta: dict[str, list[str]]) -> str | None:
    described = _ld_field(objects, "description")
    if not isinstance(described, str):
        described = _first(meta, ("og:description", "description"))
    return clean(described) or None if described else None
