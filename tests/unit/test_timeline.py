"""Coverage timeline: periods, outlet split, undated articles, and the request's filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from searchidx.index import open_index
from searchidx.models import SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.stories.timeline import period_of, timeline, timeline_json, timeline_text
from tests.conftest import seed_articles


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    cnn, vice = seed_articles()
    later = replace(
        cnn,
        id="later",
        path="later.txt",
        body="A follow-up on the defection.",
        published=datetime(2016, 5, 2, 9, 30, tzinfo=UTC),
        date_only=False,
    )
    undated = replace(vice, id="undated", path="undated.txt", published=None)
    path = tmp_path_factory.mktemp("timeline") / "index"
    index_articles(path, [cnn, vice, later, undated])
    opened = open_index(path)
    yield opened
    opened.close()


def test_periods_by_day_week_and_month(index) -> None:  # type: ignore[no-untyped-def]
    by_day = timeline(index, SearchRequest(), "day")
    assert [(p.label, p.count) for p in by_day.periods] == [("2016-04-11", 2), ("2016-05-02", 1)]
    assert dict(by_day.periods[0].outlets) == {"CNN": 1, "VICE News": 1}
    assert by_day.undated == 1
    assert by_day.outlets == ("CNN", "VICE News")  # CNN has two dated articles
    by_week = timeline(index, SearchRequest(), "week")
    assert [p.label for p in by_week.periods] == ["2016-W15", "2016-W18"]
    assert by_week.periods[0].start == date(2016, 4, 11)  # the Monday of the week
    by_month = timeline(index, SearchRequest(), "month")
    assert [(p.label, p.start) for p in by_month.periods] == [
        ("2016-04", date(2016, 4, 1)), ("2016-05", date(2016, 5, 1)),
    ]  # fmt: skip


def test_the_query_and_filters_apply(index) -> None:  # type: ignore[no-untyped-def]
    only_cnn = timeline(index, SearchRequest(filters=(("outlet", ("cnn",)),)), "month")
    assert [(p.label, dict(p.outlets)) for p in only_cnn.periods] == [
        ("2016-04", {"CNN": 1}), ("2016-05", {"CNN": 1}),
    ]  # fmt: skip
    follow_up = timeline(index, SearchRequest(query="follow-up"), "day")
    assert [p.label for p in follow_up.periods] == ["2016-05-02"] and follow_up.undated == 0
    since = timeline(index, SearchRequest(since=date(2016, 5, 1)), "day")
    assert [p.label for p in since.periods] == ["2016-05-02"]


def test_iso_weeks_cross_year_ends() -> None:
    assert period_of(date(2016, 1, 1), "week") == ("2015-W53", date(2015, 12, 28))
    assert period_of(date(2016, 1, 4), "week") == ("2016-W01", date(2016, 1, 4))


def test_json_and_text_shapes(index) -> None:  # type: ignore[no-untyped-def]
    line = timeline(index, SearchRequest(), "day")
    document = timeline_json(line)
    assert set(document) == {"interval", "periods", "undated", "outlets"}
    assert document["periods"][0] == {
        "period": "2016-04-11", "start": "2016-04-11", "count": 2,
        "outlets": {"CNN": 1, "VICE News": 1},
    }  # fmt: skip
    text = timeline_text(line, width=10)
    assert "2016-04-11 ██████████ 2" in text and "undated: 1" in text
