"""The fixed benchmark query set: searchidx syntax plus FTS5 and tantivy equivalents.

Every query is run with facets and snippets and 0-3 facet filters. A peer gets `None` where its
query language cannot say the same thing (then that query is left out of its figures, and the doc
says how many were left out).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    """Facet filters as a user picks them: outlets (OR-ed), excluded outlets, a date range."""

    outlets: tuple[str, ...] = ()
    exclude_outlets: tuple[str, ...] = ()
    since: str | None = None  # inclusive ISO date
    until: str | None = None  # inclusive ISO date

    @property
    def count(self) -> int:
        date = 1 if (self.since or self.until) else 0
        return int(bool(self.outlets)) + int(bool(self.exclude_outlets)) + date

    def cli_options(self) -> list[str]:
        """The `searchidx query` options for these filters."""
        options: list[str] = []
        for outlet in self.outlets:
            options += ["--outlet", outlet]
        for outlet in self.exclude_outlets:
            options += ["--exclude-outlet", outlet]
        if self.since:
            options += ["--since", self.since]
        if self.until:
            options += ["--until", self.until]
        return options

    def day_range(self) -> tuple[int, int] | None:
        if not (self.since or self.until):
            return None
        low = int((self.since or "0001-01-01").replace("-", ""))
        high = int((self.until or "9999-12-31").replace("-", ""))
        return low, high


@dataclass(frozen=True)
class BenchQuery:
    kind: str  # term | phrase | boolean | wildcard | date | mixed
    text: str  # searchidx query syntax
    fts5: str | None  # FTS5 MATCH expression (date ranges go to SQL), None: not expressible
    tantivy: str | None  # tantivy query syntax (date ranges go to the `day` field)
    filters: Filters = Filters()
    # A date range written in the query itself (searchidx `date:`): peers get it as a day range.
    query_days: tuple[int, int] | None = None


NONE = Filters()
MARCH = Filters(since="1987-03-01", until="1987-03-31")
SPRING = Filters(since="1987-04-01", until="1987-06-30")
REUTERS = Filters(outlets=("Reuters",))
REUTERS_APRIL = Filters(outlets=("Reuters",), since="1987-04-01", until="1987-04-30")
THREE = Filters(
    outlets=("Reuters",), exclude_outlets=("BBC News",), since="1987-03-01", until="1987-06-30"
)
NOT_BBC = Filters(exclude_outlets=("BBC News",))


def _same(kind: str, text: str, filters: Filters = NONE) -> BenchQuery:
    """A query that reads the same in all three languages."""
    return BenchQuery(kind, text, text, text, filters)


QUERIES: tuple[BenchQuery, ...] = (
    # single terms
    _same("term", "oil"),
    _same("term", "wheat", MARCH),
    _same("term", "coffee"),
    _same("term", "dividend", REUTERS),
    _same("term", "gold", SPRING),
    _same("term", "yen"),
    _same("term", "acquisition", THREE),
    _same("term", "tariffs"),
    _same("term", "bankruptcy", NOT_BBC),
    _same("term", "shipping", REUTERS_APRIL),
    _same("term", "sugar"),
    _same("term", "inflation", MARCH),
    # several words (searchidx: all should match, missing words rank lower; peers: AND)
    _same("term", "crude oil prices"),
    _same("term", "interest rates cut", SPRING),
    _same("term", "trade deficit japan"),
    _same("term", "central bank intervention", REUTERS),
    _same("term", "grain exports soviet union", THREE),
    # phrases
    _same("phrase", '"crude oil"'),
    _same("phrase", '"interest rates"', MARCH),
    _same("phrase", '"trade deficit"'),
    _same("phrase", '"federal reserve"', REUTERS),
    _same("phrase", '"money supply"', SPRING),
    _same("phrase", '"net loss"'),
    _same("phrase", '"stock split"', NOT_BBC),
    _same("phrase", '"european community"', THREE),
    _same("phrase", '"world bank"'),
    _same("phrase", '"oil prices"', REUTERS_APRIL),
    # booleans
    BenchQuery("boolean", "oil AND NOT gas", "oil NOT gas", "+oil -gas"),
    BenchQuery("boolean", "wheat OR corn", "wheat OR corn", "wheat OR corn", MARCH),
    BenchQuery(
        "boolean",
        "(coffee OR cocoa) AND brazil",
        "(coffee OR cocoa) AND brazil",
        "+(coffee cocoa) +brazil",
    ),
    BenchQuery("boolean", "gold AND silver", "gold AND silver", "+gold +silver", REUTERS),
    BenchQuery(
        "boolean",
        "merger OR takeover OR acquisition",
        "merger OR takeover OR acquisition",
        "merger OR takeover OR acquisition",
        SPRING,
    ),
    BenchQuery(
        "boolean", "dollar AND (yen OR mark)", "dollar AND (yen OR mark)", "+dollar +(yen mark)"
    ),
    BenchQuery("boolean", "opec AND NOT saudi", "opec NOT saudi", "+opec -saudi", THREE),
    BenchQuery(
        "boolean",
        '"interest rates" AND bundesbank',
        '"interest rates" AND bundesbank',
        '+"interest rates" +bundesbank',
    ),
    BenchQuery(
        "boolean",
        "strike AND (port OR seamen)",
        "strike AND (port OR seamen)",
        "+strike +(port seamen)",
        NOT_BBC,
    ),
    # wildcards
    _same("wildcard", "export*"),
    _same("wildcard", "petro*", MARCH),
    _same("wildcard", "acqui*", REUTERS),
    _same("wildcard", "bank*"),
    _same("wildcard", "semicond*", SPRING),
    _same("wildcard", "refin*", THREE),
    BenchQuery("wildcard", "soy* AND export*", "soy* AND export*", "+soy* +export*"),
    # dates written in the query
    BenchQuery("date", "oil date:1987-03", "oil", "oil", query_days=(19870301, 19870331)),
    BenchQuery(
        "date",
        "wheat date:[1987-04-01 to 1987-04-15]",
        "wheat",
        "wheat",
        query_days=(19870401, 19870415),
    ),
    BenchQuery(
        "date", "dollar date:>=1987-06", "dollar", "dollar", query_days=(19870601, 99991231)
    ),
    BenchQuery(
        "date", "earnings date:1987-03-02", "earnings", "earnings", query_days=(19870302, 19870302)
    ),
    BenchQuery(
        "date",
        '"trade deficit" date:[1987-03-01 to 1987-06-30]',
        '"trade deficit"',
        '"trade deficit"',
        REUTERS,
        query_days=(19870301, 19870630),
    ),
    BenchQuery("date", "bank* date:1987-04", "bank*", "bank*", query_days=(19870401, 19870430)),
    # fields, proximity, fuzzy, everything (browse)
    BenchQuery("mixed", "title:oil", "title:oil", "title:oil"),
    BenchQuery(
        "mixed",
        "title:(wheat OR grain)",
        "title:(wheat OR grain)",
        "title:wheat OR title:grain",
        MARCH,
    ),
    BenchQuery("mixed", '"oil prices"~3', "NEAR(oil prices, 3)", '"oil prices"~3'),
    BenchQuery("mixed", "inflaton~1", None, None),
    # the empty query browses everything (FTS5: no MATCH clause; tantivy: `*`)
    BenchQuery("mixed", "", "", "*"),
    BenchQuery("mixed", "", "", "*", REUTERS_APRIL),
)


def summary() -> dict[str, int]:
    """How many queries of each kind, with filters, and expressible by each peer."""
    counts: dict[str, int] = {"total": len(QUERIES)}
    for query in QUERIES:
        counts[query.kind] = counts.get(query.kind, 0) + 1
    counts["with_filters"] = sum(1 for q in QUERIES if q.filters.count)
    counts["fts5"] = sum(1 for q in QUERIES if q.fts5 is not None)
    counts["tantivy"] = sum(1 for q in QUERIES if q.tantivy is not None)
    return counts
