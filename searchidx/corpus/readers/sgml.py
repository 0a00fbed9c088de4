"""Reuters-21578 SGML (.sgm): each <REUTERS> story is an article with id `file#NEWID`.

SGML is not XML (bare "&" and "<" occur, character references such as &#3; are teletype control
codes), so stories are cut out with regular expressions and their entities decoded by hand. Title,
dateline, date, author and body are read; outlet is Reuters. A story without a <TITLE> takes the
opening line of its text as title; a story without a body is a title-only article. A story with
no text at all, or a malformed <DATE>, is reported with its NEWID rather than guessed.
"""

from __future__ import annotations

import html
import re

from searchidx.corpus.dates import checked, parse_reuters_date
from searchidx.corpus.readers.text import decode, shorten
from searchidx.models import Article, Problem, ReadResult

OUTLET = "Reuters"
_STORY_START = re.compile(r"(?=<REUTERS\b)")
_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'\bNEWID\s*=\s*"?(\d+)"?')
_NUMERIC = re.compile(r"&#(\d{1,7});")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Some paragraph openings carry the two characters "&\t" instead of indentation.
_INDENT_MARK = re.compile(r"^&\\t", re.MULTILINE)
_SIGN_OFF = "Reuter"
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


_OPENING = {
    name: re.compile(rf"<{name}\b[^<>]{{0,500}}>")
    for name in ("TEXT", "TITLE", "BODY", "DATELINE", "DATE", "AUTHOR")
}


def _field(name: str, text: str) -> str | None:
    """The content of the first <NAME ...>...</NAME> element, found in linear time.

    A regular expression searching for the pair retries from every opening tag: 200,000
    unclosed <TITLE> tags made it quadratic (minutes). When the first opening has no closing
    tag after it, no later one has either, so one opening and one `find` decide.
    """
    opening = _OPENING[name].search(text)
    if opening is None:
        return None
    end = text.find(f"</{name}>", opening.end())
    return None if end == -1 else text[opening.end() : end]


def _without(name: str, text: str) -> str:
    """`text` without its <NAME ...>...</NAME> elements (linear: each tag is looked at once)."""
    kept: list[str] = []
    start = 0
    while (opening := _OPENING[name].search(text, start)) is not None:
        end = text.find(f"</{name}>", opening.end())
        if end == -1:
            break
        kept.append(text[start : opening.start()])
        start = end + len(name) + 3
    kept.append(text[start:])
    return "".join(kept)


def _unescape(text: str) -> str:
    """Decode entities. Numeric references are decoded by hand first: `html.unescape` follows
    HTML5 and drops control characters such as &#5;, which here separate a date from its codes."""
    return html.unescape(_NUMERIC.sub(lambda match: _character(int(match.group(1))), text))


def _character(code: int) -> str:
    return chr(code) if 0 < code < 0x110000 else ""


def _decode_entities(text: str) -> str:
    """Entities decoded, teletype control characters dropped (tabs and newlines kept)."""
    return _CONTROL.sub("", _unescape(text))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _body(raw: str) -> str:
    text = _decode_entities(_INDENT_MARK.sub("    ", raw))
    text = _drop_sign_off(text.rstrip())
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n").strip()


def _drop_sign_off(text: str) -> str:
    """The text without a closing line "Reuter" (string tests: a regular expression anchored at
    the end retried from every newline of a long blank run)."""
    if not text.endswith(_SIGN_OFF):
        return text
    head = text[: -len(_SIGN_OFF)]
    stripped = head.rstrip()
    return stripped if stripped != head and "\n" in head[len(stripped) :] else text


def _authors(raw: str | None) -> tuple[str, ...]:
    """The name in "By Jane Doe, Reuters"."""
    if raw is None:
        return ()
    text = _BY.sub("", _one_line(_decode_entities(raw)))
    name = text.split(",")[0].strip()
    return (name,) if name else ()


def read_story(attributes: str, content: str, rel: str) -> tuple[Article | None, list[Problem]]:
    """One <REUTERS> element as an article (or None) with any problems found in it."""
    found = _NEWID.search(attributes)
    if found is None:
        return None, [Problem(rel, "a <REUTERS> story without a NEWID attribute")]
    newid = found.group(1)
    label = f"story NEWID={newid}"
    text = _field("TEXT", content) or ""
    title_raw = _field("TITLE", text)
    body_raw = _field("BODY", text)
    dateline_raw = _field("DATELINE", text)
    if body_raw is None and title_raw is None:
        # an unprocessed story: the text sits directly inside <TEXT>
        body_raw = _without("DATELINE", _without("AUTHOR", text))
    body = _body(body_raw or "")
    title = _one_line(_decode_entities(title_raw or ""))
    if not title:
        opening = next((line for line in body.split("\n") if line.strip()), "")
        title = shorten(opening)
    if not title and not body:
        return None, [Problem(rel, f"{label}: no text at all (no title, no body)")]
    dateline = _one_line(_decode_entities(dateline_raw or ""))
    if dateline and body:
        body = f"{dateline} {body}"
    problems: list[Problem] = []
    date_raw = _field("DATE", content)
    parsed = parse_reuters_date(_unescape(date_raw)) if date_raw else None
    if parsed is None:
        shown = _one_line(_decode_entities(date_raw or ""))
        reason = f"malformed date {shown!r}" if shown else "no date"
        problems.append(Problem(rel, f"{label}: {reason}; published left empty", skipped=False))
    else:
        outcome = checked(parsed)
        parsed = outcome.parsed
        if outcome.warning:
            problems.append(Problem(rel, f"{label}: {outcome.warning}", skipped=False))
    article = Article(
        id=f"{rel}#{newid}",
        path=rel,
        title=title,
        body=body,
        outlet=OUTLET,
        published=parsed.published if parsed else None,
        date_only=False,
        authors=_authors(_field("AUTHOR", text)),
    )
    return article, problems


def read_sgml(data: bytes, rel: str) -> ReadResult:
    """Every <REUTERS> story of a Reuters-21578 file."""
    text, warning = decode(data, rel)
    problems: list[Problem] = [warning] if warning else []
    articles: list[Article] = []
    seen: set[str] = set()
    chunks = [chunk for chunk in _STORY_START.split(text) if chunk.startswith("<REUTERS")]
    for chunk in chunks:
        match = _STORY.match(chunk)
        if match is None:
            # cut at the next story's start, so one unclosed story cannot swallow the next
            newid = _NEWID.search(chunk.split(">", 1)[0])
            name = f"story NEWID={newid.group(1)}" if newid else "a <REUTERS> story"
            problems.append(Problem(rel, f"{name} is not closed by </REUTERS>; skipped"))
            continue
        article, found = read_story(match.group(1), match.group(2), rel)
        problems.extend(found)
        if article is None:
            continue
        if article.id in seen:
            problems.append(Problem(rel, f"{article.id}: NEWID used twice; second story skipped"))
            continue
        seen.add(article.id)
        articles.append(article)
    if not chunks:
        problems.append(Problem(rel, "no <REUTERS> stories: not a Reuters-21578 SGML file"))
    return ReadResult(tuple(articles), tuple(problems))
