"""The user's alias file: merges, splits and drops that override the automatic alias table."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from searchidx.entities.clean import normalise_text, variant_key
from searchidx.entities.record import KINDS
from searchidx.errors import SearchIdxError

FILE_NAME = "entity-aliases.txt"
KIND_NAMES = {
    "people": "people", "person": "people",
    "organisations": "organisations", "organisation": "organisations",
    "organizations": "organisations", "organization": "organisations", "org": "organisations",
    "orgs": "organisations",
    "places": "places", "place": "places",
}  # fmt: skip
# `kind: ! Name` split, `- Name` drop, `+ Name` keep (not junk), `> Name` the name is of this kind
MARKS = {"!": "splits", "-": "drops", "+": "keeps", ">": "kinds"}


class OverridesError(SearchIdxError):
    """The alias file has a line that cannot be read."""


@dataclass
class Overrides:
    """merges: kind -> [(canonical, variants)]; splits, drops, keeps (never junk) and kinds
    (the name belongs to this kind, whatever spaCy said): kind -> variant keys."""

    merges: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    splits: dict[str, set[str]] = field(default_factory=dict)
    drops: dict[str, set[str]] = field(default_factory=dict)
    keeps: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, set[str]] = field(default_factory=dict)


def overrides_path(
    index_folder: Path | None, explicit: str | os.PathLike[str] | None = None
) -> Path | None:
    """`--aliases-file` > SEARCHIDX_ALIASES > `<index folder>/entity-aliases.txt` (if present)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("SEARCHIDX_ALIASES")
    if env:
        return Path(env).expanduser()
    if index_folder is not None and (index_folder / FILE_NAME).is_file():
        return index_folder / FILE_NAME
    return None


def parse_overrides(text: str, source: str = FILE_NAME) -> Overrides:
    """Read the alias file format (see docs/entities.md); OverridesError names the bad line."""
    result = Overrides()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        head, colon, rest = line.partition(":")
        if head.strip().lower() in ("outlet", "outlets"):
            continue  # outlet rules: read with the files (corpus/outlets.py)
        kind = KIND_NAMES.get(head.strip().lower())
        if not colon or kind is None:
            raise OverridesError(
                f"{source}:{number}: start the line with people:, organisations:, places: "
                "or outlets:"
            )
        rest = normalise_text(rest)
        if rest[:1] in MARKS:
            name = rest[1:].strip()
            if not variant_key(name):
                raise OverridesError(f"{source}:{number}: a name is missing after {rest[0]}")
            target = getattr(result, MARKS[rest[0]])
            target.setdefault(kind, set()).add(variant_key(name))
            continue
        names = [normalise_text(part) for part in rest.split("=")]
        if len(names) < 2 or not all(variant_key(n) for n in names):
            raise OverridesError(
                f"{source}:{number}: write `{head.strip()}: Canonical = variant = variant`"
            )
        result.merges.setdefault(kind, []).append((names[0], tuple(names[1:])))
    for kind in KINDS:
        result.merges.setdefault(kind, [])
        for rules in (result.splits, result.drops, result.keeps, result.kinds):
            rules.setdefault(kind, set())
    return result


def read_overrides(path: Path | None) -> Overrides:
    if path is None:
        return parse_overrides("")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OverridesError(f"alias file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise OverridesError(f"cannot read alias file {path}: {error}") from None
    return parse_overrides(text, str(path))
