"""PDF and DOCX reports: text with pages, evidence cited by page, and hostile files answered
with a clean result or a clear error (files generated here, Hypothesis fuzz); how long the
answer takes is measured by bench/hostile.py."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refuge.errors import InputError
from refuge.ingest.article import read_article
from refuge.ingest.documents import page_at
from refuge.services.analysis import analyze_report

_spec = importlib.util.spec_from_file_location(
    "refuge_test_pdfs", Path(__file__).with_name("pdfs.py")
)
assert _spec is not None and _spec.loader is not None
pdfs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfs)

STORY = [
    "Kazakhstan deports a Russian activist",
    "Almaty, 12 March 2023",
    "Mikhail Zhilin was detained in Kazakhstan on 10 March 2023.",
    "He was deported to Russia on 11 March 2023, his lawyer said.",
]


def test_a_pdf_is_read_page_by_page() -> None:
    article = read_article(pdfs.text_pdf(STORY), name="report.pdf")
    assert article.format == "pdf"
    assert len(article.pages) == 4
    for number, line in enumerate(STORY, start=1):
        at = article.text.index(line)
        assert page_at(article.pages, at) == number
    assert article.published is not None and article.published.isoformat() == "2023-03-12"


def test_pdf_evidence_is_cited_by_page() -> None:
    result = analyze_report(pdfs.text_pdf(STORY), name="report.pdf")
    events = {e.type: e for e in result.cases[0].events}
    assert events["detention"].evidence[0].page == 3
    assert events["removal"].evidence[0].page == 4


def test_a_pdf_is_recognised_by_its_bytes_without_a_name() -> None:
    assert read_article(pdfs.text_pdf(STORY)).format == "pdf"


def test_a_scan_without_text_says_so() -> None:
    result = analyze_report(pdfs.blank_pdf(), name="scan.pdf")
    assert result.cases == []
    assert any("no text layer" in w for w in result.warnings)


def test_encrypted_pdfs() -> None:
    with pytest.raises(InputError, match="encrypted with a password"):
        read_article(pdfs.encrypted_pdf("secret"), name="locked.pdf")
    assert "secret report" in read_article(pdfs.encrypted_pdf(""), name="open.pdf").text


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nnot a pdf at all", b"%PDF-", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>", b""],
)
def test_malformed_pdfs_give_a_clean_result_or_a_clear_error(data: bytes) -> None:
    try:
        article = read_article(data, name="broken.pdf")
    except InputError as error:
        assert "PDF" in str(error) or "empty" in str(error)
    else:
        assert article.format == "pdf" and article.warnings


def test_a_docx_is_read_and_russian_detected() -> None:
    article = read_article(
        pdfs.docx(["Заголовок", "Его задержали 16 октября в Алматы."]), name="m.docx"
    )
    assert article.format == "docx"
    assert article.language == "ru"
    assert "Его задержали 16 октября в Алматы." in article.text


def test_a_zip_bomb_docx_is_refused() -> None:
    with pytest.raises(InputError, match="zip bomb"):
        read_article(pdfs.zip_bomb_docx(60_000_000), name="bomb.docx")


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", pdfs.docx(["x"])[:200]])
def test_broken_docx_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(InputError, match=r"Word document|DOCX"):
        read_article(data, name="broken.docx")


def test_mixed_scripts_and_right_to_left_marks() -> None:
    text = (
        "\u200fДжамшид Каримов\u200f was detained in Almaty; \u202bالقضية\u202c  "
        "его депортировали в Узбекистан 3 марта 2023 года.\u200e\n"
    ) * 20
    result = analyze_report(text.encode(), name="mixed.txt")
    assert result.article.text == text
    for case in result.cases:
        for event in case.events:
            for e in event.evidence:
                assert e.start is not None and text[e.start : e.end] == e.quote


def test_a_10_mb_report_is_refused_by_its_size() -> None:
    with pytest.raises(InputError, match="over the limit"):
        read_article(b"%PDF-1.4\n" + b"0" * 10_000_000, name="huge.pdf")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b""]),
    body=st.binary(max_size=3000),
    name=st.sampled_from(["r.pdf", "r.docx", None]),
)
def test_fuzzed_documents_never_crash(head: bytes, body: bytes, name: str | None) -> None:
    try:
        article = read_article(head + body, name=name)
    except InputError as error:
        assert str(error)  # a clear error, never an unexpected exception
    else:
        assert 0 <= article.body_start <= len(article.text)


def test_refuge_analyze_reads_a_pdf(tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(pdfs.text_pdf(STORY))
    done = subprocess.run(
        [sys.executable, "-m", "refuge", "analyze", str(report), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["article"]["format"] == "pdf"
    pages = [s.get("page") for c in data["cases"] for e in c["events"] for s in e["source"]]
    assert pages and all(p in (3, 4) for p in pages)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(pdfs.encrypted_pdf("secret"))
    refused = subprocess.run(
        [sys.executable, "-m", "refuge", "analyze", str(locked)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "encrypted" in refused.stderr and "Traceback" not in refused.stderr
