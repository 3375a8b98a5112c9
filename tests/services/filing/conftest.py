"""Shared helpers of the filing tests: the golden cases and reading each output format back."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import docx
import pypdf

from refuge.casefile import load_case_file
from refuge.domain import Case
from refuge.rules.scenarios import default_scenario_dir, load_scenario

ROOT = Path(__file__).resolve().parents[3]
GENERATED = date(2026, 12, 6)
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def example_case() -> Case:
    return load_case_file(ROOT / "src" / "refuge" / "examples" / "zhilin-2022.yaml")


def scenario_case(stem: str) -> Case:
    return load_scenario(default_scenario_dir() / f"{stem}.yaml").case


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in document.paragraphs)


_PAGE_NUMBER = re.compile(r"^\d+ / \d+$")
_BARE_MARKER = re.compile(r"^(\d+\.|•)$")  # list markers the extractor lifts out of their lines


def pdf_text(data: bytes) -> str:
    """The text of every page without its furniture (running header, page number), which
    would otherwise sit in the middle of a paragraph that crosses a page."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    header = pages[0][0] if pages and pages[0] else ""
    kept = [
        line
        for n, lines in enumerate(pages)
        for line in lines
        if not _PAGE_NUMBER.match(line.strip())
        and not _BARE_MARKER.match(line.strip())
        and (n == 0 or line != header)
    ]
    return "\n".join(kept)


def squeeze(text: str) -> str:
    """Without whitespace: a PDF breaks long lines (and URLs) where it must."""
    return re.sub(r"\s+", "", text)
