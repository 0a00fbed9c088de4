"""The one query API: `search(index, SearchRequest) -> SearchResults`, plus `get_article` and
`similar`, over any `Engine` (the index is reached only through that seam)."""

from __future__ import annotations

import re
import time
from dataclasses import replace

from searchidx.corpus.dates import day_number
from searchidx.errors import QuerySyntaxError, UnknownArticle
from searchidx.index import querytree as qt
from searchidx.index.engine import DocSet, Engine
from searchidx.index.unspaced import has_unspaced
from searchidx.models import (
    FACET_NAMES,
    Article,
    FacetCount,
    Hit,
    SearchRequest,
    SearchResults,
    Snippet,
    StoredArticle,
)
from searchidx.search import query_budget
from searchidx.search.facets import FACETS, EntityFacet, author_values, entities_pending
from searchidx.search.feedback import feedback_ranking
from searchidx.search.query import Resolver, parse_query, unpair_stray_quote
from searchidx.search.snippets import (
    Highlight,
    highlight_for,
    make_snippets,
    opening,
    text_spans,
)
from searchidx.workset.db import WorksetError
from searchidx.workset.tags import (
    marks_for,
    tag_counts,
    tag_docs,
    tagged_ids,
    without_tags,
)

SORTS = ("relevance", "newest", "oldest")
TAGS_FACET = "tags"  # counted by workset.tags.tag_counts, not a FACETS class
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _resolver(index: Engine) -> Resolver:
    def resolve(fieldname: str, value: str) -> list[str]:
        facet = FACETS.get(fieldname)
        if isinstance(facet, EntityFacet):
            return facet.stored_values(index, value)
        if fieldname == "authors":
            return author_values(index, value)
        if fieldname == "tag":
            return tagged_ids(index, value)
        return [value]

    return resolve


def compile_query(index: Engine, text: str, literal: bool = False) -> qt.QueryNode:
    """The query tree of a query string, entity names and aliases resolved against `index`;
    QuerySyntaxError for a query over one of the budgets of search.query_budget."""
    query_budget.check_text(text, literal)
    if not literal:
        text, _ = unpair_stray_quote(text)  # the note goes out with the results (`search`)
    tree = parse_query(text, _resolver(index), analyze=index.analyze, literal=literal)
    query_budget.check_expansion(tree, index.expand)
    return tree


def _date_docs(index: Engine, request: SearchRequest) -> DocSet | None:
    if request.since is None and request.until is None:
        return None
    low = day_number(request.since) if request.since else None
    high = day_number(request.until) if request.until else None
    return index.day_docs(low, high)


def _facet_filters(index: Engine, request: SearchRequest) -> dict[str, DocSet]:
    """facet name -> documents allowed by that facet's own selections and exclusions."""
    allowed: dict[str, frozenset[int]] = {}
    for name in FACET_NAMES:
        chosen, dropped = request.filter_values(name), request.exclude_values(name)
        if not chosen and not dropped:
            continue
        facet = FACETS[name]
        docs = facet.docs_for(index, chosen) if chosen else index.live_docs()
        if dropped:
            docs = docs - facet.docs_for(index, dropped)
        allowed[name] = docs
    chosen, dropped = request.filter_values(TAGS_FACET), request.exclude_values(TAGS_FACET)
    if chosen or dropped:  # the tags facet's own choices (the TUI's panel)
        docs = tag_docs(index, chosen) if chosen else index.live_docs()
        allowed[TAGS_FACET] = docs - tag_docs(index, dropped) if dropped else docs
    return allowed


def _intersect(base: frozenset[int], sets: list[frozenset[int]]) -> frozenset[int]:
    for docs in sorted(sets, key=len):
        base = base & docs
    return base


def article_hit(
    stored: Article,
    score: float,
    snippets: tuple[Snippet, ...] = (),
    titled: Highlight | None = None,
) -> Hit:
    """A Hit of an indexed article; `titled`: the query's title words, to mark in the title."""
    return Hit(
        id=stored.id,
        path=stored.path,
        title=stored.title,
        outlet=stored.outlet,
        published=stored.published,
        date_only=stored.date_only,
        authors=stored.authors,
        url=stored.url,
        score=round(float(score), 4),
        people=stored.people,
        organisations=stored.organisations,
        places=stored.places,
        snippets=snippets,
        language=stored.language,
        title_spans=text_spans(stored.title, titled) if titled else (),
    )


