"""The files themselves: A4, page numbers and the running header; no personal data in the
metadata; the HTML is readable on screen (language, headings, no layout tables); the PDF
renders to images."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import date
from itertools import pairwise
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import html as lxml_html
from markupsafe import escape

from refuge.services.filing import gather_dossier, gather_request, render_dossier, render_request

from .conftest import GENERATED, example_case, pdf_text

AT = date(2022, 12, 27)
PRIVATE = ("Zhilin", "Жилин", "zhilin-2022", "Mikhail")


@pytest.fixture(scope="module")
def dossier_pdf() -> bytes:
    return render_dossier(gather_dossier(example_case(), AT, GENERATED), "pdf")


def test_pdf_is_a4_with_header_and_page_numbers(dossier_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(dossier_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    pages = len(reader.pages)
    last = reader.pages[-1].extract_text() or ""
    assert f"{pages} / {pages}" in last
    assert "Case zhilin-2022 · law as on 2022-12-27 · generated 2026-12-06" in last


def test_pdf_metadata_names_no_one(dossier_pdf: bytes) -> None:
    """Title is the generic document title; no author; nothing from the case."""
    metadata = pypdf.PdfReader(io.BytesIO(dossier_pdf)).metadata or {}
    values = " ".join(str(v) for v in metadata.values())
    assert metadata.get("/Title") == "Case dossier"
    assert "/Author" not in metadata
    assert not any(word in values for word in PRIVATE)


def test_docx_is_a4_with_header_footer_and_anonymous_properties() -> None:
    made = gather_request(example_case(), "cat", AT, GENERATED)
    document = docx.Document(io.BytesIO(render_request(made, "docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "case zhilin-2022 · CAT" in section.header.paragraphs[0].text
    assert 'w:instr="PAGE"' in section.footer.paragraphs[0]._p.xml
    props = document.core_properties
    fields = [props.author, props.title, props.subject, props.keywords, props.comments,
              props.last_modified_by, props.category]  # fmt: skip
    assert fields == [""] * 7
    assert props.created is not None and props.created.date() == GENERATED
    assert not any(word in str(fields) for word in PRIVATE)


def test_placeholders_stand_out_in_docx() -> None:
    made = gather_request(example_case(), "cat", AT, GENERATED)
    document = docx.Document(io.BytesIO(render_request(made, "docx")))
    marked = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color]
    assert any("[to complete: power of attorney" in r.text for r in marked)


def test_html_is_screen_readable() -> None:
    """A language, one h1, headings in order, no tables used for layout."""
    made = gather_request(example_case(), "cat", AT, GENERATED)
    page = lxml_html.document_fromstring(render_request(made, "html"))
    assert page.get("lang") == "en"
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(levels))
    assert page.findall(".//table") == []


def test_russian_request_is_in_russian_with_the_same_facts() -> None:
    made = gather_request(example_case(), "cat", AT, GENERATED)
    text = pdf_text(render_request(made, "pdf", "ru"))
    assert "СРОЧНО: запрос о временных мерах" in text
    assert "2022-11-21 — 2022-11-30" in text
    assert "[заполнить: доверенность" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_renders_to_png(dossier_pdf: bytes, tmp_path: Path) -> None:
    """pdftoppm draws every page: the PDF is whole, not only parseable."""
    source = tmp_path / "dossier.pdf"
    source.write_bytes(dossier_pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(pypdf.PdfReader(io.BytesIO(dossier_pdf)).pages)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 2000 for p in pngs)


def test_jurisdiction_notices_are_shown() -> None:
    """Where refuge knows no national law of the host, the dossier and the request say so."""
    case = dataclasses.replace(example_case(), host="TR")
    notice = "no national law of TR is encoded; international law only"
    assert notice in render_dossier(gather_dossier(case, AT, GENERATED), "html").decode()
    made = gather_request(case, "echr", AT, GENERATED)
    assert f"**Note from refuge: {notice}**" in render_request(made, "md").decode()


def test_law_applied_and_facts_to_find_out_are_shown() -> None:
    """The engine's statement of which law judged the case, and the facts it asks for."""
    made = gather_dossier(example_case(), AT, GENERATED)
    page = render_dossier(made, "html").decode()
    assert made.law_applied and f"Law applied: {escape(made.law_applied)}" in page
    assert all(str(escape(u)) in page for u in made.unknowns)
    assert any(u.startswith("to find out: ") for u in made.unknowns)
