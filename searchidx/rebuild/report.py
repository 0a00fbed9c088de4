"""What one rebuild did: counts by file, when each phase ended, the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from searchidx.models import Problem


@dataclass
class RebuildReport:
    """What one rebuild did; the CLI prints it and picks the exit code from it."""

    index_path: Path
    corpus_root: Path
    indexed: int = 0  # files new to the index, read
    updated: int = 0  # files changed since the last rebuild, re-read
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0  # files the walk did not read (type, size, permissions)
    failed: int = 0  # files a reader could not read
    articles: int = 0  # in the index after the rebuild
    entities_pending: int = 0
    stories_deferred: bool = False  # grouping waits for a rebuild that completes the entities
    seconds: float = 0.0
    # when each phase ended, seconds from the start (None: the phase did not run)
    searchable_after: float | None = None  # the first generation with this run's text went live
    text_after: float | None = None  # phase 1: every changed file indexed and published
    entities_after: float | None = None  # phase 2: entity values of every article published
    published: bool = False  # False: nothing changed, the live generation stayed
    new_problems: list[Problem] = field(default_factory=list)  # found by this run
    failures: list[Problem] = field(default_factory=list)  # all the index lists now

    @property
    def exit_code(self) -> int:
        return 1 if any(p.skipped for p in self.failures) else 0

    def summary(self) -> str:
        phases = [
            f"{label} after {value:.1f}s"
            for label, value in (
                ("searchable", self.searchable_after),
                ("entities done", self.entities_after),
            )
            if value is not None
        ]
        return (
            f"indexed {self.indexed:,}, updated {self.updated:,}, unchanged {self.unchanged:,}, "
            f"deleted {self.deleted:,}, skipped {self.skipped:,}, failed {self.failed:,} files; "
            f"{self.articles:,} articles in {self.seconds:.1f}s"
            + (f" ({', '.join(phases)})" if phases else "")
            + ("; stories are grouped once entities are filled in" if self.stories_deferred else "")
        )

    def to_json(self) -> dict[str, object]:
        return {
            "index": str(self.index_path),
            "corpus_root": str(self.corpus_root),
            **{
                name: getattr(self, name)
                for name in (
                    "indexed",
                    "updated",
                    "unchanged",
                    "deleted",
                    "skipped",
                    "failed",
                    "articles",
                    "entities_pending",
                    "stories_deferred",
                    "published",
                )
            },
            "seconds": round(self.seconds, 3),
            **{
                name: None if getattr(self, name) is None else round(getattr(self, name), 3)
                for name in ("searchable_after", "text_after", "entities_after")
            },
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        }
