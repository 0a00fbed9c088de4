"""The HTML reader on small hand-written pages: each metadata source, each failure."""

from __future__ import annotations

import codecs
import gzip
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchidx.corpus.readers.html import NO_TEXT, decode_html, read_html
from searchidx.corpus.readers.html_dates import find_dateline, parse_date
from searchidx.corpus.readers.html_meta import host_label, split_authors, strip_site_suffix
from searchidx.models import Article

PARAGRAPHS = (
    "The harbour council voted on Tuesday evening to close the old ferry pier for repairs, "
    "after engineers found that several wooden piles had rotted through below the waterline.",
    "Fishermen who moor their boats at the pier said they had warned the council for years, "
    "and asked where they should unload their catch while the builders are at work this winter.",
    "The council promised a temporary landing stage on the northern quay within three weeks, "
    "paid for from the maintenance fund that was set aside after the storm of the previous year.",
    "Repairs are expected to take most of the spring, and the ferry service to the island will "
    "run from the commercial harbour until the pier reopens, the harbour master told reporters.",
)


def page(head: str = "", before: str = "", lang: str = "en", paragraphs: bool = True) -> str:
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) if paragraphs else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body><nav><a href='/'>Home</a></nav><article>{before}{text}</article></body></html>"
    )


def read(html: str | bytes, rel: str = "news/pier.html") -> Article:
    data = html.encode("utf-8") if isinstance(html, str) else html
    result = read_html(Path(rel), rel, data)
    assert not result.problems, result.problems
    (article,) = result.articles
    return article


def problem(data: bytes, rel: str = "news/bad.html") -> str:
    result = read_html(Path(rel), rel, data)
    assert not result.articles
    (found,) = result.problems
    assert found.path == rel
    return found.reason


def ld(**fields: object) -> str:
    return (
        f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}'
        "</script>"
    )


# --- body, ids ---------------------------------------------------------------------------


def test_body_is_the_article_text_and_id_is_the_relative_path() -> None:
    article = read(page(), rel="2024/pier.html")
    assert article.id == article.path == "2024/pier.html"
    assert "rotted through below the waterline" in article.body
    assert "Home" not in article.body
    assert article.body.count("\n") >= 3  # paragraphs kept apart


def test_body_does_not_repeat_the_headline() -> None:
    article = read(page('<meta property="og:title" content="Old ferry pier to close">',
                        before="<h1>Old ferry pier to close</h1>"))  # fmt: skip
    assert article.title == "Old ferry pier to close"
    assert not article.body.startswith("Old ferry pier")


# --- title ------------------------------------------------------------------------------


def test_title_from_og_title_without_site_suffix() -> None:
    head = ('<meta property="og:title" content="Old ferry pier to close | Harbour Gazette">'
            '<meta property="og:site_name" content="Harbour Gazette">')  # fmt: skip
    assert read(page(head)).title == "Old ferry pier to close"


def test_title_from_json_ld_headline() -> None:
    assert read(page(ld(headline="Pier shut for repairs"))).title == "Pier shut for repairs"


def test_title_from_h1_when_nothing_is_declared() -> None:
    assert read(page(before="<h1>Pier  shut\n for repairs</h1>")).title == "Pier shut for repairs"


def test_visible_h1_wins_when_the_declared_title_contains_it() -> None:
    head = '<meta property="og:title" content="Pier shut for repairs | Gazette | 28.04.2023">'
    assert read(page(head, before="<h1>Pier shut for repairs</h1>")).title == (
        "Pier shut for repairs"
    )


def test_h1_only_echoed_by_title_tag_loses_to_json_ld_headline() -> None:
    head = "<title>Pier drama - Gazette</title>" + ld(headline="Old ferry pier to close")
    assert read(page(head, before="<h1>Pier drama</h1>")).title == "Old ferry pier to close"


def test_title_from_title_tag_without_site_name() -> None:
    head = ('<title>Pier shut for repairs - Harbour Gazette</title>'
            '<meta name="application-name" content="Harbour Gazette">')  # fmt: skip
    assert read(page(head)).title == "Pier shut for repairs"


def test_site_suffix_kept_when_it_is_not_the_outlet() -> None:
    assert strip_site_suffix("Pier - a history", ["Harbour Gazette"]) == "Pier - a history"
    assert strip_site_suffix("Gazette: Pier shut", ["Gazette"]) == "Gazette: Pier shut"
    assert strip_site_suffix("Harbour Gazette | Pier shut", ["Harbour Gazette"]) == "Pier shut"


