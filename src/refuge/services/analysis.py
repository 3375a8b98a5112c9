"""Read a news report into draft cases and apply the law: the use case of ``refuge analyze``.

The pipeline is: bytes → ``Article`` (text + metadata + language) → the reader of that language
(time expressions resolved against the publication date → quotes → draft cases with evidence
offsets) → the law engine's findings at the publication date. Each step lives in
``refuge.ingest``; this module only wires them. A report in a language refuge does not read gets
a warning and no case.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from refuge.domain import Case, DateRange
from refuge.errors import InputError
from refuge.ingest.article import Article, read_article
from refuge.ingest.documents import page_at
from refuge.ingest.events import DraftCase
from refuge.ingest.quotes import Quote
from refuge.ingest.readers import Reading, not_read_warning, reader_for
from refuge.ingest.temporal import Timex
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
    warnings: list[str] = field(default_factory=list)  # what the user must know (unread language)

    @property
    def cases(self) -> list[Case]:
        return [d.case for d in self.drafts]


def analyze_report(
    data: bytes | str,
    *,
    name: str | None = None,
    published: date | DateRange | None = None,
    host: str | None = None,
    language: str | None = None,
) -> Analysis:
    """Analyse one report. ``published`` overrides the date found in the report; ``host`` is the
    host state to assume when the text does not name it.

    ``published`` may be coarser than a day (``DateRange.parse_shorthand("2024")`` for an annual
    report dated by its year): the text's dates are then resolved against its last day, and
    steps the text does not date are dropped rather than bounded by a day the report never
    gave (the reader's ``report_date``). ``language`` (a feed's ``--language``) is taken as
    the report's language instead of the one detected."""
    if host is not None and (len(host) != 2 or not host.isalpha() or not host.isupper()):
        raise InputError(f"--host {host!r} is not an ISO 3166-1 alpha-2 code such as KZ")
    report: DateRange | None = None
    if isinstance(published, DateRange):
        report = None if published.exact else published
        published = published.latest
    article = read_article(data, name=name, published=published)
    if language:
        article = dataclasses.replace(article, language=language)
    if len(article.text) > MAX_REPORT_CHARS:
        # Reading costs time in proportion to the text: one paste must not hold a server.
        raise InputError(
            f"the article text is {len(article.text):,} characters long, over the limit of "
            f"{MAX_REPORT_CHARS:,} (about 30,000 words); pass a single article, or split a "
            "longer document into its articles"
        )
    warnings = list(article.warnings)
    reader = reader_for(article.language)
    if reader is None:
        warnings.append(not_read_warning(str(article.language)))
        reading = Reading([], [], [])
    else:
        reading = reader.read(article, host_hint=host, report_date=report)
    drafts = _with_pages(reading.drafts, article.pages)
    at, at_source = _evaluation_date(article, drafts)
    evaluations = [evaluate(d.case, at) for d in drafts] if at is not None else []
    return Analysis(
        article, reading.timexes, reading.quotes, drafts, evaluations, at, at_source, warnings
    )


def _with_pages(drafts: list[DraftCase], pages: tuple[int, ...]) -> list[DraftCase]:
    """Evidence from a PDF is cited by page too."""
    if not pages:
        return drafts
    out: list[DraftCase] = []
    for d in drafts:
        events = tuple(
            dataclasses.replace(
                e,
                evidence=tuple(
                    dataclasses.replace(v, page=page_at(pages, v.start))
                    if v.start is not None
                    else v
                    for v in e.evidence
                ),
            )
            for e in d.case.events
        )
        out.append(dataclasses.replace(d, case=dataclasses.replace(d.case, events=events)))
    return out


def _evaluation_date(article: Article, drafts: list[DraftCase]) -> tuple[date | None, str]:
    """The law is applied as of the publication date; failing that, the last dated event."""
    if article.published is not None:
        return article.published, "published"
    latest = [e.date.latest for d in drafts for e in d.case.events]
    if latest:
        return max(latest), "latest event"
    return None, "none"
