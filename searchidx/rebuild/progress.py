"""How a rebuild reports progress: the `ProgressReporter` interface, and a silent default.

The CLI's stderr bar (searchidx.cli.progress_bar) and the TUI's backend both implement it.
"""

from __future__ import annotations

import sys
from typing import Protocol


class ProgressReporter(Protocol):
    """What a rebuild tells whoever watches it, in order: stages (a step without a count), bars
    (`start`, then `advance` per item up to the total, `finish`), running counts of files."""

    def stage(self, text: str) -> None:
        """A step with no per-item count (walking, committing), until the next report."""
        ...

    def start(self, label: str, total: int, unit: str = "files", done: int = 0) -> None:
        """A bar of `total` items begins (`total` is known: the walk comes first), `done` of them
        finished already (the writing bar: segments written while files were still read)."""
        ...

    def advance(self, count: int = 1) -> None: ...

    def pause(self, text: str) -> None:
        """A slow step in the middle of a bar (an interim commit), until `resume`."""
        ...

    def resume(self) -> None: ...

    def finish(self) -> None:
        """The bar (or the stage) is over."""
        ...

    def warn(self, text: str) -> None:
        """Something the user should know, the rebuild goes on."""
        ...

    def line(self, text: str) -> None:
        """A plain line of information."""
        ...

    def counts(self, indexed: int, skipped: int, failed: int) -> None:
        """Files so far: indexed (new or changed, read), skipped by the walk, failed to read."""
        ...


class SilentProgress:
    """Reports to nobody: the default of `rebuild()`. Warnings still go to stderr, where a
    library's caller would otherwise never see them."""

    def stage(self, text: str) -> None:
        pass

    def start(self, label: str, total: int, unit: str = "files", done: int = 0) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def pause(self, text: str) -> None:
        pass

    def resume(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def warn(self, text: str) -> None:
        sys.stderr.write(f"warning: {text}\n")
        sys.stderr.flush()

    def line(self, text: str) -> None:
        pass

    def counts(self, indexed: int, skipped: int, failed: int) -> None:
        pass
