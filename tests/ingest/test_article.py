"""read_article on text and Markdown: offsets into the input, metadata, encodings, limits."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.errors import InputError
from refuge.ingest.article import Article, read_article, sniff_format
from refuge.ingest.metadata import (
    date_from_url,
    detect_language,
    find_source_url,
    outlet_for_url,
    parse_date,
)

FIXTURES = Path(__file__).parent / "fixtures"
# The founding article, in the repository (examples/), so these tests never skip.
SEED = Path(__file__).resolve().parents[2] / "examples" / "zhilin-moscow-times-2022-12-30.txt"


def test_seed_article_metadata() -> None:
    article = read_article(SEED.read_bytes(), name=SEED.name)
    assert article.format == "text"
    assert article.title == "Kazakhstan Reportedly Returns Former Presidential Guard to Russia"
    assert article.published == datetime.date(2022, 12, 30)
    assert article.published_source == "text"
    assert article.url == (
        "https://www.themoscowtimes.com/2022/12/30/"
        "kazakhstan-reportedly-returns-former-presidential-guard-to-russia-a79851"
    )
    assert article.outlet == "The Moscow Times"
    assert article.language == "en"
    assert article.text[article.body_start :].startswith("Mikhail Zhilin and his wife")


def test_seed_text_is_the_file_as_is() -> None:
    raw = SEED.read_bytes()
    article = read_article(raw, name=SEED.name)
    assert article.text == raw.decode("utf-8").replace("\r\n", "\n")
    sniffed = read_article(raw)  # from stdin: no name, so the format is sniffed
    assert sniffed.format == "markdown"
    assert sniffed.text == article.text


def test_markdown_fixture() -> None:
    path = FIXTURES / "dated.md"
    article = read_article(path.read_bytes(), name=str(path))
    assert article.format == "markdown"
    assert article.title == "Appeal Rejected in Almaty"
    assert article.published == datetime.date(2023, 12, 2)
    assert article.url == "https://vlast.kz/novosti/12345-appeal.html"
    assert article.outlet == "Vlast.kz"
    assert article.text[article.body_start :].startswith("The appeal was rejected.")


def test_cp1251_is_detected() -> None:
    article = read_article((FIXTURES / "cp1251.txt").read_bytes(), name="cp1251.txt")
    assert article.title == "Суд отказал в убежище"
    assert article.published == datetime.date(2022, 12, 30)
    assert article.language == "ru"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeffTitle\n\nBody text.".encode(), "Title\n\nBody text."),
        ("Title\n\nBody text.".encode("utf-16"), "Title\n\nBody text."),
        (b"Title\r\n\r\nBody text.\r\n", "Title\n\nBody text.\n"),
    ],
)
def test_byte_order_marks_and_crlf(data: bytes, expected: str) -> None:
    article = read_article(data, name="a.txt")
    assert article.text == expected
    assert article.title == "Title"


def test_published_option_overrides_everything() -> None:
    article = read_article(
        "Title\n\nDecember 30, 2022\n\nBody.", published=datetime.date(2023, 1, 5)
    )
    assert article.published == datetime.date(2023, 1, 5)
    assert article.published_source == "option"


def test_date_from_url_when_the_text_has_none() -> None:
    text = (
        "Title\n\nBody without a dateline.\n\nOriginal url: https://meduza.io/en/news/2023/02/07/x"
    )
    article = read_article(text)
    assert article.published == datetime.date(2023, 2, 7)
    assert article.published_source == "url"
    assert article.outlet == "Meduza"


def test_no_metadata_at_all() -> None:
    article = read_article("just some words without any structure at all")
    assert article.published is None and article.published_source is None
    assert article.url is None and article.outlet is None


def test_empty_input_is_clean() -> None:
    article = read_article(b"")
    assert isinstance(article, Article)
    assert article.text == "" and article.title is None and article.body_start == 0


@pytest.mark.parametrize(
    "line",
    [
        "December 30, 2022",
        "Dec. 30, 2022",
        "30 December 2022",
        "2022-12-30",
        "Friday, December 30, 2022",
        "Published: 30 Dec 2022",
        "December 30, 2022, 10:15 a.m.",
        "2022-12-30T10:15:00+06:00",
        "30.12.2022",
        "30 декабря 2022 г.",
        "**Dec 30, 2022**",
    ],
)
def test_date_lines(line: str) -> None:
    assert parse_date(line) == datetime.date(2022, 12, 30)


@pytest.mark.parametrize(
    "line", ["He arrived on December 30, 2022 at the border.", "February 30, 2022", "Title", ""]
)
def test_non_date_lines(line: str) -> None:
    assert parse_date(line) is None


def test_url_helpers() -> None:
    assert date_from_url("https://www.themoscowtimes.com/2022/12/30/x-a1") == datetime.date(
        2022, 12, 30
    )
    assert date_from_url("https://example.org/news/x") is None
    assert outlet_for_url("https://rus.azattyq.org/a/123.html") == "Radio Azattyq (RFE/RL)"
    assert outlet_for_url("https://www.rferl.org/a/x.html") == "RFE/RL"
    assert outlet_for_url("https://unknown.example/x") is None
    assert outlet_for_url("http://[::1") is None  # malformed: no exception


def test_source_url_label_forms() -> None:
    assert (
        find_source_url("Body.\n\nOriginal url:\n\n<https://a.example/x>") == "https://a.example/x"
    )
    assert find_source_url("URL: https://b.example/y\n\nBody") == "https://b.example/y"
    assert find_source_url("Canonical: <https://c.example/z>") == "https://c.example/z"
    assert find_source_url("Body that mentions https://d.example/ only.") is None


def test_language_heuristic() -> None:
    assert detect_language("The court said that the appeal was rejected on the same day.") == "en"
    assert detect_language("Суд отклонил апелляцию и постановил выдворить его из страны.") == "ru"
    assert detect_language("Сот шешімі бойынша ол елден шығарылады, бұл заңға қайшы.") == "kk"
    assert detect_language("12345 !!!") is None


def test_sniffing() -> None:
    assert sniff_format("<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff_format("  <html><p>x</p></html>") == "html"
    assert sniff_format("# Title\n\nText") == "markdown"
    assert sniff_format("Title\n\nText with [a link](https://x.example).") == "markdown"
    assert sniff_format("Title\n\nPlain text.") == "text"
    assert sniff_format("<p>x</p>", name="report.txt") == "text"


def test_too_big_names_size_and_limit() -> None:
    with pytest.raises(InputError, match=r"2,001 bytes.*limit of 2,000 bytes"):
        read_article(b"a" * 2001, max_bytes=2000)
    with pytest.raises(InputError, match="over the limit"):
        read_article("я" * 1500, max_bytes=2000)  # 3,000 bytes in UTF-8


def test_nul_bytes_are_refused_clearly() -> None:
    with pytest.raises(InputError, match="NUL byte"):
        read_article(b"Title\n\nSome \x00 binary", name="a.txt")


def test_undecodable_bytes_decode_or_refuse() -> None:
    data = bytes(range(0x80, 0x100)) * 4
    try:
        article = read_article(data, name="a.txt")
    except InputError as error:
        assert "encoding" in str(error) or "NUL" in str(error)
    else:
        assert isinstance(article.text, str)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([None, "a.txt", "a.md", "a.html", "-"]))
def test_fuzz_bytes_never_crash(data: bytes, name: str | None) -> None:
    try:
        article = read_article(data, name=name)
    except InputError:
        pass
    else:
        assert 0 <= article.body_start <= len(article.text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_fuzz_text_never_crash(text: str) -> None:
    try:
        article = read_article(text)
    except InputError:
        return
    if article.format != "html":
        assert article.text == text.replace("\r\n", "\n")
