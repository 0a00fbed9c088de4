"""The working set on the seed corpus: watchlists (alias-aware, --new), batch rows, saved
searches' new counts, tags/stars/notes, `tag:` queries and the tags facet."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from searchidx.errors import UnknownArticle
from searchidx.index import open_index
from searchidx.index.engine import Engine
from searchidx.index.generations import write_side_json
from searchidx.models import Article, SearchRequest
from searchidx.rebuild.run import index_articles
from searchidx.search.searching import get_article, search
from searchidx.search.worksets import run_query, run_saved, watch
from searchidx.workset import saved as saved_store
from searchidx.workset import tags
from searchidx.workset.db import db_path
from searchidx.workset.watchlist import parse_line, read_watchlist
from tests.conftest import SEED_ALIASES, seed_articles

CNN = "cnn-2016-04-11-north-korean-colonel-defects"
VICE = "vice-news-2016-04-11-most-senior-military-defection"


def _index(path: Path, articles: list[Article], add: bool = False) -> Engine:
    generation = index_articles(path, articles, replace=not add)
    write_side_json(generation, "aliases.json", SEED_ALIASES)
    return open_index(path)


@pytest.fixture
def index(tmp_path: Path) -> Engine:
    """The seed index, fresh for each test (the working set writes beside it)."""
    return _index(tmp_path / "index", seed_articles())


def _defector(number: int) -> Article:
    return Article(
        id=f"late-{number}", path=f"late-{number}.txt", title=f"Another defector {number}",
        body="A second officer of the Reconnaissance General Bureau crossed the border.",
        outlet="Yonhap", published=datetime(2016, 5, number, tzinfo=UTC), date_only=True,
        organisations=("Reconnaissance General Bureau",),
    )  # fmt: skip


def test_watchlist_lines() -> None:
    name = parse_line("org: Reconnaissance General Bureau | RGB | RGB ")
    assert name is not None
    assert (name.kind, name.name, name.aliases) == (
        "organisations", "Reconnaissance General Bureau", ("RGB",),
    )  # fmt: skip
    assert parse_line("  # a comment") is None and parse_line("") is None
    plain = parse_line("Kim Jong-un")
    assert plain is not None and plain.kind is None
    with pytest.raises(ValueError, match="unknown kind 'rank'"):
        parse_line("rank: colonel")


def test_watchlist_file_skips_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("org: Bureau\nrank: colonel\n|\nplace: Seoul\n", encoding="utf-8")
    names, problems = read_watchlist(path)
    assert [n.name for n in names] == ["Bureau", "Seoul"]
    assert [p.path for p in problems] == [f"{path}:2", f"{path}:3"]


@pytest.mark.parametrize(
    "spelling", ["Reconnaissance General Bureau", "General Reconnaissance Bureau"]
)
def test_either_spelling_finds_both_articles(index: Engine, tmp_path: Path, spelling: str) -> None:
    name = parse_line(f"org: {spelling}")
    assert name is not None
    [row] = watch(index, tmp_path / "names.txt", [name], new=False, hits=5)
    assert row.total == 2 and {h.id for h in row.hits} == {CNN, VICE}
    assert row.first == row.last == datetime(2016, 4, 11).date()
    assert dict(row.outlets) == {"CNN": 1, "VICE News": 1}


def test_alias_only_in_text_of_one_article(index: Engine, tmp_path: Path) -> None:
    # no kind: looked up in every entity field and the text; an unknown alias adds nothing
    name = parse_line("Yonhap News Agency | no such agency")
    assert name is not None
    [row] = watch(index, tmp_path / "n.txt", [name], new=False)
    assert row.total == 2  # CNN names "Yonhap News Agency", VICE "Yonhap": one alias group


def test_new_finds_only_an_article_added_after_the_last_run(tmp_path: Path) -> None:
    path = tmp_path / "index"
    first = _index(path, seed_articles())
    names = [parse_line("org: General Reconnaissance Bureau")]
    assert names[0] is not None
    watchlist = tmp_path / "names.txt"
    [before] = watch(first, watchlist, names, new=True)  # type: ignore[arg-type]
    assert before.new == 2  # never run: everything is new
    later = _index(path, [_defector(1)], add=True)
    [row] = watch(later, watchlist, names, new=True, hits=5)  # type: ignore[arg-type]
    assert row.new == row.total == 1 and [h.id for h in row.hits] == ["late-1"]
    [again] = watch(later, watchlist, names, new=True)  # type: ignore[arg-type]
    assert again.new == 0
    # another watchlist file has its own memory
    [other] = watch(later, tmp_path / "other.txt", names, new=True)  # type: ignore[arg-type]
    assert other.new == 3


def test_batch_row_of_a_malformed_query(index: Engine) -> None:
    bad = run_query(index, SearchRequest(query="(unclosed"))
    assert bad.error is not None and "unclosed '('" in bad.error and bad.total == 0
    good = run_query(index, SearchRequest(query="defect*"), hits=1)
    assert good.error is None and good.total == 2 and len(good.hits) == 1


def test_saved_search_counts_new_articles(tmp_path: Path) -> None:
    path = tmp_path / "index"
    first = _index(path, seed_articles())
    saved_store.save(path, "bureau", SearchRequest(query="bureau", sort="newest"))
    _, row = run_saved(first, "bureau")
    assert (row.total, row.new) == (2, 2)
    later = _index(path, [_defector(2)], add=True)
    _, peek = run_saved(later, "bureau", remember=False)
    assert (peek.total, peek.new) == (3, 1)
    _, fresh = run_saved(later, "bureau", new=True)
    assert [h.id for h in fresh.hits] == ["late-2"]
    assert run_saved(later, "bureau")[1].new == 0
    assert saved_store.get(path, "bureau").opened is not None
    with pytest.raises(saved_store.UnknownSaved, match="saved: bureau"):
        saved_store.get(path, "nope")


def test_tag_queries_facet_and_records(index: Engine) -> None:
    tags.add_tags(index, CNN, ["Defector", "starred"])
    tags.add_tags(index, VICE, ["defector"])
    tags.set_note(index, VICE, "  ask Yonhap  ")
    found = search(index, SearchRequest(query="tag:defector", facets=("tags", "outlet")))
    assert found.total == 2
    assert [(c.value, c.count) for c in found.facet("tags")] == [("defector", 2), ("starred", 1)]
    starred = search(index, SearchRequest(query="espionage tag:starred"))
    assert [h.id for h in starred.hits] == [CNN] and starred.hits[0].tags == ("defector", "starred")
    assert search(index, SearchRequest(query="tag:nothing")).total == 0
    assert search(index, SearchRequest(query="-tag:starred")).total == 1
    assert get_article(index, VICE).hit.note == "ask Yonhap"
    assert tags.toggle_star(index, CNN).tags == ("defector",)
    assert search(index, SearchRequest(query="tag:*")).total == 2
    tags.remove_tags(index, VICE, [])
    assert tags.mark_of(index, VICE).tags == () and tags.mark_of(index, VICE).note == "ask Yonhap"


def test_bad_tag_and_unknown_article(index: Engine) -> None:
    with pytest.raises(tags.BadTag):
        tags.add_tags(index, CNN, ["two words"])
    with pytest.raises(UnknownArticle):
        tags.add_tags(index, "nope", ["x"])
    assert not db_path(index.generation.parent).exists() or tags.mark_of(index, CNN).tags == ()


def test_tags_follow_text_not_document_numbers(tmp_path: Path) -> None:
    """A full rebuild in another order (other document numbers, as another engine would give),
    an edited article, a moved file: the tags stay with the article."""
    path = tmp_path / "index"
    index = _index(path, seed_articles())
    tags.add_tags(index, CNN, ["keep"])
    tags.add_tags(index, VICE, ["other"])
    cnn, vice = seed_articles()
    edited = replace(cnn, body=cnn.body + "\nUpdated: more details.")
    reordered = _index(path, [vice, edited])
    assert [h.id for h in search(reordered, SearchRequest(query="tag:keep")).hits] == [CNN]
    moved = _index(path, [replace(vice, id="archive/vice", path="archive/vice.txt"), edited])
    assert [h.id for h in search(moved, SearchRequest(query="tag:other")).hits] == ["archive/vice"]
    assert tags.orphans(moved) == []
    gone = _index(path, [edited])
    [orphan] = tags.orphans(gone)
    assert (orphan.article_id, orphan.tags) == ("archive/vice", ("other",))
    assert search(gone, SearchRequest(query="tag:other")).total == 0


def test_database_is_wal_and_beside_the_generations(index: Engine) -> None:
    tags.add_tags(index, CNN, ["x"])
    path = db_path(index.generation.parent)
    assert path.parent == index.generation.parent
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_tags_select_but_do_not_rank(index: Engine) -> None:
    from searchidx.index import querytree as qt
    from searchidx.search.searching import compile_query
    from searchidx.workset.tags import without_tags

    tags.add_tags(index, CNN, ["a"])
    tags.add_tags(index, VICE, ["a"])
    plain = compile_query(index, "defector -espionage")
    assert without_tags(plain) is plain  # no tag: the very same tree
    assert without_tags(compile_query(index, "tag:a")) == qt.Every()  # tags alone: browse
    words = compile_query(index, "defector")
    assert without_tags(compile_query(index, "defector tag:a")) == words
    newest = search(index, SearchRequest(query="tag:a"))
    assert [h.score for h in newest.hits] == [0.0, 0.0] and newest.total == 2


def test_tags_facet_filter_like_the_tui_panel(index: Engine) -> None:
    tags.add_tags(index, CNN, ["a", "b"])
    tags.add_tags(index, VICE, ["b"])
    chosen = SearchRequest(filters=(("tags", ("a",)),), facets=("tags",))
    found = search(index, chosen)
    assert [h.id for h in found.hits] == [CNN]
    # disjunctive, as every facet: its own choice does not narrow its counts
    assert [(c.value, c.count, c.selected) for c in found.facet("tags")] == [
        ("b", 2, False), ("a", 1, True),
    ]  # fmt: skip
    dropped = search(index, SearchRequest(excludes=(("tags", ("a",)),)))
    assert [h.id for h in dropped.hits] == [VICE]
