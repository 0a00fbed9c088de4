"""Snippets cut from a body around spans already found (the spans of `show --highlight`).

`snippets.make_snippets` finds its own matches; `show` already has the exact body spans (phrase
words only where the phrase matches), so its fragments are cut around those spans instead, and
every span a fragment carries is one of them.
"""

from __future__ import annotations

from searchidx.models import Snippet

FRAGMENT_CHARS = 160  # about the width of a query snippet
_CONTEXT = 40  # characters kept around the matches a fragment is built on


def fragments(
    body: str, spans: tuple[tuple[int, int], ...], count: int = 3, width: int = FRAGMENT_CHARS
) -> tuple[Snippet, ...]:
    """Up to `count` fragments of about `width` characters around `spans`, in text order.

    Matches close enough to share a fragment are grouped; the groups naming the most distinct
    words (then the most matches) are kept. Whitespace runs become one space, spans follow.
    """
    ordered = sorted(s for s in spans if 0 <= s[0] < s[1] <= len(body))
    if count <= 0 or not ordered:
        return ()
    groups: list[list[tuple[int, int]]] = []
    for span in ordered:
        if groups and span[1] - groups[-1][0][0] <= width - _CONTEXT:
            groups[-1].append(span)
        else:
            groups.append([span])

    def weight(group: list[tuple[int, int]]) -> tuple[int, int]:
        return len({body[s:e].lower() for s, e in group}), len(group)

    chosen = sorted(sorted(groups, key=weight, reverse=True)[:count], key=lambda g: g[0][0])
    return tuple(_cut(body, group, width) for group in chosen)


def _cut(body: str, group: list[tuple[int, int]], width: int) -> Snippet:
    first, last = group[0][0], group[-1][1]
    room = max(0, width - (last - first)) // 2
    start, end = max(0, first - room), min(len(body), last + room)
    # whole words only: move the edges inward to whitespace, never past a match
    if start > 0 and not body[start - 1].isspace():
        gap = next((i for i in range(start, first) if body[i].isspace()), None)
        start = gap + 1 if gap is not None else first
    if end < len(body) and not body[end].isspace():
        gap = next((i for i in range(end - 1, last - 1, -1) if body[i].isspace()), None)
        end = gap if gap is not None else last
    text: list[str] = []
    where: dict[int, int] = {}  # body offset -> offset in the fragment text
    for offset in range(start, end):
        where[offset] = len(text)
        char = body[offset]
        if char.isspace():
            if text and text[-1] != " ":
                text.append(" ")
        else:
            text.append(char)
    where[end] = len(text)
    cleaned = "".join(text).rstrip()
    return Snippet(cleaned, tuple((where[s], where[e]) for s, e in group))
