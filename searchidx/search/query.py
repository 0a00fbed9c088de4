"""The query language: a query string -> a whoosh query; QuerySyntaxError for real mistakes.

Our own small recursive-descent parser rather than whoosh's QueryParser, because pasted text
must never trip the syntax (whoosh negates inside `sino-soviet`, accepts `title:(unclosed`, and
its date plugin widens ranges to whole years: whoosh-notes trap 2). Grammar, loosest first:
    sequence := unit (AND unit | OR unit | unit)*     AND binds tighter than OR, OR than adjacency
    unit     := [+|-|NOT] (group | phrase | field:value | word)
Adjacent units form a scaled OR (every word should match; one missing word only lowers the score).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from whoosh import query as wq
from whoosh.analysis import Analyzer

from searchidx.errors import QuerySyntaxError
from searchidx.index.whoosh_engine.analysis import body_analyzer, title_analyzer

DEFAULT_SCALE = 0.9  # coordination bonus of the default group (whoosh OrGroup.factory(0.9) kind)
TEXT_FIELDS = ("title", "body")
# query-language field name -> index field
FIELD_NAMES: dict[str, str] = {
    "title": "title",
    "body": "body",
    "text": "body",
    "outlet": "outlet",
    "person": "people",
    "people": "people",
    "org": "organisations",
    "organisation": "organisations",
    "organisations": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "place": "places",
    "places": "places",
    "author": "authors",
    "authors": "authors",
    "date": "date",
}
DATE_HINT = (
    "use date:2016, date:2016-04, date:2016-04-11, date:>=2016-03 "
    "or date:[2016-01-01 to 2016-06-30]"
)
# neutral words: the CLI and the TUI show this hint, each adding its own way to search literally
QUOTE_HINT = "close it, or put the text in quotes, or search it literally"
_FIELD_RE = re.compile(r"([A-Za-z]+):(?=\S)")
_OPERATORS = ("AND", "OR", "NOT")
_STOP = set(' \t\r\n()"')
_FUZZY_RE = re.compile(r"^(.+?)~(\d*)$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$|^(\d{4})(\d{2})(\d{2})$")

# (index field, value as typed) -> the stored values it stands for (case, aliases); None: as typed
Resolver = Callable[[str, str], list[str]]


@dataclass
class _Analyzers:
    body: Analyzer = field(default_factory=body_analyzer)
    title: Analyzer = field(default_factory=title_analyzer)


_ANALYZERS: _Analyzers | None = None


def _analyzers() -> _Analyzers:
    global _ANALYZERS
    if _ANALYZERS is None:
        _ANALYZERS = _Analyzers()
    return _ANALYZERS


def analyze(text: str, fieldname: str = "body") -> list[str]:
    """The index terms (stems, stop words removed) a piece of text becomes in a text field."""
    analyzer = _analyzers().title if fieldname == "title" else _analyzers().body
    return [token.text for token in analyzer(text, mode="query")]


# ---- dates -------------------------------------------------------------------------------------


def day_number(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def date_bounds(text: str, position: int = 0) -> tuple[int, int]:
    """First and last day (yyyymmdd ints) covered by `2016`, `2016-04`, `2016-04-11`, `20160411`."""
    found = _DATE_RE.match(text.strip())
    if not found:
        raise QuerySyntaxError(f"malformed date {text!r}", position, DATE_HINT)
    try:
        if found.group(4):
            year, month, day = (int(found.group(i)) for i in (4, 5, 6))
            first = last = date(year, month, day)
        else:
            year = int(found.group(1))
            if found.group(2) is None:
                first, last = date(year, 1, 1), date(year, 12, 31)
            elif found.group(3) is None:
                month = int(found.group(2))
                first = date(year, month, 1)
                last = date(year, month, calendar.monthrange(year, month)[1])
            else:
                first = last = date(year, int(found.group(2)), int(found.group(3)))
    except ValueError as error:
        raise QuerySyntaxError(f"malformed date {text!r}: {error}", position, DATE_HINT) from None
    return day_number(first), day_number(last)


def parse_date_expression(text: str, position: int = 0) -> tuple[int | None, int | None]:
    """A `date:` value -> inclusive (low, high) day range; None is open-ended."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        parts = re.split(r"\s+to\s+", text[1:-1].strip(), flags=re.IGNORECASE)
        if len(parts) != 2:
            raise QuerySyntaxError(f"malformed date range {text!r}", position, DATE_HINT)
        low_text, high_text = (p.strip() for p in parts)
        low = None if low_text in ("", "*") else date_bounds(low_text, position)[0]
        high = None if high_text in ("", "*") else date_bounds(high_text, position)[1]
        if low is not None and high is not None and low > high:
            raise QuerySyntaxError(f"date range {text!r} ends before it starts", position)
        return low, high
    for operator in (">=", "<=", ">", "<"):
        if text.startswith(operator):
            first, last = date_bounds(text[len(operator) :], position)
            if operator == ">=":
                return first, None
            if operator == ">":
                return last + 1, None  # day numbers only need to order correctly, not be dates
            if operator == "<=":
                return None, last
            return None, first - 1
    return date_bounds(text, position)


