"""What the engine answers: findings and removal verdicts, with their JSON form.

The JSON form is the contract of ``refuge evaluate --json`` (see docs/evaluate.md): keys may be
added, never removed or renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from refuge.domain import DateRange
from refuge.rules.tri import Tri


@dataclass(frozen=True, slots=True)
class Premise:
    """One fact a rule looked at: a fluent, its value at the reference, and the events behind it.

    With the rule, its citation and its version, the premises form the finding's proof tree."""

    fluent: str
    value: Tri
    events: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"fluent": self.fluent, "value": self.value, "events": list(self.events)}


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # protection | deadline | breach | action
    rule: str
    instrument: str
    article: str
    status: str  # certain | possible | unknown
    basis: str  # verified | secondary | unverified
    date: DateRange
    order: str
    title: str
    citation: str
    events: tuple[str, ...] = ()
    explanation: str = ""
    missing_facts: tuple[str, ...] = ()
    state: str | None = None  # deadlines: running | met | expired
    caveat: str | None = None
    url: str | None = None
    premises: tuple[Premise, ...] = ()

    def to_json(self) -> dict[str, Any]:
        day: Any = (
            self.date.earliest.isoformat()
            if self.date.exact and self.date.text is None
            else {
                "earliest": self.date.earliest.isoformat(),
                "latest": self.date.latest.isoformat(),
                **({"text": self.date.text} if self.date.text else {}),
            }
        )
        data: dict[str, Any] = {
            "kind": self.kind,
            "rule": self.rule,
            "instrument": self.instrument,
            "article": self.article,
            "status": self.status,
            "basis": self.basis,
            "date": day,
            "events": list(self.events),
            "explanation": self.explanation,
            "order": self.order,
            "title": self.title,
            "citation": self.citation,
            "missing_facts": list(self.missing_facts),
            "premises": [p.to_json() for p in self.premises],
        }
        for key in ("state", "caveat", "url"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True, slots=True)
class Bar:
    rule: str
    instrument: str
    article: str
    status: str
    order: str

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "instrument": self.instrument,
            "article": self.article,
            "status": self.status,
            "order": self.order,
        }


@dataclass(frozen=True, slots=True)
class RemovalVerdict:
    lawful: Tri
    orders: dict[str, Tri]
    barred_by: tuple[Bar, ...] = ()
    modes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "lawful": self.lawful,
            "orders": dict(self.orders),
            "barred_by": [b.to_json() for b in self.barred_by],
            "modes": list(self.modes),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class VerdictSpan:
    """The removal verdict over ``[since, until]`` (inclusive), constant over that stretch."""

    since: date
    until: date
    verdict: RemovalVerdict

    def same_verdict(self, other: VerdictSpan) -> bool:
        mine, theirs = self.verdict, other.verdict
        return (mine.lawful, mine.orders, [b.rule for b in mine.barred_by]) == (
            theirs.lawful,
            theirs.orders,
            [b.rule for b in theirs.barred_by],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.since.isoformat(),
            "until": self.until.isoformat(),
            "lawful": self.verdict.lawful,
            "orders": dict(self.verdict.orders),
            "barred_by": [b.rule for b in self.verdict.barred_by],
        }


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Which law judged the case: the host, the national orders that apply, in one sentence."""

    host: str
    host_known: bool
    national: tuple[str, ...]
    statement: str

    @property
    def international_only(self) -> bool:
        return not self.national

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "host_known": self.host_known,
            "national_orders": list(self.national),
            "international_only": self.international_only,
            "statement": self.statement,
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    case: str
    at: date
    removal: RemovalVerdict
    findings: tuple[Finding, ...]
    packs: tuple[dict[str, str], ...] = field(default_factory=tuple)
    jurisdiction: Jurisdiction | None = None
    notices: tuple[str, ...] = ()  # said once for the case: what refuge could not judge, and why
    to_find_out: tuple[str, ...] = ()  # facts the file does not give that some rule needs, once

    @property
    def messages(self) -> tuple[str, ...]:
        """The jurisdiction statement, when only international law applies, and the notices."""
        first = (
            (self.jurisdiction.statement,)
            if self.jurisdiction is not None and self.jurisdiction.international_only
            else ()
        )
        return first + self.notices

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "at": self.at.isoformat(),
            "removal": self.removal.to_json(),
            "findings": [f.to_json() for f in self.findings],
            "packs": list(self.packs),
            "jurisdiction": None if self.jurisdiction is None else self.jurisdiction.to_json(),
            "notices": list(self.notices),
            "to_find_out": list(self.to_find_out),
        }
