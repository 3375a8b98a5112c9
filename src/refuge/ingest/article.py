"""Raw report (bytes or text) → :class:`Article`: one text that every later offset points into.

Why offsets into the *input* for text and Markdown: a lawyer must be able to find each quoted
sentence and each date in the file they gave us, so nothing is stripped, unescaped or
re-wrapped; the one normalisation is ``\\r\\n`` → ``\\n`` (Windows files), documented in
``docs/reading.md``. HTML has no such "as is" form, so its ``text`` is the extracted main text
and callers return it alongside the offsets (``--json``).

Every failure a user can cause (too big, binary, undecodable, unparsable) is an
:class:`~refuge.errors.InputError` whose message names the problem; nothing else escapes.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import re
from dataclasses import dataclass
from pathlib import PurePath

from refuge.errors import InputError
from refuge.ingest.documents import is_docx, is_pdf, read_docx, read_pdf
from refuge.ingest.html import HtmlDocument, extract_html, sniff_html_charset
from refuge.ingest.metadata import (
    date_from_url,
    detect_language,
    find_date_line,
    find_source_url,
    outlet_for_url,
)
from refuge.limits import MAX_REPORT_BYTES

__all__ = ["FORMATS", "Article", "decode_report", "read_article", "sniff_format"]

FORMATS = ("text", "markdown", "html", "pdf", "docx")
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Article:
    """A report ready for the date layer, the event extractor and the quote finder."""

    text: str  # the text every offset refers to
    format: str  # "text" | "markdown" | "html"
    title: str | None
    outlet: str | None  # "The Moscow Times"
    url: str | None
    published: datetime.date | None
    published_source: str | None  # "option" | "metadata" | "text" | "url"
    language: str | None  # "en", "ru", ...
    body_start: int  # offset where the body begins (after title/date lines), 0 if unknown
    warnings: tuple[str, ...] = ()  # what the reader must tell the user ("no text layer")
    pages: tuple[int, ...] = ()  # PDF: the offset where each page starts (page n at [n-1])


def _human_size(count: int) -> str:
    """Bytes as a short figure a user reads at a glance (``5.2 MB``)."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB ({count:,} bytes)"
    return f"{count:,} bytes"


def _check_size(size: int, max_bytes: int) -> None:
    """Refuse documents over the limit before any parsing work is done."""
    if size > max_bytes:
        raise InputError(
            f"the report is {_human_size(size)}, over the limit of {_human_size(max_bytes)}; "
            "pass a single article, or raise the limit if this really is one article"
        )


def _detect_encoding(data: bytes) -> str | None:
    """Best guess for a non-UTF-8 legacy encoding (cp1251, koi8-r, ...) via charset-normalizer."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - ships with requests, which trafilatura needs
        return None
    best = from_bytes(data[:200_000]).best()
    return None if best is None else str(best.encoding)


def decode_report(data: bytes, *, html: bool = False) -> str:
    """Decode bytes: BOM, then a declared HTML charset, then UTF-8, then a detected encoding."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as error:
                raise InputError(
                    f"the report starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(bad bytes at offset {error.start})"
                ) from None
    candidates: list[str | None] = [sniff_html_charset(data)] if html else []
    candidates.append("utf-8")
    for declared in candidates:
        if declared is None:
            continue
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            continue
    guessed = _detect_encoding(data)
    if guessed is not None:
        try:
            return data.decode(guessed)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"the report is not UTF-8 (invalid byte at offset {error.start}) and its encoding "
            "could not be recognised; save it as UTF-8 and try again"
        ) from None
    raise AssertionError("unreachable: UTF-8 decoding succeeded on the second try")


_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|body|head|html|article|meta|title|h[1-6]|li|script)\b", re.IGNORECASE
)
_MARKDOWN_SIGN = re.compile(
    r"^#{1,6} \S|\[[^\]\n]{1,300}\]\([^)\s]{0,500}\)|\*\*\S[^*\n]{0,300}\*\*", re.MULTILINE
)


def sniff_format(text: str, name: str | None = None) -> str:
    """The format from the file name's extension, else from the first 4 KB of the text."""
    if name and name != "-":
        by_name = _EXTENSIONS.get(PurePath(name).suffix.lower())
        if by_name:
            return by_name
    head = text[:4096]
    if _HTML_START.match(head) or len(_HTML_TAG.findall(head)) >= 3:
        return "html"
    if _MARKDOWN_SIGN.search(head):
        return "markdown"
    return "text"


def _first_line(text: str, start: int = 0) -> tuple[int, int] | None:
    """Offsets of the first non-empty line at or after ``start``."""
    match = re.compile(r"[^\S\n]*(\S[^\n]*)").search(text, start)
    return None if match is None else (match.start(1), match.end(1))


def _clean_title(line: str) -> str | None:
    """A heading line without Markdown marks; ``None`` if it reads like a paragraph."""
    title = line.strip().lstrip("#").strip().strip("*_").strip()
    return title if title and len(title) <= 300 else None


_WRAPPED = re.compile(r"[^\S\n]*\n[^\S\n]*[a-z(,;]")


