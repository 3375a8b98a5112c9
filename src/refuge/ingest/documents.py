"""PDF and Word (DOCX) reports → plain text with page starts, safely.

Why: NGOs and courts publish reports as PDF and lawyers write memos in Word. The reader works on
one text; a PDF's text is its pages' text joined by a blank line, and ``page_starts[n - 1]`` is
the offset where page ``n`` begins, so evidence found at an offset can be cited by page
(:func:`page_at`).

Hostile files get a clear :class:`~refuge.errors.InputError` or a clean result, within seconds:

* a malformed PDF, or one pypdf cannot parse → "the PDF cannot be read" with pypdf's reason;
* an encrypted PDF → the empty password is tried (many "protected" PDFs only restrict
  printing); otherwise "the PDF is encrypted";
* a PDF with no text layer (a scan) → a warning ("no text layer: a scanned image? no case
  drafted"), not an error: the file is fine, refuge just cannot read images;
* a very long PDF → pages are read until :data:`TIME_BUDGET_S` or :data:`MAX_PAGES`, then a
  warning says where reading stopped;
* a DOCX that is not a ZIP, has too many entries, or would inflate past
  :data:`MAX_UNPACKED_BYTES` (a zip bomb) → an error before anything is inflated; the XML is
  parsed by python-docx's lxml parser, which does not resolve entities.
"""

from __future__ import annotations

import bisect
import io
import logging
import time
import zipfile
from dataclasses import dataclass

from refuge.errors import InputError

__all__ = ["Document", "is_docx", "is_pdf", "page_at", "read_docx", "read_pdf"]

MAX_PAGES = 2000
TIME_BUDGET_S = 10.0
MAX_UNPACKED_BYTES = 50_000_000
MAX_ZIP_ENTRIES = 5000
MAX_RATIO = 200  # a Word file compresses text well, but not a thousand to one


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    page_starts: tuple[int, ...] = ()  # PDF: offset of each page's first character
    warnings: tuple[str, ...] = ()


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def is_docx(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]


def page_at(page_starts: tuple[int, ...], offset: int) -> int | None:
    """The 1-based page holding ``offset``; None for a document without pages."""
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, offset))


def read_pdf(data: bytes) -> Document:
    """The text of every page (in order) with the offsets where pages start."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings name no user problem
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                "the PDF is encrypted with a password; save an unprotected copy and try again"
            )
        pages = reader.pages
        count = len(pages)
    except InputError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
        NotImplementedError,
        IndexError,
        AssertionError,
    ) as error:
        raise InputError(f"the PDF cannot be read ({_reason(error)})") from None
    return _pages_text(pages, count)


def _pages_text(pages: object, count: int) -> Document:
    texts: list[str] = []
    starts: list[int] = []
    warnings: list[str] = []
    started = time.monotonic()
    offset = 0
    for number in range(min(count, MAX_PAGES)):
        if time.monotonic() - started > TIME_BUDGET_S:
            warnings.append(f"reading stopped after {number} of {count} pages (time limit)")
            break
        try:
            text = pages[number].extract_text() or ""  # type: ignore[index]
        except Exception:
            text = ""
            warnings.append(f"page {number + 1} could not be read")
        text = text.replace("\x00", "").replace("\r\n", "\n")
        starts.append(offset)
        texts.append(text)
        offset += len(text) + 2
    if count > MAX_PAGES:
        warnings.append(f"only the first {MAX_PAGES} of {count} pages were read")
    joined = "\n\n".join(texts)
    if not joined.strip():
        warnings.append(
            "the PDF has no text layer (a scanned image?); refuge cannot read images, "
            "so no case was drafted"
        )
    return Document(joined, tuple(starts), tuple(warnings))


def read_docx(data: bytes) -> Document:
    """The paragraphs and table cells of a Word document, one paragraph per line."""
    _check_zip(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as error:
        raise InputError(f"the Word document cannot be read ({_reason(error)})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return Document("\n\n".join(line for line in lines if line.strip()))


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"the Word document is not a valid DOCX (ZIP) file ({error})") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise InputError(
            f"the Word document has {len(entries)} parts; refusing more than {MAX_ZIP_ENTRIES}"
        )
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * packed + 1_000_000:
        raise InputError(
            f"the Word document would unpack to {unpacked:,} bytes from {packed:,}: "
            "refusing it as a possible zip bomb"
        )
    if "word/document.xml" not in {e.filename for e in entries}:
        raise InputError("the file is a ZIP archive but not a Word document (no word/document.xml)")


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:120]}" if text else type(error).__name__
