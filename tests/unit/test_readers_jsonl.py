"""The .json/.jsonl reader: field names, ids, and records that are reported instead of read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from searchidx.corpus.readers import read_file
from searchidx.corpus.readers.jsonl import read_json, read_jsonl


def _jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(record) for record in records).encode()


def test_one_object_is_one_article_with_the_file_path_as_id(tmp_path: Path) -> None:
    path = tmp_path / "news" / "story.json"
    path.parent.mkdir()
    record = {
        "title": "Headline",
        "body": "Text of the story.",
        "publisher": "Daily Planet",
        "publishedAt": "2016-04-11T10:00:00Z",
        "link": "https://example.org/s",
        "author": "Jane Doe, John Roe",
        "lang": "de",
        "id": "ignored-for-one-article-files",
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    result = read_file(path, tmp_path)
    assert result.problems == ()
    (article,) = result.articles
    assert article.id == article.path == "news/story.json"
    assert (article.title, article.body, article.outlet) == (
        "Headline",
        "Text of the story.",
        "Daily Planet",
    )
    assert article.published == datetime(2016, 4, 11, 10, tzinfo=UTC) and not article.date_only
    assert article.url == "https://example.org/s"
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.language == "de"


def test_field_name_variants() -> None:
    records = [
        {
            "headline": "A",
            "content": "x",
            "source": {"id": "cnn", "name": "CNN"},
            "date": "2016-04-11",
        },
        {"title": "B", "text": ["para one", "para two"], "site": "s", "published": "2016-04-12"},
        {"title": "C", "body": "z", "outlet": "o", "authors": ["Jane", {"name": "John"}]},
    ]
    result = read_json(json.dumps(records).encode(), "f.json")
    assert result.problems == ()
    a, b, c = result.articles
    assert (a.outlet, a.day, a.date_only) == ("CNN", date(2016, 4, 11), True)
    assert b.body == "para one\n\npara two" and b.outlet == "s"
    assert c.authors == ("Jane", "John") and c.published is None


def test_ids_in_multi_article_files() -> None:
    data = _jsonl(
        {"text": "a"}, {"text": "b", "id": "own-7"}, {"text": "c", "id": 42}, {"text": "d"}
    )
    ids = [article.id for article in read_jsonl(data, "dir/f.jsonl").articles]
    assert ids == ["dir/f.jsonl#1", "dir/f.jsonl#own-7", "dir/f.jsonl#42", "dir/f.jsonl#4"]


def test_duplicate_own_ids_fall_back_to_position() -> None:
    result = read_jsonl(_jsonl({"text": "a", "id": "x"}, {"text": "b", "id": "x"}), "f.jsonl")
    assert [a.id for a in result.articles] == ["f.jsonl#x", "f.jsonl#2"]
    (problem,) = result.problems
    assert not problem.skipped and "used twice" in problem.reason


def test_a_wrapped_list() -> None:
    data = json.dumps({"status": "ok", "articles": [{"title": "T", "text": "x"}]}).encode()
    (article,) = read_json(data, "f.json").articles
    assert article.id == "f.json#1" and article.title == "T"


def test_title_falls_back_to_the_opening_line() -> None:
    (article,) = read_json(b'{"text": "\\n\\nOpening line\\nmore text"}', "f.json").articles
    assert article.title == "Opening line"


def test_bad_records_are_reported_and_the_others_read() -> None:
    data = b"\n".join(
        [
            b'{"title": "good", "text": "one"}',
            b"[1, 2]",
            b'{"title": "no text here"}',
            b"{not json",
            b"",
            b'"just a string"',
            b'{"title": "good too", "body": "two", "date": "3000-01-01"}',
        ]
    )
    result = read_jsonl(data, "f.jsonl")
    assert [a.title for a in result.articles] == ["good", "good too"]
    assert result.articles[1].id == "f.jsonl#6" and result.articles[1].published is None
    reasons = [(p.reason, p.skipped) for p in result.problems]
    assert reasons == [
        ("record 2: not an object (a list)", True),
        ("record 3: no text (expected a text, body or content field)", True),
        ("line 4: malformed JSON: Expecting property name enclosed in double quotes", True),
        ("record 5: not an object (a string)", True),
        ("record 6: date 3000-01-01 is in the future; published left empty", False),
    ]
    assert all(p.path == "f.jsonl" and "\n" not in p.reason for p in result.problems)


def test_malformed_json_file() -> None:
    result = read_json(b'{"title": "x", "text": ', "f.json")
    assert result.articles == ()
    (problem,) = result.problems
    assert problem.skipped and problem.reason.startswith("malformed JSON: ")
    assert "line 1 column" in problem.reason


def test_json_top_level_not_an_object_or_without_text() -> None:
    assert read_json(b"42", "f.json").problems[0].reason == "not an object (a value)"
    assert read_json(b'{"title": "x"}', "f.json").problems[0].reason.startswith("no text")
    assert read_json(b"[]", "f.json").problems[0].reason == "no records"


def test_empty_binary_and_invalid_utf8_json() -> None:
    assert read_jsonl(b"", "f.jsonl").problems[0].reason == "empty file"
    assert read_json(b"\x00\x01\x02binary", "f.json").problems[0].reason == "binary file, not JSON"
    result = read_jsonl(b'{"text": "caf\x81"}', "f.jsonl")  # 0x81: no Western character either
    assert result.articles[0].body == "caf\ufffd"
    assert "invalid UTF-8" in result.problems[0].reason and not result.problems[0].skipped
    latin1 = read_jsonl(b'{"text": "caf\xe9"}', "f.jsonl")  # decoded by detection
    assert latin1.articles[0].body == "caf\u00e9" and "read as cp1252" in latin1.problems[0].reason


def test_deeply_nested_json_does_not_crash() -> None:
    result = read_json(b"[" * 100_000 + b"]" * 100_000, "f.json")
    assert result.articles == () and len(result.problems) >= 1
