"""The query fuzz of issue 22 as Hypothesis properties: any text, through the API or `--batch`,
is answered or refused with a QuerySyntaxError, never a traceback, never a hang.

Queries are drawn from the query language's own pieces (operators, fields, brackets, quotes,
wildcards, fuzzy marks, dates) mixed with words, long runs and control characters, so that most
examples reach the parser's corners rather than being plain words.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchidx.cli import main
from searchidx.errors import QuerySyntaxError
from searchidx.index.engines import open_index
from searchidx.models import SearchRequest
from searchidx.search.searching import search

HANG = 5.0  # seconds for one query: catches a hang, not a speed measurement

PIECES = st.sampled_from([
    "defect", "korea", "north", "colonel", "AND", "OR", "NOT", "(", ")", '"', "[", "]",
    "*", "?", "~", "~2", "+", "-", ":", "title:", "outlet:", "person:", "org:", "place:",
    "author:", "date:", "date:2016", "date:[2016-01-01 to 2016-06-30]", "date:>=2016-03",
    "defect*", "??*??", "defector~1", '"near words"~5', "\x1b]0;x\x07", "\u202e", "\udcff",
    "\x00", "\t", " ", "  ", "é", "北", "a" * 300, "(" * 200, ")" * 200, "to", "*:*",
])  # fmt: skip
QUERIES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)
FUZZ = settings(
    max_examples=300,
    deadline=None,  # the hang bound is asserted below, per query
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=QUERIES, literal=st.booleans())
def test_api_answers_or_refuses(seed_index: Path, text: str, literal: bool) -> None:
    index = open_index(seed_index)
    started = time.monotonic()
    try:
        found = search(index, SearchRequest(query=text, literal=literal, facets=("outlet",)))
    except QuerySyntaxError as refused:
        assert str(refused)  # a message to show
    else:
        assert found.total >= 0
    assert time.monotonic() - started < HANG, f"{text!r} took over {HANG} s"


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(QUERIES.map(lambda q: q.replace("\n", " ").replace("\r", " ")),
                      min_size=1, max_size=12))  # fmt: skip
def test_batch_answers_every_line(seed_index: Path, lines: list[str]) -> None:
    stdin = "".join(f"{line}\n" for line in lines).encode("utf-8", "surrogateescape")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["query", "--batch", "--index", str(seed_index)], stdin)
    assert time.monotonic() - started < HANG * len(lines)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    # one JSON line per input line ("\n" only: U+2028 may stand raw inside a JSON string)
    answers = [json.loads(line) for line in result.stdout.rstrip("\n").split("\n")]
    assert len(answers) == len(lines)
    for answer in answers:
        assert "error" in answer or "total" in answer
