"""The article pane: the whole stored article, every match highlighted, next/previous match keys."""

from __future__ import annotations

import re
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from tui.backend import Hit, SearchIdxError, StoredArticle
from tui.screens import search_app
from tui.widgets.snippet_view import clean_text, highlighted, hit_date, marks_text, title_text

Span = tuple[int, int]


def body_spans(stored: StoredArticle) -> tuple[Span, ...]:
    """Match offsets in the body: the core's own when it gives them, else the matched words of
    the snippets found again in the body (case-insensitive)."""
    if stored.body_spans:
        return tuple(sorted(stored.body_spans))
    for snippet in stored.hit.snippets:
        if snippet.text == stored.body:
            return tuple(sorted(snippet.spans))
    words = {
        snippet.text[start:end].lower()
        for snippet in stored.hit.snippets
        for start, end in snippet.spans
        if end > start
    }
    if not words:
        return ()
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    return tuple(match.span() for match in pattern.finditer(stored.body))


def split_paragraphs(body: str, spans: tuple[Span, ...]) -> list[tuple[str, list[Span], int]]:
    """Lines of the body with their local spans and the number of their first match."""
    paragraphs: list[tuple[str, list[Span], int]] = []
    offset = 0
    number = 0
    for line in body.split("\n"):
        end = offset + len(line)
        local = [(s - offset, e - offset) for s, e in spans if offset <= s and e <= end]
        paragraphs.append((line, local, number))
        number += len(local)
        offset = end + 1
    return paragraphs


class ArticleScreen(Screen[None]):
    """One article; n / p (or shift+n) jump between matches, s shows similar articles."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("n", "next_match", "Next match"),
        Binding("p,N", "previous_match", "Previous match"),
        Binding("s", "similar", "Similar"),
        Binding("asterisk", "star", "Star"),
        Binding("t", "tag", "Tag"),
        Binding("f1,question_mark", "app.help", "Help"),
    ]

    def __init__(self, hit: Hit, query: str) -> None:
        super().__init__()
        self.hit = hit
        self.query_text = query
        self.spans: tuple[Span, ...] = ()
        self.paragraphs: list[tuple[str, list[Span], int]] = []
        self.current: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._header(self.hit), id="article-header")
        yield VerticalScroll(Static(Text("Loading…", style="dim")), id="article-body")
        yield Static("", id="article-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#article-body").focus()
        self._load()

    @staticmethod
    def _header(hit: Hit) -> Text:
        text = title_text(hit)
        text.append("\n")
        text.append(clean_text(hit.outlet or "unknown outlet"), style="italic")
        text.append(" · " + hit_date(hit), style="dim")
        if hit.authors:
            text.append(" · " + clean_text(", ".join(hit.authors)), style="dim")
        if hit.url:
            text.append("\n" + clean_text(hit.url), style="dim underline")
        text.append("\n" + clean_text(hit.path), style="dim")  # the file, in the corpus folder
        for label, names in (
            ("people", hit.people),
            ("organisations", hit.organisations),
            ("places", hit.places),
        ):
            if names:
                text.append(f"\n{label}: ", style="bold dim")
                text.append(clean_text(", ".join(names)))
        if hit.tags or hit.note:
            text.append("\n").append_text(marks_text(hit))
        return text

    @work(thread=True, exclusive=True, group="article")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            stored = search_app(self).backend.article(
                self.hit.id, highlight=self.query_text or None
            )
        except SearchIdxError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, stored)

    def _failed(self, message: str) -> None:
        body = self.query_one("#article-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(Text(f"Cannot show this article: {message}", style="bold red")))

    def _show(self, stored: StoredArticle) -> None:
        # the stored article has every field (a hit from a filtered list may not)
        self.hit = replace(stored.hit, tags=self.hit.tags, note=self.hit.note)
        self.query_one("#article-header", Static).update(self._header(self.hit))
        self.spans = body_spans(stored)
        self.paragraphs = split_paragraphs(stored.body, self.spans)
        body = self.query_one("#article-body", VerticalScroll)
        body.remove_children()
        body.mount_all(
            Static(highlighted(line, tuple(local)), classes="paragraph", id=f"para-{number}")
            for number, (line, local, _first) in enumerate(self.paragraphs)
        )
        self._status()
        if self.spans:
            self.call_after_refresh(self._goto, 0)

    def _status(self) -> None:
        status = self.query_one("#article-status", Static)
        if not self.spans:
            note = "no matches to show" if self.query_text else "showing the whole article"
            status.update(Text(note, style="dim"))
            return
        where = f"match {self.current + 1} of " if self.current is not None else ""
        status.update(Text(f"{where}{len(self.spans)} matches — n: next, p: previous"))

    def _paint(self, number: int | None) -> int | None:
        """Repaint the paragraph holding match `number`; returns that paragraph's index."""
        if number is None:
            return None
        for index, (line, local, first) in enumerate(self.paragraphs):
            if first <= number < first + len(local):
                current = number - first if number == self.current else None
                widget = self.query_one(f"#para-{index}", Static)
                widget.update(highlighted(line, tuple(local), current=current))
                return index
        return None

    def _goto(self, number: int) -> None:
        if not self.spans:
            return
        previous, self.current = self.current, number % len(self.spans)
        self._paint(previous)
        index = self._paint(self.current)
        if index is not None:
            self.query_one("#article-body", VerticalScroll).scroll_to_center(
                self.query_one(f"#para-{index}"), animate=False
            )
        self._status()

    def action_next_match(self) -> None:
        self._goto(0 if self.current is None else self.current + 1)

    def action_previous_match(self) -> None:
        self._goto(len(self.spans) - 1 if self.current is None else self.current - 1)

    def action_star(self) -> None:
        search_app(self).mark_hit(self.hit, star=True)

    def action_tag(self) -> None:
        search_app(self).mark_hit(self.hit, star=False)

    def marked(self, hit: Hit) -> None:
        """The hit with its new tags (after a star or tag): the header shows them."""
        self.hit = hit
        self.query_one("#article-header", Static).update(self._header(hit))

    def action_similar(self) -> None:
        self.app.pop_screen()
        search_app(self).show_similar(self.hit)
