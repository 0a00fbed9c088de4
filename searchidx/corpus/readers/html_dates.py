"""Date values found in HTML pages: machine-readable stamps and datelines in the article text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from searchidx.corpus.dates import MONTHS, midnight_utc

# Years outside this range are template junk (copyright 1970, placeholder 2099).
MIN_YEAR = 1990
MAX_YEAR = 2100

_ISO_PREFIX = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?",
)
_FRACTION = re.compile(r"([.,])(\d{6})\d+")
_DOTTED = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2}))?")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")

_MONTH_WORD = r"([^\W\d_]{3,10})\.?"
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\.?\s+" + _MONTH_WORD + r",?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_TEXT_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TEXT_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def midnight(day: date) -> datetime:
    """The date-only convention of `Article`: midnight UTC of the page's own calendar date."""
    return midnight_utc(day).published


def parse_date(value: str) -> tuple[datetime, bool] | None:
    """(timezone-aware datetime, date_only) from one machine-readable value, or None.

    Not `corpus.dates.parse_date` (front matter, JSON), on purpose: a page's stamps need the
    1990-2100 window against template junk, tolerate text after an ISO stamp, take dotted dates
    day-first (28.04.2023, refused there as ambiguous) and epoch strings, and fall back to a
    dateline in free text; the month names and the date-only convention are shared.
    Stamps without an offset are taken as UTC: pages that omit it rarely say which zone they mean,
    and UTC keeps the calendar day the page shows.
    """
    text = value.strip()
    if not text:
        return None
    if _EPOCH.match(text):
        moment = datetime.fromtimestamp(int(text[:10]), tz=UTC)
        return (moment, False) if _plausible(moment.year) else None
    match = _ISO_PREFIX.match(text)
    if match:
        iso = _FRACTION.sub(r"\1\2", match.group(0).replace(" Z", "Z"))
        iso = re.sub(r"\s+([+-]\d)", r"\1", iso)
        stamp: datetime | None
        try:
            stamp = datetime.fromisoformat(iso)
        except ValueError:
            stamp = None
        if stamp is not None and _plausible(stamp.year):
            if len(iso) == 10:
                return midnight(stamp.date()), True
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=UTC)
            return stamp, False
    return _parse_loose(text)


def _parse_loose(text: str) -> tuple[datetime, bool] | None:
    """Dotted (28.04.2023), slashed (2023/04/28), RFC 2822 and 'April 28, 2023' forms."""
    match = _DOTTED.match(text)
    if match:
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        return _build(year, month, day, match.group(4), match.group(5))
    match = _SLASHED.match(text)
    if match:
        return _build(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        stamp = None
    if stamp is not None and _plausible(stamp.year):
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return stamp, False
    found = find_dateline(text)
    return (midnight(found), True) if found else None


def _build(
    year: int, month: int, day: int, hour: str | None = None, minute: str | None = None
) -> tuple[datetime, bool] | None:
    if not _plausible(year):
        return None
    try:
        if hour is not None and minute is not None:
            return datetime(year, month, day, int(hour), int(minute), tzinfo=UTC), False
        return midnight(date(year, month, day)), True
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not _plausible(year):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dateline(text: str) -> date | None:
    """The first calendar date written out in `text` (a dateline), or None.

    Only the first few hundred characters are searched: a date deep in the article is more
    likely an event it reports than the day it was published.
    """
    head = text[:600]
    candidates: list[tuple[int, date]] = []
    for match in _DAY_MONTH_YEAR.finditer(head):
        month = MONTHS.get(match.group(2).lower())
        found = month and _safe_date(int(match.group(3)), month, int(match.group(1)))
        if found:
            candidates.append((match.start(), found))
    for match in _MONTH_DAY_YEAR.finditer(head):
        month = MONTHS.get(match.group(1).lower())
        found = month and _safe_date(int(match.group(3)), month, int(match.group(2)))
        if found:
            candidates.append((match.start(), found))
    for match in _TEXT_ISO.finditer(head):
        found = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if found:
            candidates.append((match.start(), found))
    for match in _TEXT_DOTTED.finditer(head):
        found = _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if found:
            candidates.append((match.start(), found))
    return min(candidates)[1] if candidates else None