def _suggest(index: Engine, text: str, allowed: DocSet) -> str | None:
    """A corrected query that finds something, words replaced by close words of the index."""
    changed, pieces, last, tried = False, [], 0, 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) > query_budget.SUGGEST_WORD_CHARS or has_unspaced(word):
            continue  # too far from any word; CJK / Thai terms are a few letters: no spelling
        stems = index.analyze(word)
        if len(stems) != 1 or index.term_frequency("body", stems[0]) > 0:
            continue
        tried += 1
        if tried > query_budget.SUGGEST_WORDS:
            break
        closest = _closest_cached(index, stems[0])
        if closest is None:
            continue
        surface = _surface(index, closest) or closest
        pieces += [text[last : match.start()], surface]
        last, changed = match.end(), True
    if not changed:
        return None
    corrected = "".join(pieces) + text[last:]
    try:
        docs = index.match(compile_query(index, corrected))
    except QuerySyntaxError:
        return None
    return corrected if docs & allowed else None


def _closest_cached(index: Engine, stem: str) -> str | None:
    """`_closest`, remembered per generation: its term scan takes ~100 ms on Reuters."""
    cache: dict[str, str | None] = index.memo("closest", dict)
    if stem not in cache:
        if len(cache) > 4096:
            cache.clear()
        cache[stem] = _closest(index, stem)
    return cache[stem]


def _closest(index: Engine, stem: str) -> str | None:
    """The index word fewest edits away (two at most), the most frequent on a tie.

    Not whoosh's corrector: within `maxdist` it ranks by frequency alone, so on Reuters "sugr"
    became "shr" (two edits, very common) rather than "sugar" (one edit)."""
    found = [t for t in index.terms_within("body", stem, 2) if t != stem]
    if not found:
        return None
    return min(found, key=lambda t: (_edits(stem, t), -index.term_frequency("body", t), t))


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


def _surface(index: Engine, stem: str) -> str | None:
    """A real word of the corpus whose stem is `stem` (suggest "espionage", not "espionag")."""
    for docnum in sorted(index.match(qt.Term("body", stem)))[:3]:
        for found in _WORD.finditer(index.stored(docnum).body):
            if index.analyze(found.group(0)) == [stem]:
                return found.group(0).lower()
    return None


def search(index: Engine, request: SearchRequest) -> SearchResults:
    """Run one search: exact total, one page of hits with snippets, disjunctive facet counts."""
    started = time.perf_counter()
    if request.sort not in SORTS:
        raise QuerySyntaxError(
            f"unknown sort {request.sort!r}", hint="use relevance, newest or oldest"
        )
    unknown = [f for f in request.facets if f not in FACETS and f != TAGS_FACET]
    if unknown:
        raise QuerySyntaxError(
            f"unknown facet {unknown[0]!r}", hint=f"use {', '.join(FACET_NAMES)}"
        )
    q = compile_query(index, request.query, request.literal)
    base = index.match(q)
    filters = _facet_filters(index, request)
    dates = _date_docs(index, request)
    extra = [dates] if dates is not None else []
    matched = _intersect(base, [*filters.values(), *extra])

    hits: list[Hit] = []
    wanted = request.offset + request.limit
    if matched and request.limit > 0 and request.offset < len(matched):
        ranking = without_tags(q)
        if request.expand and request.sort == "relevance" and not isinstance(ranking, qt.Every):
            ranked = feedback_ranking(index, ranking, matched, wanted)
        else:
            ranked = ranked_docs(index, ranking, matched, request.sort, wanted)
        highlight = highlight_for(index, q) if request.snippets > 0 else Highlight(index.tokens)
        titled = highlight_for(index, q, "title")
        for docnum, score in ranked[request.offset :]:
            # Stored fields (and snippets) only for the page shown, never for the other matches.
            stored = index.stored(docnum)
            snippets = (
                make_snippets(stored.body, highlight, request.snippets)
                if request.snippets > 0
                else ()
            )
            hits.append(article_hit(stored, score, snippets, titled))

    facets, errors = [], []
    for name in request.facets:
        try:
            # Only a facet with a filter of its own needs its own match set (disjunctive counts).
            others = [docs for other, docs in filters.items() if other != name]
            docs = _intersect(base, [*others, *extra]) if name in filters else matched
            if name == TAGS_FACET:
                chosen, dropped = request.filter_values(name), request.exclude_values(name)
                counted = tag_counts(index, docs, request.facet_size)
                rows_ = (FacetCount(v, c, v in chosen, v in dropped) for v, c in counted)
                facets.append((name, tuple(rows_)))
                continue
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
            index, request.query, _intersect(index.live_docs(), [*filters.values(), *extra])
        )
    return SearchResults(
        request=request,
        total=len(matched),
        hits=with_marks(index, hits),
        facets=tuple(facets),
        parsed_query=index.describe(q),
        suggestion=suggestion,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        entities_pending=entities_pending(index),
        facet_errors=tuple(errors),
        notes=()
        if request.literal
        else tuple(filter(None, [unpair_stray_quote(request.query)[1]])),
    )


