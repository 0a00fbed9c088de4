"""`.searchidxignore`: gitignore-style patterns, in the corpus root, naming files not to index.

Corpora ship files beside their articles (word lists, category tables, data dumps) that are
text but not articles. Rather than guess them by name, the walk honours patterns the user writes,
with the gitignore rules most people already know:

- one pattern a line; blank lines and lines starting with `#` are ignored; `\\#` and `\\!` are
  the literal characters;
- `*` matches any run of characters but `/`, `?` one character but `/`, `[abc]` / `[!abc]` a set;
  `**` matches across folders (`**/notes.txt`, `drafts/**`, `a/**/b.txt`);
- a pattern without a `/` (other than a trailing one) matches a name at any depth
  (`*-strings.lc.txt`); with one, it is relative to the corpus root (`/lists/*.txt`, `a/b.txt`);
- a trailing `/` matches folders only (`drafts/`); an ignored folder is not entered at all;
- `!pattern` takes a path back in; the last pattern that matches a path decides.

Matching is case-sensitive, as in git. Paths are the posix paths relative to the corpus root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

IGNORE_FILE = ".searchidxignore"


@dataclass(frozen=True)
class Rule:
    """One pattern line, compiled."""

    pattern: re.Pattern[str]
    negated: bool
    folders_only: bool


@dataclass(frozen=True)
class IgnoreRules:
    """The patterns of one `.searchidxignore`, in file order."""

    rules: tuple[Rule, ...] = ()

    def ignored(self, rel: str, is_folder: bool) -> bool:
        """Whether the path `rel` (relative to the corpus root) is to be left out."""
        verdict = False
        for rule in self.rules:
            if rule.folders_only and not is_folder:
                continue
            if rule.pattern.fullmatch(rel):
                verdict = not rule.negated
        return verdict


def parse_rules(text: str) -> IgnoreRules:
    """Compile the lines of an ignore file; a line that is not a pattern is skipped."""
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if raw.endswith("\\ "):  # an escaped trailing space is part of the pattern
            line += " "
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        folders_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _translate(line.lstrip("/"))
        regex = body if anchored else f"(?:.*/)?{body}"
        rules.append(Rule(re.compile(regex, re.DOTALL), negated, folders_only))
    return IgnoreRules(tuple(rules))


def read_rules(root: Path) -> IgnoreRules:
    """The rules of `root/.searchidxignore`; none when the file is absent.

    Raises OSError or UnicodeDecodeError when the file is there but cannot be read: the walk
    reports it, since indexing files the user meant to leave out would be a silent surprise.
    """
    path = root / IGNORE_FILE
    if not path.is_file():
        return IgnoreRules()
    return parse_rules(path.read_text(encoding="utf-8-sig"))


def _translate(pattern: str) -> str:
    """A gitignore glob as a regular expression over a whole relative path."""
    out: list[str] = []
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if pattern.startswith("**", i):
            at_start = i == 0 or pattern[i - 1] == "/"
            if at_start and pattern.startswith("**/", i):
                out.append("(?:.*/)?")  # zero or more whole folders
                i += 3
                continue
            if at_start and i + 2 == size:
                out.append(".*")  # everything inside
                i += 2
                continue
            out.append("[^/]*")  # "**" inside a name is an ordinary "*"
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            close = pattern.find("]", i + 2 if pattern.startswith("[!", i) else i + 1)
            if close == -1:
                out.append(re.escape(char))
                i += 1
                continue
            inner = pattern[i + 1 : close]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = close + 1
        elif char == "\\" and i + 1 < size:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)
