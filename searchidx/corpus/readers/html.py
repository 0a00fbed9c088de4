"""Reads saved HTML news pages: body from trafilatura, metadata from the page's declarations."""

from __future__ import annotations

import codecs
import re
import warnings
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from searchidx.config import DEFAULT_MAX_FILE_BYTES
from searchidx.corpus.language import detect_language
from searchidx.corpus.readers import size_text
from searchidx.corpus.readers.html_dates import find_dateline, parse_date
from searchidx.corpus.readers.html_meta import (
    PageMetadata,
    clean,
    clean_authors,
    host_label,
    read_page_metadata,
    split_authors,
)
from searchidx.models import Article, Problem, ReadResult

NO_TEXT = "no article text found"
# Fewer letters than this is a menu or a cookie notice that trafilatura fell back on, not news.
# Letters, not words: Japanese and Chinese text has no spaces to count words by.
MIN_BODY_LETTERS = 60
_LETTER = re.compile(r"[^\W\d_]")
# Options measured on fundus_dev with `python -m bench.quality.extraction` (docs/quality.md).
BODY_OPTIONS: dict[str, Any] = {
    "favor_recall": False,
    "include_tables": False,
    "include_comments": False,
    "deduplicate": False,
}

# libxml2's HTML parser checks each new attribute against the tag's earlier ones: a tag with
# 50,000 distinct attributes took 5 s to parse and 12 s more in trafilatura, 1,000,000 hung for
# good. No page tag needs thousands; a page with one is refused before any parser sees it.
MAX_TAG_WORDS = 2_000
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{2 * MAX_TAG_WORDS},}}>")
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
_SINGLE_BYTE = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def decode_html(raw: bytes) -> str:
    """Text of an HTML page: BOM, then the declared charset, then UTF-8 with replacement."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    match = _CHARSET.search(raw[:8192])
    declared = match.group(1).decode("ascii", "replace").lower() if match else None
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        # Pages re-saved as UTF-8 often keep their old latin-1 declaration.
        if codec and codec.replace("_", "-") in _SINGLE_BYTE | {"cp1252"}:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
        if codec and codec not in {"utf-16", "utf-16-le", "utf-16-be", "utf-32"}:
            return raw.decode(codec, errors="replace")
    return raw.decode("utf-8", errors="replace")


def _looks_binary(raw: bytes) -> bool:
    head = raw[:4096]
    if not head or any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return b"\x00" in head or controls > len(head) // 20


def _crowded_tag(html: str) -> int:
    """The attribute count (words after the name, a quoted value counting as part of one) of
    the first tag with more than MAX_TAG_WORDS, else 0 (one linear scan: only tags long enough
    to hold that many are split)."""
    for match in _LONG_TAG.finditer(html):
        # quoted values are one attribute each, however many words: an SVG path's numbers or a
        # JSON list in a data- attribute (FAZ, iNews, NRK pages were refused for those)
        words = len(_QUOTED.sub('""', match.group()).split()) - 1
        if words > MAX_TAG_WORDS:
            return words
    return 0


def body_text(html: str, **options: Any) -> str:
    """The article text trafilatura finds, paragraphs separated by newlines ('' when none)."""
    import trafilatura  # slow to import: only when an HTML page is read

    html = _SOCIAL_POST.sub("", html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            text = trafilatura.extract(html, output_format="txt", **{**BODY_OPTIONS, **options})
        except Exception:  # noqa: BLE001 - trafilatura raises assorted lxml/parser errors
            return ""
    return drop_footer(drop_read_also(join_link_breaks((text or "").strip())))


# Posts embedded from social networks are quoted beside the article, not written in it; the
# bound keeps an unclosed one from costing more than a scan of its next 20,000 characters.
_SOCIAL_POST = re.compile(
    r"<blockquote\b[^>]{0,500}?class\s*=\s*[\"'][^\"']{0,200}?"
    r"(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed)[^>]{0,500}>"
    r".{0,20000}?</blockquote\s*>",
    re.I | re.S,
)
# "Read also: <another article's headline>": a link to another article, in the languages read.
_READ_ALSO = re.compile(
    r"^(?:read more|read also|also read|see also|lesen sie auch|lies auch|mehr zum thema"
    r"|les også|læs også|läs också|lue myös|lire aussi|à lire aussi|leer más|lee también"
    r"|leggi anche|czytaj (?:też|także)|lees ook)\b\s*:",
    re.I,
)
READ_ALSO_CHARS = 300  # a longer line is a paragraph, whatever it starts with


def drop_read_also(text: str) -> str:
    """The body without "Read also: ..." lines (links to other articles)."""
    lines = text.split("\n")
    kept = [
        line for line in lines if len(line) > READ_ALSO_CHARS or not _READ_ALSO.match(line.strip())
    ]
    return "\n".join(kept) if len(kept) < len(lines) else text


# A rights notice or a "report an error" prompt near the end is the page's, not the article's.
_FOOTER = re.compile(
    r"^\W{0,3}(?:©|ⓒ|copyright\b|fehler gefunden)|all rights reserved|alle rechte vorbehalten"
    r"|tous droits réservés|todos los derechos reservados",
    re.I,
)
FOOTER_LINES = 3  # only the last lines of a body are looked at
FOOTER_CHARS = 250  # a longer line is a paragraph, whatever it says


def drop_footer(text: str) -> str:
    """The body without rights notices and error-report prompts among its last lines."""
    lines = text.split("\n")
    tail = len(lines) - FOOTER_LINES
    kept = [
        line
        for number, line in enumerate(lines)
        if number < tail or len(line) > FOOTER_CHARS or not _FOOTER.search(line.strip())
    ]
    return "\n".join(kept).strip() if len(kept) < len(lines) else text


_SENTENCE_END = (".", "!", "?", "…", '"', "”", "»")
_CONTINUES = re.compile(r"^[a-z’'.,;:)\]]")


def join_link_breaks(text: str) -> str:
    """Lines broken where a paragraph had a link ("NEW DELHI: " / "Pakistan" / "'s whole..."),
    joined back: a line ending in a space (the text went on in a link), or one followed by a
    line that starts in lowercase or with closing punctuation, unless it ended a sentence."""
    lines = text.split("\n")
    joined: list[str] = []
    for line in lines:
        if joined and line.strip():
            last = joined[-1]
            ended = last.rstrip().endswith(_SENTENCE_END)
            goes_on = _CONTINUES.match(line)
            if last.strip() and not ended and (last != last.rstrip() or goes_on):
                joined[-1] = last.rstrip() + ("" if goes_on else " ") + line
                continue
        joined.append(line)
    return "\n".join(line.rstrip() for line in joined)


def fallback_metadata(html: str) -> PageMetadata:
    """trafilatura's own metadata guesses, used for fields the page does not declare."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = trafilatura.extract_metadata(html)
        except Exception:  # noqa: BLE001
            return PageMetadata()
    if found is None:
        return PageMetadata()
    dated = parse_date(found.date) if found.date else None
    authors = split_authors(found.author.replace(";", ",")) if found.author else []
    authors = clean_authors(authors, [n for n in (found.sitename, host_label(found.url)) if n])
    return PageMetadata(
        title=clean(found.title) or None,
        outlet=clean(found.sitename) or None,
        published=dated[0] if dated else None,
        date_only=dated[1] if dated else False,
        authors=tuple(authors),
        url=found.url or None,
        language=None,
    )


