"""The query tree: what the query parser produces and every engine matches and ranks.

Plain frozen dataclasses, free of any engine's objects, so a second engine is one more compiler
of this tree. Each node keeps what today's matching and ranking depend on (the default group's
coordination `scale`, a phrase's `slop` and order, a fuzzy term's distance and fixed prefix).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Every:
    """Every live article (an empty query, or `*`)."""


@dataclass(frozen=True)
class Nothing:
    """No article (a query of stop words only)."""


@dataclass(frozen=True)
class Term:
    """One index term (already analysed: a stem in a text field, a stored value elsewhere)."""

    field: str
    text: str


@dataclass(frozen=True)
class Phrase:
    """Terms within `slop` positions of each other; `ordered=False`: in any order (`"a b"~N`)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    ordered: bool = True


@dataclass(frozen=True)
class Prefix:
    field: str
    text: str


@dataclass(frozen=True)
class Wildcard:
    """A pattern with `*` (any run of characters) and `?` (one character)."""

    field: str
    pattern: str


@dataclass(frozen=True)
class Fuzzy:
    """Terms at most `maxdist` edits from `text`, sharing its first `prefix_length` characters."""

    field: str
    text: str
    maxdist: int = 1
    prefix_length: int = 1


@dataclass(frozen=True)
class DayRange:
    """Articles published on a day in [low, high] (yyyymmdd; None: open). Undated ones never."""

    low: int | None
    high: int | None


@dataclass(frozen=True)
class And:
    children: tuple[QueryNode, ...]


@dataclass(frozen=True)
class Or:
    """Any child; `scale` (the default group's 0.9) rewards documents matching more children;
    `boost` multiplies the score (the weighted terms of an expanded query, `search.feedback`)."""

    children: tuple[QueryNode, ...]
    scale: float | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe:
    """Documents matching `required`; those also matching `optional` score higher."""

    required: QueryNode
    optional: QueryNode


@dataclass(frozen=True)
class AndNot:
    positive: QueryNode
    negative: QueryNode


# a leaf that stands for index terms: what highlighting asks an engine to expand
TermLeaf = Term | Prefix | Wildcard | Fuzzy
QueryNode = (
    Every
    | Nothing
    | Term
    | Phrase
    | Prefix
    | Wildcard
    | Fuzzy
    | DayRange
    | And
    | Or
    | AndMaybe
    | AndNot
)


def children(node: QueryNode) -> tuple[QueryNode, ...]:
    """The sub-queries of a compound node (none for a leaf)."""
    if isinstance(node, And | Or):
        return node.children
    if isinstance(node, AndMaybe):
        return (node.required, node.optional)
    if isinstance(node, AndNot):
        return (node.positive, node.negative)
    return ()