# --- outlet -----------------------------------------------------------------------------


def test_outlet_from_og_site_name() -> None:
    head = '<meta property="og:site_name" content="Harbour Gazette">'
    assert read(page(head)).outlet == "Harbour Gazette"


def test_outlet_from_json_ld_publisher() -> None:
    head = ld(headline="x", publisher={"@type": "Organization", "name": "Coast &amp; Country"})
    assert read(page(head)).outlet == "Coast & Country"


def test_outlet_confirmed_by_host_beats_a_section_name() -> None:
    head = ('<meta property="og:site_name" content="Security">'
            '<link rel="canonical" href="https://www.heise.de/news/x.html">'
            + ld(headline="x", publisher={"name": "heise online"}))  # fmt: skip
    assert read(page(head)).outlet == "heise online"


def test_a_title_end_the_host_confirms_beats_a_publisher_it_does_not() -> None:
    head = ('<title>Drills end - Harbour Times</title>'
            '<link rel="canonical" href="https://www.harbourtimes.com/news/1">'
            + ld(headline="Drills end", publisher={"name": "港口時報"}))  # fmt: skip
    assert read(page(head)).outlet == "Harbour Times"
    unconfirmed = "<title>Drills end - Lebanon News</title>" + ld(publisher={"name": "LBCI"})
    assert read(page(unconfirmed)).outlet == "LBCI"
    domain = ('<title>Drills end - harbourtimes.com</title>'
              '<link rel="canonical" href="https://harbourtimes.com/news/1">'
              + ld(headline="Drills end", publisher={"name": "The Harbour Daily"}))  # fmt: skip
    assert read(page(domain)).outlet == "The Harbour Daily"  # a web address is no name


def test_outlet_from_application_name() -> None:
    head = '<meta name="application-name" content="Harbour Gazette">'
    assert read(page(head)).outlet == "Harbour Gazette"


def test_outlet_and_url_from_canonical_link() -> None:
    head = '<link rel="canonical" href="https://www.harbourgazette.co.uk/news/pier">'
    article = read(page(head))
    assert article.url == "https://www.harbourgazette.co.uk/news/pier"
    assert article.outlet == "harbourgazette"


def test_url_from_og_url_when_canonical_is_relative() -> None:
    head = ('<link rel="canonical" href="/news/pier">'
            '<meta property="og:url" content="https://gazette.example.org/news/pier">')  # fmt: skip
    assert read(page(head)).url == "https://gazette.example.org/news/pier"


def test_host_label() -> None:
    assert host_label("https://www.spiegel.de/politik/x") == "spiegel"
    assert host_label("http://[::1/a") is None  # not an address: no label, no error
    assert host_label("https://www.bbc.co.uk/news") == "bbc"
    assert host_label("mbl.is") == "mbl"
    assert host_label(None) is None


# --- date -------------------------------------------------------------------------------


def test_date_from_article_published_time_keeps_its_offset() -> None:
    head = '<meta property="article:published_time" content="2023-04-28T20:22:00+02:00">'
    article = read(page(head))
    assert article.published == datetime(2023, 4, 28, 20, 22, tzinfo=timezone(timedelta(hours=2)))
    assert article.date_only is False


def test_date_from_json_ld_date_published() -> None:
    article = read(page(ld(headline="x", datePublished="2024-01-30T14:13:12.269Z")))
    assert article.published == datetime(2024, 1, 30, 14, 13, 12, 269000, tzinfo=UTC)


def test_date_from_time_element() -> None:
    article = read(page(before='<time datetime="2022-11-05T08:00:00Z">5 Nov</time>'))
    assert article.published == datetime(2022, 11, 5, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["pubdate", "dc.date", "parsely-pub-date", "date"])
def test_date_from_common_meta_names(name: str) -> None:
    article = read(page(f'<meta name="{name}" content="2021-03-09">'))
    assert article.published == datetime(2021, 3, 9, tzinfo=UTC)
    assert article.date_only is True
    assert article.day.isoformat() == "2021-03-09"  # type: ignore[union-attr]


def test_date_from_dateline_in_the_text() -> None:
    article = read(page(before="<p>HARBOURTON, 14 March 2019 - Breaking news from the quay.</p>"))
    assert article.published == datetime(2019, 3, 14, tzinfo=UTC)
    assert article.date_only is True


