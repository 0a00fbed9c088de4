"""The .txt/.md reader: front matter, the headline/outlet/date heuristics, and bad text input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from searchidx.corpus.readers import read_file
from searchidx.corpus.readers.text import read_text, split_authors

SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_front_matter_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "a.txt",
        "---\n"
        'title: "A quoted: title"\n'
        "outlet: The Paper\n"
        "date: 2016-04-11\n"
        "url: https://example.org/a\n"
        "authors: Jane Doe; John Roe\n"
        "language: en\n"
        "---\n"
        "First line of the body.\n\nSecond paragraph.\n",
    )
    result = read_file(path, tmp_path)
    assert result.problems == ()
    (article,) = result.articles
    assert article.id == article.path == "a.txt"
    assert article.title == "A quoted: title"
    assert article.outlet == "The Paper"
    assert article.published == datetime(2016, 4, 11, tzinfo=UTC)
    assert article.date_only and article.day == date(2016, 4, 11)
    assert article.url == "https://example.org/a"
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.language == "en"
    assert article.body == "First line of the body.\n\nSecond paragraph."


def test_front_matter_author_list_and_crlf(tmp_path: Path) -> None:
    text = "---\r\ntitle: T\r\nauthors:\r\n  - Jane Doe\r\n  - John Roe\r\n---\r\nBody.\r\n"
    (article,) = read_text(text.encode(), "x.md", markdown=True).articles
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.body == "Body."


def test_unclosed_front_matter_is_text(tmp_path: Path) -> None:
    result = read_text(b"---\ntitle: nothing closes this\n\nThe story itself.\n", "x.txt")
    (article,) = result.articles
    assert "The story itself." in article.body
    assert article.title == "title: nothing closes this"


def test_seed_articles_without_front_matter_use_the_heuristics() -> None:
    if not SHARED_SEEDS.is_dir():
        import pytest

        pytest.skip("../shared/seeds is not available on this machine")
    cnn, vice = sorted(SHARED_SEEDS.glob("0*.txt"))[:2]
    (article,) = read_text(cnn.read_bytes(), "cnn-2016-04-11-defects.txt").articles
    assert article.title == "Senior North Korean military official defects, South Korea says"
    assert article.outlet == "CNN"  # from "Seoul, South Korea CNN  —"
    assert article.day == date(2016, 4, 11) and article.date_only
    (article,) = read_text(vice.read_bytes(), "vice.txt").articles
    # "This story is over 5 years old." is page furniture, not the headline
    assert (
        article.title
        == "South Korea Is Claiming the Most Senior Military Defection from the North Yet"
    )
    assert article.outlet == "VICE News"  # from "Follow VICE News on Twitter"
    assert article.published is None and article.language is None


def test_shipped_corpus_matches_the_issue(seed_corpus: Path) -> None:
    titles = {}
    for path in sorted(seed_corpus.glob("*.txt")):
        (article,) = read_file(path, seed_corpus).articles
        titles[article.outlet] = article
    assert set(titles) == {"CNN", "VICE News"}
    assert titles["CNN"].title == "Senior North Korean military official defects, South Korea says"
    assert (
        titles["VICE News"].title
        == "South Korea Is Claiming the Most Senior Military Defection from the North Yet"
    )
    assert all(a.day == date(2016, 4, 11) and a.date_only for a in titles.values())


def test_dateline_spaces_and_dashes() -> None:
    for line in ("Seoul, South Korea CNN — ", "Hong Kong CNN–", "Washington CNN    —"):
        body = f"Some headline here\n\n{line}\n\nText of the story."
        assert read_text(body.encode(), "x.txt").articles[0].outlet == "CNN"


def test_wire_credit() -> None:
    body = b"Oil prices climb\n\nLONDON (Reuters) - Oil prices rose on Monday."
    assert read_text(body, "x.txt").articles[0].outlet == "Reuters"
    body = b"Storm nears coast\n\nMIAMI (AP) \xe2\x80\x94 A storm neared the coast."
    assert read_text(body, "x.txt").articles[0].outlet == "Associated Press"


def test_a_folder_name_is_never_an_outlet_by_itself(tmp_path: Path) -> None:
    nested = _write(tmp_path, "politics/story.txt", "A headline\n\nText.")
    assert read_file(nested, tmp_path).articles[0].outlet is None


def test_a_folder_settings_file_gives_outlet_and_language_to_its_files(tmp_path: Path) -> None:
    (tmp_path / ".searchidx.toml").write_text('outlet = "BBC News"\nlanguage = "en"\n')
    plain = _write(tmp_path, "sport/story.txt", "A headline\n\nText.")
    own = _write(tmp_path, "sport/own.txt", "---\noutlet: The Paper\n---\nText.")
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / ".searchidx.toml").write_text('outlet = "Reuters"\n')
    wire = _write(tmp_path, "wire/x.txt", "A headline\n\nText.")
    article = read_file(plain, tmp_path).articles[0]
    assert (article.outlet, article.language) == ("BBC News", "en")  # inherited from the root
    assert read_file(own, tmp_path).articles[0].outlet == "The Paper"  # the file's own wins
    assert read_file(wire, tmp_path).articles[0].outlet == "Reuters"  # the nearest folder wins
    assert read_file(wire, tmp_path).articles[0].language == "en"


def test_an_invalid_folder_settings_file_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / ".searchidx.toml").write_text("outlet = BBC\n")  # not TOML: no quotes
    result = read_file(_write(tmp_path, "a.txt", "A headline\n\nText."), tmp_path)
    assert result.articles[0].outlet is None
    (problem,) = result.problems
    assert (
        problem.path == ".searchidx.toml" and not problem.skipped and "left out" in problem.reason
    )


def test_a_folder_date_format_reads_its_files_dates(tmp_path: Path) -> None:
    (tmp_path / "uk" / ".searchidx.toml").parent.mkdir()
    (tmp_path / "uk" / ".searchidx.toml").write_text('date_format = "%d/%m/%Y"\n')
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / ".searchidx.toml").write_text('date_format = "%d.%m.%Y %H:%M"\n')
    uk = _write(tmp_path, "uk/a.txt", "---\ndate: 04/11/2016\n---\nText.")
    iso = _write(tmp_path, "uk/b.txt", "---\ndate: 2016-11-05\n---\nText.")
    de = _write(tmp_path, "de/a.txt", "---\ndate: 04.11.2016 09:30\n---\nText.")
    records = '[{"text": "Text.", "date": "05/11/2016"}]'
    json = _write(tmp_path, "uk/wire.json", records)
    plain = _write(tmp_path, "a.txt", "---\ndate: 04/11/2016\n---\nText.")
    article = read_file(uk, tmp_path).articles[0]
    assert (article.published, article.date_only) == (datetime(2016, 11, 4, tzinfo=UTC), True)
    assert read_file(iso, tmp_path).articles[0].published == datetime(2016, 11, 5, tzinfo=UTC)
    timed = read_file(de, tmp_path).articles[0]
    assert (timed.published, timed.date_only) == (datetime(2016, 11, 4, 9, 30, tzinfo=UTC), False)
    assert read_file(json, tmp_path).articles[0].published == datetime(2016, 11, 5, tzinfo=UTC)
    unsure = read_file(plain, tmp_path)  # no setting above it: day or month first is unknown
    assert unsure.articles[0].published is None and "ambiguous" in unsure.problems[0].reason


def test_a_date_format_that_is_no_pattern_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / ".searchidx.toml").write_text('outlet = "BBC News"\ndate_format = "DD/MM"\n')
    result = read_file(_write(tmp_path, "a.txt", "A headline\n\nText."), tmp_path)
    assert result.articles[0].outlet == "BBC News"  # the other keys are kept
    assert "date_format 'DD/MM' is no strptime pattern" in result.problems[0].reason


def test_headline_skips_furniture_and_markdown_hashes() -> None:
    body = "Story highlights\n\nAdvertisement\n\n# The real headline\n\nBody text."
    assert read_text(body.encode(), "x.md", markdown=True).articles[0].title == "The real headline"


def test_a_long_opening_paragraph_gives_a_shortened_title() -> None:
    body = ("word " * 100).strip()
    title = read_text(body.encode(), "x.txt").articles[0].title
    assert title.endswith("…") and len(title) <= 121


def test_date_from_file_name_only_without_front_matter_date(tmp_path: Path) -> None:
    path = _write(tmp_path, "2016-04-11-story.txt", "---\ndate: 2015-01-02\n---\nText.")
    assert read_file(path, tmp_path).articles[0].day == date(2015, 1, 2)
    path = _write(tmp_path, "2016-04-11-other.txt", "Headline\n\nText.")
    assert read_file(path, tmp_path).articles[0].day == date(2016, 4, 11)


def test_impossible_front_matter_dates_are_dropped_with_a_warning() -> None:
    for value, words in (("2999-01-01", "future"), ("1700-05-05", "before 1800"), ("soon", "not")):
        result = read_text(f"---\ndate: {value}\n---\nText.".encode(), "x.txt")
        (article,) = result.articles
        assert article.published is None
        (problem,) = result.problems
        assert not problem.skipped and words in problem.reason and problem.path == "x.txt"


def test_invalid_utf8_is_replaced_with_a_warning() -> None:
    result = read_text(b"Headline\n\nPrice: \x81\x8d100 and more text.", "bad.txt")
    (article,) = result.articles
    assert "\ufffd\ufffd100" in article.body
    (problem,) = result.problems
    assert not problem.skipped
    assert "invalid UTF-8" in problem.reason and "byte 17" in problem.reason


def test_latin1_and_other_encodings_are_decoded_by_detection() -> None:
    result = read_text(b"Headline\n\nPrice: \xa3100 and more text.", "old.txt")
    assert "\u00a3100" in result.articles[0].body  # the pound sign, not U+FFFD
    (problem,) = result.problems
    assert not problem.skipped and "not UTF-8: read as cp1252" in problem.reason
    russian = "Заголовок\n\nПривет, мир: как дела у вас сегодня в Москве?".encode("cp1251")
    assert read_text(russian, "ru.txt").articles[0].title == "Заголовок"


def test_the_bbc_file_in_latin1_keeps_its_pound_signs() -> None:
    from tests.conftest import shared_corpus

    data = (shared_corpus("bbc_fulltext") / "sport" / "199.txt").read_bytes()
    article = read_text(data, "sport/199.txt").articles[0]
    assert "\u00a3" in article.body and "\ufffd" not in article.body


def test_utf8_bom_and_utf16_are_decoded() -> None:
    assert read_text(b"\xef\xbb\xbfHeadline\n\nText.", "x.txt").articles[0].title == "Headline"
    utf16 = "Überschrift\n\nText.".encode("utf-16")
    assert read_text(utf16, "x.txt").articles[0].title == "Überschrift"


def test_binary_empty_and_front_matter_only_files_are_skipped() -> None:
    for data, reason in (
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        (b"", "empty file"),
        (b"  \n\n\t\n", "empty file"),
        (b"---\ntitle: Only metadata\n---\n\n", "no text after the front matter"),
    ):
        result = read_text(data, "x.txt")
        assert result.articles == ()
        assert [(p.path, p.reason, p.skipped) for p in result.problems] == [("x.txt", reason, True)]


def test_split_authors() -> None:
    assert split_authors("By Jane Doe and John Roe") == ("Jane Doe", "John Roe")
    assert split_authors("[Jane Doe, 'John Roe']") == ("Jane Doe", "John Roe")
    assert split_authors("Jane Doe; Jane Doe") == ("Jane Doe",)


def test_reuters_style_front_matter_date_is_read() -> None:
    data = b"---\ntitle: Cocoa\ndate: 26-FEB-1987 15:01:01.79\n---\nShowers continued."
    result = read_text(data, "reut/0001.txt")
    (article,) = result.articles
    assert result.problems == ()
    assert article.published == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)
    assert not article.date_only


def test_unreadable_and_ambiguous_front_matter_dates_warn_and_keep_the_article() -> None:
    for value, words in (("04/11/2016", "ambiguous"), ("the day after", "not understood")):
        result = read_text(f"---\ndate: {value}\n---\nText.".encode(), "x.txt")
        (article,) = result.articles
        assert article.published is None and article.body == "Text."
        (problem,) = result.problems
        assert not problem.skipped and words in problem.reason and value in problem.reason