def _heading_like(line: str, titles: list[str], authors: list[str]) -> bool:
    if not line or len(line) > 300:
        return False
    if any(line == title or (len(line) > 10 and line in title) for title in titles):
        return True
    byline = re.sub(r"^(?:by|von|par|por|di|door|av|af)", "", line)
    return bool(byline) and any(byline == author for author in authors)


def drop_repeated_head(body: str, meta: PageMetadata) -> str:
    """The body without leading lines that repeat the headline (or kicker) or the byline.

    trafilatura often keeps the <h1> and the author line: they are already the title and
    authors of the Article, and repeating them would make every title word a body hit.
    """
    titles = [_letters(title) for title in meta.title_variants]
    authors = [_letters(author) for author in meta.authors]
    lines = body.splitlines()
    dropped = 0
    while dropped < min(4, len(lines) - 1) and _heading_like(
        _letters(lines[dropped]), titles, authors
    ):
        dropped += 1
    return "\n".join(lines[dropped:]).strip()


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


LEAD_MIN_LETTERS = 80  # a shorter description is a teaser line, not a lead paragraph


def with_lead(body: str, lead: str | None) -> str:
    """The body with the page's declared lead before it when trafilatura left the lead out (it
    often sits outside the article element): a lead of some length whose words the body's
    opening does not already hold."""
    if not lead or len(_LETTER.findall(lead)) < LEAD_MIN_LETTERS or lead.endswith(("...", "…")):
        return body
    words = re.findall(r"\w+", lead.lower())
    opening = set(re.findall(r"\w+", body[: len(lead) * 3].lower()))
    if sum(word in opening for word in words) >= 0.6 * len(words):
        return body  # the body has it (or most of it) already
    return f"{lead}\n{body}"


