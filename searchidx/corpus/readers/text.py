"""Plain text and Markdown articles: decoding, front matter, and title/outlet/date heuristics.

A file may open with front matter: a `---` line, `key: value` lines (title, outlet, date, url,
authors, language) and a closing `---`. Without it the title is the first line that reads as a
headline, the outlet comes from a dateline or credit where one is clear (else from the folder's
`.searchidx.toml`, see corpus/folder_settings.py; a folder's name is never an outlet by itself),
and the date from a yyyy-mm-dd file name.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePosixPath

from searchidx.corpus.dates import ParsedDate, date_from_file_name, read_date
from searchidx.models import Article, Problem, ReadResult

MAX_TITLE = 200
_FRONT_MATTER_LINES = 60  # a "---" block longer than this is a horizontal rule, not metadata
_FRONT_KEYS = {
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publisher": "outlet",
    "date": "date",
    "published": "date",
    "url": "url",
    "link": "url",
    "authors": "authors",
    "author": "authors",
    "byline": "authors",
    "language": "language",
    "lang": "language",
}
# Lines above the headline that are page furniture, not the title.
_NOT_A_HEADLINE = re.compile(
    r"""^(?:this\ (?:story|article)\ is\ (?:over|more\ than)\ \d+\ years?\ old\.?
        |story\ highlights|advertisement|skip\ to\ (?:main\ )?content|share(?:\ this)?
        |updated\b.*|published\b.*|posted\b.*|by\ [A-Z].*|photo\b.*|image\ (?:copyright|caption).*
        |https?://\S+|www\.\S+|[\W\d_]+)$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Seoul, South Korea CNN  —": place, outlet, dash, end of line (the CNN dateline).
_CNN_DATELINE = re.compile(r"^[^\W\d][^—–\n]{0,80}?\bCNN\s*[—–]\s*$")
# "LONDON (Reuters) -", "Washington (CNN) —": a wire or outlet credit in the opening lines.
_CREDIT = re.compile(r"^[^\n()]{0,80}\((Reuters|CNN|AP|AFP)\)\s*[—–-]")
_CREDIT_OUTLETS = {"Reuters": "Reuters", "CNN": "CNN", "AP": "Associated Press", "AFP": "AFP"}
# "Follow VICE News on Twitter": VICE's sign-off under its articles.
_FOLLOW = re.compile(r"^Follow (VICE News) on\b", re.MULTILINE)
_CREDIT_LINES = 40
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: a NUL byte, or mostly control bytes, near the start."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.1


def decode(data: bytes, rel: str) -> tuple[str, Problem | None]:
    """Decode UTF-8 (or UTF-16 with a BOM); text that is not UTF-8 is decoded by detection
    (`_detect`), with a warning; invalid bytes become U+FFFD only when detection fails."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return data.decode("utf-16", errors="replace"), Problem(
                rel, "invalid UTF-16; bad bytes replaced", skipped=False
            )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        detected = _detect(data)
        if detected is not None:
            return data.decode(detected), Problem(
                rel, f"not UTF-8: read as {detected} (detected)", skipped=False
            )
        bad = sum(1 for char in data.decode("utf-8-sig", errors="replace") if char == "\ufffd")
        where = error.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
        return data.decode("utf-8-sig", errors="replace"), Problem(
            rel,
            f"invalid UTF-8 at byte {where}; {bad} bad byte sequence(s) replaced with U+FFFD",
            skipped=False,
        )


WESTERN = "cp1252"  # Windows Latin-1: every printable Latin-1 character, and the euro
WESTERN_SHARE = 0.05  # under this share of non-ASCII bytes, a text is read as Western
DETECTOR_MIN_BYTES = 16  # fewer non-ASCII bytes than this tell a detector nothing


def _detect(data: bytes) -> str | None:
    """The encoding of text that is not UTF-8, or None. A mostly-ASCII text with a few high
    bytes (a pound sign, an accent: BBC sport/199.txt) is Western European: detectors guess
    Japanese from so few bytes. A text with more (Cyrillic, Greek, Japanese...) is
    charset_normalizer's to decide, when it is sure enough."""
    high = sum(1 for byte in data if byte > 127)
    if high <= WESTERN_SHARE * len(data) or high < DETECTOR_MIN_BYTES:
        try:
            data.decode(WESTERN)
            return WESTERN
        except UnicodeDecodeError:
            return None  # bytes cp1252 leaves undefined, too few for a detector: damage
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of requests, not of ours
        return None
    best = from_bytes(data[:65536]).best()
    if best is None or best.chaos > 0.1:
        return None
    try:
        data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return str(best.encoding)


def split_front_matter(text: str) -> tuple[dict[str, str] | None, str]:
    """(front matter, body) when the text opens with a closed `---` block, else (None, text)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text
    for number, line in enumerate(lines[1 : _FRONT_MATTER_LINES + 1], start=1):
        if line.strip() == "---":
            return _front_values(lines[1:number]), "\n".join(lines[number + 1 :])
    return None, text


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _front_values(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    key: str | None = None
    for line in lines:
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and key is not None:
            # a YAML list under the previous key ("authors:" then "- Name" lines)
            entry = _unquote(item.group(1))
            values[key] = f"{values[key]}; {entry}" if values.get(key) else entry
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or " " in name.strip():
            continue
        key = _FRONT_KEYS.get(name.strip().lower())
        if key is not None:
            values[key] = _unquote(value)
    return values


def split_authors(value: str) -> tuple[str, ...]:
    """Names from "Jane Doe; John Roe", "[Jane Doe, John Roe]" or "By Jane Doe and John Roe"."""
    text = value.strip().strip("[]")
    text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
    names = (_unquote(part) for part in _AUTHOR_SPLIT.split(text))
    return tuple(dict.fromkeys(name for name in names if name))


def headline(body: str, markdown: bool = False) -> str | None:
    """The first line of `body` that reads as a headline, skipping page furniture."""
    fallback: str | None = None
    for raw in body.split("\n")[:_CREDIT_LINES]:
        line = raw.strip()
        if markdown:
            line = line.lstrip("#").strip()
        if not line:
            continue
        if fallback is None:
            fallback = line
        if _NOT_A_HEADLINE.match(line) or _CNN_DATELINE.match(line):
            continue
        if len(line) <= MAX_TITLE:
            return line
        return shorten(line)  # the text opens with a paragraph: its start is the best title
    return shorten(fallback) if fallback else None


def shorten(line: str, limit: int = 120) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def outlet_from_text(body: str) -> str | None:
    """The outlet named by a dateline or credit near the top, or a known sign-off."""
    for raw in body.split("\n")[:_CREDIT_LINES]:
        line = raw.strip()
        if _CNN_DATELINE.match(line):
            return "CNN"
        credit = _CREDIT.match(line)
        if credit:
            return _CREDIT_OUTLETS[credit.group(1)]
    follow = _FOLLOW.search(body)
    return follow.group(1) if follow else None


def read_text(
    data: bytes, rel: str, markdown: bool = False, date_format: str | None = None
) -> ReadResult:
    """Read a .txt or .md file: one article, or a Problem saying why there is none.
    `date_format`: how the front matter's date is written (a folder's `.searchidx.toml`)."""
    if looks_binary(data):
        return ReadResult(problems=(Problem(rel, "binary file, not text"),))
    text, warning = decode(data, rel)
    problems: list[Problem] = [warning] if warning else []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ReadResult(problems=(Problem(rel, "empty file"),))
    front, body = split_front_matter(text)
    front = front or {}
    body = body.strip()
    if not body:
        return ReadResult(problems=(*problems, Problem(rel, "no text after the front matter")))
    title = front.get("title") or headline(body, markdown) or PurePosixPath(rel).stem
    outlet = front.get("outlet") or outlet_from_text(body)  # or the folder's .searchidx.toml
    published: ParsedDate | None = None
    if front.get("date"):
        outcome = read_date(front["date"], date_format=date_format)
        published = outcome.parsed
        if outcome.warning:
            problems.append(Problem(rel, outcome.warning, skipped=False))
    else:
        published = date_from_file_name(PurePosixPath(rel).name)
        if published is not None:
            outcome = read_date(published.day.isoformat())
            published = outcome.parsed
            if outcome.warning:
                problems.append(Problem(rel, outcome.warning, skipped=False))
    article = Article(
        id=rel,
        path=rel,
        title=shorten(title, MAX_TITLE),
        body=body,
        outlet=outlet or None,
        published=published.published if published else None,
        date_only=published.date_only if published else False,
        authors=split_authors(front["authors"]) if front.get("authors") else (),
        url=front.get("url") or None,
        language=front.get("language") or None,
    )
    return ReadResult(articles=(article,), problems=tuple(problems))