def test_no_date_anywhere_leaves_it_empty() -> None:
    article = read(page())
    assert article.published is None
    assert article.date_only is False


def test_parse_date_forms() -> None:
    assert parse_date("2023-04-28") == (datetime(2023, 4, 28, tzinfo=UTC), True)
    assert parse_date("28.04.2023, 20:15") == (datetime(2023, 4, 28, 20, 15, tzinfo=UTC), False)
    assert parse_date("Fri, 28 Apr 2023 20:15:00 +0000") == (
        datetime(2023, 4, 28, 20, 15, tzinfo=UTC), False)  # fmt: skip
    assert parse_date("2023-04-28 20:15:00") == (datetime(2023, 4, 28, 20, 15, tzinfo=UTC), False)
    assert parse_date("not a date") is None
    assert parse_date("1970-01-01") is None  # template placeholder, not a publication date


def test_dateline_forms() -> None:
    assert str(find_dateline("WASHINGTON, April 28, 2023 (AP) - ...")) == "2023-04-28"
    assert str(find_dateline("Berlin, 3. Mai 2024 - ...")) == "2024-05-03"
    assert find_dateline("Nothing dated here") is None


# --- authors, language ------------------------------------------------------------------


def test_authors_from_json_ld() -> None:
    head = ld(headline="x", author=[{"@type": "Person", "name": "Ann Lee"}, {"name": "Bo Kim"}])
    assert read(page(head)).authors == ("Ann Lee", "Bo Kim")


def test_authors_from_meta_author() -> None:
    assert read(page('<meta name="author" content="By Ann Lee and Bo Kim">')).authors == (
        "Ann Lee", "Bo Kim")  # fmt: skip


def test_author_profile_links_are_not_names() -> None:
    assert split_authors("https://www.facebook.com/someone") == []


def test_declared_language_wins() -> None:
    assert read(page(lang="de-CH")).language == "de"


def test_language_detected_when_not_declared() -> None:
    html = page().replace(' lang="en"', "")
    assert read(html).language == "en"


# --- encodings --------------------------------------------------------------------------


def test_declared_latin1_page() -> None:
    html = page(before="<p>Ausgabe für Bürger: Straße gesperrt.</p>").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; '
        'charset=iso-8859-1">')  # fmt: skip
    assert "Straße" in read(html.encode("latin-1")).body


def test_utf8_page_declared_as_latin1_is_read_as_utf8() -> None:
    html = page(before="<p>Ausgabe für Bürger: Straße gesperrt.</p>")
    html = html.replace('charset="utf-8"', 'charset="windows-1252"')
    assert "Straße" in read(html.encode("utf-8")).body


def test_utf16_page_with_bom() -> None:
    html = page(before="<p>Zürich café.</p>").replace('<meta charset="utf-8">', "")
    assert "Zürich café" in read(codecs.BOM_UTF16_LE + html.encode("utf-16-le")).body


def test_undeclared_broken_utf8_is_replaced_not_fatal() -> None:
    assert decode_html(b"<p>caf\xe9 ok</p>") == "<p>caf\ufffd ok</p>"


# --- gzip -------------------------------------------------------------------------------


def test_gzipped_page() -> None:
    article = read(gzip.compress(page().encode()), rel="saved/pier.html.gz")
    assert article.path == "saved/pier.html.gz"
    assert "ferry pier" in article.body


def test_uncompressed_page_named_gz_is_read() -> None:
    assert "ferry pier" in read(page().encode(), rel="saved/pier.html.gz").body


def test_broken_gzip() -> None:
    assert problem(b"\x1f\x8b\x08 truncated", rel="saved/pier.html.gz") == "not a valid gzip file"
    assert problem(bytes(range(256)), rel="saved/pier.html.gz") == "not a valid gzip file"


# --- failures ---------------------------------------------------------------------------


def test_page_without_article_text() -> None:
    html = page('<meta property="og:title" content="Login">', paragraphs=False)
    assert problem(html.encode()) == NO_TEXT


def test_binary_junk() -> None:
    assert problem(bytes(range(256)) * 8) == "not an HTML page (binary content)"


def test_empty_file() -> None:
    assert problem(b"  \n ") == "empty file"


def test_malformed_html_is_read() -> None:
    html = page().replace("</article></body></html>", "<div><span><p>unclosed <b>bold")
    broken_ld = "<script type='application/ld+json'>{bad</script>"
    html = html.replace("<head>", f"<head><meta content=>{broken_ld}")
    article = read(html)
    assert "waterline" in article.body


