"""The Reuters-21578 SGML reader on small hand-written stories."""

from __future__ import annotations

from datetime import UTC, datetime

from searchidx.corpus.readers.sgml import read_sgml

HEADER = '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n'


def _story(newid: int, date: str, text: str, text_type: str = "") -> str:
    kind = f' TYPE="{text_type}"' if text_type else ""
    return (
        f'<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" OLDID="1" NEWID="{newid}">\n'
        f"<DATE>{date}</DATE>\n<TOPICS><D>cocoa</D></TOPICS>\n"
        f"<UNKNOWN> \n&#5;&#5;&#5;C T\n</UNKNOWN>\n<TEXT{kind}>&#2;\n{text}</TEXT>\n</REUTERS>\n"
    )


FULL = _story(
    1,
    "26-FEB-1987 15:01:01.79",
    "<TITLE>BAHIA COCOA &lt;REVIEW></TITLE>\n<AUTHOR>    By Jane Doe, Reuters</AUTHOR>\n"
    "<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued in\nthe Bahia zone.\n"
    "&\\tThe dry period means A&amp;B.\n Reuter\n&#3;</BODY>",
)


def test_a_full_story() -> None:
    result = read_sgml((HEADER + FULL).encode(), "reut2-000.sgm")
    assert result.problems == ()
    (article,) = result.articles
    assert article.id == "reut2-000.sgm#1" and article.path == "reut2-000.sgm"
    assert article.title == "BAHIA COCOA <REVIEW>"
    assert article.outlet == "Reuters" and article.authors == ("Jane Doe",)
    assert article.published == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)
    assert not article.date_only and article.language is None
    assert article.body == (
        "SALVADOR, Feb 26 - Showers continued in\nthe Bahia zone.\n    The dry period means A&B."
    )


def test_brief_story_is_title_only_and_unprocessed_story_takes_its_opening_line() -> None:
    brief = _story(2, "26-FEB-1987 15:02:20.00", "<TITLE>SHORT ONE</TITLE>\n&#3;", "BRIEF")
    unproc = _story(
        3, "26-FEB-1987 15:03:27.51", "\nOPENING LINE OF WIRE\nmore text\n&#3;", "UNPROC"
    )
    result = read_sgml((brief + unproc).encode(), "r.sgm")
    assert result.problems == ()
    title_only, untitled = result.articles
    assert (title_only.title, title_only.body) == ("SHORT ONE", "")
    assert untitled.title == "OPENING LINE OF WIRE"
    assert untitled.body == "OPENING LINE OF WIRE\nmore text"


def test_no_text_and_malformed_dates_are_reported_with_the_story_id() -> None:
    empty = _story(4, "26-FEB-1987 15:03:27.51", "&#3;", "UNPROC")
    bad_hour = _story(5, "31-MAR-1987 605:12:19.12", "<TITLE>T</TITLE><BODY>B</BODY>")
    guess = _story(6, "9-APR-1987 00:00:00.00    # date added as guesswork", "<BODY>B</BODY>")
    coded = _story(7, "27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM", "<TITLE>T</TITLE><BODY>B</BODY>")
    result = read_sgml((empty + bad_hour + guess + coded).encode(), "r.sgm")
    assert [a.id for a in result.articles] == ["r.sgm#5", "r.sgm#6", "r.sgm#7"]
    assert result.articles[0].published is None and result.articles[1].published is None
    assert result.articles[2].published == datetime(1987, 3, 27, 0, 2, 59, 130000, tzinfo=UTC)
    reasons = [(p.reason, p.skipped) for p in result.problems]
    assert reasons == [
        ("story NEWID=4: no text at all (no title, no body)", True),
        ("story NEWID=5: malformed date '31-MAR-1987 605:12:19.12'; published left empty", False),
        (
            "story NEWID=6: malformed date '9-APR-1987 00:00:00.00 # date added as guesswork';"
            " published left empty",
            False,
        ),
    ]


def test_unclosed_story_does_not_swallow_the_next() -> None:
    broken = '<REUTERS NEWID="8"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><BODY>cut off'
    result = read_sgml((broken + FULL).encode(), "r.sgm")
    assert [a.id for a in result.articles] == ["r.sgm#1"]
    assert [p.reason for p in result.problems] == [
        "story NEWID=8 is not closed by </REUTERS>; skipped"
    ]


def test_not_reuters_and_duplicate_ids() -> None:
    assert read_sgml(b"<html>nothing</html>", "x.sgm").problems[0].reason.startswith("no <REUTERS>")
    result = read_sgml((FULL + FULL).encode(), "r.sgm")
    assert len(result.articles) == 1
    assert "NEWID used twice" in result.problems[0].reason


def test_invalid_utf8_in_sgml_warns_and_reads() -> None:
    data = FULL.replace("Showers", "Sh\udc81wers").encode("utf-8", "surrogateescape")
    result = read_sgml(data, "r.sgm")  # 0x81: no character in cp1252 either
    assert len(result.articles) == 1 and "\ufffd" in result.articles[0].body
    assert "invalid UTF-8" in result.problems[0].reason and not result.problems[0].skipped
    latin1 = FULL.replace("Showers", "Sh\udcfcwers").encode("utf-8", "surrogateescape")
    result = read_sgml(latin1, "r.sgm")  # decoded by detection (issue 20)
    assert "Sh\u00fcwers" in result.articles[0].body
    assert "read as cp1252" in result.problems[0].reason and not result.problems[0].skipped
