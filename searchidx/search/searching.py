"""The one query API: `search(index, SearchRequest) -> SearchResults`, plus `get_article` and
`similar`. No whoosh object leaves this module."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

from whoosh import query as wq

from searchidx.errors import QuerySyntaxError, UnknownArticle
from searchidx.index.whoosh_engine.docsets import date_ordered, day_docs, query_docs, ranking_query
from searchidx.index.whoosh_engine.schema import split_values
from searchidx.models import (
    FACET_NAMES,
    FacetCount,
    Hit,
    SearchRequest,
    SearchResults,
    StoredArticle,
)
from searchidx.search.facets import FACETS, EntityFacet, author_values, entities_pending, live_docs
from searchidx.search.query import analyze, day_number, parse_query
from searchidx.search.snippets import (
    Highlight,
    body_spans,
    highlight_for,
    make_snippets,
    opening,
    title_spans,
)

SORTS = ("relevance", "newest", "oldest")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _resolver(index: Any):  # type: ignore[no-untyped-def]
    def resolve(fieldname: str, value: str) -> list[str]:
        facet = FACETS.get(fieldname)
        if isinstance(facet, EntityFacet):
            return facet.stored_values(index, value)
        if fieldname == "authors":
            return author_values(index, value)
        return [value]

    return resolve


def compile_query(index: Any, text: str, literal: bool = False) -> wq.Query:
    return parse_query(text, _resolver(index), literal=literal)


def _query_docs(index: Any, q: wq.Query) -> frozenset[int]:
    if isinstance(q, wq.Every):
        return live_docs(index)
    return query_docs(index, q) & live_docs(index)


def _date_docs(index: Any, request: SearchRequest) -> frozenset[int] | None:
    if request.since is None and request.until is None:
        return None
    low = day_number(request.since) if request.since else None
    high = day_number(request.until) if request.until else None
    return day_docs(index, low if low is not None else 1, high)  # as day_range_query: undated out


def _facet_filters(index: Any, request: SearchRequest) -> dict[str, frozenset[int]]:
    """facet name -> documents allowed by that facet's own selections and exclusions."""
    allowed: dict[str, frozenset[int]] = {}
    for name in FACET_NAMES:
        chosen, dropped = request.filter_values(name), request.exclude_values(name)
        if not chosen and not dropped:
            continue
        facet = FACETS[name]
        docs = facet.docs_for(index, chosen) if chosen else live_docs(index)
        if dropped:
            docs = docs - facet.docs_for(index, dropped)
        allowed[name] = docs
    return allowed


def _intersect(base: frozenset[int], sets: list[frozenset[int]]) -> frozenset[int]:
    for docs in sorted(sets, key=len):
        base = base & docs
    return base


def _published(stored: dict[str, Any]) -> datetime | None:
    raw = stored.get("published")
    if not isinstance(raw, str) or not raw:
        return None
    parsed = datetime.fromisoformat(raw)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _hit(
    stored: dict[str, Any],
    score: float,
    snippets: tuple[Any, ...] = (),
    titled: Highlight | None = None,
) -> Hit:
    """A Hit from stored fields; `titled`: the query's title words, to mark in the title."""
    title = str(stored.get("title") or "")
    return Hit(
        id=str(stored["id"]),
        path=str(stored.get("path") or ""),
        title=title,
        outlet=str(stored.get("outlet") or "") or None,
        published=_published(stored),
        date_only=bool(stored.get("date_only")),
        authors=split_values(str(stored.get("authors") or "")),
        url=str(stored["url"]) if stored.get("url") else None,
        score=round(float(score), 4),
        people=split_values(str(stored.get("people") or "")),
        organisations=split_values(str(stored.get("organisations") or "")),
        places=split_values(str(stored.get("places") or "")),
        snippets=snippets,
        language=str(stored.get("language") or "") or None,
        title_spans=title_spans(title, titled) if titled else (),
    )


