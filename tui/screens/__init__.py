"""Full screens of the TUI: search, article, related names, timeline, export, help, no index.

Screens reach the backend and the app's navigation through `search_app`, typed, rather than
through Textual's untyped `self.app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.app import SearchApp


def search_app(node: DOMNode) -> SearchApp:
    """The running `SearchApp` a screen or widget belongs to."""
    return cast("SearchApp", node.app)
