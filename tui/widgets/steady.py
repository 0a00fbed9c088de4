"""The search box and option lists, redrawn without laying the screen out while they type/fill.

Textual's `virtual_size` (how far a widget's content reaches) is a layout reactive: the Input
sets it to the text's width on every key, an OptionList to its line count on every new set of
options, and each change lays the whole screen out again, which redraws every widget. These
widgets get their size from app.tcss (1fr, a fixed height), so their content cannot move
anything else: a repaint is enough. A scrollbar shown or hidden still lays the list out, and a
widget sized by its content (`height: auto`) keeps every layout.
"""

from __future__ import annotations

from typing import Self

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, OptionList


def _layout_wanted(widget: Widget, steady: bool, layout: bool) -> bool:
    """Whether a layout `widget` asks for is still done: not while it is `steady` (filling or
    typing), unless its size follows its content."""
    return layout and (not steady or widget.styles.auto_dimensions)


class SteadyInput(Input):
    """An Input whose typing repaints the box only (Textual 8.2's `Input._watch_value`)."""

    _steady = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        layout = _layout_wanted(self, self._steady, layout)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _watch_value(self, value: str) -> None:
        self._steady = True
        try:
            super()._watch_value(value)
        finally:
            self._steady = False


class SteadyOptionList(OptionList):
    """An OptionList whose new options repaint it only (Textual 8.2's `_update_lines`)."""

    _steady = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        layout = _layout_wanted(self, self._steady, layout)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _update_lines(self) -> None:
        scrollbars = self.show_vertical_scrollbar, self.show_horizontal_scrollbar
        self._steady = True
        try:
            super()._update_lines()
        finally:
            self._steady = False
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != scrollbars:
            self.refresh(layout=True)  # a scrollbar came or went: the content width changed