def _suggest(index: Any, text: str, allowed: frozenset[int]) -> str | None:
    """A corrected query that finds something, words replaced by close words of the index."""
    reader = index.searcher().reader()
    changed, pieces, last = False, [], 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        stems = analyze(word)
        if len(stems) != 1 or reader.frequency("body", stems[0]) > 0:
            continue
        closest = _closest_cached(index, reader, stems[0])
        if closest is None:
            continue
        surface = _surface(index, closest) or closest
        pieces += [text[last : match.start()], surface]
        last, changed = match.end(), True
    if not changed:
        return None
    corrected = "".join(pieces) + text[last:]
    try:
        docs = _query_docs(index, compile_query(index, corrected))
    except QuerySyntaxError:
        return None
    return corrected if docs & allowed else None


def _closest_cached(index: Any, reader: Any, stem: str) -> str | None:
    """`_closest`, remembered per searcher: its term scan takes ~100 ms on Reuters."""
    cache: dict[str, str | None] = index.cache.setdefault("closest", {})
    if stem not in cache:
        if len(cache) > 4096:
            cache.clear()
        cache[stem] = _closest(reader, stem)
    return cache[stem]


def _closest(reader: Any, stem: str) -> str | None:
    """The index word fewest edits away (two at most), the most frequent on a tie.

    Not whoosh's corrector: within `maxdist` it ranks by frequency alone, so on Reuters "sugr"
    became "shr" (two edits, very common) rather than "sugar" (one edit)."""
    found = [t for t in reader.terms_within("body", stem, 2) if t != stem]
    if not found:
        return None
    return min(found, key=lambda t: (_edits(stem, t), -reader.frequency("body", t), t))