def doc_number(index: Engine, article_id: str) -> int:
    """The document of an article id; UnknownArticle when the index has none (an id holding
    bytes that are not UTF-8, from argv, cannot be one: the index stores text)."""
    if query_budget.not_text(article_id):
        raise UnknownArticle(f"no article with id {article_id!r}: it holds a non-UTF-8 byte")
    docnum = index.doc_of(article_id)
    if docnum is None:
        raise UnknownArticle(f"no article with id {article_id!r} in the index")
    return docnum


def get_article(index: Engine, article_id: str, highlight: str | None = None) -> StoredArticle:
    """The stored article; with `highlight`, spans of that query's words over its body."""
    stored = index.stored(doc_number(index, article_id))
    spans: tuple[tuple[int, int], ...] = ()
    titled = None
    if highlight:
        body, titled = query_marks(index, compile_query(index, highlight))
        spans = text_spans(stored.body, body)
    return StoredArticle(
        hit=with_marks(index, [article_hit(stored, 0.0, titled=titled)])[0],
        body=stored.body,
        language=stored.language,
        body_spans=spans,
    )


def similar(index: Engine, article_id: str, limit: int = 10) -> SearchResults:
    """More-like-this: articles sharing the key terms of the given one's body."""
    started = time.perf_counter()
    found = index.more_like(doc_number(index, article_id), limit)
    hits = []
    for docnum, score in found:
        stored = index.stored(docnum)
        hits.append(article_hit(stored, score, _opening(stored.body)))
    return SearchResults(
        request=SearchRequest(query=f"similar:{article_id}", limit=limit),
        total=len(hits),
        hits=with_marks(index, hits),
        parsed_query=f"more like {article_id}",
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        entities_pending=entities_pending(index),
    )


def _opening(body: str) -> tuple[Snippet, ...]:
    # a title-only article (a Reuters brief) gets no snippet, as in search(), not an empty one
    return (opening(body),) if body.strip() else ()


def matched_docs(index: Engine, request: SearchRequest) -> tuple[qt.QueryNode, DocSet]:
    """The compiled query and every live document matching it and the request's filters (for
    story grouping, timelines and co-occurrence, which look at all matches, not one page)."""
    q = compile_query(index, request.query, request.literal)
    filters = _facet_filters(index, request)
    dates = _date_docs(index, request)
    extra = [dates] if dates is not None else []
    return q, _intersect(index.match(q), [*filters.values(), *extra])


def ranked_docs(
    index: Engine, q: qt.QueryNode, matched: DocSet, sort: str, limit: int | None
) -> list[tuple[int, float]]:
    """(document number, score) of the first `limit` matches (all when None) in `sort` order."""
    if not matched:
        return []
    browsing = isinstance(q, qt.Every) and sort == "relevance"
    if sort != "relevance" or browsing:
        # Browsing without words has no relevance: newest first. Dates carry no score.
        count = len(matched) if limit is None else limit
        return [(d, 0.0) for d in index.date_ordered(matched, sort != "oldest", count)]
    return index.rank(q, matched, limit)


def query_marks(index: Engine, q: qt.QueryNode) -> tuple[Highlight, Highlight]:
    """(body, title) words of `q` to mark: made once per query, since expanding wildcards and
    fuzzy terms reads the index's terms."""
    return highlight_for(index, q), highlight_for(index, q, "title")


def hit_for(
    index: Engine,
    docnum: int,
    score: float,
    marks: tuple[Highlight, Highlight] | None = None,
    snippets: int = 0,
) -> Hit:
    """A Hit for one document; with `marks` (`query_marks`), up to `snippets` snippets of the
    query's matches and its words marked in the title."""
    stored = index.stored(docnum)
    if marks is None or snippets <= 0:
        return with_marks(index, [article_hit(stored, score)])[0]
    body, title = marks
    hit = article_hit(stored, score, make_snippets(stored.body, body, snippets), title)
    return with_marks(index, [hit])[0]


def with_marks(index: Engine, hits: list[Hit]) -> tuple[Hit, ...]:
    """The hits with the working set's tags and note of each article (one lookup a page); an
    unreadable working-set database leaves them unmarked rather than failing the search."""
    try:
        marks = marks_for(index, [h.id for h in hits])
    except WorksetError:
        return tuple(hits)
    return tuple(
        replace(h, tags=marks[h.id].tags, note=marks[h.id].note) if h.id in marks else h
        for h in hits
    )
