"""Bad input gives a clean document or a clear refusal, never a broken file: no person name, no
host, a host not bound, a status not recorded, 500 events, hostile text in quotes."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date, timedelta

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from refuge.domain import Case, DateRange, Event, Evidence, Person, Source
from refuge.errors import InputError
from refuge.services.filing import (
    FilingRefused,
    gather_dossier,
    gather_request,
    render_dossier,
    render_request,
)

from .conftest import GENERATED, docx_text, example_case, pdf_text

AT = date(2022, 12, 27)


def _with(**changes: object) -> Case:
    return dataclasses.replace(example_case(), **changes)  # type: ignore[arg-type]


def test_no_person_name_leaves_a_visible_placeholder() -> None:
    """A case with no name is drafted with the name marked for the lawyer, never invented."""
    case = _with(person=Person(""))
    text = docx_text(render_request(gather_request(case, "cat", AT, GENERATED), "docx"))
    assert "[to complete: full name of the alleged victim (not recorded in the case)]" in text
    assert "Mikhail" not in text


def test_no_host_is_refused_with_the_reason() -> None:
    with pytest.raises(FilingRefused, match="names no host state"):
        gather_request(_with(host=""), "cat", AT, GENERATED)


def test_no_host_dossier_says_not_recorded() -> None:
    page = render_dossier(gather_dossier(_with(host=""), AT, GENERATED), "html").decode()
    assert 'Host state: <span class="placeholder">[not recorded]</span>' in page


@pytest.mark.parametrize(
    ("host", "body", "reason"),
    [
        ("KZ", "echr", "Kazakhstan is not a party to the ECHR"),
        ("UZ", "cat", "Uzbekistan is not a party to the CAT art. 22 declaration"),
        ("CN", "hrc", "China has signed"),
    ],
)
def test_host_not_bound_is_refused(host: str, body: str, reason: str) -> None:
    """The party table's own reason is the refusal: not a party, no declaration, signatory."""
    with pytest.raises(FilingRefused, match=reason):
        gather_request(_with(host=host), body, AT, GENERATED)


def test_not_recorded_status_is_drafted_with_a_warning() -> None:
    """A state the table does not know is never treated as a party: the draft says so."""
    made = gather_request(_with(host="BR"), "cat", AT, GENERATED)
    assert [p.status for p in made.parties] == ["not_recorded", "not_recorded"]
    text = render_request(made, "md").decode()
    assert "**Warning: Check the party status before sending: party status of BR to" in text


def test_russia_after_leaving_the_council_of_europe_is_refused() -> None:
    """Russia ceased to be bound by the ECHR on 16 Sep 2022: no Rule 39 request after that."""
    with pytest.raises(FilingRefused, match="ceased to be bound"):
        gather_request(_with(host="RU"), "echr", AT, GENERATED)


def test_unknown_body_and_format_are_refused() -> None:
    with pytest.raises(FilingRefused, match="unknown body 'wgad'"):
        gather_request(example_case(), "wgad", AT, GENERATED)
    made = gather_dossier(example_case(), AT, GENERATED)
    with pytest.raises(InputError, match="a dossier is made as pdf, html, docx, not 'md'"):
        render_dossier(made, "md")


def _many_events(n: int) -> Case:
    base = example_case()
    start = date(2022, 1, 1)
    events = tuple(
        Event(
            f"d{i}",
            "detention",
            DateRange.day(start + timedelta(days=i % 360)),
            {"grounds": "extradition"},
            (Evidence("mt-2022-12-30", f"held again, report {i}"),),
        )
        for i in range(n)
    )
    return dataclasses.replace(base, events=base.events + events)


@pytest.mark.slow
def test_five_hundred_events_make_a_whole_dossier() -> None:
    """500 events: every one in the DOCX and the PDF, each file readable."""
    made = gather_dossier(_many_events(500), AT, GENERATED)
    text = docx_text(render_dossier(made, "docx"))
    assert all(f"report {i}" in text for i in range(500))
    data = render_dossier(made, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 20
    assert "report 499" in pdf_text(data)


HOSTILE = [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    r"\input{/etc/passwd} $\frac{1}{0}$ \\ %comment",
    "bell\x07 null\x00 escape\x1b[31m vertical\x0btab",
    "\u202etxt.exe\u202c \u2067isolate\u2069 \u200fRLM",
    "# heading\n- item\n[link](javascript:alert(1)) **bold** `code` | pipe |",
    "\ud800 lone surrogate \ufffe",
]


def _hostile_case(quote: str) -> Case:
    base = example_case()
    event = dataclasses.replace(
        base.events[0], evidence=(Evidence("mt-2022-12-30", quote),), note=quote
    )
    source = Source("mt-2022-12-30", title=quote, outlet=quote, url="https://x.example/" + quote)
    return dataclasses.replace(
        base, events=(event, *base.events[1:]), sources=(source, *base.sources[1:])
    )


def _check_clean(made_html: str, made_docx: bytes, made_md: str) -> None:
    page = lxml_html.document_fromstring(made_html)
    assert page.findall(".//script") == [] and page.findall(".//img") == []
    docx.Document(io.BytesIO(made_docx))  # opens: no character Word refuses
    for text in (made_html, made_md, docx_text(made_docx)):
        assert not any(c in text for c in "\x00\x07\x1b\x0b\u202e\u202c\u2067\u2069\ud800")
    # Markdown: markup characters of the case arrive backslash-escaped, so they stay text.
    assert re.search(r"(?<!\\)<script|(?<!\\)\]\(javascript", made_md) is None
    assert not any(line.startswith(("# heading", "- item")) for line in made_md.splitlines())


@pytest.mark.parametrize("quote", HOSTILE)
def test_hostile_quotes_make_clean_documents(quote: str) -> None:
    """Markup is escaped, control and bidi-override characters are dropped, Markdown is inert;
    the PDF is whole and still carries the readable part of the quote."""
    made = gather_request(_hostile_case(quote), "cat", AT, GENERATED)
    _check_clean(
        render_request(made, "html").decode(),
        render_request(made, "docx"),
        render_request(made, "md").decode(),
    )
    if quote == HOSTILE[1]:
        assert r"\input{/etc/passwd}" in pdf_text(render_request(made, "pdf"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=200))
def test_any_quote_makes_clean_documents(quote: str) -> None:
    """Whatever a report's quote holds, the HTML parses, the DOCX opens and nothing unsafe
    survives."""
    made = gather_request(_hostile_case(quote), "cat", AT, GENERATED)
    made_html = render_request(made, "html").decode()
    made_docx = render_request(made, "docx")
    page = lxml_html.document_fromstring(made_html)
    assert page.findall(".//script") == []
    docx.Document(io.BytesIO(made_docx))
    for text in (made_html, docx_text(made_docx)):
        assert not any(c in text for c in "\x00\x1b\u202e\u2066\u2067")
