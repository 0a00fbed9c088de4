"""What a file's articles take from outside its bytes: the `.searchidx.toml` above it and the
outlet rules of the user's alias file. A file whose bytes did not change is parsed again when
either changed since the live generation was written (`Inherited.changed`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from searchidx.corpus.folder_settings import changed_folders, settings_stamps, under_any
from searchidx.corpus.outlets import outlet_lines, parse_outlet_rules
from searchidx.entities.overrides import overrides_path
from searchidx.index.manifest import Manifest


@dataclass(frozen=True)
class Inherited:
    folder_settings: dict[str, str]  # folder -> hash of its settings file
    outlet_rules: str  # the alias file's outlet lines, as the readers get them
    outlet_stamp: str  # their hash ("" without rules)
    rules_changed: bool = False
    folders_changed: set[str] = field(default_factory=set)

    def changed(self, rel: str) -> bool:
        """The file `rel` inherits something else than when it was read."""
        return self.rules_changed or under_any(rel, self.folders_changed)


def outlet_rules_text(index_path: Path, aliases_file: Path | None) -> str:
    """The outlet lines of the alias file this rebuild uses (see `overrides_path`), checked:
    OutletRulesError names a line that cannot be read. An unreadable file gives none here (the
    entity phase says why)."""
    path = overrides_path(index_path, aliases_file)
    try:
        text = path.read_text(encoding="utf-8") if path is not None else ""
    except (OSError, UnicodeDecodeError):
        return ""
    lines = outlet_lines(text)
    parse_outlet_rules(lines, str(path))
    return lines


def inherited(
    root: Path, rels: list[str], old: Manifest, index_path: Path, aliases_file: Path | None
) -> Inherited:
    stamps = settings_stamps(root, rels)
    rules = outlet_rules_text(index_path, aliases_file)
    stamp = hashlib.blake2b(rules.encode("utf-8"), digest_size=8).hexdigest() if rules else ""
    return Inherited(
        folder_settings=stamps,
        outlet_rules=rules,
        outlet_stamp=stamp,
        rules_changed=stamp != old.outlet_rules,
        folders_changed=changed_folders(old.folder_settings, stamps),
    )
