"""The English reader: the rule-based date layer, spaCy-checked quotes and the event extractor.

spaCy's English pipeline is loaded once, on the first English report (see ``readers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from refuge.domain import DateRange
from refuge.ingest.article import Article
from refuge.ingest.events import draft_cases
from refuge.ingest.quotes import find_quotes, load_nlp
from refuge.ingest.readers import Reading
from refuge.ingest.temporal import find_timexes

__all__ = ["READER", "EnglishReader"]


@cache
def _nlp() -> Any:
    return load_nlp()


@dataclass(frozen=True, slots=True)
class EnglishReader:
    language: str = "en"

    def read(
        self,
        article: Article,
        *,
        host_hint: str | None = None,
        report_date: DateRange | None = None,
    ) -> Reading:
        nlp = _nlp()
        timexes = find_timexes(article.text, article.published)
        quotes = find_quotes(article, nlp=nlp)
        drafts = draft_cases(
            article, timexes, host_hint=host_hint, nlp=nlp, report_date=report_date
        )
        return Reading(timexes, quotes, drafts)


READER = EnglishReader()
