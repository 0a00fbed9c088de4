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

Patterns come with the corpus, so they are untrusted: they are matched by simulating all the
ways a pattern can match at once (a set of positions in the pattern, advanced one character of
the path at a time), which takes time proportional to the path's length times the pattern's,
never exponential (a backtracking regex took 28 s on `*a*a*a...*b` and a 35-character name).
A line that is not a pattern (`[z-a]`) is reported as a warning and skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

IGNORE_FILE = ".searchidxignore"

# Pattern pieces: (kind, detail). "char" one given character, "one" any character but "/",
# "star" any run without "/", "set" one character (not "/") in or out of ranges, "dirs" zero or
# more whole folders ("**/", or an unanchored pattern's start), "all" anything (a final "**").
Piece = tuple[str, object]
CharSet = tuple[tuple[tuple[str, str], ...], bool]  # ranges (low, high), negated


class PatternError(ValueError):
    """A line of the ignore file that is not a pattern."""


@dataclass(frozen=True)
class Rule:
    """One pattern line, compiled."""

    pieces: tuple[Piece, ...]
    negated: bool
    folders_only: bool

    def matches(self, path: str) -> bool:
        """Whether the pattern matches all of `path`: the positions it may be at are advanced
        together, one character at a time (linear in the path for a given pattern)."""
        states = self._closure({(0, False)})
        for char in path:
            states = self._closure({s for state in states for s in self._step(state, char)})
            if not states:
                return False
        return (len(self.pieces), False) in states

    def _closure(self, states: set[tuple[int, bool]]) -> set[tuple[int, bool]]:
        # The pieces that may match nothing are passed over; "dirs" may also start a folder run.
        todo, seen = list(states), set(states)
        while todo:
            index, inside = todo.pop()
            if inside or index == len(self.pieces):
                continue
            kind = self.pieces[index][0]
            extra = []
            if kind in ("star", "all", "dirs"):
                extra.append((index + 1, False))
            if kind == "dirs":
                extra.append((index, True))
            for state in extra:
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
        return seen

    def _step(self, state: tuple[int, bool], char: str) -> list[tuple[int, bool]]:
        index, inside = state
        if inside:  # within the folders of a "dirs": a "/" may end them
            return [(index, True), (index + 1, False)] if char == "/" else [(index, True)]
        if index == len(self.pieces):
            return []
        kind, detail = self.pieces[index]
        if kind == "char":
            return [(index + 1, False)] if char == detail else []
        if kind == "one":
            return [(index + 1, False)] if char != "/" else []
        if kind == "set":
            ranges, negated = cast(CharSet, detail)
            inside_set = any(low <= char <= high for low, high in ranges)
            return [(index + 1, False)] if char != "/" and inside_set != negated else []
        if kind == "star":
            return [(index, False)] if char != "/" else []
        return [(index, False)]  # "all"; "dirs" steps only from inside


@dataclass(frozen=True)
class IgnoreRules:
    """The patterns of one `.searchidxignore`, in file order, and the lines that were not."""

    rules: tuple[Rule, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def ignored(self, rel: str, is_folder: bool) -> bool:
        """Whether the path `rel` (relative to the corpus root) is to be left out."""
        verdict = False
        for rule in self.rules:
            if rule.folders_only and not is_folder:
                continue
            if rule.matches(rel):
                verdict = not rule.negated
        return verdict


def parse_rules(text: str) -> IgnoreRules:
    """Compile the lines of an ignore file; a line that is not a pattern is skipped and named
    in `warnings`."""
    rules = []
    warnings = []
    for number, raw in enumerate(text.splitlines(), start=1):
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
        try:
            pieces = _pieces(line.lstrip("/"))
        except PatternError as error:
            warnings.append(f"line {number}: {error}; the pattern is skipped")
            continue
        if not anchored:
            pieces = [("dirs", None), *pieces]
        rules.append(Rule(tuple(pieces), negated, folders_only))
    return IgnoreRules(tuple(rules), tuple(warnings))


def read_rules(root: Path) -> IgnoreRules:
    """The rules of `root/.searchidxignore`; none when the file is absent.

    Raises OSError or UnicodeDecodeError when the file is there but cannot be read: the walk
    reports it, since indexing files the user meant to leave out would be a silent surprise.
    """
    path = root / IGNORE_FILE
    if not path.is_file():
        return IgnoreRules()
    return parse_rules(path.read_text(encoding="utf-8-sig"))


def _pieces(pattern: str) -> list[Piece]:
    """A gitignore glob as pieces matching a whole relative path."""
    out: list[Piece] = []
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if pattern.startswith("**", i):
            at_start = i == 0 or pattern[i - 1] == "/"
            if at_start and pattern.startswith("**/", i):
                out.append(("dirs", None))  # zero or more whole folders
                i += 3
            elif at_start and i + 2 == size:
                out.append(("all", None))  # everything inside
                i += 2
            else:
                out.append(("star", None))  # "**" inside a name is an ordinary "*"
                i += 2
        elif char == "*":
            if not out or out[-1][0] != "star":  # "***" is one star: fewer states
                out.append(("star", None))
            i += 1
        elif char == "?":
            out.append(("one", None))
            i += 1
        elif char == "[":
            close = pattern.find("]", i + 2 if pattern.startswith("[!", i) else i + 1)
            if close == -1:
                out.append(("char", char))  # an unclosed bracket is literal
                i += 1
                continue
            out.append(("set", _set(pattern[i + 1 : close])))
            i = close + 1
        elif char == "\\" and i + 1 < size:
            out.append(("char", pattern[i + 1]))
            i += 2
        else:
            out.append(("char", char))
            i += 1
    return out


def _set(inner: str) -> CharSet:
    """A bracket expression's ranges, and whether it is negated (`[!...]`)."""
    negated = inner.startswith("!")
    if negated:
        inner = inner[1:]
    ranges = []
    i = 0
    while i < len(inner):
        low = inner[i]
        if low == "\\" and i + 1 < len(inner):
            i += 1
            low = inner[i]
        if i + 2 < len(inner) and inner[i + 1] == "-":
            high = inner[i + 2]
            if high < low:
                raise PatternError(f"[{inner}]: the range {low}-{high} runs backwards")
            ranges.append((low, high))
            i += 3
        else:
            ranges.append((low, low))
            i += 1
    return tuple(ranges), negated
