"""Facet tables written with each generation: counts equal the posting walk and a brute-force
count (aliases applied), stale or missing tables are never used, older generations keep theirs."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from searchidx.corpus.readers import read_file
from searchidx.index import facet_tables, open_index
from searchidx.index.engine import Engine
from searchidx.index.engines import write_engine
from searchidx.index.generations import current_generation
from searchidx.index.writing import IndexDocument, ensure_facet_tables, replace_documents
from searchidx.models import ENTITY_FIELDS, Article, SearchRequest
from searchidx.rebuild.run import index_articles, rebuild
from searchidx.search.facets import FACETS, EntityFacet
from searchidx.search.searching import search
from tests.conftest import SEED_ALIASES, seed_articles, shared_corpus
from tests.unit.test_crash import _kill_at, _write

_DOC = re.compile(r"<REUTERS\b.*?NEWID=\"(\d+)\".*?</REUTERS>", re.S)
_TAGS = {
    kind: re.compile(rf"<{tag}>(.*?)</{tag}>", re.S)
    for kind, tag in (("people", "PEOPLE"), ("organisations", "ORGS"), ("places", "PLACES"))
}
_D = re.compile(r"<D>(.*?)</D>")
# Reuters' own category tags as entity values, some upper-cased, and aliases merging variants.
REUTERS_ALIASES = {
    "people": {"reagan": "Ronald Reagan"},
    "organisations": {"opec": "OPEC"},
    "places": {"usa": "United States", "uk": "Britain", "west-germany": "Germany"},
}


def posting_counts(index: Engine, name: str, docs: frozenset[int]) -> dict[str, int]:
    """The old way: the table built from every value's posting list."""
    table = FACETS[name].posting_table(index)
    counts = table.counts(docs)
    return {v: int(counts[i]) for i, v in enumerate(table.values) if counts[i]}


def table_counts(index: Engine, name: str, docs: frozenset[int]) -> dict[str, int]:
    table = index.facet_table(FACETS[name].fieldname)
    assert table is not None, "the generation should carry its tables"
    counts = table.counts(docs)
    return {v: int(counts[i]) for i, v in enumerate(table.values) if counts[i]}


def brute_force(
    articles: Iterable[Article], kind: str, aliases: dict[str, dict[str, str]]
) -> Counter[str]:
    """Per lowercased canonical name, the articles naming it (each article once)."""
    found: Counter[str] = Counter()
    for article in articles:
        names = {aliases[kind].get(v.lower(), v).lower() for v in getattr(article, kind)}
        found.update(names)
    return found


def doc_sets(index: Engine) -> list[frozenset[int]]:
    live = sorted(index.live_docs())
    return [frozenset(live), frozenset(live[:3]), frozenset(live[::7]), frozenset(live[1::2])]


@pytest.fixture
def seed(seed_index: Path, tmp_path: Path) -> Path:
    path = tmp_path / "index"
    shutil.copytree(seed_index, path)
    return path


def test_seed_tables_equal_the_posting_walk_and_a_brute_force_count(seed: Path) -> None:
    # the fixture replaced aliases.json after publishing: those tables are stale, never used
    assert open_index(seed).facet_table("organisations") is None
    assert ensure_facet_tables(write_engine("whoosh"), seed)
    assert not ensure_facet_tables(write_engine("whoosh"), seed)  # once only
    index = open_index(seed)
    for docs in doc_sets(index):
        for name in FACETS:
            assert table_counts(index, name, docs) == posting_counts(index, name, docs), name
    everything = index.live_docs()
    for kind in ENTITY_FIELDS:
        shown = {v.lower(): c for v, c in table_counts(index, kind, everything).items()}
        assert shown == brute_force(seed_articles(), kind, SEED_ALIASES)
    # the two spellings of the bureau are one row, under the alias table's name
    assert table_counts(index, "organisations", everything)["General Reconnaissance Bureau"] == 2


