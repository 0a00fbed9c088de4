"""Entity review: merge candidates and suspicious values, and the decisions written for them.

`candidates(table)` lists what a person should look at, most articles first:
- `merge`: a value whose words all appear in a more named value of the same kind (a lone name
  that two full names compete for, `Labour` / `Labour Party`, `United` / `Manchester United`);
- `retype`: a name the corpus decisions moved to another kind than spaCy gave it;
- `junk`: a value the junk filter dropped (`keep` brings it back).

Every decision is one line appended to the user alias file, marked `# review`, so the review
history is the file itself and undo removes the last marked line. The next `searchidx rebuild`
applies it from the NER cache, with no NER.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from searchidx.entities.aliases import AliasTable
from searchidx.entities.clean import variant_key
from searchidx.entities.overrides import parse_overrides
from searchidx.entities.record import KINDS

MARK = "# review"
MERGE_LIMIT = 400  # the most named values of a kind looked at as merge partners


@dataclass(frozen=True)
class Candidate:
    """One thing to review: `what` is merge / retype / junk; `other` the merge partner or the
    kind the name was moved to; `why` a short reason in words."""

    what: str
    kind: str
    value: str
    other: str
    articles: int
    why: str


def _merge_candidates(table: AliasTable, kind: str) -> list[Candidate]:
    top = table.top(kind, MERGE_LIMIT)
    found: list[Candidate] = []
    words = {value: variant_key(value).split() for value, _ in top}
    for value, count in top:
        mine = words[value]
        fuller = [
            (other, n)
            for other, n in top
            if other != value and len(words[other]) > len(mine) and _inside(mine, words[other])
        ]
        if fuller:
            other, n = fuller[0]
            why = f"{len(fuller)} fuller names" if len(fuller) > 1 else "a fuller name"
            found.append(Candidate("merge", kind, value, other, count, f"{why}; {other}: {n}"))
    return found


def _inside(short: list[str], long: list[str]) -> bool:
    size = len(short)
    return any(long[i : i + size] == short for i in range(len(long) - size + 1))


def candidates(table: AliasTable) -> list[Candidate]:
    """Merge candidates and suspicious values of every kind, most articles first."""
    found: list[Candidate] = []
    for kind in KINDS:
        found.extend(_merge_candidates(table, kind))
        counts = dict(table.top(kind, 10**9))
        for key, target in table.decisions.kind.items():
            if target == kind:
                value = table.canonical(kind, key)
                if value and value in counts:
                    found.append(
                        Candidate("retype", kind, value, kind, counts[value], "moved by the votes")
                    )
        for value, reason, count in table.junk(kind):
            found.append(Candidate("junk", kind, value, "", count, reason))
    unique = {(c.what, c.kind, c.value): c for c in found}
    return sorted(unique.values(), key=lambda c: (-c.articles, c.value.lower(), c.what))


def decision_line(action: str, candidate: Candidate, kind: str | None = None) -> str:
    """The alias file line for `action` (merge, split, retype, drop, keep) on `candidate`."""
    name = candidate.value
    if action == "merge":
        return f"{candidate.kind}: {candidate.other} = {name}"
    if action == "split":
        return f"{candidate.kind}: ! {name}"
    if action == "retype":
        return f"{kind or candidate.kind}: > {name}"
    if action == "drop":
        return f"{candidate.kind}: - {name}"
    if action == "keep":
        return f"{candidate.kind}: + {name}"
    raise ValueError(f"unknown review action {action!r}: use merge, split, retype, drop or keep")


class ReviewLog:
    """The review's decisions in the user alias file: append, list, undo the last."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    def history(self) -> list[str]:
        """The decisions the review wrote, oldest first, without their mark."""
        return [line[: -len(MARK)].rstrip() for line in self._lines() if line.endswith(MARK)]

    def append(self, line: str) -> None:
        parse_overrides(line, str(self.path))  # never write a line the rebuild cannot read
        lines = self._lines()
        lines.append(f"{line}  {MARK}")
        self._write(lines)

    def undo(self) -> str | None:
        """Remove the last review decision; returns it (None when there is none)."""
        lines = self._lines()
        for index in range(len(lines) - 1, -1, -1):
            if lines[index].endswith(MARK):
                removed = lines.pop(index)
                self._write(lines)
                return removed[: -len(MARK)].rstrip()
        return None

    def _write(self, lines: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        partial.replace(self.path)