def day_range_query(low: int | None, high: int | None) -> wq.Query:
    # Undated articles have day 0: an open lower end still starts at 1 so they never match.
    return wq.NumericRange("day", low if low is not None else 1, high)


# ---- proximity ---------------------------------------------------------------------------------


class Proximity(wq.Phrase):
    """`"a b"~N`: the words within N positions of each other, in any order (as Lucene's and
    Recoll's proximity), where whoosh's Phrase with a slop keeps them in order. Scored, counted
    and highlighted like a phrase; only the matcher differs."""

    def __str__(self) -> str:
        return f'{self.fieldname}:"{" ".join(self.words)}"~{self.slop}'

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        from whoosh.matching import NullMatcher, WrappingMatcher
        from whoosh.query.spans import SpanNear2

        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            if (self.fieldname, field.to_bytes(word)) not in reader:
                return NullMatcher()  # a word the field lacks: nothing can be near it
            terms.append(wq.Term(self.fieldname, word))
        near = SpanNear2(terms, slop=self.slop, ordered=False, mindist=1)
        found = near.matcher(searcher, context)
        return WrappingMatcher(found, boost=self.boost) if self.boost != 1.0 else found


# ---- balance check -----------------------------------------------------------------------------


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
    query: wq.Query | None
    mod: str = ""  # "", "+" required, "-" excluded
    # `date:`, `outlet:`, `person:`... narrow the search: required even in the default group
    narrows: bool = False


def _and(queries: list[wq.Query], negated: list[wq.Query]) -> wq.Query:
    positive: wq.Query = (
        queries[0] if len(queries) == 1 else (wq.And(queries) if queries else wq.Every())
    )
    if not negated:
        return positive
    return wq.AndNot(positive, negated[0] if len(negated) == 1 else wq.Or(negated))


def _clause(unit: _Unit) -> wq.Query:
    assert unit.query is not None
    return _and([], [unit.query]) if unit.mod == "-" else unit.query