def reuters_articles(name: str) -> list[Article]:
    root = shared_corpus("reuters21578")
    raw = (root / name).read_text(encoding="utf-8", errors="replace")
    tags: dict[int, dict[str, tuple[str, ...]]] = {}
    for found in _DOC.finditer(raw):
        newid = int(found.group(1))
        values = {k: tuple(_D.findall(m.group(1))) if (m := p.search(found.group(0))) else ()
                  for k, p in _TAGS.items()}  # fmt: skip
        if newid % 4 == 1:  # a case variant of the same value: one row in the facet
            values["places"] = tuple(v.upper() for v in values["places"])
        tags[newid] = values
    articles = []
    for article in read_file(root / name, root).articles:
        newid = int(article.id.rsplit("#", 1)[1])
        outlet = ("Reuters", "Reuters Business", "Reuters Markets")[newid % 3]
        articles.append(replace(article, outlet=outlet, **tags.get(newid, {})))
    return articles


@pytest.fixture(scope="module")
def reuters(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article]]:
    articles = reuters_articles("reut2-000.sgm")
    path = tmp_path_factory.mktemp("reuters-tables") / "index"
    half = len(articles) // 2
    index_articles(path, articles[:half])
    # a second generation re-adds every 25th story of the first (deleted documents stay behind)
    # and publishes the alias table with it, as the entity phase does
    again = [*articles[half:], *articles[:half:25]]
    documents = (IndexDocument(a) for a in again)
    side = {"aliases.json": REUTERS_ALIASES}
    replace_documents(write_engine("whoosh"), path, documents, side)
    return path, articles


def test_reuters_tables_equal_the_posting_walk_with_aliases(
    reuters: tuple[Path, list[Article]],
) -> None:
    path, articles = reuters
    index = open_index(path)
    assert len(list(index.segments())) > 1
    for docs in doc_sets(index):
        for name in FACETS:
            assert table_counts(index, name, docs) == posting_counts(index, name, docs), name
    for kind in ENTITY_FIELDS:
        shown = table_counts(index, kind, index.live_docs())
        assert {v.lower(): c for v, c in shown.items()} == brute_force(
            articles, kind, REUTERS_ALIASES
        )
    places = table_counts(index, "places", index.live_docs())
    assert "United States" in places and "usa" not in places and "USA" not in places


def test_search_with_tables_equals_search_without(reuters: tuple[Path, list[Article]]) -> None:
    path, _ = reuters
    tabled, walked = open_index(path), open_index(path)
    walked.tables = lambda: None  # type: ignore[attr-defined]  # the postings and columns path
    requests = [
        SearchRequest(query="oil", facets=tuple(FACETS), facet_size=8),
        SearchRequest(
            query="trade OR tariff",
            filters=(("places", ("usa", "JAPAN")), ("outlet", ("reuters markets",))),
            excludes=(("organisations", ("opec",)),),
            facets=tuple(FACETS),
        ),
        SearchRequest(query='places:"United States" grain', facets=("places", "month")),
        SearchRequest(excludes=(("places", ("uk",)),), facets=("places", "people"), limit=0),
        SearchRequest(sort="newest", limit=30, facets=("month",)),
        SearchRequest(query="bank", sort="oldest", limit=30, since=date(1987, 3, 1)),
        SearchRequest(until=date(1987, 2, 28), facets=("outlet",)),
    ]
    for request in requests:
        with_tables, without = search(tabled, request), search(walked, request)
        assert with_tables.total == without.total > 0
        assert with_tables.facets == without.facets
        assert [h.id for h in with_tables.hits] == [h.id for h in without.hits]
    assert tabled.tables() is not None  # type: ignore[attr-defined]
    assert tabled.live_docs() == walked.live_docs()
    for name in ("day", "published_ts"):
        assert list(tabled.number_column(name)) == list(walked.number_column(name))
    places = FACETS["places"]
    assert isinstance(places, EntityFacet)
    assert places.stored_values(tabled, "usa") == ["USA", "usa"]
    assert places.stored_values(tabled, "usa") == places.stored_values(walked, "USA")