def _substantial(body: str) -> bool:
    return len(_LETTER.findall(body[: MIN_BODY_LETTERS * 4])) >= MIN_BODY_LETTERS


def _merge(own: PageMetadata, other: PageMetadata) -> PageMetadata:
    dated = own.published is not None
    return replace(
        own,
        title=own.title or other.title,
        outlet=own.outlet or other.outlet,
        published=own.published if dated else other.published,
        date_only=own.date_only if dated else other.date_only,
        authors=own.authors or other.authors,
        url=own.url or other.url,
    )


def _missing(meta: PageMetadata) -> bool:
    return not (meta.title and meta.outlet and meta.published and meta.authors and meta.url)


def gunzip(data: bytes, limit: int) -> bytes | None:
    """The decompressed bytes of a gzip file (every member), None when they pass `limit`.

    Memory stays near `limit` however far the file would expand (a 1.5 MB gzip bomb expands to
    gigabytes): the output is produced in bounded pieces and the count checked as it grows.
    Raises zlib.error or EOFError when the data is not valid gzip.
    """
    out = bytearray()
    rest = data
    while rest:
        unpack = zlib.decompressobj(wbits=31)
        pending = rest
        while pending and not unpack.eof:
            out += unpack.decompress(pending, limit + 1 - len(out))
            if len(out) > limit:
                return None
            pending = unpack.unconsumed_tail
        if not unpack.eof:
            if len(out) < limit:
                out += unpack.flush()
            if not unpack.eof:
                raise EOFError("truncated gzip file")
        rest = unpack.unused_data.lstrip(b"\x00")  # gzip allows padding between members
    return bytes(out)


def read_html(path: Path, rel: str, data: bytes, limit: int = DEFAULT_MAX_FILE_BYTES) -> ReadResult:
    """One Article from a saved page (.html, .htm, .html.gz), or a Problem saying why not.

    `limit` bounds the page's size after decompression as the file size limit bounds it before.
    """
    raw = data
    if raw[:2] == b"\x1f\x8b":
        try:
            unpacked = gunzip(raw, limit)
        except (EOFError, zlib.error):
            return ReadResult(problems=(Problem(rel, "not a valid gzip file"),))
        if unpacked is None:
            reason = f"too large after decompression: over the {size_text(limit)} limit"
            return ReadResult(problems=(Problem(rel, reason),))
        raw = unpacked
    elif (rel or path.name).lower().endswith(".gz") and _looks_binary(raw):
        return ReadResult(problems=(Problem(rel, "not a valid gzip file"),))
    # A .html.gz that was saved uncompressed is read as it is.
    if _looks_binary(raw):
        return ReadResult(problems=(Problem(rel, "not an HTML page (binary content)"),))
    html = decode_html(raw)
    if not html.strip():
        return ReadResult(problems=(Problem(rel, "empty file"),))
    crowded = _crowded_tag(html)
    if crowded:
        reason = f"a tag with {crowded:,} attributes (over {MAX_TAG_WORDS:,}): not parsed"
        return ReadResult(problems=(Problem(rel, reason),))
    try:
        meta = read_page_metadata(html)
    except Exception:  # noqa: BLE001 - bs4/lxml on hostile markup; the body may still be read
        meta = PageMetadata()
    body = body_text(html)
    if not _substantial(body):
        body = meta.article_body or ""
    if not _substantial(body):
        return ReadResult(problems=(Problem(rel, NO_TEXT),))
    if _missing(meta):
        meta = _merge(meta, fallback_metadata(html))
    body = with_lead(drop_repeated_head(body, meta), meta.lead)
    published, date_only = meta.published, meta.date_only
    if published is None:
        dateline = find_dateline(body)
        if dateline is not None:
            parsed = parse_date(dateline.isoformat())
            published, date_only = parsed if parsed else (None, False)
    title = meta.title or body.splitlines()[0][:200]
    article = Article(
        id=rel,
        path=rel,
        title=title,
        body=body,
        outlet=meta.outlet,
        published=published,
        date_only=date_only,
        authors=meta.authors,
        url=meta.url,
        language=meta.language or detect_language(body),
    )
    return ReadResult(articles=(article,))
