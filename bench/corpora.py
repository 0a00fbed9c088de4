"""Benchmark corpora: Reuters-21578, BBC News and the seed corpus laid out as searchidx reads them.

Each story becomes one `.txt` file with a `---` front matter block (title, outlet, date), the
format of `searchidx/readers/text.py`. The same stories are returned as `Story` records so the
peers (plain whoosh, FTS5, tantivy, spaCy) are fed exactly the same text.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

SHARED = Path(os.environ.get("SEARCHIDX_SHARED_CORPORA", "/work/shared/corpora"))
REPO = Path(__file__).resolve().parent.parent

_REUTERS_DOC = re.compile(r"<REUTERS\b(.*?)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')
_TAG = {
    name: re.compile(rf"<{name}[^>]*>(.*?)</{name}>", re.S)
    for name in ("DATE", "TITLE", "BODY", "TEXT")
}
# SGML control characters Reuters keeps as numeric references (&#2; &#3; &#5; ...).
_CONTROL_REF = re.compile(r"&#(?:[0-9]|1[0-9]|2[0-9]|3[01]);")
_MARKUP = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Story:
    """One story as every engine sees it."""

    id: str
    title: str
    body: str
    outlet: str
    day: int  # yyyymmdd, 0 when undated
    relpath: str  # where the story's file sits inside its corpus folder

    @property
    def text(self) -> str:
        """What entity recognition reads: the title, a blank line, the body."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    @property
    def iso_day(self) -> str | None:
        if not self.day:
            return None
        return f"{self.day // 10000:04d}-{self.day // 100 % 100:02d}-{self.day % 100:02d}"


def _clean(raw: str) -> str:
    text = html.unescape(_CONTROL_REF.sub("", raw))
    # This copy marks paragraph starts with a literal "&\\t" (an escaped tab): drop it.
    text = text.replace("\r", "").replace("&\\t", "")
    # Reuters ends bodies with " Reuter" plus a control character; keep the word, drop whitespace.
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _reuters_day(raw: str) -> int:
    try:
        parsed = datetime.strptime(raw.strip().split()[0], "%d-%b-%Y")
    except (ValueError, IndexError):
        return 0
    return parsed.year * 10000 + parsed.month * 100 + parsed.day


def reuters_stories(root: Path | None = None) -> list[Story]:
    """All 21,578 Reuters-21578 stories in NEWID order, one `Story` each (empty ones included)."""
    folder = root or SHARED / "reuters21578"
    stories: list[Story] = []
    for sgm in sorted(folder.glob("reut2-*.sgm")):
        raw = sgm.read_text(encoding="utf-8", errors="replace")
        for attributes, content in _REUTERS_DOC.findall(raw):
            newid = int(_NEWID.search(attributes).group(1))  # type: ignore[union-attr]
            found = {name: pattern.search(content) for name, pattern in _TAG.items()}
            title = _clean(found["TITLE"].group(1)) if found["TITLE"] else ""
            if found["BODY"]:
                body = _clean(found["BODY"].group(1))
            elif found["TEXT"]:  # BRIEF / UNPROC stories have no <BODY>: keep their text
                body = _clean(_MARKUP.sub(" ", found["TEXT"].group(1)))
            else:
                body = ""
            day = _reuters_day(found["DATE"].group(1)) if found["DATE"] else 0
            stories.append(
                Story(
                    id=f"reuters-{newid:05d}",
                    title=title,
                    body=body or title,
                    outlet="Reuters",
                    day=day,
                    relpath=f"{sgm.stem}/reut-{newid:05d}.txt",
                )
            )
    return stories


