"""The dossier: the person, the chronology with its sources, and the law's findings on a date.

Everything here is read from the case and from the engine's evaluation; nothing is inferred or
completed. Strings are cleaned (``text.clean``) on the way in, so every template and every output
format receives the same safe text. Dates keep their ranges (``DateView``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from refuge.domain import Case, DateRange, Event, Source
from refuge.domain.vocabulary import EVENT_TYPES, EventType
from refuge.rules.engine import Engine
from refuge.rules.parties import state_name
from refuge.rules.results import Evaluation, Finding
from refuge.services.filing.text import clean, clean_or_none, when

#: How far ahead the dossier looks for changes of the removal verdict (as ``refuge evaluate``).
OUTLOOK_DAYS = 365


@dataclass(frozen=True, slots=True)
class DateView:
    """A date as the templates need it: both ends, whether it is one day, and the wording."""

    earliest: str
    latest: str
    exact: bool
    text: str | None

    @classmethod
    def of(cls, day: DateRange) -> DateView:
        return cls(
            day.earliest.isoformat(), day.latest.isoformat(), day.exact, clean_or_none(day.text)
        )

    def __str__(self) -> str:
        return when(DateRange(date.fromisoformat(self.earliest), date.fromisoformat(self.latest),
                              self.text))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Citation:
    """One piece of evidence: the source as the case file lists it, and the quote if any."""

    source: str
    outlet: str | None
    title: str | None
    url: str | None
    published: DateView | None
    quote: str | None


@dataclass(frozen=True, slots=True)
class Fact:
    """One event of the chronology, in the case file's own terms."""

    id: str
    type: str
    meaning: str
    date: DateView
    details: tuple[tuple[str, str], ...]
    citations: tuple[Citation, ...]
    certainty: str | None
    note: str | None
    review: str | None


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding of the engine with its citation and verification status."""

    kind: str
    rule: str
    title: str
    status: str
    basis: str
    instrument: str
    article: str
    citation: str
    url: str | None
    date: DateView
    state: str | None
    explanation: str
    events: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything a dossier or a request shows, already cleaned."""

    case_id: str
    name: str | None
    aliases: tuple[str, ...]
    citizenship: tuple[str, ...]
    born: DateView | None
    host: str | None
    host_name: str | None
    origin: str | None
    origin_name: str | None
    at: str
    generated: str
    facts: tuple[Fact, ...]
    findings: tuple[FindingView, ...]
    removal: str  # lawful | unlawful | undetermined
    removal_reasons: tuple[str, ...]
    outlook: tuple[tuple[str, str, str], ...]  # (from, until, verdict)
    messages: tuple[str, ...]
    law_applied: str | None  # the engine's jurisdiction statement: which law judged the case
    unknowns: tuple[str, ...]
    sources: tuple[Citation, ...]

    def of_kind(self, kind: str) -> list[FindingView]:
        return [f for f in self.findings if f.kind == kind]


def gather_dossier(case: Case, at: date, generated: date) -> Dossier:
    """The dossier of ``case`` with the law on ``at``; ``generated`` is the day it is made
    (the front door reads the clock, never this function)."""
    engine = Engine.default()
    evaluation = engine.evaluate(case, at)
    outlook = engine.outlook(case, at, at + timedelta(days=OUTLOOK_DAYS))
    sources = {s.id: s for s in case.sources}
    # The chronology on ``at``: every event that may have happened by then, with its range.
    facts = tuple(_fact(e, sources) for e in _in_order(case.events) if e.date.earliest <= at)
    person = case.person
    return Dossier(
        case_id=clean(case.id),
        name=clean_or_none(person.name),
        aliases=tuple(clean(a) for a in person.aliases if clean(a)),
        citizenship=tuple(state_name(clean(c)) for c in person.citizenship),
        born=DateView.of(person.born) if person.born else None,
        host=clean_or_none(case.host),
        host_name=state_name(clean(case.host)) if clean(case.host) else None,
        origin=clean_or_none(case.origin),
        origin_name=state_name(clean(case.origin)) if case.origin else None,
        at=at.isoformat(),
        generated=generated.isoformat(),
        facts=facts,
        findings=tuple(_finding(f) for f in evaluation.findings),
        removal=_verdict(evaluation.removal.lawful),
        removal_reasons=tuple(clean(r) for r in evaluation.removal.reasons),
        outlook=tuple(
            (s.since.isoformat(), s.until.isoformat(), _verdict(s.verdict.lawful)) for s in outlook
        ),
        messages=tuple(clean(m) for m in evaluation.messages),
        law_applied=clean(evaluation.jurisdiction.statement) if evaluation.jurisdiction else None,
        unknowns=_unknowns(evaluation, facts),
        sources=tuple(_source(s, None) for s in case.sources),
    )


