"""Date parsing shared by the readers: aware results, date-only kept as its calendar day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from searchidx.corpus.dates import (
    ParsedDate,
    checked,
    date_from_file_name,
    parse_date,
    parse_reuters_date,
    read_date,
)


@pytest.mark.parametrize(
    "text",
    ["2016-04-11", "20160411", "2016/4/11", "April 11, 2016", "Apr 11 2016", "11 April 2016"],
)
def test_date_only_values_are_midnight_utc_of_that_day(text: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.date_only
    assert parsed.published == datetime(2016, 4, 11, tzinfo=UTC)
    assert parsed.day == date(2016, 4, 11)


def test_iso_datetime_keeps_its_own_offset_and_day() -> None:
    # 23:30 at UTC-5 is already the 12th in UTC: the article's own day must stay the 11th
    parsed = parse_date("2016-04-11T23:30:00-05:00")
    assert parsed is not None and not parsed.date_only
    assert parsed.published.utcoffset() == timedelta(hours=-5)
    assert parsed.day == date(2016, 4, 11)


def test_iso_z_and_naive_times_are_aware() -> None:
    zulu = parse_date("2016-04-11T10:00:00Z")
    naive = parse_date("2016-04-11 10:00:00")
    assert zulu is not None and naive is not None
    assert zulu.published == naive.published == datetime(2016, 4, 11, 10, tzinfo=UTC)


def test_rfc_2822_date() -> None:
    parsed = parse_date("Mon, 11 Apr 2016 09:15:00 +0900")
    assert parsed is not None
    assert parsed.published.utcoffset() == timedelta(hours=9)
    assert parsed.published.astimezone(UTC).hour == 0


@pytest.mark.parametrize("text", ["", "yesterday", "2016-02-30", "2016-13-01", "not a date at all"])
def test_non_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_file_name_date() -> None:
    parsed = date_from_file_name("cnn-2016-04-11-north-korean-colonel-defects.txt")
    assert parsed == ParsedDate(datetime(2016, 4, 11, tzinfo=UTC), date_only=True)
    assert date_from_file_name("story-12016-04-11.txt") is None  # part of a longer number
    assert date_from_file_name("2016-99-99-then-2015-01-02.txt") is not None
    assert date_from_file_name("notes.txt") is None


def test_reuters_date() -> None:
    parsed = parse_reuters_date("26-FEB-1987 15:01:01.79")
    assert parsed == ParsedDate(datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC))
    # teletype routing codes after a control character are not part of the date
    coded = parse_reuters_date(" 3-MAR-1987 09:05:15.00\x05\x05\x05RM")
    assert coded is not None and coded.published.day == 3


@pytest.mark.parametrize(
    "text",
    [
        "31-MAR-1987 605:12:19.12",
        "7-APR-1987 16:22:00.0",
        "9-APR-1987 00:00:00.00    # date added by S Finch as guesswork",
        "31-FOO-1987 10:00:00.00",
        "31-APR-1987 10:00:00.00",
    ],
)
def test_malformed_reuters_dates(text: str) -> None:
    assert parse_reuters_date(text) is None


def test_future_and_pre_1800_dates_are_dropped_with_a_warning() -> None:
    now = datetime(2024, 6, 1, tzinfo=UTC)
    future = checked(parse_date("2024-06-05"), now)
    assert future.parsed is None and future.warning is not None and "future" in future.warning
    old = read_date("1750-01-01", now)
    assert old.parsed is None and old.warning is not None and "before 1800" in old.warning
    # a source a few hours ahead of our clock is not "the future"
    ahead = checked(parse_date("2024-06-01T10:00:00+09:00"), now)
    assert ahead.parsed is not None and ahead.warning is None


def test_read_date_from_json_values() -> None:
    epoch = read_date(1460332800)
    assert epoch.parsed is not None and epoch.parsed.day == date(2016, 4, 11)
    millis = read_date(1460332800000)
    assert millis.parsed is not None and millis.parsed.published == epoch.parsed.published
    assert read_date(None).parsed is None and read_date(None).warning is None
    bad = read_date({"when": "today"})
    assert bad.parsed is None and bad.warning is not None and "not understood" in bad.warning


def test_offsets_from_other_zones_are_kept() -> None:
    tokyo = timezone(timedelta(hours=9))
    parsed = parse_date("2016-04-11T00:30:00+09:00")
    assert parsed is not None and parsed.published.tzinfo is not None
    assert parsed.published == datetime(2016, 4, 11, 0, 30, tzinfo=tokyo)
    assert parsed.day == date(2016, 4, 11)


@pytest.mark.parametrize(
    "text",
    [
        "11-APR-2016",
        "11-Apr-2016",
        "Monday, April 11, 2016",
        "Mon 11 April 2016",
        "2016-04-11",
        "2016/04/11",
        "20160411",
    ],
)
def test_more_date_only_forms(text: str) -> None:
    parsed = parse_date(text)
    assert parsed == ParsedDate(datetime(2016, 4, 11, tzinfo=UTC), date_only=True)


def test_reuters_style_front_matter_date_equals_the_sgml_reading() -> None:
    text = "26-FEB-1987 15:01:01.79"
    assert parse_date(text) == parse_reuters_date(text)
    assert parse_date(text) == ParsedDate(datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-APR-2016 09:30", datetime(2016, 4, 11, 9, 30, tzinfo=UTC)),
        ("11-Apr-2016 09:30:05 GMT", datetime(2016, 4, 11, 9, 30, 5, tzinfo=UTC)),
        (
            "11-APR-2016 09:30:00 +0900",
            datetime(2016, 4, 11, 9, 30, tzinfo=timezone(timedelta(hours=9))),
        ),
        ("2016-04-11 09:30:00 UTC", datetime(2016, 4, 11, 9, 30, tzinfo=UTC)),
        ("2016-04-11T09:30:00+0900", datetime(2016, 4, 11, 0, 30, tzinfo=UTC)),
        ("Mon, 11 Apr 2016 09:30:00 +0900", datetime(2016, 4, 11, 0, 30, tzinfo=UTC)),
        ("11 Apr 2016 09:30:00 GMT", datetime(2016, 4, 11, 9, 30, tzinfo=UTC)),
    ],
)
def test_forms_with_a_time_of_day(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed is not None and not parsed.date_only
    assert parsed.published == expected


@pytest.mark.parametrize(
    "text", ["04/11/2016", "11/04/2016", "25/04/2016", "4-11-2016", "11.04.16"]
)
def test_day_month_order_unknown_is_refused_with_its_own_warning(text: str) -> None:
    assert parse_date(text) is None
    outcome = read_date(text)
    assert outcome.parsed is None and outcome.warning is not None
    assert "ambiguous" in outcome.warning and text in outcome.warning
    assert "YYYY-MM-DD" in outcome.warning


@pytest.mark.parametrize(
    "text", ["32-APR-2016", "11-FOO-2016", "11-APR-2016 25:00", "Funday, 11 April 2016"]
)
def test_near_misses_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text", ["11. April 2016", "11 avril 2016", "11 März 2016", "Juni 11, 2016"]
)
def test_month_names_of_other_languages(text: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.date_only
    assert parsed.day.year == 2016 and parsed.day.day == 11


def test_one_month_table_for_every_reader() -> None:
    from searchidx.corpus import dates
    from searchidx.corpus.readers import html_dates

    assert html_dates.MONTHS is dates.MONTHS
    assert html_dates.midnight(date(2016, 4, 11)) == dates.midnight_utc(date(2016, 4, 11)).published
