"""HTML report → main text and metadata, safely.

Why this shape: a news page is hostile input (security.md, R16). We parse it once with lxml's
HTML parser, which never fetches anything, never expands DTD entities (so "billion laughs" stays
a few bytes) and caps nesting depth; we drop every element that can carry code or invisible text
(scripts, styles, templates, SVG, ...) before anything reads the tree; then trafilatura picks
the article's main text, and a small iterative walker takes over when trafilatura finds nothing
(short pages, odd layouts). Metadata comes from the page's own declarations (Open Graph,
JSON-LD, canonical link, ``<html lang>``), read with size and depth limits.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
import re
from collections.abc import Iterator
from configparser import ConfigParser
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import use_config

from refuge.errors import InputError
from refuge.ingest.metadata import clean_url, date_from_url, outlet_for_url, parse_iso_prefix

__all__ = ["HtmlDocument", "extract_html", "sniff_html_charset"]

# Elements whose content is never article text, and may be code: removed with their content.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "canvas",
    "head",
    "button",
    "select",
    "textarea",
)
_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "pre",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "dl",
        "main",
        "aside",
        "nav",
        "hr",
        "address",
    )
)
_MAX_JSONLD_CHARS = 200_000
# Characters lxml cannot hold in a tree (C0 controls but tab and newlines, non-characters).
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MAX_WALK_NODES = 2_000
_MAX_EXTRACTOR_ELEMENTS = 15_000


@dataclass(frozen=True, slots=True)
class HtmlDocument:
    """What one HTML page yields: its main text and whatever metadata it declares."""

    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: datetime.date | None
    published_source: str | None  # "metadata" | "url" | None
    language: str | None


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` within its first 4 KiB, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def _parse(markup: str) -> lxml.html.HtmlElement:
    """Parse with a locked-down parser; raise :class:`InputError` when nothing usable is left."""
    parser = lxml.html.HTMLParser(
        recover=True,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        default_doctype=False,
        collect_ids=False,
        huge_tree=False,
        encoding="utf-8",
    )
    data = _NOT_XML_CHARS.sub("", markup).encode("utf-8", "replace")
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as error:
        raise InputError(f"the HTML report cannot be parsed: {error}") from None
    if root is None:
        raise InputError("the HTML report has no content")
    return root


def _first_meta(root: lxml.html.HtmlElement, *keys: str) -> str | None:
    """The first non-empty ``<meta property|name=KEY content=...>`` among ``keys``, in order."""
    wanted = {key.lower(): rank for rank, key in enumerate(keys)}
    best: tuple[int, str] | None = None
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        rank = wanted.get(key.strip())
        content = (meta.get("content") or "").strip()
        if rank is not None and content and (best is None or rank < best[0]):
            best = (rank, content[:2000])
    return best[1] if best else None


def _jsonld_nodes(root: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD blocks, breadth-first and bounded in count."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "")[:_MAX_JSONLD_CHARS]
        try:
            data: Any = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        queue: list[Any] = [data]
        visited = 0
        while queue and visited < _MAX_WALK_NODES:
            item = queue.pop(0)
            visited += 1
            if isinstance(item, dict):
                yield item
                queue.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                queue.extend(v for v in item if isinstance(v, dict | list))


def _jsonld_value(root: lxml.html.HtmlElement, key: str) -> str | None:
    """The first string value of ``key`` (or of its ``name``, for objects) in the JSON-LD."""
    for node in _jsonld_nodes(root):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0].get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()[:2000]
    return None


def _canonical(root: lxml.html.HtmlElement) -> str | None:
    """``<link rel=canonical>``, else ``og:url``; only absolute http(s) URLs count."""
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = clean_url(link.get("href"))
        if "canonical" in rels and href:
            return href
    return clean_url(_first_meta(root, "og:url"))


def _title(root: lxml.html.HtmlElement) -> str | None:
    """og:title, then JSON-LD headline, then ``<title>``, then the first ``<h1>``."""
    found = _first_meta(root, "og:title", "twitter:title") or _jsonld_value(root, "headline")
    if not found:
        for tag in ("title", "h1"):
            element = next(root.iter(tag), None)
            if element is not None:
                found = " ".join(element.text_content().split())[:2000]
                if found:
                    break
    return " ".join(found.split()) if found else None


def _language(root: lxml.html.HtmlElement) -> str | None:
    """The primary subtag of ``<html lang>`` (``en-GB`` → ``en``), if it looks like one."""
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _published(root: lxml.html.HtmlElement) -> datetime.date | None:
    """article:published_time, JSON-LD datePublished, common date metas, then ``<time>``."""
    candidates = [
        _first_meta(
            root,
            "article:published_time",
            "og:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "publish-date",
            "date",
            "dc.date",
            "dc.date.issued",
            "sailthru.date",
            "parsely-pub-date",
        ),
        _jsonld_value(root, "datePublished"),
    ]
    candidates.extend(t.get("datetime") for t in root.iter("time"))
    for value in candidates:
        if value:
            found = parse_iso_prefix(value)
            if found is not None:
                return found
    return None


def _drop_active_content(root: lxml.html.HtmlElement) -> None:
    """Remove code-bearing and invisible elements, keeping the text that follows them."""
    for element in list(root.iter(*_DROP_TAGS)):
        parent = element.getparent()
        if parent is None:
            continue
        element.drop_tree()


def _walk_text(root: lxml.html.HtmlElement) -> str:
    """Visible text with line breaks between blocks; iterative, so depth cannot overflow."""
    parts: list[str] = []
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


@functools.cache
def _trafilatura_config() -> ConfigParser:
    """trafilatura's settings for refuge: keep short articles, never search dates itself."""
    config = use_config()
    config.set("DEFAULT", "min_extracted_size", "1")
    config.set("DEFAULT", "min_output_size", "1")
    config.set("DEFAULT", "extensive_date_search", "off")
    return config


