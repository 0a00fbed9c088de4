"""`date:` values of the query language -> inclusive day ranges (yyyymmdd ints).

`2016`, `2016-04`, `2016-04-11`, `20160411`, `>=2016-03`, `<2016-03`, `[2016-01 to 2016-06-30]`;
QuerySyntaxError with a hint for anything else (never widened silently: whoosh-notes trap 2).
"""

from __future__ import annotations

import re

from searchidx.corpus.dates import day_number, day_range
from searchidx.errors import QuerySyntaxError

DATE_HINT = (
    "use date:2016, date:2016-04, date:2016-04-11, date:>=2016-03 "
    "or date:[2016-01-01 to 2016-06-30]"
)


def date_bounds(text: str, position: int = 0) -> tuple[int, int]:
    """First and last day (yyyymmdd ints) covered by `2016`, `2016-04`, `2016-04-11`, `20160411`
    (parsed by `corpus.dates.day_range`, the parser `--since` and `--until` use too)."""
    try:
        first, last = day_range(text)
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