class _Parser:
    def __init__(self, text: str, resolver: Resolver | None):
        self.text = text
        self.pos = 0
        self.resolver = resolver

    # -- sequences and operators

    def sequence(self, fieldname: str | None, closing: str | None) -> wq.Query | None:
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

    def _fold(self, items: list[_Unit | str]) -> wq.Query | None:
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
                        run.append(cleaned[i + 2])  # type: ignore[arg-type]
                        i += 2
                    merged.append(_Unit(self._combine(operator, run)))
                else:
                    merged.append(item)
                i += 1
            cleaned = merged
        units = [item for item in cleaned if isinstance(item, _Unit)]
        return self._default_group(units)

    @staticmethod
    def _combine(operator: str, run: list[_Unit]) -> wq.Query:
        if operator == "AND":
            return _and(
                [u.query for u in run if u.mod != "-" and u.query is not None],
                [u.query for u in run if u.mod == "-" and u.query is not None],
            )
        return wq.Or([_clause(u) for u in run])

    @staticmethod
    def _default_group(units: list[_Unit]) -> wq.Query | None:
        if not units:
            return None
        required = [u.query for u in units if u.mod == "+" and u.query is not None]
        optional = [u.query for u in units if not u.mod and not u.narrows and u.query is not None]
        narrowing = [u.query for u in units if not u.mod and u.narrows and u.query is not None]
        excluded = [u.query for u in units if u.mod == "-" and u.query is not None]
        maybe: wq.Query | None = None
        if optional:
            maybe = optional[0] if len(optional) == 1 else wq.Or(optional, scale=DEFAULT_SCALE)
        if required:
            must = required[0] if len(required) == 1 else wq.And(required)
            maybe = wq.AndMaybe(must, maybe) if maybe is not None else must
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

    def _body(self, fieldname: str | None) -> wq.Query | None:
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

    def _phrase(self, fieldname: str | None) -> wq.Query | None:
        end = self.text.index('"', self.pos + 1)
        words = self.text[self.pos + 1 : end]
        self.pos = end + 1
        slop, kind = 1, wq.Phrase  # a plain phrase: the words side by side, in order
        proximity = re.match(r"~(\d+)", self.text[self.pos :])
        if proximity:
            slop, kind = max(1, int(proximity.group(1))), Proximity
            self.pos += proximity.end()
        if fieldname in (None, *TEXT_FIELDS):
            per_field = []
            for name in (fieldname,) if fieldname else TEXT_FIELDS:
                terms = analyze(words, name)
                if not terms:
                    continue
                per_field.append(
                    wq.Term(name, terms[0]) if len(terms) == 1 else kind(name, terms, slop=slop)
                )
            return _any(per_field)
        return self._value(fieldname, words)  # a quoted multi-word name: `org:"Yonhap News"`

    def _date(self, start: int) -> wq.Query:
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
        return day_range_query(low, high)

    def _leaf(self, fieldname: str | None, word: str, start: int) -> wq.Query | None:
        if fieldname not in (None, *TEXT_FIELDS):
            return self._value(fieldname, word)
        names = (fieldname,) if fieldname else TEXT_FIELDS
        if word.strip("*") == "" and "*" in word:
            return wq.Every()
        core = word.rstrip("?!.,;:")  # a question mark at the end is punctuation, not a wildcard
        if "*" in core or "?" in core:
            pattern = core.lower()
            if pattern.endswith("*") and not any(c in pattern[:-1] for c in "*?"):
                return _any([wq.Prefix(name, pattern[:-1]) for name in names])
            return _any([wq.Wildcard(name, pattern) for name in names])
        fuzzy = _FUZZY_RE.match(word)
        if fuzzy and re.search(r"\w", fuzzy.group(1)):
            distance = min(2, int(fuzzy.group(2) or 1))
            terms = analyze(fuzzy.group(1))
            if len(terms) == 1:
                return _any(
                    [
                        wq.FuzzyTerm(name, terms[0], maxdist=distance, prefixlength=1)
                        for name in names
                    ]
                )
        per_field = []
        for name in names:
            terms = analyze(word, name)
            if terms:
                per_field.append(
                    wq.Term(name, terms[0]) if len(terms) == 1 else wq.Phrase(name, terms)
                )
        return _any(per_field)

    def _value(self, fieldname: str, value: str) -> wq.Query | None:
        value = value.strip()
        if not value:
            return None
        if fieldname == "outlet":
            key = value.lower()
            if "*" in key or "?" in key:
                return wq.Wildcard("outlet_key", key)
            return wq.Term("outlet_key", key)
        stored = self.resolver(fieldname, value) if self.resolver else [value]
        if not stored:
            return wq.Term(fieldname, value)  # matches nothing, but reads honestly in `query`
        return _any([wq.Term(fieldname, v) for v in stored])

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1


def _any(queries: list[wq.Query]) -> wq.Query | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def parse_query(text: str, resolver: Resolver | None = None, *, literal: bool = False) -> wq.Query:
    """Turn a user's query into a whoosh query. Empty or `*` matches every article.

    A query that analyses to nothing (only stop words) matches nothing.
    """
    if not text.strip() or text.strip() == "*":
        return wq.Every()
    if literal:
        units = [
            _Unit(_any([wq.Term(name, term) for name in TEXT_FIELDS])) for term in analyze(text)
        ]
        return _Parser._default_group(units) or wq.NullQuery
    check_balance(text)
    result = _Parser(text, resolver).sequence(None, None)
    return result if result is not None else wq.NullQuery