def test_broken_json_ld_is_skipped() -> None:
    head = ('<script type="application/ld+json">{"headline": "x",</script>'
            + ld(headline="Pier shut"))  # fmt: skip
    assert read(page(head)).title == "Pier shut"


# --- real pages -------------------------------------------------------------------------


def test_real_pages_from_fundus(tmp_path: Path) -> None:
    from tests.conftest import shared_corpus

    corpus = shared_corpus("fundus_dev")
    manifest = json.loads((corpus / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in manifest[::40]:  # five pages from different countries, a second or two
        article = read((corpus / entry["html"]).read_bytes(), rel=entry["html"])
        assert article.title, entry["html"]
        assert len(article.body) > 500, entry["html"]
        assert article.published is not None and article.published.tzinfo is not None


def test_japanese_page_without_spaces_is_an_article() -> None:
    sentences = (
        "港の委員会は火曜日の夜、古いフェリー桟橋を修理のために閉鎖することを決めた。",
        "技術者が水面下の木製の杭が腐っていることを発見したためである。",
        "漁業者たちは何年も前から委員会に警告していたと話し、冬の間どこで水揚げすればよいのかと尋ねた。",
        "委員会は三週間以内に北側の岸壁に仮設の桟橋を設けると約束した。",
    )
    html = page(lang="ja", paragraphs=False).replace(
        "<article>", "<article>" + "".join(f"<p>{s * 2}</p>" for s in sentences)
    )
    article = read(html)
    assert "フェリー桟橋" in article.body
    assert article.language == "ja"


# --- the agreement rules of bench/quality/extraction.py ---------------------------------


def test_outlet_agreement_rules() -> None:
    from bench.quality.extraction import outlet_agrees

    spiegel = "https://www.spiegel.de/politik/x"
    assert outlet_agrees("DER SPIEGEL", "SpiegelOnline", spiegel)  # both name the host
    assert outlet_agrees("spiegel.de", "SpiegelOnline", spiegel)
    assert outlet_agrees("Seznam Zprávy", "SeznamZpravy", "https://www.seznamzpravy.cz/a")
    assert outlet_agrees("Börsen-Zeitung", "BoersenZeitung", "https://www.boersen-zeitung.de/a")
    assert not outlet_agrees("Neue Zürcher Zeitung", "NZZ", "https://www.nzz.ch/a")
    assert not outlet_agrees("Security", "Heise", "https://www.heise.de/a")
    assert not outlet_agrees(None, "Heise", "https://www.heise.de/a")


def test_title_date_and_body_agreement_rules() -> None:
    from bench.quality.extraction import date_agrees, title_agrees, token_f1

    assert title_agrees("Pier  shut: for repairs!", "pier shut for repairs")
    assert not title_agrees("Pier shut", "Pier shut for repairs")
    assert date_agrees(datetime(2023, 4, 28, 23, 30, tzinfo=UTC), "2023-04-29 01:30:00+02:00")
    assert not date_agrees(datetime(2023, 4, 28, tzinfo=UTC), "2023-04-29")
    assert token_f1("a b c d", "a b c d") == 1.0
    assert token_f1("a b", "a b c d") == pytest.approx(2 / 3)
    assert token_f1("", "a") == 0.0


def test_the_misses_list_names_each_page_expected_and_found() -> None:
    from bench.quality.extraction import misses

    right = {"title": True, "found": {"title": "Pier shut"}}
    wrong = {"title": False, "found": {"title": "Harbour Gazette"}}
    results = {
        "per_page": [
            {"page": "a.html", "expected": {"title": "Pier shut"}, "searchidx": right},
            {"page": "b.html", "expected": {"title": "Pier open"}, "searchidx": wrong},
        ]
    }
    assert misses(results, "title") == (
        "b.html\n  expected: 'Pier open'\n  found:    'Harbour Gazette'"
    )


# --- never a traceback ------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_give_an_article_or_a_problem(data: bytes) -> None:
    for rel in ("x.html", "x.html.gz"):
        result = read_html(Path(rel), rel, data)
        assert bool(result.articles) != bool(result.problems)


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet="<>/=\"' abchpmetaitlscr{}:;", max_size=400))
def test_tag_soup_around_an_article_never_raises(junk: str) -> None:
    result = read_html(Path("x.html"), "x.html", (junk + page() + junk).encode())
    assert bool(result.articles) != bool(result.problems)