def _in_order(events: tuple[Event, ...]) -> list[Event]:
    """By earliest day, then the author's sequence, then the file's order (a stable sort)."""
    return sorted(events, key=lambda e: (e.date.earliest, e.sequence is None, e.sequence or 0))


def _fact(event: Event, sources: dict[str, Source]) -> Fact:
    kind = EVENT_TYPES.get(event.type)
    return Fact(
        id=clean(event.id),
        type=clean(event.type),
        meaning=kind.meaning if kind else clean(event.type),
        date=DateView.of(event.date),
        details=tuple((clean(k), _value(kind, k, v)) for k, v in event.attrs.items()),
        citations=tuple(
            _source(sources.get(p.source) or Source(p.source), p.quote) for p in event.evidence
        ),
        certainty=clean_or_none(event.certainty),
        note=clean_or_none(event.note),
        review=clean_or_none(event.review),
    )


def _value(kind: EventType | None, key: str, value: object) -> str:
    """An attribute as text: dates as ranges, countries by name and code."""
    if isinstance(value, DateRange):
        return when(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    attr = kind.attrs.get(key) if kind else None
    if attr is not None and attr.kind == "country":
        return f"{state_name(clean(value))} ({clean(value)})"
    return clean(value)


def _source(source: Source, quote: str | None) -> Citation:
    return Citation(
        source=clean(source.id),
        outlet=clean_or_none(source.outlet),
        title=clean_or_none(source.title),
        url=clean_or_none(source.url),
        published=DateView.of(source.published) if source.published else None,
        quote=clean_or_none(quote),
    )


def _finding(f: Finding) -> FindingView:
    return FindingView(
        kind=f.kind,
        rule=clean(f.rule),
        title=clean(f.title),
        status=f.status,
        basis=f.basis,
        instrument=clean(f.instrument),
        article=clean(f.article),
        citation=clean(f.citation),
        url=clean_or_none(f.url),
        date=DateView.of(f.date),
        state=f.state,
        explanation=clean(f.explanation),
        events=tuple(clean(e) for e in f.events),
        missing=tuple(clean(m) for m in f.missing_facts),
    )


def _verdict(lawful: bool | None) -> str:
    return {True: "lawful", False: "unlawful", None: "undetermined"}[lawful]


def _unknowns(evaluation: Evaluation, facts: tuple[Fact, ...]) -> tuple[str, ...]:
    """What the case file does not settle: missing facts, fuzzy dates, contested events."""
    found = [f"to find out: {clean(fact)}" for fact in evaluation.to_find_out]
    for finding in evaluation.findings:
        found += [f"{clean(m)} (needed by {clean(finding.rule)})" for m in finding.missing_facts]
    for fact in facts:
        if not fact.date.exact:
            found.append(f"the exact day of {fact.id} ({fact.type}): {fact.date}")
        if fact.certainty in ("alleged", "disputed"):
            found.append(f"{fact.id} ({fact.type}) is {fact.certainty}")
        if not fact.citations:
            found.append(f"{fact.id} ({fact.type}) cites no source")
    return tuple(dict.fromkeys(found))