def bbc_stories(root: Path | None = None) -> list[Story]:
    """The 2,225 BBC News stories: line 1 is the title; no per-story date is given."""
    folder = root or SHARED / "bbc_fulltext"
    stories: list[Story] = []
    for path in sorted(folder.glob("*/*.txt")):
        raw = path.read_bytes().decode("utf-8", errors="replace")
        if not raw.isascii() and "\ufffd" in raw:
            raw = path.read_bytes().decode("latin-1")  # sport/199.txt holds one Latin-1 byte
        title, _, body = raw.strip().partition("\n")
        category = path.parent.name
        stories.append(
            Story(
                id=f"bbc-{category}-{path.stem}",
                title=title.strip(),
                body=body.strip(),
                outlet="BBC News",
                day=0,
                relpath=f"bbc/{category}/{path.stem}.txt",
            )
        )
    return stories


def seed_stories(root: Path | None = None) -> list[Story]:
    """The seed corpus (corpus/ in the repo), read through its own front matter."""
    folder = root or REPO / "corpus"
    stories: list[Story] = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        meta: dict[str, str] = {}
        body = raw
        if raw.startswith("---\n"):
            header, _, body = raw[4:].partition("\n---\n")
            for line in header.splitlines():
                key, _, value = line.partition(":")
                meta[key.strip()] = value.strip().strip('"')
        day = int(meta.get("date", "0").replace("-", "")[:8] or 0)
        stories.append(
            Story(
                id=f"seed-{path.stem}",
                title=meta.get("title", ""),
                body=body.strip(),
                outlet=meta.get("outlet", ""),
                day=day,
                relpath=path.name,
            )
        )
    return stories


def front_matter_file(story: Story) -> str:
    """The story as a `.txt` file with front matter; the title is a JSON (= YAML) quoted string."""
    lines = [
        "---",
        f"title: {json.dumps(story.title, ensure_ascii=False)}",
        f"outlet: {story.outlet}",
    ]
    if story.iso_day:
        lines.append(f"date: {story.iso_day}")
    lines += ["---", story.body, ""]
    return "\n".join(lines)


def write_corpus(stories: Iterable[Story], folder: Path) -> int:
    """Write each story to its own file under `folder`; returns the bytes written."""
    written = 0
    for story in stories:
        target = folder / story.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        data = front_matter_file(story).encode("utf-8")
        target.write_bytes(data)
        written += len(data)
    return written


def link_subset(source: Path, stories: list[Story], folder: Path) -> None:
    """A corpus folder holding only `stories` (hard links into `source`, so no copying)."""
    for story in stories:
        target = folder / story.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / story.relpath, target)
        except OSError:
            shutil.copyfile(source / story.relpath, target)


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


SHIFT_DAYS = 400  # a copy's dates move this far: copies never share a story window


def _shifted(day: int, days: int) -> int:
    if not day:
        return 0
    moved = date(day // 10000, day // 100 % 100, day % 100) + timedelta(days=days)
    return moved.year * 10000 + moved.month * 100 + moved.day


def replicated(stories: list[Story], copies: int) -> list[Story]:
    """`copies` copies of `stories` (the first unchanged), each with its own ids and paths and
    dates 400 days after the copy before: a larger archive of the same kind of news."""
    out = list(stories)
    for copy in range(1, copies):
        out += [
            dataclasses.replace(
                s,
                id=f"{s.id}-c{copy}",
                day=_shifted(s.day, SHIFT_DAYS * copy),
                relpath=f"copy{copy}/{s.relpath}",
            )
            for s in stories
        ]
    return out


def load_stories(name: str) -> list[Story]:
    """Stories by corpus name: `reuters`, `bbc`, `seed`, `reuters+bbc`, `reuters:N` (first N),
    or `reuters*N` (N shifted copies, see `replicated`)."""
    stories: list[Story] = []
    for part in name.split("+"):
        part, _, copies = part.partition("*")
        if copies:
            stories += replicated(load_stories(part), int(copies))
            continue
        base, _, limit = part.partition(":")
        loader = {"reuters": reuters_stories, "bbc": bbc_stories, "seed": seed_stories}[base]
        chosen = loader()
        stories += chosen[: int(limit)] if limit else chosen
    return stories
