"""Query budgets: how much one query may ask of the index, checked before anything runs.

A pasted query is untrusted input too. Without bounds, 300 words joined by AND took about a
minute, 1,000 words or 340 nested brackets crashed the parser's recursion, and a wildcard that
matches every word of the index (`??*??`) or many fuzzy words read the whole term list again
and again. Each bound below is refused with a `QuerySyntaxError` saying what is too big and how
to shrink it; did-you-mean is bounded by skipping words, not by refusing (it is only a hint).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from searchidx.errors import QuerySyntaxError
from searchidx.index import querytree as qt

MAX_QUERY_CHARS = 10_000  # a query longer than this is a pasted document, not a query
MAX_WORDS = 100  # words (operators left out) in one query, phrases' words included
# a literal query is one group of optional words (no AND, no brackets): a pasted paragraph; the
# relevance bench's longest question (CISI) has 334 words
MAX_LITERAL_WORDS = 500
MAX_DEPTH = 20  # nested brackets
MAX_EXPANDING = 10  # wildcard, prefix and fuzzy words in one query
MAX_EXPANSION = 5_000  # index words those may stand for, all together
# did-you-mean: only the first few unknown words, and none longer than a real word can be
SUGGEST_WORDS = 8
SUGGEST_WORD_CHARS = 30

_SURROGATE = re.compile("[\ud800-\udfff]")  # what undecodable bytes of argv or stdin become
_WORD = re.compile(r'[^\s()"\[\]]+')
_OPERATORS = frozenset(("AND", "OR", "NOT"))
_EXPANDING = (qt.Prefix, qt.Wildcard, qt.Fuzzy)


def not_text(text: str) -> re.Match[str] | None:
    """Where `text` holds an undecodable byte (a lone surrogate), if it does."""
    return _SURROGATE.search(text)


def check_text(text: str, literal: bool = False) -> None:
    """Refuse a query that is not text (undecodable bytes), too long, with too many words or
    (unless `literal`: no syntax) brackets nested too deep. Checked before parsing: the parser
    recurses once per bracket."""
    bad = not_text(text)
    if bad:
        raise QuerySyntaxError(
            "the query holds a byte that is not UTF-8 text",
            bad.start(),
            hint="type the query again in UTF-8 (check the terminal's encoding)",
        )
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"the query is {len(text):,} characters long, more than the {MAX_QUERY_CHARS:,} "
            "allowed",
            hint="search a few distinctive words of it instead",
        )
    words = sum(1 for word in _WORD.findall(text) if literal or word not in _OPERATORS)
    allowed = MAX_LITERAL_WORDS if literal else MAX_WORDS
    if words > allowed:
        raise QuerySyntaxError(
            f"the query has {words:,} words, more than the {allowed} allowed",
            hint="search fewer, more distinctive words",
        )
    if literal:
        return
    depth, quoted = 0, False
    for at, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise QuerySyntaxError(
                    f"brackets nested more than {MAX_DEPTH} deep",
                    at,
                    hint="remove the extra brackets",
                )
        elif char == ")":
            depth = max(0, depth - 1)


def _leaves(node: qt.QueryNode) -> Iterator[qt.QueryNode]:
    stack = [node]
    while stack:  # iterative: a tree from a long query must not exhaust the recursion limit
        current = stack.pop()
        children = qt.children(current)
        stack.extend(children)
        if not children:
            yield current


def _shown(leaf: qt.QueryNode) -> str:
    if isinstance(leaf, qt.Prefix):
        return f"{leaf.text}*"
    if isinstance(leaf, qt.Wildcard):
        return leaf.pattern
    assert isinstance(leaf, qt.Fuzzy)
    return f"{leaf.text}~{leaf.maxdist}"


def check_expansion(tree: qt.QueryNode, expand: Callable[[qt.TermLeaf], list[str]]) -> None:
    """Refuse a query whose wildcard, prefix and fuzzy words are too many, or stand for too many
    index words (`expand` lists the index words one of them matches)."""
    expanding = [leaf for leaf in _leaves(tree) if isinstance(leaf, _EXPANDING)]
    words = {_shown(leaf) for leaf in expanding}
    if len(words) > MAX_EXPANDING:
        raise QuerySyntaxError(
            f"the query has {len(words)} wildcard or fuzzy words, more than the "
            f"{MAX_EXPANDING} allowed",
            hint="spell some of them out",
        )
    total = 0
    for leaf in expanding:
        matched = len(expand(leaf))
        total += matched
        if total > MAX_EXPANSION:
            raise QuerySyntaxError(
                f"{_shown(leaf)!r} matches {matched:,} words of the index; a query may expand to "
                f"at most {MAX_EXPANSION:,}",
                hint="give more letters before and between the * and ? marks, or a smaller ~",
            )
