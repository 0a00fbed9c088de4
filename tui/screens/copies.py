"""The search screen's copies toggle: copies of one article folded into one result with an
"also in" line (the default, as `searchidx query`), or every copy listed as its own result."""

from __future__ import annotations

from tui.screens.workset import WorksetControls


class CopiesControls(WorksetControls):
    """The base of SearchScreen, which puts `all_copies` in its requests."""

    all_copies = False  # True: every copy of an article is a result of its own

    def action_toggle_copies(self) -> None:
        self.all_copies = not self.all_copies
        self.notify("Every copy listed" if self.all_copies else "Copies folded into one result",
                    timeout=2)  # fmt: skip
        self.search()
