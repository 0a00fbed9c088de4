"""The data that flows through searchidx: articles in, search requests and results out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Article:
    """One news article as read from the corpus.

    `published` is timezone-aware. When the source gave only a calendar date, `date_only` is True
    and `published` is midnight UTC of that date: `day` stays that calendar date.
    """

    id: str
    path: str
    title: str
    body: str
    outlet: str | None = None
    published: datetime | None = None
    date_only: bool = False
    authors: tuple[str, ...] = ()
    url: str | None = None
    language: str | None = None
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @property
    def day(self) -> date | None:
        """The article's own calendar date (in its own timezone, never shifted to UTC)."""
        return self.published.date() if self.published is not None else None


@dataclass(frozen=True)
class Problem:
    """A file (or one record of it) that could not be read, or was read with a warning."""

    path: str
    reason: str
    skipped: bool = True  # False: a warning, the file's articles were still read

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class ReadResult:
    """What a reader got out of one file."""

    articles: tuple[Article, ...] = ()
    problems: tuple[Problem, ...] = ()


# The entity kinds, in the order every output lists them; each is an Article field and a facet.
ENTITY_FIELDS: tuple[str, ...] = ("people", "organisations", "places")
FACET_NAMES: tuple[str, ...] = ("outlet", "year", "month", *ENTITY_FIELDS)
# the words a user may write for an entity kind (`person:` in a query, `org:` in a watchlist)
ENTITY_KIND_WORDS: dict[str, str] = {
    "person": "people",
    "people": "people",
    "org": "organisations",
    "organisation": "organisations",
    "organisations": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "place": "places",
    "places": "places",
}


@dataclass(frozen=True)
class SearchRequest:
    """One search: a query string plus facet filters, sorting, paging and what to compute."""

    query: str = ""
    # facet name -> values; values within one facet are OR-ed, facets are AND-ed
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # facet name -> values that must not match
    excludes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    since: date | None = None  # inclusive
    until: date | None = None  # inclusive
    sort: str = "relevance"  # relevance | newest | oldest
    limit: int = 20
    offset: int = 0
    facets: tuple[str, ...] = ()  # facet names to count
    facet_size: int = 10
    snippets: int = 3
    literal: bool = False
    # True: rank by the query widened with the words of its best matches (`search.feedback`);
    # the matches, total and facets stay the query's own
    expand: bool = False
    # False: no did-you-mean search when nothing matches (it costs ~100 ms on Reuters; the TUI
    # asks for it separately, so typing a half word is not slowed down)
    suggest: bool = True
    # True: every copy of an article its own hit; False: `stories.collapse.collapsed_search`
    # (the CLI's query, the TUI) folds them into one (search() itself never folds)
    all_copies: bool = False

    def filter_values(self, facet: str) -> tuple[str, ...]:
        return dict(self.filters).get(facet, ())

    def exclude_values(self, facet: str) -> tuple[str, ...]:
        return dict(self.excludes).get(facet, ())


@dataclass(frozen=True)
class Snippet:
    """A fragment of text with the matched parts as [start, end) character offsets."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    # the fragment starts / ends inside the text (renderers show "…" only there)
    cut_start: bool = False
    cut_end: bool = False


@dataclass(frozen=True)
class Copy:
    """Another copy of a hit's article (the same text, or nearly: a wire copy), folded into it."""

    id: str
    path: str
    outlet: str | None
    published: datetime | None
    date_only: bool = False


@dataclass(frozen=True)
class Hit:
    id: str
    path: str
    title: str
    outlet: str | None
    published: datetime | None
    date_only: bool
    authors: tuple[str, ...]
    url: str | None
    score: float
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    snippets: tuple[Snippet, ...] = ()
    language: str | None = None
    # [start, end) offsets into `title` of the words the query matched there
    title_spans: tuple[tuple[int, int], ...] = ()
    # the user's working set: tags (a star is the tag "starred") and note on the article
    tags: tuple[str, ...] = ()
    note: str = ""
    # the other matching copies of this article, shown as "also in" (none with --all-copies)
    copies: tuple[Copy, ...] = ()


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool = False
    excluded: bool = False


@dataclass(frozen=True)
class SearchResults:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[tuple[str, tuple[FacetCount, ...]], ...] = ()
    parsed_query: str = ""
    suggestion: str | None = None
    took_ms: float = 0.0
    entities_pending: int = 0
    facet_errors: tuple[tuple[str, str], ...] = ()  # facet name -> why it could not be counted
    notes: tuple[str, ...] = ()  # how the query was read when not as typed (a stray quote)
    # matches once copies are folded into one hit; None: not collapsed (every copy is a hit)
    collapsed_total: int | None = None

    def facet(self, name: str) -> tuple[FacetCount, ...]:
        return dict(self.facets).get(name, ())


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored in the index, for `searchidx show` and the TUI's article pane."""

    hit: Hit
    body: str
    language: str | None = None
    # [start, end) offsets into `body` of the words matched by `show --highlight QUERY`
    body_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class IndexStatus:
    location: str
    corpus_root: str | None
    articles: int
    last_rebuild: datetime | None
    failures: tuple[Problem, ...] = ()
    entities_pending: int = 0
    extra: dict[str, object] = field(default_factory=dict)
