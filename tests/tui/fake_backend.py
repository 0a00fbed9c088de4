"""A small in-memory backend for TUI tests: plain word matching, honest disjunctive facets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tui.backend import (
    FacetCount,
    Hit,
    Period,
    QuerySyntaxError,
    RebuildOutcome,
    RebuildProgress,
    Related,
    RelatedResults,
    SearchRequest,
    SearchResults,
    Snippet,
    StoredArticle,
    Story,
    StoryResults,
    Timeline,
    UnknownArticle,
    UnknownEntity,
    collect_all,
    write_export,
)


@dataclass
class FakeArticle:
    id: str
    title: str
    outlet: str
    published: datetime
    body: str
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # the working set's tags facet

    def facet_values(self, facet: str) -> tuple[str, ...]:
        if facet == "outlet":
            return (self.outlet,)
        if facet == "year":
            return (self.published.strftime("%Y"),)
        if facet == "month":
            return (self.published.strftime("%Y-%m"),)
        return tuple(getattr(self, facet))


def _words(query: str) -> list[str]:
    if query.count('"') % 2 or query.count("(") != query.count(")"):
        position = query.index('"') if query.count('"') % 2 else query.index("(")
        raise QuerySyntaxError("unbalanced quote or parenthesis", position, "close it or quote it")
    if re.search(r"\b(AND|OR|NOT)\s*$", query):
        raise QuerySyntaxError(
            "the query ends with an operator", len(query) - 1, "add a word after it"
        )
    return [w.lower() for w in re.findall(r"\w+", query) if w not in ("AND", "OR", "NOT")]


def _spans(text: str, words: list[str]) -> tuple[tuple[int, int], ...]:
    if not words:
        return ()
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*", re.IGNORECASE)
    return tuple(m.span() for m in pattern.finditer(text))


@dataclass
class FakeBackend:
    articles: list[FakeArticle]
    location: str = "/fake/index"
    present: bool = True
    took_ms: float = 7.0
    entities_pending: int = 0
    calls: list[SearchRequest] = field(default_factory=list)

    def has_index(self) -> bool:
        return self.present

    def _hit(self, article: FakeArticle, words: list[str], snippets: int) -> Hit:
        found: list[Snippet] = []
        offset = 0
        for line in article.body.split("\n"):
            spans = _spans(line, words)
            if spans and len(found) < snippets:
                # one paragraph a snippet; "cut" where the article has words before / after it,
                # as the core marks its fragments
                before = article.body[:offset].strip()
                after = article.body[offset + len(line) :].strip()
                found.append(Snippet(line, spans, cut_start=bool(before), cut_end=bool(after)))
            offset += len(line) + 1
        return Hit(
            id=article.id,
            path=f"{article.id}.txt",
            title=article.title,
            outlet=article.outlet,
            published=article.published,
            date_only=True,
            authors=(),
            url=None,
            score=float(sum(len(s.spans) for s in found)),
            people=article.people,
            organisations=article.organisations,
            places=article.places,
            snippets=tuple(found),
            title_spans=_spans(article.title, words),
        )

    def _matches(
        self,
        article: FakeArticle,
        words: list[str],
        request: SearchRequest,
        skip_facet: str | None = None,
    ) -> bool:
        text = (article.title + "\n" + article.body).lower()
        if any(not re.search(r"\b" + re.escape(w), text) for w in words):
            return False
        for facet, values in request.filters:
            if facet != skip_facet and not set(values) & set(article.facet_values(facet)):
                return False
        return all(
            not set(values) & set(article.facet_values(facet)) for facet, values in request.excludes
        )

    def search(self, request: SearchRequest) -> SearchResults:
        self.calls.append(request)
        words = _words(request.query)
        matched = [a for a in self.articles if self._matches(a, words, request)]
        hits = [self._hit(a, words, request.snippets) for a in matched]
        if request.sort == "relevance" and words:
            hits.sort(key=lambda h: -h.score)
        else:
            hits.sort(
                key=lambda h: h.published or datetime.min.replace(tzinfo=UTC),
                reverse=request.sort != "oldest",
            )
        facets = []
        for facet in request.facets:
            # disjunctive: a facet's own selection does not narrow its own counts
            counter: Counter[str] = Counter()
            for article in self.articles:
                if self._matches(article, words, request, skip_facet=facet):
                    counter.update(article.facet_values(facet))
            chosen, dropped = request.filter_values(facet), request.exclude_values(facet)
            facets.append(
                (
                    facet,
                    tuple(
                        FacetCount(value, count, value in chosen, value in dropped)
                        for value, count in counter.most_common(request.facet_size)
                    ),
                )
            )
        page = hits[request.offset : request.offset + request.limit]
        return SearchResults(
            request=request,
            total=len(hits),
            hits=tuple(page),
            facets=tuple(facets),
            took_ms=self.took_ms,
            entities_pending=self.entities_pending,
        )

    def article(self, article_id: str, highlight: str | None = None) -> StoredArticle:
        for article in self.articles:
            if article.id == article_id:
                words = _words(highlight or "")
                hit = self._hit(article, words, 3)
                return StoredArticle(
                    hit=hit, body=article.body, body_spans=_spans(article.body, words)
                )
        raise UnknownArticle(article_id)

    def similar(self, article_id: str, limit: int = 20) -> SearchResults:
        others = [self._hit(a, [], 0) for a in self.articles if a.id != article_id]
        return SearchResults(
            request=SearchRequest(limit=limit),
            total=len(others),
            hits=tuple(others[:limit]),
            took_ms=self.took_ms,
        )

    def export(self, request: SearchRequest, path: Path) -> int:
        return write_export(collect_all(self.search, request), path)  # as the real backend

    def stories(self, request: SearchRequest) -> StoryResults:
        # every fake article is a story of its own; grouping itself is tested on the real index
        results = self.search(request)
        stories = tuple(
            Story(
                id=f"s-{h.id}",
                hits=(h,),
                count=1,
                size=1,
                outlets=(h.outlet or "",),
                first_published=None,
                first_outlet=h.outlet,
            )
            for h in results.hits
        )
        return StoryResults(results, stories, results.total, stale=False)

    def story_versions(self, article_id: str) -> SearchResults:
        hits = tuple(self._hit(a, [], 0) for a in self.articles if a.id == article_id)
        return SearchResults(request=SearchRequest(), total=len(hits), hits=hits)

    def related(self, name: str, request: SearchRequest, size: int = 10) -> RelatedResults:
        kinds = ("people", "organisations", "places")
        words = _words(request.query)
        naming = [
            a
            for a in self.articles
            if self._matches(a, words, request)
            and any(name.lower() == v.lower() for k in kinds for v in getattr(a, k))
        ]
        if not any(
            name.lower() == v.lower() for a in self.articles for k in kinds for v in getattr(a, k)
        ):
            raise UnknownEntity(f"no person, organisation or place named {name!r}")
        rows = {}
        for kind in kinds:
            counts = Counter(
                v for a in naming for v in getattr(a, kind) if v.lower() != name.lower()
            )
            rows[kind] = tuple(
                Related(kind, v, n, round(n / len(naming), 4)) for v, n in counts.most_common(size)
            )
        return RelatedResults(name, kinds, len(naming), rows, self.took_ms)

    def timeline(self, request: SearchRequest, interval: str = "month") -> Timeline:
        words = _words(request.query)
        per: dict[str, Counter[str]] = {}
        starts = {}
        for article in self.articles:
            if self._matches(article, words, request):
                day = article.published.date()
                label = {"day": day.isoformat(), "month": day.strftime("%Y-%m")}.get(
                    interval, day.strftime("%G-W%V")
                )
                per.setdefault(label, Counter())[article.outlet] += 1
                starts[label] = day
        periods = tuple(
            Period(
                label,
                starts[label],
                sum(c.values()),
                tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
            for label, c in sorted(per.items())
        )
        outlets = tuple(sorted({o for c in per.values() for o in c}))
        return Timeline(interval, periods, 0, outlets)

    def rebuild(self, corpus: Path, progress: Callable[[RebuildProgress], None]) -> RebuildOutcome:
        files = sorted(corpus.glob("*.txt"))
        for number, _ in enumerate(files, 1):
            progress(RebuildProgress("reading", number, len(files), indexed=number))
        progress(RebuildProgress("entities", len(files), len(files), indexed=len(files)))
        self.present = True
        return RebuildOutcome(
            indexed=len(files), skipped=0, failed=1, failures=("broken.html: not valid HTML",)
        )
