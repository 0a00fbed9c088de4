"""Dates: publication dates as sources write them (plausibility included), day ranges as users do.

Every date leaves here timezone-aware. A value without a time of day is a calendar date: it becomes
midnight UTC of that very date with `date_only=True`, so no later timezone conversion can move it
into the previous day. A value with a time but no zone is taken as UTC (the sources we read do not
say otherwise).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime

EARLIEST_YEAR = 1800
# A source clock or timezone may run ahead of ours: only dates beyond this margin are "future".
FUTURE_MARGIN = timedelta(days=1)

# Month names and abbreviations in English, German, French, Spanish, Italian, Portuguese and Dutch
# (the languages of the outlets we read); the HTML reader uses this same table.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar janvier enero gennaio janeiro januari",
            "february feb februar février fevrier febrero febbraio fevereiro februari",
            "march mar märz maerz mars marzo março maart",
            "april apr avril abril aprile",
            "may mai mayo maggio maio mei",
            "june jun juni juin junio giugno junho",
            "july jul juli juillet julio luglio julho",
            "august aug août aout agosto augustus",
            "september sep sept septembre septiembre settembre setembro",
            "october oct oktober octobre octubre ottobre outubro okt",
            "november nov novembre noviembre novembro",
            "december dec dezember décembre decembre diciembre dicembre dezembro dez",
        ),
        start=1,
    )
    for name in names.split()
}
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SLASH_DAY = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_MONTH_WORD = r"([^\W\d_]{3,10})\.?"
_MONTH_FIRST = re.compile(_MONTH_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th|\.)?\s+" + _MONTH_WORD + r",?\s+(\d{4})")
_CONTROL = re.compile(r"[\x00-\x1f]")
_FILE_NAME_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# "26-FEB-1987", "11-Apr-2016 09:30": day-month-year with dashes (Reuters-21578 and VMS style),
# an optional time (fraction of a second kept) and zone.
_DASHED = re.compile(
    r"(\d{1,2})-([A-Za-z]{3,9})-(\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?"
    r"(?:\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
)
# "Monday, ", "Mon ": a weekday before a written date says nothing the date does not.
_WEEKDAY = re.compile(
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+",
    re.IGNORECASE,
)
# 04/11/2016, 11.04.16, 4-11-2016: day and month are both numbers and their order is a local
# convention (US month-first, most of the world day-first). Guessing would misdate silently, so
# these are refused with a warning asking for YYYY-MM-DD. Year-first forms (2016/04/11) are safe.
_TIME_DIRECTIVE = re.compile(r"%[HIMSfXcpsz]")
_AMBIGUOUS = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T,].*)?", re.DOTALL)
# "2016-04-11 09:30:00 UTC": an ISO time followed by a zone name rather than an offset.
_ZONE_NAME = re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE)
# A day, month or year a user names (--since, date:): 2016, 2016-04, 2016-04-11, 20160411.
_DAY_RANGE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?|(\d{4})(\d{2})(\d{2})")
# Reuters-21578: "26-FEB-1987 15:01:01.79" (day, month, year, time with centiseconds).
_REUTERS = re.compile(
    r"(\d{1,2})-([A-Z]{3})-(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\.(\d{2})", re.IGNORECASE
)


@dataclass(frozen=True)
class ParsedDate:
    """A publication date as read: aware datetime, and whether the source gave only the day."""

    published: datetime
    date_only: bool = False

    @property
    def day(self) -> date:
        return self.published.date()


def midnight_utc(day: date) -> ParsedDate:
    """A calendar date as `Article` stores it: midnight UTC of that same date."""
    return ParsedDate(datetime.combine(day, time(0, 0), tzinfo=UTC), date_only=True)


def _calendar(year: str, month: str | int, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _month_number(name: str) -> int | None:
    return MONTHS.get(name.lower())


def _date_only(text: str) -> date | None:
    for pattern in (_ISO_DAY, _COMPACT_DAY, _SLASH_DAY):
        match = pattern.fullmatch(text)
        if match:
            return _calendar(*match.groups())
    match = _MONTH_FIRST.fullmatch(text)
    if match and (month := _month_number(match.group(1))):
        return _calendar(match.group(3), month, match.group(2))
    match = _DAY_FIRST.fullmatch(text)
    if match and (month := _month_number(match.group(2))):
        return _calendar(match.group(3), month, match.group(1))
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_date(value: str) -> ParsedDate | None:
    """Parse a date as saved articles carry it; None if not a date.

    Accepted: ISO 8601 (with or without a time and zone, also a trailing "UTC"), RFC 2822
    ("Mon, 11 Apr 2016 09:30:00 +0900"), written dates ("11 April 2016", "April 11, 2016",
    optionally after a weekday), 2016/04/11, 20160411 and the dashed Reuters form
    ("26-FEB-1987 15:01:01.79"). Values that are not real calendar dates (2016-02-30) are not
    dates, and neither are all-numeric day/month forms such as 04/11/2016 (see `ambiguous`).
    """
    text = value.strip()
    if not text or len(text) > 80:
        return None
    plain = _WEEKDAY.sub("", text, count=1) if _WEEKDAY.match(text) else text
    day = _date_only(plain)
    if day is not None:
        return midnight_utc(day)
    dashed = _DASHED.fullmatch(plain)
    if dashed:
        return _dashed(*dashed.groups())
    if _AMBIGUOUS.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(_ZONE_NAME.sub("Z", text))
    except ValueError:
        pass
    else:
        if ":" not in text and "T" not in text:  # an ISO week or ordinal date: a day, no time
            return midnight_utc(moment.date())
        return ParsedDate(_aware(moment))
    try:
        return ParsedDate(_aware(parsedate_to_datetime(text)))
    except (TypeError, ValueError, IndexError):
        return None


def _dashed(
    day: str,
    month_name: str,
    year: str,
    hour: str | None,
    minute: str | None,
    second: str | None,
    fraction: str | None,
    zone: str | None,
) -> ParsedDate | None:
    month = _month_number(month_name)
    if month is None:
        return None
    if hour is None or minute is None:
        calendar_day = _calendar(year, month, day)
        return midnight_utc(calendar_day) if calendar_day else None
    offset = UTC
    if zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        sign = -1 if zone[0] == "-" else 1
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(
            int(year),
            month,
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=offset,
        )
    except ValueError:
        return None
    return ParsedDate(moment)


def ambiguous(value: str) -> bool:
    """True for an all-numeric date whose day/month order is unknown (04/11/2016)."""
    return _AMBIGUOUS.fullmatch(value.strip()) is not None


def parse_timestamp(value: float) -> ParsedDate | None:
    """Seconds (or milliseconds, when too large to be seconds) since 1970, as found in JSON."""
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        return ParsedDate(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def date_from_file_name(name: str) -> ParsedDate | None:
    """The calendar date written as yyyy-mm-dd in a file name (`2016-04-11-defection.txt`)."""
    for match in _FILE_NAME_DAY.finditer(name):
        day = _calendar(*match.groups())
        if day is not None:
            return midnight_utc(day)
    return None


def parse_reuters_date(value: str) -> ParsedDate | None:
    """A Reuters-21578 <DATE>, strictly "26-FEB-1987 15:01:01.79"; None when malformed.

    Teletype routing codes after a control character (&#5; in the SGML) are not part of the date
    and are ignored. Anything else
    (a truncated time, an hour of 605, a note such as "date added ... as guesswork") makes the
    date malformed: it is reported, not repaired. The collection gives no timezone: UTC is assumed.
    """
    text = _CONTROL.split(value, maxsplit=1)[0].strip()
    match = _REUTERS.fullmatch(text)
    if not match:
        return None
    day, month_name, year, hour, minute, second, centis = match.groups()
    month = _month_number(month_name)
    if month is None:
        return None
    try:
        moment = datetime(
            int(year),
            month,
            int(day),
            int(hour),
            int(minute),
            int(second),
            int(centis) * 10_000,
            tzinfo=UTC,
        )
    except ValueError:
        return None
    return ParsedDate(moment)


def implausible(parsed: ParsedDate, now: datetime | None = None) -> str | None:
    """Why a date cannot be a publication date (in the future, before 1800), or None if fine."""
    current = now or datetime.now(UTC)
    if parsed.published.year < EARLIEST_YEAR:
        return f"date {format_date(parsed)} is before {EARLIEST_YEAR}"
    if parsed.published > current + FUTURE_MARGIN:
        return f"date {format_date(parsed)} is in the future"
    return None


def format_date(parsed: ParsedDate) -> str:
    """How a date is named in messages: the calendar day alone for date-only values."""
    if parsed.date_only:
        return parsed.day.isoformat()
    return parsed.published.isoformat()


@dataclass(frozen=True)
class DateOutcome:
    """A date checked for use: the date to keep (or None) and a one-line warning when dropped."""

    parsed: ParsedDate | None
    warning: str | None = None


def checked(parsed: ParsedDate | None, now: datetime | None = None) -> DateOutcome:
    """Keep a plausible date; drop an implausible one with the reason as a warning."""
    if parsed is None:
        return DateOutcome(None)
    reason = implausible(parsed, now)
    if reason is not None:
        return DateOutcome(None, f"{reason}; published left empty")
    return DateOutcome(parsed)


def parse_with_format(value: str, date_format: str) -> ParsedDate | None:
    """`value` read with a strptime pattern ("%d/%m/%Y"); a pattern without a time of day gives
    a calendar date, a time without a zone is UTC. None if it does not fit."""
    try:
        moment = datetime.strptime(value.strip(), date_format)
    except ValueError:
        return None
    if not _TIME_DIRECTIVE.search(date_format):
        return midnight_utc(moment.date())
    return ParsedDate(_aware(moment))


def read_date(
    value: object, now: datetime | None = None, date_format: str | None = None
) -> DateOutcome:
    """A date field from front matter or JSON: parsed, checked, with a warning if unusable.
    `date_format` (a folder's `.searchidx.toml`) is tried first, then the usual forms."""
    if value is None or value == "":
        return DateOutcome(None)
    if date_format and isinstance(value, str):
        written = parse_with_format(value, date_format)
        if written is not None:
            return checked(written, now)
    if isinstance(value, bool):
        parsed = None
    elif isinstance(value, int | float):
        parsed = parse_timestamp(float(value))
    elif isinstance(value, str):
        parsed = parse_date(value)
    else:
        parsed = None
    if parsed is None:
        shown = str(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        if isinstance(value, str) and ambiguous(value):
            return DateOutcome(
                None,
                f"date {shown!r} is ambiguous (day or month first?); write it as YYYY-MM-DD "
                "or set date_format in .searchidx.toml; published left empty",
            )
        return DateOutcome(None, f"date {shown!r} not understood; published left empty")
    return checked(parsed, now)


def day_range(text: str) -> tuple[date, date]:
    """The first and last day of a year, month or day a user names (`2016`, `2016-04`,
    `2016-04-11`, `20160411`): the one parser of `--since`/`--until` and the query's `date:`.
    ValueError, with the reason, for anything else."""
    found = _DAY_RANGE.fullmatch(text.strip())
    if not found:
        raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
    if found.group(4):
        day = date(int(found.group(4)), int(found.group(5)), int(found.group(6)))
        return day, day
    year = int(found.group(1))
    if found.group(2) is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(found.group(2))
    if found.group(3) is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, int(found.group(3)))
    return day, day


def day_number(day: date | None) -> int:
    """A calendar day as the index keeps it: yyyymmdd as one int, ordered as the days are (0:
    undated). The index's `day` field, the query's date ranges and story windows all use it."""
    return day.year * 10000 + day.month * 100 + day.day if day else 0


def day_of_number(number: int) -> date | None:
    """The day a `day_number` stands for (None for 0 or a number that is no day)."""
    if not number:
        return None
    try:
        return date(number // 10000, number // 100 % 100, number % 100)
    except ValueError:
        return None
