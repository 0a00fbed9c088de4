"""Coverage timeline: matching articles per day, week or month, split by outlet.

Reads the `day` (yyyymmdd) and `outlet` columns once per generation, so a timeline over every
match costs one pass over the matched document numbers, never a stored-field read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from searchidx.corpus.dates import day_of_number
from searchidx.index.engine import DocSet, Engine
from searchidx.models import SearchRequest

INTERVALS = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    """One bar: the period's label and first day, its article count, and the count per outlet."""

    label: str  # "2016-04-11", "2016-W15" (ISO week) or "2016-04"
    start: date
    count: int
    outlets: tuple[tuple[str, int], ...]  # most articles first


@dataclass(frozen=True)
class Timeline:
    interval: str
    periods: tuple[Period, ...]  # in time order; periods without articles are left out
    undated: int  # matching articles with no known date
    outlets: tuple[str, ...]  # every outlet present, most articles first


def _columns(index: Engine) -> tuple[Sequence[int], Sequence[str]]:
    return index.number_column("day"), index.text_column("outlet")


def period_of(day: date, interval: str) -> tuple[str, date]:
    if interval == "day":
        return day.isoformat(), day
    if interval == "week":
        year, week, weekday = day.isocalendar()
        return f"{year}-W{week:02d}", day - timedelta(days=weekday - 1)
    return f"{day.year:04d}-{day.month:02d}", day.replace(day=1)


def timeline_for_docs(index: Engine, docs: DocSet, interval: str) -> Timeline:
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}: use day, week or month")
    days, outlets = _columns(index)
    per_period: dict[str, Counter[str]] = defaultdict(Counter)
    starts: dict[str, date] = {}
    totals: Counter[str] = Counter()
    undated = 0
    for docnum in docs:
        day = day_of_number(days[docnum])
        if day is None:
            undated += 1
            continue
        label, start = period_of(day, interval)
        starts[label] = start
        outlet = outlets[docnum] or "(no outlet)"
        per_period[label][outlet] += 1
        totals[outlet] += 1
    periods = tuple(
        Period(label, starts[label], sum(counts.values()),
               tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
        for label, counts in sorted(per_period.items(), key=lambda kv: starts[kv[0]])
    )  # fmt: skip
    ranked = tuple(name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
    return Timeline(interval, periods, undated, ranked)


def timeline(index: Engine, request: SearchRequest, interval: str = "month") -> Timeline:
    """The timeline of every article matching the request's query and filters."""
    from searchidx.search.searching import matched_docs

    _, docs = matched_docs(index, request)
    return timeline_for_docs(index, docs, interval)


def timeline_json(result: Timeline) -> dict[str, Any]:
    return {
        "interval": result.interval,
        "periods": [
            {
                "period": p.label,
                "start": p.start.isoformat(),
                "count": p.count,
                "outlets": dict(p.outlets),
            }
            for p in result.periods
        ],  # fmt: skip
        "undated": result.undated,
        "outlets": list(result.outlets),
    }


def timeline_text(result: Timeline, width: int = 40) -> str:
    """Bars, one line per period, the busiest period `width` characters long."""
    if not result.periods:
        return f"timeline ({result.interval}): no dated articles"
    top = max(p.count for p in result.periods)
    lines = [f"timeline by {result.interval}:"]
    for p in result.periods:
        bar = "█" * max(1, round(p.count * width / top))
        split = ", ".join(f"{name} {n}" for name, n in p.outlets[:3])
        more = f", +{len(p.outlets) - 3} outlets" if len(p.outlets) > 3 else ""
        lines.append(f"  {p.label:<10} {bar} {p.count}  ({split}{more})")
    if result.undated:
        lines.append(f"  undated: {result.undated}")
    return "\n".join(lines)