def _wrapped(text: str, span: tuple[int, int]) -> bool:
    """The first line is prose, not a title: a paragraph wrapped at line breaks (text taken from
    a PDF, a passage that starts mid-paragraph) or one long sentence ending with a full stop. Its
    names and events are then part of the body."""
    line = text[span[0] : span[1]].rstrip().rstrip("\"”’'")
    if line.endswith(".") and len(line.split()) >= 12:
        return True  # a whole paragraph on one line
    if _WRAPPED.match(text, span[1]) is not None or line.endswith(","):
        return True  # the sentence runs on in lower case
    runs_on = re.match(r"\n[^\S\n]*\S", text[span[1] : span[1] + 4]) is not None
    return (
        runs_on
        and len(line) >= 40
        and line[-1] not in '.!?:"”'
        and re.search(r"\b[a-z]{3,}\b", line) is not None
        and find_date_line(text, span[1], max_lines=1) is None
    )


def _plain_article(text: str, fmt: str, published: datetime.date | None) -> Article:
    """Title, dateline, source URL and body start of a text or Markdown report."""
    title_span = _first_line(text)
    if title_span and _wrapped(text, title_span):
        title_span = None
    title = _clean_title(text[title_span[0] : title_span[1]]) if title_span else None
    header_end = title_span[1] if title_span and title else 0
    dated = find_date_line(text)
    if dated is not None and title_span and dated[1] == title_span[0]:
        # The first line is the dateline: the title is the next line.
        next_span = _first_line(text, dated[2])
        title = _clean_title(text[next_span[0] : next_span[1]]) if next_span else None
        header_end = next_span[1] if next_span and title else dated[2]
    if dated is not None and dated[1] >= header_end:
        between = text[header_end : dated[1]]
        if between.count("\n") <= 6 and len(between.strip()) <= 300:
            header_end = dated[2]
    body = _first_line(text, header_end)
    url = find_source_url(text)
    source = "option" if published else None
    if published is None and dated is not None:
        published, source = dated[0], "text"
    if published is None:
        published = date_from_url(url)
        source = "url" if published else None
    return Article(
        text=text,
        format=fmt,
        title=title,
        outlet=outlet_for_url(url),
        url=url,
        published=published,
        published_source=source,
        language=detect_language(text),
        body_start=body[0] if body else len(text),
    )


def _html_article(markup: str, published: datetime.date | None) -> Article:
    """An :class:`Article` from the extracted text and the page's declared metadata."""
    doc = extract_html(markup)
    source = doc.published_source
    found = doc.published
    if source != "metadata":
        dated = find_date_line(doc.text)
        if dated is not None:
            found, source = dated[0], "text"
    if published is not None:
        found, source = published, "option"
    return Article(
        text=doc.text,
        format="html",
        title=doc.title,
        outlet=doc.outlet or outlet_for_url(doc.url),
        url=doc.url,
        published=found,
        published_source=source if found else None,
        language=doc.language or detect_language(doc.text),
        body_start=_html_body_start(doc),
    )


def _html_body_start(doc: HtmlDocument) -> int:
    """Skip a leading headline (and dateline) that the extractor kept in the text."""
    first = _first_line(doc.text)
    if first is None or doc.title is None:
        return 0
    if " ".join(doc.text[first[0] : first[1]].split()) != doc.title:
        return 0
    start = first[1]
    dated = find_date_line(doc.text, start, max_lines=1)
    if dated is not None:
        start = dated[2]
    body = _first_line(doc.text, start)
    return body[0] if body else len(doc.text)


def _document_article(data: bytes, suffix: str, published: datetime.date | None) -> Article:
    """A PDF or DOCX: its text read as a plain report, with the pages and the warnings kept."""
    if is_pdf(data) or (suffix == ".pdf" and not is_docx(data)):
        doc, fmt = read_pdf(data), "pdf"
    else:
        doc, fmt = read_docx(data), "docx"
    plain = _plain_article(doc.text, "text", published)
    return dataclasses.replace(
        plain, format=fmt, pages=doc.page_starts, warnings=(*plain.warnings, *doc.warnings)
    )


def read_article(
    data: bytes | str,
    *,
    name: str | None = None,
    published: datetime.date | None = None,
    max_bytes: int = MAX_REPORT_BYTES,
) -> Article:
    """Read one report (``.txt``, ``.md``, ``.html``, ``.pdf`` or ``.docx``; ``name`` may be
    ``"-"`` for stdin; PDF and DOCX are also recognised by their first bytes).

    ``published`` (the ``--published`` option) overrides any date found in the document.
    Raises :class:`InputError` for anything a user must fix; never anything else.
    """
    if isinstance(data, str):
        _check_size(
            len(data) if len(data) > max_bytes else len(data.encode("utf-8", "replace")), max_bytes
        )
        text = data
    else:
        _check_size(len(data), max_bytes)
        suffix = PurePath(name).suffix.lower() if name else ""
        if suffix in (".pdf", ".docx") or is_pdf(data) or is_docx(data):
            return _document_article(data, suffix, published)
        by_name = _EXTENSIONS.get(suffix) if name else None
        maybe_html = by_name == "html" or (by_name is None and b"<" in data[:4096])
        text = decode_report(data, html=maybe_html)
    text = text.replace("\r\n", "\n")
    fmt = sniff_format(text, name)
    if fmt == "html":
        return _html_article(text, published)
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            f"the report contains a NUL byte at character {nul}: it looks like a binary file, "
            "not a text, Markdown or HTML article"
        )
    return _plain_article(text, fmt, published)
