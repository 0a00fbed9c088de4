"""Per-generation file state (size, mtime, content hash, article ids, problems) and change plans."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from searchidx.corpus.regular import open_regular
from searchidx.models import Problem

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(slots=True)  # a million of them at 1M files: no __dict__ each
class FileState:
    """What the index knows of one corpus file. `problems` are (reason, skipped) pairs."""

    size: int
    mtime_ns: int
    content_hash: str
    ids: list[str] = field(default_factory=list)
    problems: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """The file (or part of it) could not be read: a candidate for --retry-failed."""
        return any(skipped for _, skipped in self.problems)

    def to_row(self) -> list[object]:
        return [self.size, self.mtime_ns, self.content_hash, self.ids, self.problems]

    @classmethod
    def from_row(cls, row: list[object]) -> FileState:
        size, mtime_ns, content_hash, ids, problems = row
        if not (
            isinstance(size, int)
            and isinstance(mtime_ns, int)
            and isinstance(ids, list)
            and isinstance(problems, list)
        ):
            raise ValueError(f"malformed manifest row {row!r}")
        return cls(
            size,
            mtime_ns,
            str(content_hash),
            [str(i) for i in ids],
            [(str(r), bool(s)) for r, s in problems],
        )


@dataclass
class Manifest:
    """Every corpus file the index holds, keyed by its path relative to the corpus root.

    Stored as one JSON object of arrays: loading 21,577 entries takes tens of milliseconds, which
    keeps a no-op rebuild well under two seconds.
    """

    files: dict[str, FileState] = field(default_factory=dict)
    walk_problems: list[Problem] = field(default_factory=list)  # folders or files never read
    # folder -> hash of its `.searchidx.toml` when these files were read (corpus/folder_settings)
    folder_settings: dict[str, str] = field(default_factory=dict)
    outlet_rules: str = ""  # hash of the alias file's outlet rules the files were read with

    @classmethod
    def load(cls, generation: Path | None) -> Manifest:
        if generation is None:
            return cls()
        try:
            raw = json.loads((generation / MANIFEST_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        if raw.get("version") != MANIFEST_VERSION:
            return cls()
        return cls(
            files={rel: FileState.from_row(row) for rel, row in raw["files"].items()},
            walk_problems=[Problem(p, r, bool(s)) for p, r, s in raw.get("walk_problems", [])],
            folder_settings={str(k): str(v) for k, v in (raw.get("folder_settings") or {}).items()},
            outlet_rules=str(raw.get("outlet_rules") or ""),
        )

    def to_json(self) -> dict[str, object]:
        files = {rel: state.to_row() for rel, state in sorted(self.files.items())}
        return {"version": MANIFEST_VERSION, "files": files, **self._rest()}

    def _rest(self) -> dict[str, object]:
        return {
            "walk_problems": [[p.path, p.reason, p.skipped] for p in self.walk_problems],
            "folder_settings": dict(sorted(self.folder_settings.items())),
            "outlet_rules": self.outlet_rules,
        }

    def json_chunks(self) -> Iterator[str]:
        """The text of `json.dumps(self.to_json(), ensure_ascii=False)` a file at a time: at a
        million files the rows, the whole text and its bytes at once took ~0.5 GB."""

        def dump(value: object) -> str:
            return json.dumps(value, ensure_ascii=False)

        yield f'{{"version": {MANIFEST_VERSION}, "files": {{'
        for number, rel in enumerate(sorted(self.files)):
            yield f"{', ' if number else ''}{dump(rel)}: {dump(self.files[rel].to_row())}"
        yield "}"
        for key, value in self._rest().items():
            yield f", {dump(key)}: {dump(value)}"
        yield "}"

    def failures(self) -> list[Problem]:
        """Every problem the index keeps: unread folders or files, then per-file problems."""
        found = list(self.walk_problems)
        for rel, state in sorted(self.files.items()):
            found.extend(Problem(rel, reason, skipped) for reason, skipped in state.problems)
        return found

    def article_count(self) -> int:
        return sum(len(state.ids) for state in self.files.values())


@dataclass(frozen=True, slots=True)
class Change:
    """One corpus file that needs work (`path`: absolute). `previous` is None for a file new to
    the index."""

    rel: str
    path: str
    size: int
    mtime_ns: int
    previous: FileState | None
    settings_changed: bool = False  # same bytes, other folder settings: parse it again


@dataclass
class Plan:
    to_read: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.to_read and not self.deleted


def plan_changes(
    manifest: Manifest,
    sources: Iterable[tuple[str, str, int, int]],
    *,
    full: bool = False,
    retry_failed: bool = False,
    settings_changed: Callable[[str], bool] = lambda rel: False,
) -> Plan:
    """Compare the walk (rel, path, size, mtime_ns) with the manifest: what to read, drop, keep.

    Size and mtime decide here; a file whose stat changed but whose content hash did not is
    recognised later, when it is read, and not re-parsed. With `retry_failed` only the files the
    index lists as failed are read again (files gone from the corpus are still dropped).
    `settings_changed(rel)`: the folder settings the file inherits changed, so it is parsed again.
    """
    plan = Plan()
    seen: set[str] = set()
    # files the walk refused last time (too large, say) are retried as failed files are
    refused = {p.path for p in manifest.walk_problems if p.skipped}
    for rel, path, size, mtime_ns in sources:
        seen.add(rel)
        previous = manifest.files.get(rel)
        if full:
            plan.to_read.append(Change(rel, path, size, mtime_ns, None))
        elif retry_failed:
            if (previous is not None and previous.failed) or (previous is None and rel in refused):
                plan.to_read.append(Change(rel, path, size, mtime_ns, previous))
            else:
                plan.unchanged.append(rel)
        elif previous is None or previous.size != size or previous.mtime_ns != mtime_ns:
            plan.to_read.append(Change(rel, path, size, mtime_ns, previous))
        elif settings_changed(rel):
            plan.to_read.append(Change(rel, path, size, mtime_ns, previous, True))
        else:
            plan.unchanged.append(rel)
    plan.deleted = sorted(rel for rel in manifest.files if rel not in seen)
    return plan


def hash_file(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open_regular(path) as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
