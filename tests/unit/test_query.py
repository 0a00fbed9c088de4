"""The query language: parsing, paste-safety, dates as day ranges, syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from searchidx.errors import QuerySyntaxError
from searchidx.search.query import Proximity, date_bounds, parse_date_expression, parse_query


def terms(q: wq.Query) -> set[tuple[str, str]]:
    return {(f, t.decode() if isinstance(t, bytes) else t) for f, t in q.iter_all_terms()}


def test_empty_and_star_match_everything() -> None:
    assert isinstance(parse_query(""), wq.Every)
    assert isinstance(parse_query("  * "), wq.Every)


def test_words_are_stemmed_and_searched_in_title_and_body() -> None:
    assert terms(parse_query("defection")) == {("title", "defect"), ("body", "defect")}


def test_default_group_is_a_scaled_or() -> None:
    q = parse_query("north korean colonel")
    assert isinstance(q, wq.Or) and q.scale == pytest.approx(0.9)


@pytest.mark.parametrize("text", ["sino-soviet", "left-wing"])
def test_inner_hyphen_is_a_word_not_a_negation(text: str) -> None:
    q = parse_query(text)
    assert "NOT" not in str(q).upper()
    assert isinstance(q, wq.Or) and all(isinstance(s, wq.Phrase) for s in q.subqueries)


def test_leading_minus_negates() -> None:
    q = parse_query("korea -south")
    assert isinstance(q, wq.AndNot)
    assert ("body", "south") in terms(q.b)


def test_lowercase_operators_are_words_and_uppercase_are_operators() -> None:
    assert isinstance(parse_query("north AND korea"), wq.And)
    assert isinstance(parse_query("spies OR defectors"), wq.Or)
    assert parse_query("spies OR defectors").scale is None
    assert not isinstance(parse_query("north and korea"), wq.And)


def test_unknown_field_is_plain_text_and_apostrophes_are_text() -> None:
    assert terms(parse_query("note:defectors")) == {
        ("title", "note"), ("body", "note"), ("title", "defector"), ("body", "defector")
    }  # fmt: skip
    assert ("body", "nation") in terms(parse_query("nations' being"))


def test_phrase_and_proximity() -> None:
    q = parse_query('"kim defect"~5')
    phrases = [s for s in q.subqueries if isinstance(s, wq.Phrase)]
    assert phrases and all(p.slop == 5 for p in phrases)
    assert all(isinstance(p, Proximity) for p in phrases)  # order-free
    assert 'body:"kim defect"~5' in str(q)
    exact = parse_query('"kim defect"').subqueries
    assert exact and all(type(p) is wq.Phrase and p.slop == 1 for p in exact)  # in order


def test_wildcard_and_fuzzy() -> None:
    assert all(isinstance(s, wq.Prefix) for s in parse_query("defect*").subqueries)
    fuzzy = parse_query("defector~1").subqueries
    assert all(isinstance(s, wq.FuzzyTerm) and s.maxdist == 1 for s in fuzzy)


def test_trailing_question_mark_is_punctuation() -> None:
    assert terms(parse_query("defected?")) == {("title", "defect"), ("body", "defect")}


def test_field_clauses_narrow_rather_than_being_optional() -> None:
    q = parse_query("defection outlet:CNN")
    assert isinstance(q, wq.And)
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
    q = parse_query("date:2016-04")
    assert isinstance(q, wq.NumericRange) and (q.start, q.end) == (20160401, 20160430)


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
    assert isinstance(result, wq.Query)
