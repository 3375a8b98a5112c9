"""Read a news report into draft cases and apply the law: the use case of ``refuge analyze``.

The pipeline is: bytes → ``Article`` (text + metadata) → time expressions resolved against the
publication date → quotes → draft cases with evidence offsets → the law engine's findings at the
publication date. Each step lives in ``refuge.ingest``; this module only wires them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from refuge.domain import Case
from refuge.errors import InputError
from refuge.ingest.article import Article, read_article
from refuge.ingest.events import DraftCase, draft_cases
from refuge.ingest.quotes import Quote, find_quotes, load_nlp
from refuge.ingest.temporal import Timex, find_timexes
from refuge.limits import MAX_REPORT_CHARS
from refuge.rules.engine import evaluate
from refuge.rules.results import Evaluation


@dataclass(frozen=True)
class Analysis:
    article: Article
    timexes: list[Timex]
    quotes: list[Quote]
    drafts: list[DraftCase]
    evaluations: list[Evaluation]
    at: date | None  # None: no date to apply the law at (no publication date, no dated event)
    at_source: str  # "published" | "latest event" | "none"

    @property
    def cases(self) -> list[Case]:
        return [d.case for d in self.drafts]


@cache
def _nlp() -> Any:
    return load_nlp()


def analyze_report(
    data: bytes | str,
    *,
    name: str | None = None,
    published: date | None = None,
    host: str | None = None,
) -> Analysis:
    """Analyse one report. ``published`` overrides the date found in the report; ``host`` is the
    host state to assume when the text does not name it."""
    if host is not None and (len(host) != 2 or not host.isalpha() or not host.isupper()):
        raise InputError(f"--host {host!r} is not an ISO 3166-1 alpha-2 code such as KZ")
    article = read_article(data, name=name, published=published)
    if len(article.text) > MAX_REPORT_CHARS:
        # Reading costs time in proportion to the text: one paste must not hold a server.
        raise InputError(
            f"the article text is {len(article.text):,} characters long, over the limit of "
            f"{MAX_REPORT_CHARS:,} (about 30,000 words); pass a single article, or split a "
            "longer document into its articles"
        )
    nlp = _nlp()
    timexes = find_timexes(article.text, article.published)
    quotes = find_quotes(article, nlp=nlp)
    drafts = draft_cases(article, timexes, host_hint=host, nlp=nlp)
    at, at_source = _evaluation_date(article, drafts)
    evaluations = [evaluate(d.case, at) for d in drafts] if at is not None else []
    return Analysis(article, timexes, quotes, drafts, evaluations, at, at_source)


def _evaluation_date(article: Article, drafts: list[DraftCase]) -> tuple[date | None, str]:
    """The law is applied as of the publication date; failing that, the last dated event."""
    if article.published is not None:
        return article.published, "published"
    latest = [e.date.latest for d in drafts for e in d.case.events]
    if latest:
        return max(latest), "latest event"
    return None, "none"
