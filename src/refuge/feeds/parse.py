"""What a fetched feed or page lists: article links (RSS and Atom through feedparser), or the
page itself when it is not a feed."""

from __future__ import annotations

from dataclasses import dataclass

import feedparser


@dataclass(frozen=True, slots=True)
class Listing:
    """``links``: the articles a feed lists (in order, each once); empty for a plain page."""

    is_feed: bool
    links: tuple[str, ...]
    error: str | None = None


def read_listing(body: bytes, content_type: str) -> Listing:
    """Article links of a feed; a plain page is an article itself. Broken XML is an error
    unless feedparser's lenient reading still finds article links in it (real feeds often
    have small faults: a wrong encoding declaration, an unescaped ampersand)."""
    if not _looks_like_a_feed(body, content_type):
        return Listing(False, ())
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.get("entries"):
        return Listing(True, (), error="not a well-formed RSS or Atom feed")
    links: dict[str, None] = {}
    for entry in parsed.get("entries", []):
        link = entry.get("link")
        if isinstance(link, str) and link.startswith(("http://", "https://")):
            links.setdefault(link)
    if parsed.get("bozo") and not links:  # broken XML and nothing usable in it
        return Listing(True, (), error="not a well-formed RSS or Atom feed")
    return Listing(True, tuple(links))


_FEED_TYPES = ("xml", "rss", "atom", "rdf")
_FEED_STARTS = (b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")


def _looks_like_a_feed(body: bytes, content_type: str) -> bool:
    """By the declared type, else by the first bytes (servers often say text/plain)."""
    lowered = content_type.lower()
    if "html" in lowered and "xml" not in lowered:
        return False
    if any(kind in lowered for kind in _FEED_TYPES):
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:8].lower().startswith(_FEED_STARTS)
