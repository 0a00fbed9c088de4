"""An HTML page naming its outlet in another script: its copyright line, its handle (issue 20)."""

from __future__ import annotations

from searchidx.corpus.readers.html_meta import read_page_metadata
from searchidx.corpus.readers.html_outlet import copyright_names, latin_name


def _page(site_name: str, address: str, footer: str = "", handle: str = "") -> str:
    twitter = f'<meta name="twitter:site" content="{handle}">' if handle else ""
    return (
        f'<html lang="ja"><head><meta property="og:site_name" content="{site_name}">{twitter}'
        f'<link rel="canonical" href="{address}"><title>見出し</title></head>'
        f"<body><h1>見出し</h1><p>本文。</p><footer>{footer}</footer></body></html>"
    )


def test_copyright_names_are_the_words_after_the_mark_and_year() -> None:
    text = (
        "Copyright © The Example Shimbun Company. All rights reserved. "
        "&copy; 2001-2025 Kita Nippo Ltd | Copyright ⓒ Hanguk Sinmun "
        "© 2024 Photo: dpa"
    )
    assert copyright_names(text) == [
        "The Example Shimbun",
        "Kita Nippo",
        "Hanguk Sinmun",
        "Photo",
    ]
    assert copyright_names("no mark here, copyright free images") == []


def test_a_name_in_another_script_gives_way_to_the_copyright_name_its_address_confirms() -> None:
    page = _page("例新聞デジタル", "https://www.exampleshimbun.jp/a/1", "© The Exampleshimbun Co.")
    assert read_page_metadata(page).outlet == "The Exampleshimbun"
    # a copyright name the address does not confirm (a photo agency) is not the outlet
    page = _page("例新聞デジタル", "https://www.exampleshimbun.jp/a/1", "© Photo Agency Inc.")
    assert read_page_metadata(page).outlet == "例新聞デジタル"


def test_a_name_in_latin_letters_keeps_its_own_name() -> None:
    page = _page("Example Post", "https://www.examplepost.jp/a/1", "© Other Examplepost Group")
    assert read_page_metadata(page).outlet == "Example Post"
    # mixed, and confirmed by the address: kept too
    assert latin_name("Examplepost新聞", "examplepost", "© The Examplepost Times") is None


def test_a_handle_that_is_the_address_gives_the_latin_name() -> None:
    page = _page("Пример", "https://www.primer.example/doc/1", handle="@primer")
    assert read_page_metadata(page).outlet == "Primer"
    page = _page("Пример", "https://www.primer.example/doc/1", handle="@primer_news")
    assert read_page_metadata(page).outlet == "Пример"
