"""The query language: a query string -> a query tree (querytree); QuerySyntaxError for mistakes.

Our own small recursive-descent parser rather than whoosh's QueryParser, because pasted text
must never trip the syntax (whoosh negates inside `sino-soviet`, accepts `title:(unclosed`, and
its date plugin widens ranges to whole years: whoosh-notes trap 2). Grammar, loosest first:
    sequence := unit (AND unit | OR unit | unit)*     AND binds tighter than OR, OR than adjacency
    unit     := [+|-|NOT] (group | phrase | field:value | word)
Adjacent units form a scaled OR (every word should match; one missing word only lowers the score).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from searchidx.errors import QuerySyntaxError
from searchidx.index import querytree as qt
from searchidx.index.querytree import QueryNode
from searchidx.models import ENTITY_KIND_WORDS
from searchidx.search.query_dates import parse_date_expression

DEFAULT_SCALE = 0.9  # coordination bonus of the default group (whoosh OrGroup.factory(0.9) kind)
TEXT_FIELDS = ("title", "body")
# query-language field name -> index field
FIELD_NAMES: dict[str, str] = {
    "title": "title",
    "body": "body",
    "text": "body",
    "outlet": "outlet",
    **ENTITY_KIND_WORDS,
    "author": "authors",
    "authors": "authors",
    "date": "date",
    "tag": "tag",
    "tags": "tag",
}
# neutral words: the CLI and the TUI show this hint, each adding its own way to search literally
QUOTE_HINT = "close it, or put the text in quotes, or search it literally"
_FIELD_RE = re.compile(r"([A-Za-z]+):(?=\S)")
_OPERATORS = ("AND", "OR", "NOT")
_STOP = set(' \t\r\n()"')
_FUZZY_RE = re.compile(r"^(.+?)~(\d*)$")

# (index field, value as typed) -> the stored values it stands for (case, aliases); None: as typed
Resolver = Callable[[str, str], list[str]]
# (text, index field) -> the index terms the engine makes of it (stems, stop words left out)
Analyze = Callable[[str, str], list[str]]


# ---- balance check -----------------------------------------------------------------------------


def unpair_stray_quote(text: str) -> tuple[str, str | None]:
    """Pasted text never trips the syntax: an odd quote (the last one, the one `check_balance`
    finds unclosed) is read as a space, with a note saying so; brackets are still checked."""
    if text.count('"') % 2 == 0:
        return text, None
    at = text.rindex('"')
    note = (
        f"the quote at character {at + 1} is not closed: it was read as a space "
        "(close it to search a phrase)"
    )
    return text[:at] + " " + text[at + 1 :], note


def check_balance(text: str) -> None:
    """Unbalanced quotes and brackets are the one thing we refuse: whoosh would guess silently."""
    stack: list[tuple[str, int]] = []
    quote_at: int | None = None
    pairs = {")": "(", "]": "["}
    for i, char in enumerate(text):
        if quote_at is not None:
            if char == '"':
                quote_at = None
            continue
        if char == '"':
            quote_at = i
        elif char in "([":
            stack.append((char, i))
        elif char in ")]":
            if not stack or stack[-1][0] != pairs[char]:
                raise QuerySyntaxError(
                    f"unmatched {char!r}",
                    i,
                    QUOTE_HINT.replace("close it", "remove it"),
                    literal_helps=True,
                )
            stack.pop()
    if quote_at is not None:
        raise QuerySyntaxError("unclosed quote", quote_at, QUOTE_HINT, literal_helps=True)
    if stack:
        char, at = stack[-1]
        raise QuerySyntaxError(f"unclosed {char!r}", at, QUOTE_HINT, literal_helps=True)


# ---- the parser --------------------------------------------------------------------------------


@dataclass
class _Unit:
    query: QueryNode | None
    mod: str = ""  # "", "+" required, "-" excluded
    # `date:`, `outlet:`, `person:`... narrow the search: required even in the default group
    narrows: bool = False


def _and(queries: list[QueryNode], negated: list[QueryNode]) -> QueryNode:
    positive: QueryNode = (
        queries[0] if len(queries) == 1 else (qt.And(tuple(queries)) if queries else qt.Every())
    )
    if not negated:
        return positive
    return qt.AndNot(positive, negated[0] if len(negated) == 1 else qt.Or(tuple(negated)))


def _clause(unit: _Unit) -> QueryNode:
    assert unit.query is not None
    return _and([], [unit.query]) if unit.mod == "-" else unit.query


class _Parser:
    def __init__(self, text: str, resolver: Resolver | None, analyze: Analyze):
        self.text = text
        self.pos = 0
        self.resolver = resolver
        self.analyze = analyze

    # -- sequences and operators

    def sequence(self, fieldname: str | None, closing: str | None) -> QueryNode | None:
        items: list[_Unit | str] = []
        negate_next = False
        while True:
            self._skip_space()
            if self.pos >= len(self.text) or (closing and self.text[self.pos] == closing):
                break
            if self.text[self.pos] == ")":  # cannot happen after check_balance; never loop on it
                self.pos += 1
                continue
            operator = self._operator()
            if operator == "NOT":
                negate_next = True
                continue
            if operator:
                items.append(operator)
                continue
            unit = self.unit(fieldname)
            if negate_next:
                unit.mod, negate_next = "-", False
            if unit.query is None:
                if items and isinstance(items[-1], str):
                    items.pop()  # "a AND the": drop the stop word with its operator
                continue
            items.append(unit)
        return self._fold(items)

    def _operator(self) -> str | None:
        for word in _OPERATORS:
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and (
                end >= len(self.text) or self.text[end] in _STOP
            ):
                rest = self.text[end:].strip()
                if not rest or rest[0] == ")":
                    return None  # a trailing AND/OR/NOT is a word (a stop word), not an operator
                self.pos = end
                return word
        return None

    def _fold(self, items: list[_Unit | str]) -> QueryNode | None:
        # Operators need a unit on both sides; strays (leading, doubled) are ignored.
        cleaned: list[_Unit | str] = []
        for item in items:
            if isinstance(item, str) and (not cleaned or isinstance(cleaned[-1], str)):
                continue
            cleaned.append(item)
        if cleaned and isinstance(cleaned[-1], str):
            cleaned.pop()
        for operator in ("AND", "OR"):
            merged: list[_Unit | str] = []
            i = 0
            while i < len(cleaned):
                item = cleaned[i]
                if isinstance(item, _Unit) and i + 2 < len(cleaned) and cleaned[i + 1] == operator:
                    run = [item]
                    while i + 2 < len(cleaned) and cleaned[i + 1] == operator:
                        following = cleaned[i + 2]
                        assert isinstance(following, _Unit)  # operators were folded apart above
                        run.append(following)
                        i += 2
                    merged.append(_Unit(self._combine(operator, run)))
                else:
                    merged.append(item)
                i += 1
            cleaned = merged
        units = [item for item in cleaned if isinstance(item, _Unit)]
        return self._default_group(units)

    @staticmethod
    def _combine(operator: str, run: list[_Unit]) -> QueryNode:
        if operator == "AND":
            return _and(
                [u.query for u in run if u.mod != "-" and u.query is not None],
                [u.query for u in run if u.mod == "-" and u.query is not None],
            )
        return qt.Or(tuple(_clause(u) for u in run))

    @staticmethod
    def _default_group(units: list[_Unit]) -> QueryNode | None:
        if not units:
            return None
        required = [u.query for u in units if u.mod == "+" and u.query is not None]
        optional = [u.query for u in units if not u.mod and not u.narrows and u.query is not None]
        narrowing = [u.query for u in units if not u.mod and u.narrows and u.query is not None]
        excluded = [u.query for u in units if u.mod == "-" and u.query is not None]
        maybe: QueryNode | None = None
        if optional:
            maybe = optional[0] if len(optional) == 1 else qt.Or(tuple(optional), DEFAULT_SCALE)
        if required:
            must = required[0] if len(required) == 1 else qt.And(tuple(required))
            maybe = qt.AndMaybe(must, maybe) if maybe is not None else must
        # Filters (`date:`, `outlet:`...) narrow the words as a whole; they are never optional.
        parts = narrowing + ([maybe] if maybe is not None else [])
        if not parts and not excluded:
            return None
        return _and(parts, excluded)

    # -- units

    def unit(self, fieldname: str | None) -> _Unit:
        mod = ""
        char = self.text[self.pos]
        nxt = self.text[self.pos + 1] if self.pos + 1 < len(self.text) else " "
        if char in "+-" and not nxt.isspace() and nxt not in "+-)":
            mod = char
            self.pos += 1
        found = _FIELD_RE.match(self.text, self.pos)
        narrows = bool(
            fieldname is None
            and found
            and FIELD_NAMES.get(found.group(1).lower(), "title") not in TEXT_FIELDS
        )
        return _Unit(self._body(fieldname), mod, narrows)

    def _body(self, fieldname: str | None) -> QueryNode | None:
        start = self.pos
        char = self.text[self.pos]
        if char == "(":
            self.pos += 1
            inner = self.sequence(fieldname, ")")
            self.pos += 1  # the ")" (balance was checked up front)
            return inner
        if char == '"':
            return self._phrase(fieldname)
        if char == ")":  # `(title:)`: an empty field value; the ")" belongs to the group
            return None
        found = _FIELD_RE.match(self.text, self.pos)
        if found and found.group(1).lower() in FIELD_NAMES and fieldname is None:
            self.pos = found.end()
            target = FIELD_NAMES[found.group(1).lower()]
            if target == "date":
                return self._date(start)
            return self._body(target)
        word = self._word()
        return self._leaf(fieldname, word, start)

    def _word(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _STOP:
            self.pos += 1
        return self.text[start : self.pos]

    def _phrase(self, fieldname: str | None) -> QueryNode | None:
        end = self.text.index('"', self.pos + 1)
        words = self.text[self.pos + 1 : end]
        self.pos = end + 1
        slop, ordered = 1, True  # a plain phrase: the words side by side, in order
        proximity = re.match(r"~(\d+)", self.text[self.pos :])
        if proximity:  # the words near each other, in any order
            slop, ordered = max(1, int(proximity.group(1))), False
            self.pos += proximity.end()
        if fieldname in (None, *TEXT_FIELDS):
            per_field = []
            for name in (fieldname,) if fieldname else TEXT_FIELDS:
                terms = self.analyze(words, name)
                if not terms:
                    continue
                per_field.append(
                    qt.Term(name, terms[0])
                    if len(terms) == 1
                    else qt.Phrase(name, tuple(terms), slop, ordered)
                )
            return _any(per_field)
        return self._value(fieldname, words)  # a quoted multi-word name: `org:"Yonhap News"`

    def _date(self, start: int) -> QueryNode:
        if self.text.startswith("[", self.pos):
            end = self.text.index("]", self.pos)
            expression = self.text[self.pos : end + 1]
            self.pos = end + 1
        elif self.text.startswith('"', self.pos):
            end = self.text.index('"', self.pos + 1)
            expression = self.text[self.pos + 1 : end]
            self.pos = end + 1
        else:
            expression = self._word()
        low, high = parse_date_expression(expression, start)
        return qt.DayRange(low, high)

    def _leaf(self, fieldname: str | None, word: str, start: int) -> QueryNode | None:
        if fieldname not in (None, *TEXT_FIELDS):
            return self._value(fieldname, word)
        names = (fieldname,) if fieldname else TEXT_FIELDS
        if word.strip("*") == "" and "*" in word:
            return qt.Every()
        core = word.rstrip("?!.,;:")  # a question mark at the end is punctuation, not a wildcard
        if "*" in core or "?" in core:
            pattern = core.lower()
            if pattern.endswith("*") and not any(c in pattern[:-1] for c in "*?"):
                return _any([qt.Prefix(name, pattern[:-1]) for name in names])
            return _any([qt.Wildcard(name, pattern) for name in names])
        fuzzy = _FUZZY_RE.match(word)
        if fuzzy and re.search(r"\w", fuzzy.group(1)):
            distance = min(2, int(fuzzy.group(2) or 1))
            terms = self.analyze(fuzzy.group(1), "body")
            if len(terms) == 1:
                return _any([qt.Fuzzy(name, terms[0], distance, 1) for name in names])
        per_field = []
        for name in names:
            terms = self.analyze(word, name)
            if terms:
                per_field.append(
                    qt.Term(name, terms[0]) if len(terms) == 1 else qt.Phrase(name, tuple(terms))
                )
        return _any(per_field)

    def _value(self, fieldname: str, value: str) -> QueryNode | None:
        value = value.strip()
        if not value:
            return None
        if fieldname == "tag":
            # the working set's tags: the ids of the articles carrying one, as id terms
            ids = self.resolver("tag", value) if self.resolver else []
            return _any([qt.Term("id", i) for i in ids]) or qt.Nothing()
        if fieldname == "outlet":
            key = value.lower()
            if "*" in key or "?" in key:
                return qt.Wildcard("outlet_key", key)
            return qt.Term("outlet_key", key)
        stored = self.resolver(fieldname, value) if self.resolver else [value]
        if not stored:
            return qt.Term(fieldname, value)  # matches nothing, but reads honestly in `query`
        return _any([qt.Term(fieldname, v) for v in stored])

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1


def _any(queries: Sequence[QueryNode]) -> QueryNode | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else qt.Or(tuple(queries))


def parse_query(
    text: str, resolver: Resolver | None = None, *, analyze: Analyze, literal: bool = False
) -> QueryNode:
    """Turn a user's query into a query tree, words analysed by `analyze` (the engine's).
    Empty or `*` matches every article; a query that analyses to nothing (only stop words)
    matches nothing.
    """
    if not text.strip() or text.strip() == "*":
        return qt.Every()
    if literal:
        units = [
            _Unit(_any([qt.Term(name, term) for name in TEXT_FIELDS]))
            for term in analyze(text, "body")
        ]
        literal_query = _Parser._default_group(units)
        return literal_query if literal_query is not None else qt.Nothing()
    check_balance(text)
    result = _Parser(text, resolver, analyze).sequence(None, None)
    return result if result is not None else qt.Nothing()