def test_stale_or_half_written_tables_are_not_used(seed: Path) -> None:
    ensure_facet_tables(write_engine("whoosh"), seed)
    generation = current_generation(seed)
    assert generation is not None
    manifest_path = generation / facet_tables.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    expected = search(open_index(seed), SearchRequest(facets=tuple(FACETS))).facets
    manifest["segments"][0][0] = "another-segment"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    index = open_index(seed)
    assert index.facet_table("places") is None
    assert search(index, SearchRequest(facets=tuple(FACETS))).facets == expected
    manifest_path.unlink()  # a write killed before its last file: no manifest, no tables
    assert open_index(seed).facet_table("places") is None


def test_a_new_generation_leaves_the_previous_tables_as_they_were(tmp_path: Path) -> None:
    first = [Article(id=f"a{n}", path=f"a{n}.txt", title="t", body="b", places=("Oslo",))
             for n in range(5)]  # fmt: skip
    old = index_articles(tmp_path, first)
    before = {p.name: p.read_bytes() for p in old.glob("facets*")}
    assert before
    newer = [replace(a, places=("Bergen",)) for a in first[:2]]
    index_articles(tmp_path, newer, replace=False)
    assert {p.name: p.read_bytes() for p in old.glob("facets*")} == before
    index = open_index(tmp_path)
    assert table_counts(index, "places", index.live_docs()) == {"Bergen": 2, "Oslo": 3}


def test_a_table_from_outside_the_index_counts_the_same_way() -> None:
    # a facet kept elsewhere (user tags by document) builds its table from document -> values
    table = facet_tables.ValueTable.from_docs(6, {"read": [0, 2, 4], "later": [2, 5]})
    counts = table.counts(frozenset({2, 4, 5}))
    assert dict(zip(table.values, counts.tolist(), strict=True)) == {"later": 2, "read": 2}
    assert table.docs([table.index()["later"]]) == frozenset({2, 5})


def test_a_rebuild_killed_while_writing_tables_leaves_the_last_complete_ones(
    tmp_path: Path,
) -> None:
    corpus, path = tmp_path / "corpus", tmp_path / "idx"
    _write(corpus, "a.txt", "Harbour", "Dockers at the harbour.")
    _write(corpus, "b.txt", "Oil", "Oil rose.")
    rebuild(path, corpus, entities=False)
    index = open_index(path)
    assert table_counts(index, "year", index.live_docs()) == {"2016": 2}
    _write(corpus, "c.txt", "Wheat", "Wheat and oil.")
    # killed with the new generation's table files written (over hard links of the live
    # generation's), its manifest not yet
    _kill_at("tables", corpus, path, tmp_path)
    index = open_index(path)
    assert index.facet_table("year") is not None  # the live generation's own, complete tables
    assert table_counts(index, "year", index.live_docs()) == {"2016": 2}
    assert rebuild(path, corpus, entities=False).exit_code == 0
    index = open_index(path)
    assert table_counts(index, "year", index.live_docs()) == {"2016": 3}


def test_a_copied_index_keeps_its_tables_and_a_changed_alias_file_does_not(seed: Path) -> None:
    ensure_facet_tables(write_engine("whoosh"), seed)
    copy = seed.parent / "copied"
    shutil.copytree(seed, copy)  # new inodes, as cp -a or a restored backup gives
    assert open_index(copy).facet_table("organisations") is not None
    generation = current_generation(copy)
    assert generation is not None
    aliases = generation / facet_tables.ALIASES
    text = aliases.read_text(encoding="utf-8")
    aliases.write_text(text.replace("General", "Generel"), encoding="utf-8")  # same size
    assert open_index(copy).facet_table("organisations") is None