def test_authors_are_people_not_addresses_or_the_outlet() -> None:
    from searchidx.corpus.readers.html_meta import clean_authors

    outlets = ["Deutsche Welle", "dw"]
    assert clean_authors(["d.kuckelkorn@boersen-zeitung.de"], ["Börsen-Zeitung"]) == []
    assert clean_authors(["Deutsche Welle (www.dw.com)", "Roman Goncharenko"], outlets) == [
        "Roman Goncharenko"
    ]
    assert clean_authors(["mdr.de"], ["MDR"]) == [] and clean_authors(["STERN.de"], ["stern"]) == []
    assert clean_authors(["Elena Oberholzer (obe)", "Ann Lee"], ["NZZ"]) == [
        "Elena Oberholzer",
        "Ann Lee",
    ]
    assert clean_authors(["Jane Doe jane@example.com"], []) == ["Jane Doe"]


def test_lines_broken_at_links_are_joined_back() -> None:
    from searchidx.corpus.readers.html import join_link_breaks

    broken = (
        "NEW DELHI: \nPakistan\n's army said so. \nA heading\nA new paragraph.\n"
        "without naming ousted PM \nImran Khan\n’s party."
    )
    assert join_link_breaks(broken).split("\n") == [
        "NEW DELHI: Pakistan's army said so.",
        "A heading",
        "A new paragraph.",
        "without naming ousted PM Imran Khan’s party.",
    ]


def test_a_heading_of_parts_takes_the_declared_spacing() -> None:
    from searchidx.corpus.readers.html_meta import choose_title

    declared = ["Bubi-Bomber wieder da: Thioune fordert Geduld", None]
    heading = "Bubi-Bomber wieder da : Thioune fordert Geduld"  # <h1> spans joined with spaces
    assert choose_title(declared, [heading], None, []) == declared[0]
    french = "Guerre en Ukraine : la Russie affirme"  # the same words, French spacing declared
    assert choose_title([french], [french], None, []) == french


def test_rights_notices_and_error_prompts_at_the_end_are_dropped() -> None:
    from searchidx.corpus.readers.html import drop_footer

    body = (
        "Copyright law is the subject of this story.\nDockers struck on Monday.\n"
        "Fehler gefunden?Jetzt melden.\nCopyright © 2023 The Daily Thing, LLC."
    )
    assert drop_footer(body).split("\n") == [
        "Copyright law is the subject of this story.",  # not among the last lines: kept
        "Dockers struck on Monday.",
    ]
    assert drop_footer("Only text.\nMore text.") == "Only text.\nMore text."


def test_embedded_social_posts_and_read_also_links_are_not_the_article() -> None:
    tweet = (
        '<blockquote class="twitter-tweet" data-lang="en"><p>Pier shut, ferries diverted to '
        "the commercial harbour, says the council spokesman tonight.</p>&mdash; Harbour Watch "
        "(@harbourwatch) <a href='https://x.example/1'>May 2, 2024</a></blockquote>"
    )
    also = "<p>Read more: Storm damage closes the northern quay for a week</p>"
    own = "<p>Read more about the repairs on the council's site, the harbour master said.</p>"
    body = read(page(before=tweet + also + own)).body
    assert "@harbourwatch" not in body and "Pier shut, ferries" not in body
    assert "Storm damage closes" not in body
    assert "Read more about the repairs" in body  # no colon: a sentence of the article
    assert PARAGRAPHS[0] in body
    unclosed = read(page(before='<blockquote class="instagram-media"><p>x</p>')).body
    assert PARAGRAPHS[-1] in unclosed


def test_a_declared_lead_missing_from_the_body_is_put_first() -> None:
    from searchidx.corpus.readers.html import with_lead

    lead = (
        "Die Schweiz ist ein Tummelplatz für russische Spione, sagen die Behörden in Bern "
        "am Montag, und der Bund will nun handeln."
    )
    body = "Der Nachrichtendienst des Bundes warnt seit Jahren.\nEr nennt keine Zahlen."
    assert with_lead(body, lead) == f"{lead}\n{body}"
    assert with_lead(f"{lead}\n{body}", lead) == f"{lead}\n{body}"  # already there: once
    assert with_lead(body, "Read more…") == body  # a teaser, not a lead
