"""Lone surrogates in a corpus: replaced with U+FFFD and reported, never passed on (issue 22)."""

from __future__ import annotations

from pathlib import Path

from searchidx.corpus.readers import read_file
from searchidx.models import Article

SURROGATE_JSON = '{"title": "Bad \\ud800 title", "text": "A body about Berlin \\udfff here."}'
SURROGATE_SGM = (
    '<REUTERS NEWID="7"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>T &#55296; x</TITLE>'
    "<BODY>Body &#56320; of the story in London.</BODY></TEXT></REUTERS>"
)
SURROGATE_JSONL = '{"id": "a\\ud800", "title": "t", "text": "body", "author": "Jo \\udc00"}\n'


def _encodable(article: Article) -> None:
    for value in (article.id, article.title, article.body, *article.authors):
        value.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate


def test_readers_replace_lone_surrogates_and_warn(tmp_path: Path) -> None:
    files = {"a.json": SURROGATE_JSON, "b.sgm": SURROGATE_SGM, "c.jsonl": SURROGATE_JSONL}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="ascii")
    for name in files:
        result = read_file(tmp_path / name, tmp_path)
        assert result.articles, (name, result.problems)
        for article in result.articles:
            _encodable(article)
            assert "\ufffd" in article.title + article.body + "".join(article.authors) + article.id
        warnings = [p for p in result.problems if "surrogate" in p.reason]
        assert len(warnings) == 1 and not warnings[0].skipped, result.problems


def test_entity_phase_repairs_an_index_written_before_the_check(tmp_path: Path) -> None:
    from searchidx.index.engines import write_engine
    from searchidx.index.writing import IndexDocument, replace_documents, stored_live
    from searchidx.rebuild.enrich import fill_entities
    from searchidx.rebuild.progress import SilentProgress

    index = tmp_path / "index"
    bad = Article(
        id="old.json",
        path="old.json",
        title="Merkel \ud800 visits Paris",
        body="Angela Merkel met officials in Paris on Monday \udfff to talk about trade.",
    )
    engine = write_engine("whoosh")
    # as an index written before the readers checked the text: entities still to recognise
    replace_documents(engine, index, [IndexDocument(bad, "h", entities_done=False)], fresh=True)
    pending = fill_entities(engine, index, jobs=1, progress=SilentProgress())
    assert pending == 0
    (stored,) = stored_live(engine, index, ["old.json"])
    _encodable(stored.article)
    assert stored.article.title == "Merkel \ufffd visits Paris"


def test_a_file_name_that_is_not_utf8_is_reported_not_indexed(tmp_path: Path) -> None:
    import os

    from searchidx.corpus.walk import walk
    from searchidx.models import Problem

    os.makedirs(tmp_path, exist_ok=True)
    with open(os.path.join(os.fsencode(tmp_path), b"\xffbad.txt"), "wb") as handle:
        handle.write(b"---\ntitle: T\n---\nHarbour.\n")
    (tmp_path / "good.txt").write_text("---\ntitle: G\n---\nOil.\n", encoding="utf-8")
    found = list(walk(tmp_path))
    problems = [item for item in found if isinstance(item, Problem)]
    assert [(p.path, p.reason) for p in problems] == [
        ("\ufffdbad.txt", "name is not valid UTF-8; rename it to index it")
    ]
    assert [item.rel for item in found if not isinstance(item, Problem)] == ["good.txt"]
