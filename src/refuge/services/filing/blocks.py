"""Rendered HTML as a flat list of blocks (headings, paragraphs, list items, quotes), so the
DOCX and Markdown outputs follow the same template the HTML and PDF outputs use: a lawyer edits
one template per document and language.

Only the elements the filing templates use are understood; anything else is walked for text.
Elements with the class ``screen-only`` are left out; ``header.running`` is the page header.
Runs inside an element with the class ``placeholder`` or ``warning`` are marked, so each output
can make them stand out (highlight in DOCX, bold in Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html

_BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "blockquote", "dt", "dd", "figcaption"}
_BOLD = {"strong", "b", "th", "dt"}
_ITALIC = {"em", "i", "cite"}
_MARKED = {"placeholder", "warning"}


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    marked: bool = False


@dataclass(slots=True)
class Block:
    kind: str  # heading | para | item | quote
    level: int = 0  # heading level, or list nesting depth
    ordered: bool = False
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(slots=True)
class Page:
    """The document as blocks, with its language and running header."""

    lang: str
    header: str
    blocks: list[Block]


def parse(document: str) -> Page:
    root = lxml_html.document_fromstring(document)
    header = root.find(".//header")
    header_text = " ".join(header.text_content().split()) if header is not None else ""
    body = root.find("body")
    blocks: list[Block] = []
    if body is not None:
        for child in body:
            _visit(child, blocks, 0)
    return Page(root.get("lang") or "en", header_text, [b for b in blocks if b.text.strip()])


def _classes(element: lxml_html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


_NESTED = _BLOCKS | {"ul", "ol", "div", "section", "article", "dl", "main", "footer"}
_SKIPPED = {"header", "style", "script", "title", "head"}


def _visit(element: lxml_html.HtmlElement, out: list[Block], depth: int) -> None:
    if not isinstance(element.tag, str) or element.tag in _SKIPPED:
        return
    if "screen-only" in _classes(element):
        return
    if element.tag in _BLOCKS:
        out.append(_block(element, depth))
        children = [c for c in element if isinstance(c.tag, str) and c.tag in _NESTED]
    else:
        children = list(element)
    inner = depth + 1 if element.tag in ("ul", "ol") else depth
    for child in children:
        _visit(child, out, inner)


def _block(element: lxml_html.HtmlElement, depth: int) -> Block:
    tag = element.tag
    if tag in ("h1", "h2", "h3", "h4"):
        block = Block("heading", int(tag[1]))
    elif tag == "li":
        parent = element.getparent()
        block = Block("item", max(depth - 1, 0), parent is not None and parent.tag == "ol")
    elif tag == "blockquote":
        block = Block("quote", depth)
    else:
        block = Block("para", depth)
    marked = bool(_classes(element) & _MARKED)
    _runs(element, block.runs, bold=tag in _BOLD, italic=False, marked=marked)
    return block


def _runs(
    element: lxml_html.HtmlElement, out: list[Run], *, bold: bool, italic: bool, marked: bool
) -> None:
    """The inline text of ``element``, leaving out nested blocks (they are blocks of their own)."""
    if element.text:
        out.append(Run(_space(element.text), bold, italic, marked))
    for child in element:
        inline = isinstance(child.tag, str) and child.tag not in _NESTED | _SKIPPED
        if inline and "screen-only" not in _classes(child):
            _runs(
                child,
                out,
                bold=bold or child.tag in _BOLD,
                italic=italic or child.tag in _ITALIC,
                marked=marked or bool(_classes(child) & _MARKED),
            )
        if child.tail:
            out.append(Run(_space(child.tail), bold, italic, marked))


def _space(text: str) -> str:
    """Whitespace collapsed as a browser does, keeping one space at either end if there was."""
    words = " ".join(text.split())
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + words + (" " if text[-1].isspace() else "")
