"""Snippets as data: which words of a body to highlight, and the fragments around them.

We mark matches ourselves rather than through whoosh's highlighter, because its strict-phrase
mode compares raw words with stems and ignores fields (whoosh-notes trap 9). Matching uses the
body's own analyzer, so "defect" highlights "defected" and "defection".
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from searchidx.index import querytree as qt
from searchidx.index.engine import Engine, Token
from searchidx.models import Snippet

# (text, field) -> its words as the index analysed them: the engine's `tokens`
Tokenize = Callable[[str, str], list[Token]]
FRAGMENT_CHARS = 160
# Snippets look for matches in the body's first SCAN_CHARS characters only: analysing a whole
# 19 MB body took 19 s a hit (issue 22, item 13); news articles are far shorter than this.
SCAN_CHARS = 100_000
_MAX_PARTIAL = 2000  # partial proximity matches followed per body
# Texts analysed lately, kept: while a query is typed, one keystroke's hits are mostly the last
# one's, and analysing a body is most of a snippet's cost (a long body several milliseconds).
TOKEN_CACHE_TEXTS = 256
TOKEN_CACHE_CHARS = 2_000_000
# Every whitespace character (no-break spaces included) becomes one space: same length, so spans
# found in the original text stay valid in the flattened one.
_WHITESPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Highlight:
    """What to mark in a text of `field`, and how to find its words (the engine's `tokens`):
    stems matched on their own, and phrases (stems, slop)."""

    tokens: Tokenize
    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()
    # `"a b"~N`: (stems, slop) whose words may come in any order
    proximity: tuple[tuple[tuple[str, ...], int], ...] = ()
    field: str = "body"

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.proximity)


def highlight_for(engine: Engine, query: qt.QueryNode, field: str = "body") -> Highlight:
    """The `field` terms of a query: wildcards and fuzzy terms expanded against the index; terms
    under a negation and terms of other fields (filters, entities, dates) left out."""
    words: set[str] = set()
    phrases: list[tuple[tuple[str, ...], int]] = []
    proximity: list[tuple[tuple[str, ...], int]] = []

    def walk(node: qt.QueryNode) -> None:
        if isinstance(node, qt.Phrase):
            if node.field == field:
                (phrases if node.ordered else proximity).append((node.words, node.slop))
        elif isinstance(node, qt.AndNot):
            walk(node.positive)
        elif isinstance(node, qt.Term | qt.Prefix | qt.Wildcard | qt.Fuzzy):
            if node.field == field:
                words.update(engine.expand(node))
        else:
            for child in qt.children(node):
                walk(child)

    walk(query)
    return Highlight(engine.tokens, frozenset(words), tuple(phrases), tuple(proximity), field)


def match_spans(text: str, highlight: Highlight) -> list[tuple[int, int]]:
    """[start, end) character spans of every highlighted word in `text` (a value of the
    highlight's field), in text order."""
    if not highlight or not text:
        return []
    analysed = _TOKENS.get(highlight.tokens, text, highlight.field)
    by_stem = analysed.by_stem()
    spans = {(start, end) for word in highlight.words for _, start, end in by_stem.get(word, ())}
    if not highlight.phrases and not highlight.proximity:
        return _merged(sorted(spans))
    by_position = analysed.by_position()
    for words, slop in highlight.phrases:
        for pos, _, _ in by_stem.get(words[0], ()):
            found = [pos]
            for word in words[1:]:
                last = found[-1]
                nxt = next(
                    (
                        p
                        for p in range(last + 1, last + slop + 1)
                        if by_position.get(p, ("",))[0] == word
                    ),
                    None,
                )
                if nxt is None:
                    break
                found.append(nxt)
            if len(found) == len(words):
                spans.update((by_position[p][1], by_position[p][2]) for p in found)
    for words, slop in highlight.proximity:
        for pos in _near_positions(by_stem, words, slop):
            spans.add((by_position[pos][1], by_position[pos][2]))
    return _merged(sorted(spans))


class _Analysed:
    """A text's tokens, and the lookups matching needs, built once for the text."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._by_stem: dict[str, list[tuple[int, int, int]]] | None = None
        self._by_position: dict[int, tuple[str, int, int]] | None = None

    def by_stem(self) -> dict[str, list[tuple[int, int, int]]]:
        """stem -> (position, start, end) of each of its words, in text order."""
        if self._by_stem is None:
            found: dict[str, list[tuple[int, int, int]]] = {}
            for stem, pos, start, end in self.tokens:
                found.setdefault(stem, []).append((pos, start, end))
            self._by_stem = found
        return self._by_stem

    def by_position(self) -> dict[int, tuple[str, int, int]]:
        if self._by_position is None:
            self._by_position = {pos: (stem, start, end) for stem, pos, start, end in self.tokens}
        return self._by_position


class _TokenCache:
    """The tokens of the texts analysed last (least recently used first out), bounded by
    count and by characters; keyed by the analysing function too, in case engines differ."""

    def __init__(self, texts: int, chars: int) -> None:
        self.texts, self.chars, self.held = texts, chars, 0
        self.found: OrderedDict[tuple[object, str, str], _Analysed] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, tokenize: Tokenize, text: str, field: str) -> _Analysed:
        key = (getattr(tokenize, "__func__", tokenize), field, text)
        with self.lock:
            analysed = self.found.get(key)
            if analysed is not None:
                self.found.move_to_end(key)
                return analysed
        analysed = _Analysed(tokenize(text, field))
        if len(text) > self.chars:
            return analysed
        with self.lock:
            if key not in self.found:
                self.found[key] = analysed
                self.held += len(text)
            while len(self.found) > self.texts or self.held > self.chars:
                (_, _, old), _ = self.found.popitem(last=False)
                self.held -= len(old)
        return analysed

    def clear(self) -> None:
        with self.lock:
            self.found.clear()
            self.held = 0


_TOKENS = _TokenCache(TOKEN_CACHE_TEXTS, TOKEN_CACHE_CHARS)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one: the CJK bigrams 日本 and 本人 mark 日本人 once."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _near_positions(
    by_stem: dict[str, list[tuple[int, int, int]]], words: tuple[str, ...], slop: int
) -> set[int]:
    """Positions of the words of every order-free match of `words` within `slop`, as whoosh's
    SpanNear2(ordered=False) grows a match: each next word lies 1..slop positions before or after
    the span the earlier words cover. `by_stem`: `_Analysed.by_stem` of the text."""
    # (first, last, positions) of each partial match
    partial: set[tuple[int, int, tuple[int, ...]]] = {
        (p, p, (p,)) for p, _, _ in by_stem.get(words[0], ())
    }
    for word in words[1:]:
        grown = set()
        for first, last, held in partial:
            for p, _, _ in by_stem.get(word, ()):
                gap = first - p if p < first else p - last if p > last else 0
                if 1 <= gap <= slop:
                    grown.add((min(first, p), max(last, p), tuple(sorted((*held, p)))))
        partial = grown
        if len(partial) > _MAX_PARTIAL:  # a word repeated all over a long body: enough to mark
            partial = set(sorted(partial)[:_MAX_PARTIAL])
    return {p for _, _, held in partial for p in held}


def _snap_start(text: str, start: int, limit: int) -> int:
    """Move a fragment start forward to a word start, never past `limit`."""
    if start <= 0:
        return 0
    space = text.find(" ", start, limit)
    return space + 1 if space != -1 else start


def _snap_end(text: str, end: int, limit: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", limit, end)
    return space if space != -1 else end


def opening(text: str, width: int = FRAGMENT_CHARS) -> Snippet:
    """The article's first words, for hits whose body did not match."""
    head = _scanned(text)
    flat = " ".join(head.split())
    if len(flat) <= width:
        return Snippet(flat, cut_end=len(head) < len(text))
    return Snippet(flat[: _snap_end(flat, width, width // 2)], cut_end=True)


def make_snippets(
    text: str, highlight: Highlight, count: int = 3, width: int = FRAGMENT_CHARS
) -> tuple[Snippet, ...]:
    """Up to `count` fragments of about `width` characters, the best ones, in text order."""
    if count <= 0:
        return ()
    head = _scanned(text)
    flat = _WHITESPACE.sub(" ", head)
    spans = match_spans(flat, highlight)
    if not spans:
        # a title-only story (Reuters briefs) has no opening: an empty snippet would print as "……"
        return (opening(text, width),) if head.strip() else ()
    found = _cut_fragments(flat, spans, count, width)
    if len(head) < len(text) and not found[-1].cut_end:
        found = (*found[:-1], replace(found[-1], cut_end=True))
    return found


def _scanned(text: str) -> str:
    """The part of a body snippets look at: its first SCAN_CHARS characters, cut at a space."""
    if len(text) <= SCAN_CHARS:
        return text
    space = max(text.rfind(" ", 0, SCAN_CHARS), text.rfind("\n", 0, SCAN_CHARS))
    return text[: space if space > 0 else SCAN_CHARS]


def fragments(
    text: str, spans: tuple[tuple[int, int], ...], count: int = 3, width: int = FRAGMENT_CHARS
) -> tuple[Snippet, ...]:
    """Fragments around spans found elsewhere (`show --highlight` has the exact body spans)."""
    valid = sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text))
    if count <= 0 or not valid:
        return ()
    return _cut_fragments(_WHITESPACE.sub(" ", text), valid, count, width)


def _cut_fragments(
    flat: str, spans: list[tuple[int, int]], count: int, width: int
) -> tuple[Snippet, ...]:
    """The best `count` fragments around sorted `spans` of `flat` (whitespace already spaces)."""
    # Group matches that fit in one fragment, leaving some context around them.
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= width - 40:
            groups[-1].append(span)
        else:
            groups.append([span])

    def score(group: list[tuple[int, int]]) -> tuple[int, int]:
        distinct = {flat[s:e].lower() for s, e in group}
        return (len(distinct), len(group))

    best = sorted(sorted(groups, key=score, reverse=True)[:count], key=lambda g: g[0][0])
    return tuple(_cut(flat, group, width) for group in best)


def _cut(flat: str, group: list[tuple[int, int]], width: int) -> Snippet:
    first, last = group[0][0], group[-1][1]
    pad = max(0, (width - (last - first)) // 2)
    start = max(0, first - pad)
    end = min(len(flat), max(last, start + width))
    start = _snap_start(flat, start, first)
    end = _snap_end(flat, end, last)
    fragment = flat[start:end]
    # Collapse runs of spaces (from blank lines) while keeping spans aligned.
    kept: list[str] = []
    mapping: dict[int, int] = {}
    for i, char in enumerate(fragment):
        if char == " " and kept and kept[-1] == " ":
            continue
        mapping[i] = len(kept)
        kept.append(char)
    mapping[len(fragment)] = len(kept)
    cleaned = "".join(kept)
    relative = tuple((mapping[s - start], mapping[e - start]) for s, e in group)
    lead = len(cleaned) - len(cleaned.lstrip())
    return Snippet(
        cleaned.strip(),
        tuple((s - lead, e - lead) for s, e in relative),
        cut_start=bool(flat[:start].strip()),
        cut_end=bool(flat[end:].strip()),
    )


def text_spans(text: str, highlight: Highlight) -> tuple[tuple[int, int], ...]:
    """Spans of the matched words over a whole text: a title, or the body for `show
    --highlight` (`highlight` built for that field)."""
    return tuple(match_spans(text, highlight))
