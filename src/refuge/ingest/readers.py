"""One reader per language, found through a registry: who reads a report, and what to say when
nobody can.

Why a registry and not ``if language == "ru"``: each language brings its own words, dates,
quote marks and models, and some of them are slow to load (spaCy for English, the Russian
morphology dictionaries). A reader is named here by ``"module:attribute"`` and imported only when
a report in its language arrives, so reading an English report never loads Russian and the
reverse. Adding Kazakh or Uzbek is one module with a :class:`Reader` and one row in
:data:`READERS`; until then such a report gets :func:`not_read_warning` and no case, never a
case read with English words.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from refuge.domain import DateRange
    from refuge.ingest.article import Article
    from refuge.ingest.events import DraftCase
    from refuge.ingest.quotes import Quote
    from refuge.ingest.temporal import Timex

__all__ = ["READERS", "Reader", "Reading", "not_read_warning", "reader_for"]


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader found in one article: dates, quotes and draft cases (offsets into
    ``article.text``)."""

    timexes: list[Timex]
    quotes: list[Quote]
    drafts: list[DraftCase]


class Reader(Protocol):
    """A language's reader. ``language`` is its ISO 639-1 code."""

    language: str

    def read(
        self,
        article: Article,
        *,
        host_hint: str | None = None,
        report_date: DateRange | None = None,
    ) -> Reading:
        """Dates, quotes and draft cases of one article in this reader's language; ``report_date``
        is the report's date when coarser than a day (an annual report)."""
        ...


#: ISO 639-1 code -> "module:attribute" of its reader, imported on first use.
READERS: dict[str, str] = {
    "en": "refuge.ingest.english:READER",
    "ru": "refuge.ingest.russian.reader:READER",
}


def reader_for(language: str | None) -> Reader | None:
    """The reader for ``language`` ("ru", "ru-RU"); English when the language is unknown (a
    short or mixed text), None when refuge has no reader for it."""
    code = "en" if language is None else language.split("-")[0].lower()
    target = READERS.get(code)
    return None if target is None else _load(target)


@cache
def _load(target: str) -> Reader:
    module, _, attribute = target.partition(":")
    reader: Reader = getattr(importlib.import_module(module), attribute)
    return reader


def not_read_warning(language: str) -> str:
    """The sentence a user sees for a report in a language refuge does not read."""
    return f"language {language} is not read yet; no case drafted"