def _too_big(element: lxml.html.HtmlElement) -> bool:
    """More elements than trafilatura handles in bounded time (its cost grows faster than n)."""
    return any(True for _ in itertools.islice(element.iter(), _MAX_EXTRACTOR_ELEMENTS, None))


def _main_text(root: lxml.html.HtmlElement) -> str:
    """trafilatura's main text, or the visible body text when it declines or the page is huge.

    Huge pages (over ``_MAX_EXTRACTOR_ELEMENTS`` elements) skip trafilatura, whose running
    time grows faster than the page, and read the first ``<article>``/``<main>`` (else the
    body) with the linear walker: a hostile page cannot make reading slow.
    """
    body = next(root.iter("body"), root)
    if _too_big(root):
        return _walk_text(next(root.iter("article", "main"), body))
    extracted: str | None
    try:
        extracted = trafilatura.extract(
            root,
            fast=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            with_metadata=False,
            config=_trafilatura_config(),
        )
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        extracted = None
    if extracted and extracted.strip():
        # One paragraph per line from trafilatura; blank lines between them, as in a text file,
        # so paragraph-aware readers (the quote finder) see the same shape in every format.
        lines = (" ".join(line.split()) for line in extracted.splitlines())
        return "\n\n".join(line for line in lines if line)
    return _walk_text(body)


def extract_html(markup: str) -> HtmlDocument:
    """Read an HTML page: main text (never script, style or comment content) and metadata.

    Raises :class:`InputError`, and only that, when the page cannot be read: a parser
    surprise on hostile markup becomes a message, never a traceback.
    """
    try:
        return _extract(markup)
    except (ValueError, RecursionError, MemoryError, lxml.etree.LxmlError) as error:
        raise InputError(f"the HTML report could not be read: {error}") from None


def _extract(markup: str) -> HtmlDocument:
    """:func:`extract_html` without the error boundary."""
    root = _parse(markup)
    url = _canonical(root)
    outlet = (
        _first_meta(root, "og:site_name", "application-name")
        or _jsonld_value(root, "publisher")
        or outlet_for_url(url)
    )
    published = _published(root)
    source = "metadata" if published else None
    if published is None:
        published = date_from_url(url)
        source = "url" if published else None
    title = _title(root)
    language = _language(root)
    _drop_active_content(root)
    text = _main_text(root)
    return HtmlDocument(
        text=text,
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        published_source=source,
        language=language,
    )
