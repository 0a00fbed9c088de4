"""The query language: parsing, paste-safety, dates as day ranges, syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchidx.errors import QuerySyntaxError
from searchidx.index import querytree as qt
from searchidx.index.whoosh_engine.compile import to_whoosh
from searchidx.index.whoosh_engine.reader import analyze_text
from searchidx.search.query import parse_query as parse_with
from searchidx.search.query_dates import date_bounds, parse_date_expression


def parse_query(text: str, *, literal: bool = False) -> qt.QueryNode:
    return parse_with(text, analyze=analyze_text, literal=literal)


def terms(q: qt.QueryNode) -> set[tuple[str, str]]:
    """Every (field, term) of the tree's leaves, as whoosh's `iter_all_terms` listed them."""
    if isinstance(q, qt.Term | qt.Prefix | qt.Fuzzy):
        return {(q.field, q.text)}
    if isinstance(q, qt.Wildcard):
        return {(q.field, q.pattern)}
    if isinstance(q, qt.Phrase):
        return {(q.field, word) for word in q.words}
    return {pair for child in qt.children(q) for pair in terms(child)}


def described(text: str) -> str:
    """What `parsed_query` shows for a query (the whoosh engine's reading of the tree)."""
    return str(to_whoosh(parse_query(text)))


def test_empty_and_star_match_everything() -> None:
    assert parse_query("") == qt.Every()
    assert parse_query("  * ") == qt.Every()


def test_words_are_stemmed_and_searched_in_title_and_body() -> None:
    assert terms(parse_query("defection")) == {("title", "defect"), ("body", "defect")}


def test_default_group_is_a_scaled_or() -> None:
    q = parse_query("north korean colonel")
    assert isinstance(q, qt.Or) and q.scale == pytest.approx(0.9)


@pytest.mark.parametrize("text", ["sino-soviet", "left-wing"])
def test_inner_hyphen_is_a_word_not_a_negation(text: str) -> None:
    q = parse_query(text)
    assert "NOT" not in described(text).upper()
    assert isinstance(q, qt.Or) and all(isinstance(s, qt.Phrase) for s in q.children)


def test_leading_minus_negates() -> None:
    q = parse_query("korea -south")
    assert isinstance(q, qt.AndNot)
    assert ("body", "south") in terms(q.negative)


def test_lowercase_operators_are_words_and_uppercase_are_operators() -> None:
    assert isinstance(parse_query("north AND korea"), qt.And)
    either = parse_query("spies OR defectors")
    assert isinstance(either, qt.Or) and either.scale is None
    assert not isinstance(parse_query("north and korea"), qt.And)


def test_unknown_field_is_plain_text_and_apostrophes_are_text() -> None:
    assert terms(parse_query("note:defectors")) == {
        ("title", "note"), ("body", "note"), ("title", "defector"), ("body", "defector")
    }  # fmt: skip
    assert ("body", "nation") in terms(parse_query("nations' being"))


def test_phrase_and_proximity() -> None:
    q = parse_query('"kim defect"~5')
    assert isinstance(q, qt.Or)
    phrases = [s for s in q.children if isinstance(s, qt.Phrase)]
    assert phrases and all(p.slop == 5 for p in phrases)
    assert all(not p.ordered for p in phrases)  # order-free
    assert 'body:"kim defect"~5' in described('"kim defect"~5')
    exact = parse_query('"kim defect"')
    assert isinstance(exact, qt.Or) and exact.children
    assert all(isinstance(p, qt.Phrase) and p.ordered and p.slop == 1 for p in exact.children)


def test_wildcard_and_fuzzy() -> None:
    prefix = parse_query("defect*")
    assert isinstance(prefix, qt.Or) and all(isinstance(s, qt.Prefix) for s in prefix.children)
    fuzzy = parse_query("defector~1")
    assert isinstance(fuzzy, qt.Or) and fuzzy.children
    assert all(isinstance(s, qt.Fuzzy) and s.maxdist == 1 for s in fuzzy.children)


def test_trailing_question_mark_is_punctuation() -> None:
    assert terms(parse_query("defected?")) == {("title", "defect"), ("body", "defect")}


def test_field_clauses_narrow_rather_than_being_optional() -> None:
    q = parse_query("defection outlet:CNN")
    assert isinstance(q, qt.And)
    assert ("outlet_key", "cnn") in terms(q)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("2016", 20160101, 20161231),
        ("2016-04", 20160401, 20160430),
        ("2016-02", 20160201, 20160229),
        ("2016-04-11", 20160411, 20160411),
        ("20160411", 20160411, 20160411),
        ("[2016-01-01 to 2016-06-30]", 20160101, 20160630),
        ("[2016-01 TO 2016-03]", 20160101, 20160331),
        (">=2016-03", 20160301, None),
        ("<=2016-03", None, 20160331),
    ],
)
def test_date_forms(text: str, low: int | None, high: int | None) -> None:
    assert parse_date_expression(text) == (low, high)


def test_after_a_month_starts_the_next_day_and_before_ends_the_day_before() -> None:
    low, high = parse_date_expression(">2016-03")
    assert high is None and 20160331 < low <= 20160401
    low, high = parse_date_expression("<2016-03")
    assert low is None and 20160229 <= high < 20160301


def test_date_clause_becomes_a_day_range() -> None:
    assert parse_query("date:2016-04") == qt.DayRange(20160401, 20160430)
    assert described("date:2016-04") == "day:[20160401 TO 20160430]"
    assert described("date:<=2016-03") == "day:[1 TO 20160331]"  # undated (day 0) never


@pytest.mark.parametrize(
    "text", ["date:2016-13", "date:2016-02-30", "date:[2016-05 to 2016-01]", "date:yesterday"]
)
def test_malformed_dates_raise(text: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert "date" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "position"),
    [('"unclosed', 0), ("title:(unclosed", 6), ("a)", 1), ("(a]", 2), ("ok [x", 3)],
)
def test_unbalanced_input_raises_with_position(text: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert caught.value.position == position
    # neutral wording (the TUI shows it too); the CLI adds its flag, see tests/cli
    assert "search it literally" in str(caught.value) and "--" not in str(caught.value)
    assert caught.value.literal_helps


def test_literal_ignores_syntax() -> None:
    q = parse_query('title:(unclosed "quote', literal=True)
    assert ("body", "unclos") in terms(q) and ("body", "titl") in terms(q)


def test_date_bounds_rejects_garbage() -> None:
    with pytest.raises(QuerySyntaxError):
        date_bounds("16-4")


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab -+()[]\":*?~^AND OR NOT date:2016-04 title:<>='\\"))
        | st.characters(),
        max_size=40,
    )
)
def test_any_string_parses_or_raises_query_syntax_error(text: str) -> None:
    try:
        result = parse_query(text)
    except QuerySyntaxError:
        return
    assert isinstance(result, qt.QueryNode)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("korea -south", "((title:korea OR body:korea) ANDNOT (title:south OR body:south))"),
        ("+wheat yen", "((title:wheat OR body:wheat) ANDMAYBE (title:yen OR body:yen))"),
        ("defection outlet:CNN", "(outlet_key:cnn AND (title:defect OR body:defect))"),
        ('"kim defect"~5', '(title:"kim defect"~5 OR body:"kim defect"~5)'),
        ("defector~1", "(title:defector~ OR body:defector~)"),
        ("the", "<_NullQuery>"),
    ],
)
def test_parsed_query_text_is_the_whoosh_reading(text: str, shown: str) -> None:
    assert described(text) == shown