def _edits(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours turning `a` into `b`."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)  # "cocao" -> "cocoa" is one swap
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


def _surface(index: Any, stem: str) -> str | None:
    """A real word of the corpus whose stem is `stem` (suggest "espionage", not "espionag")."""
    searcher = index.searcher()
    for docnum in list(searcher.docs_for_query(wq.Term("body", stem)))[:3]:
        body = str(searcher.stored_fields(docnum).get("body") or "")
        for word in _WORD.findall(body):
            if analyze(word) == [stem]:
                return word.lower()
    return None


def search(index: Any, request: SearchRequest) -> SearchResults:
    """Run one search: exact total, one page of hits with snippets, disjunctive facet counts."""
    started = time.perf_counter()
    if request.sort not in SORTS:
        raise QuerySyntaxError(
            f"unknown sort {request.sort!r}", hint="use relevance, newest or oldest"
        )
    unknown = [f for f in request.facets if f not in FACETS]
    if unknown:
        raise QuerySyntaxError(
            f"unknown facet {unknown[0]!r}", hint=f"use {', '.join(FACET_NAMES)}"
        )
    searcher = index.searcher()
    q = compile_query(index, request.query, request.literal)
    base = _query_docs(index, q)
    filters = _facet_filters(index, request)
    dates = _date_docs(index, request)
    extra = [dates] if dates is not None else []
    matched = _intersect(base, [*filters.values(), *extra])

    hits: list[Hit] = []
    wanted = request.offset + request.limit
    if matched and request.limit > 0 and request.offset < len(matched):
        ranked = ranked_docs(index, q, matched, request.sort, wanted)
        highlight = highlight_for(q, searcher.reader()) if request.snippets > 0 else Highlight()
        titled = highlight_for(q, searcher.reader(), "title")
        for docnum, score in ranked[request.offset :]:
            # Stored fields (and snippets) only for the page shown, never for the other matches.
            stored = searcher.stored_fields(docnum)
            snippets = (
                make_snippets(str(stored.get("body") or ""), highlight, request.snippets)
                if request.snippets > 0
                else ()
            )
            hits.append(_hit(stored, score, snippets, titled))

    facets, errors = [], []
    for name in request.facets:
        try:
            # Only a facet with a filter of its own needs its own match set (disjunctive counts).
            others = [docs for other, docs in filters.items() if other != name]
            docs = _intersect(base, [*others, *extra]) if name in filters else matched
            rows = FACETS[name].count(
                index,
                docs,
                request.facet_size,
                request.filter_values(name),
                request.exclude_values(name),
            )
            facets.append((name, tuple(FacetCount(v, c, s, x) for v, c, s, x in rows)))
        except Exception as error:  # one broken facet must not take the search down
            errors.append((name, f"{type(error).__name__}: {error}"))

    suggestion = None
    if not matched and request.suggest and request.query.strip() and not request.literal:
        suggestion = _suggest(
            index, request.query, _intersect(live_docs(index), [*filters.values(), *extra])
        )
    return SearchResults(
        request=request,
        total=len(matched),
        hits=tuple(hits),
        facets=tuple(facets),
        parsed_query=str(q),
        suggestion=suggestion,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        entities_pending=entities_pending(index),
        facet_errors=tuple(errors),
    )


def _docnum(index: Any, article_id: str) -> int:
    docnum = index.searcher().document_number(id=article_id)
    if docnum is None:
        raise UnknownArticle(f"no article with id {article_id!r} in the index")
    return int(docnum)


def get_article(index: Any, article_id: str, highlight: str | None = None) -> StoredArticle:
    """The stored article; with `highlight`, spans of that query's words over its body."""
    searcher = index.searcher()
    stored = searcher.stored_fields(_docnum(index, article_id))
    body = str(stored.get("body") or "")
    spans: tuple[tuple[int, int], ...] = ()
    titled = None
    if highlight:
        q = compile_query(index, highlight)
        spans = body_spans(body, highlight_for(q, searcher.reader()))
        titled = highlight_for(q, searcher.reader(), "title")
    return StoredArticle(
        hit=_hit(stored, 0.0, titled=titled),
        body=body,
        language=stored.get("language") or None,
        body_spans=spans,
    )


def similar(index: Any, article_id: str, limit: int = 10) -> SearchResults:
    """More-like-this: articles sharing the key terms of the given one's body."""
    started = time.perf_counter()
    searcher = index.searcher()
    docnum = _docnum(index, article_id)
    stored = searcher.stored_fields(docnum)
    results = searcher.more_like(
        docnum, "body", text=str(stored.get("body") or ""), top=limit, numterms=10
    )
    # a title-only article (a Reuters brief) gets no snippet, as in search(), not an empty one
    hits = tuple(
        _hit(hit.fields(), hit.score or 0.0, _opening(str(hit.get("body") or "")))
        for hit in results
    )
    return SearchResults(
        request=SearchRequest(query=f"similar:{article_id}", limit=limit),
        total=len(hits),
        hits=hits,
        parsed_query=f"more like {article_id}",
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        entities_pending=entities_pending(index),
    )


def _opening(body: str) -> tuple[Any, ...]:
    return (opening(body),) if body.strip() else ()


def matched_docs(index: Any, request: SearchRequest) -> tuple[wq.Query, frozenset[int]]:
    """The compiled query and every live document matching it and the request's filters (for
    story grouping, timelines and co-occurrence, which look at all matches, not one page)."""
    q = compile_query(index, request.query, request.literal)
    filters = _facet_filters(index, request)
    dates = _date_docs(index, request)
    extra = [dates] if dates is not None else []
    return q, _intersect(_query_docs(index, q), [*filters.values(), *extra])


def ranked_docs(
    index: Any, q: wq.Query, matched: frozenset[int], sort: str, limit: int | None
) -> list[tuple[int, float]]:
    """(document number, score) of the first `limit` matches (all when None) in `sort` order."""
    if not matched:
        return []
    browsing = isinstance(q, wq.Every) and sort == "relevance"
    if sort != "relevance" or browsing:
        # Browsing without words has no relevance: newest first. Dates carry no score.
        count = len(matched) if limit is None else limit
        return [(d, 0.0) for d in date_ordered(index, matched, sort != "oldest", count)]
    # Always filtered: whoosh's AndNot matcher can let a negated document through (its first
    # posting is not checked), while `matched` is exact.
    results = index.searcher().search(ranking_query(index, q), limit=limit, filter=set(matched))
    return [(results.docnum(i), results.score(i) or 0.0) for i in range(results.scored_length())]


def hit_for(index: Any, docnum: int, score: float, q: wq.Query | None, snippets: int) -> Hit:
    """A Hit for one document, with up to `snippets` snippets of `q`'s matches."""
    searcher = index.searcher()
    stored = searcher.stored_fields(docnum)
    found: tuple[Any, ...] = ()
    titled = None
    if q is not None and snippets > 0:
        highlight = highlight_for(q, searcher.reader())
        found = tuple(make_snippets(str(stored.get("body") or ""), highlight, snippets))
        titled = highlight_for(q, searcher.reader(), "title")
    return _hit(stored, score, found, titled)
