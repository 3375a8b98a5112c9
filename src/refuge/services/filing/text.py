"""Text from a case file made safe for a document, and dates written without losing doubt.

Quotes come from news reports and uploads: they may carry control characters (which make a
DOCX file unreadable), bidirectional overrides (which make a printed line say something else
than its characters) or markup. Markup is escaped by the templates; this module removes the
characters no document should carry. A fuzzy date is always written as its whole range.
"""

from __future__ import annotations

import re

from refuge.domain import DateRange

# C0/C1 controls except tab and newline, bidi embeddings/overrides/isolates, lone surrogates,
# and the two non-characters XML 1.0 forbids.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def clean(value: object) -> str:
    """``value`` as text a document may carry: unsafe characters removed, spaces collapsed."""
    text = _UNSAFE.sub("", str(value))
    return _SPACES.sub(" ", text).strip()


def clean_or_none(value: object | None) -> str | None:
    if value is None:
        return None
    text = clean(value)
    return text or None


def when(day: DateRange) -> str:
    """``2022-12-28``, or ``2022-11-21 to 2022-11-30 ("late November")``: never one day of a
    range."""
    text = f' ("{clean(day.text)}")' if day.text and clean(day.text) else ""
    if day.exact:
        return f"{day.earliest.isoformat()}{text}"
    return f"{day.earliest.isoformat()} to {day.latest.isoformat()}{text}"
