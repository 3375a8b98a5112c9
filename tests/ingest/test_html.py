"""HTML reports: main text, metadata, and hostile markup that must neither leak nor crash."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.errors import InputError
from refuge.ingest.article import read_article
from refuge.ingest.html import extract_html, sniff_html_charset
from refuge.ingest.quotes import find_quotes

FIXTURES = Path(__file__).parent / "fixtures"
LEAK_MARKERS = ("MUST-NOT-LEAK", "alert(", "evil(", "onerror", "javascript:")


def _assert_clean(text: str) -> None:
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} reached the text"


def test_open_graph_fixture() -> None:
    article = read_article((FIXTURES / "article.html").read_bytes(), name="article.html")
    assert article.format == "html"
    assert article.title == "Court Upholds Deportation of Activist"
    assert article.outlet == "Example Outlet"
    assert article.url == "https://news.example.org/2023/03/15/court-upholds-deportation"
    # The calendar date the outlet printed, not converted to UTC (and not the URL's date).
    assert article.published == datetime.date(2023, 3, 14)
    assert article.published_source == "metadata"
    assert article.language == "en"
    assert "upheld the deportation order against Arman Sultanov" in article.text
    assert article.text[article.body_start :].startswith("A regional court on Tuesday")
    _assert_clean(article.text)


def test_quotes_in_html_point_into_the_extracted_text() -> None:
    article = read_article((FIXTURES / "article.html").read_bytes(), name="article.html")
    quotes = find_quotes(article, use_model=False)
    assert [(q.speaker, q.outlet, q.text) for q in quotes] == [
        ("Aigerim Nurova", "Example Radio", "The court did not even read our appeal"),
        ("Aigerim Nurova", "Example Radio", "We will go to the Supreme Court"),
    ]
    assert all(article.text[q.start : q.end] == q.text for q in quotes)


def test_json_ld_fixture() -> None:
    article = read_article((FIXTURES / "jsonld.html").read_bytes(), name="jsonld.html")
    assert article.title == "Lawyer Says Client Faces Torture"
    assert article.outlet == "JSON-LD Daily"
    assert article.published == datetime.date(2024, 5, 2)
    assert article.published_source == "metadata"
    assert "would face torture" in article.text
    assert article.language == "en"  # no <html lang>: detected from the text


def test_date_from_url_and_text_fallbacks() -> None:
    html = (
        '<html><head><link rel="canonical" href="https://www.themoscowtimes.com/2022/12/30/x">'
        "</head><body><p>Body of the article about the deportation case.</p></body></html>"
    )
    article = read_article(html)
    assert article.published == datetime.date(2022, 12, 30)
    assert article.published_source == "url"
    assert article.outlet == "The Moscow Times"
    dated = read_article("<html><body><p>Title</p><p>March 3, 2024</p><p>Body.</p></body></html>")
    assert dated.published == datetime.date(2024, 3, 3)
    assert dated.published_source == "text"


def test_declared_charset() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Суд отказал.</p></body></html>'
    data = page.encode("cp1251")
    assert sniff_html_charset(data) == "windows-1251"
    article = read_article(data, name="a.html")
    assert "Суд отказал." in article.text
    assert sniff_html_charset(b'<meta charset="no-such-codec">') is None


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><p>Visible text<script>alert(1)</script> stays.</p></body></html>",
        "<p>Visible text</p><scr<script>ipt>alert(1)</script>",
        "<p>Visible text</p><svg><script>alert(1)</script></svg>",
        "<p>Visible text</p><img src=x onerror=alert(1)>",
        "<p>Visible text</p></html><script>alert(1)</script>",
        "<title><script>alert(1)</script></title><p>Visible text</p>",
        "<p>Visible text<!-- <script>alert(1)</script> --></p>",
        "<p>Visible text</p><style>body{background:url(javascript:alert(1))}</style>",
        "<p>Visible text</p><iframe src=javascript:alert(1)>evil()</iframe>",
        "<p>Visible text<noscript><p>evil()</p></noscript></p>",
        "<p>Visible text</p><template><p>evil()</p></template>",
        '<p>Visible text</p><a href="javascript:alert(1)">link</a>',
    ],
)
def test_scripts_in_odd_places_never_reach_the_text(markup: str) -> None:
    article = read_article(markup, name="a.html")
    assert "Visible text" in article.text
    _assert_clean(article.text)


def test_billion_laughs_is_not_expanded() -> None:
    entities = "".join(
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10)
    )
    markup = f"<!DOCTYPE html [{entities}]><html><body><p>&e9;&e9; and text</p></body></html>"
    article = read_article(markup, name="a.html")
    assert "and text" in article.text
    assert len(article.text) < 10_000
    assert "lol" * 100 not in article.text


def test_deep_nesting_is_bounded() -> None:
    markup = "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    try:
        article = read_article(markup, name="a.html")
    except InputError as error:
        assert str(error)  # refused with a message, not a crash
    else:
        # Bounded output, no markup leaked (the text deep inside may be dropped).
        assert len(article.text) < 1_000 and "<div" not in article.text


def test_broken_markup_still_reads() -> None:
    article = read_article("<p>unclosed <b>bold <i>text <p>second</div></span>", name="a.html")
    assert "unclosed" in article.text and "second" in article.text


def test_nul_bytes_and_garbage_in_html() -> None:
    article = read_article(b"<html><body><p>before\x00after</p></body></html>", name="a.html")
    assert "\x00" not in article.text
    assert "before" in article.text


def test_hostile_json_ld_is_ignored() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    markup = (
        f'<html><head><script type="application/ld+json">{deep}</script>'
        '<script type="application/ld+json">{"datePublished": 5, "publisher": [1, 2]}</script>'
        "</head><body><p>Text.</p></body></html>"
    )
    doc = extract_html(markup)
    assert doc.published is None
    assert doc.text == "Text."


def test_huge_html_is_refused() -> None:
    with pytest.raises(InputError, match="over the limit"):
        read_article(b"<p>" + b"x" * 6_000_000 + b"</p>", name="a.html")


_FRAGMENTS = st.sampled_from(
    [
        "<html>",
        "</html>",
        "<head>",
        "<body>",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        "&amp;",
        "&#0;",
        "&#xD800;",
        "&nosuch;",
        "<meta property='og:title' content='T'>",
        '<script type="application/ld+json">{"datePublished": "2022-02-30"}</script>',
        "<link rel=canonical href='http://[::1'>",
        "<time datetime='9999-99-99'>",
        "<svg>",
        "<math>",
        "<table>",
        "<td>",
        "<?xml version='1.0' encoding='latin-1'?>",
        '"',
        "“",
        "»",
        "said",
        " ",
        "\n",
        "\x00",
        "\ufeff",
        "<",
        ">",
        "text",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=60))
def test_fuzz_htmlish_strings(parts: list[str]) -> None:
    markup = "".join(parts)
    try:
        article = read_article(markup, name="a.html")
    except InputError:
        return
    for quote in find_quotes(article, use_model=False):
        assert article.text[quote.start : quote.end] == quote.text
    assert "\x00" not in article.text


def test_huge_page_skips_the_slow_extractor() -> None:
    paragraph = (
        '<p>Paragraph {} with "some quoted words," Zhovtis said.</p><div><span>x</span></div>'
    )
    markup = "<html><body>" + "".join(paragraph.format(i) for i in range(20_000)) + "</body></html>"
    article = read_article(markup, name="a.html")
    assert "Paragraph 0 with" in article.text and "Paragraph 19999 with" in article.text
    assert "<span>" not in article.text
