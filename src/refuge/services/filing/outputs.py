"""The three file formats made from rendered HTML: PDF (WeasyPrint), DOCX (python-docx) and
Markdown. Each carries no personal data in its metadata: the PDF's title is the document's
generic ``<title>`` and it has no author; the DOCX's core properties are emptied.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from refuge.services.filing.blocks import Block, parse

_PAGE_WORD = {"en": "Page", "ru": "Страница"}


def pdf(document: str) -> bytes:
    """The HTML printed by WeasyPrint; the template's ``@page`` rules set A4, the header and
    the page numbers."""
    import weasyprint  # imported here: a second to load, and only PDF output needs it

    return bytes(weasyprint.HTML(string=document).write_pdf())


def docx(document: str, generated: date) -> bytes:
    """The HTML's blocks as a Word document: A4, the running header, page numbers in the footer,
    placeholders highlighted, core properties carrying nothing about the case."""
    page = parse(document)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header.paragraphs[0].text = page.header
    _page_number(section.footer.paragraphs[0], _PAGE_WORD.get(page.lang, "Page"))
    for block in page.blocks:
        _add(doc, block)
    _anonymous(doc, generated)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _add(doc: DocxDocument, block: Block) -> None:
    if block.kind == "heading":
        paragraph = doc.add_heading("", min(block.level, 4))
    elif block.kind == "item":
        style = "List Number" if block.ordered else "List Bullet"
        paragraph = doc.add_paragraph(style=style if block.level == 0 else f"{style} 2")
    elif block.kind == "quote":
        paragraph = doc.add_paragraph(style="Quote")
    else:
        paragraph = doc.add_paragraph()
        if block.level:
            paragraph.paragraph_format.left_indent = Mm(6 * block.level)
    for run in block.runs:
        written = paragraph.add_run(run.text)
        written.bold = run.bold or run.marked or None
        written.italic = run.italic or None
        if run.marked:
            written.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _page_number(paragraph: Paragraph, word: str) -> None:
    paragraph.add_run(f"{word} ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _anonymous(doc: DocxDocument, generated: date) -> None:
    """Core properties say nothing about the case or the person (python-docx's defaults name
    its own template author and dates)."""
    props = doc.core_properties
    for name in (
        "author",
        "title",
        "subject",
        "keywords",
        "comments",
        "category",
        "last_modified_by",
        "identifier",
        "content_status",
        "language",
        "version",
    ):
        setattr(props, name, "")  # fmt: skip
    stamp = datetime(generated.year, generated.month, generated.day, tzinfo=UTC)
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_LEADING = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def markdown(document: str) -> str:
    """The HTML's blocks as Markdown, every character of the case escaped (a quote cannot
    become a heading, a link or raw HTML); placeholders in bold."""
    page = parse(document)
    lines = [f"<!-- {_escape(page.header).replace('--', '- -')} -->", ""] if page.header else []
    counters: dict[int, int] = {}
    for block in page.blocks:
        text = "".join(_md_run(r.text, r.bold or r.marked, r.italic) for r in block.runs).strip()
        indent = "   " * block.level
        if block.kind == "heading":
            counters.clear()
            lines += ["", f"{'#' * block.level} {text}", ""]
        elif block.kind == "item":
            counters[block.level] = counters.get(block.level, 0) + 1
            bullet = f"{counters[block.level]}." if block.ordered else "-"
            lines.append(f"{indent}{bullet} {text}")
        elif block.kind == "quote":
            lines += ["", f"{indent}> {_leading(text)}", ""]
        else:
            if not block.level:
                counters.clear()
            lines += ["", f"{indent}{_leading(text)}", ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _leading(text: str) -> str:
    """A paragraph that would start a list or a heading in Markdown is escaped."""
    return _MD_LEADING.sub(lambda m: m[1] + "\\" + m[2], text)


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_run(text: str, bold: bool, italic: bool) -> str:
    core = text.strip()
    if not core:
        return text
    wrapped = _escape(core)
    if bold:
        wrapped = f"**{wrapped}**"
    if italic:
        wrapped = f"*{wrapped}*"
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + wrapped + trail
