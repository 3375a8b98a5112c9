"""The draft request for interim measures: its sections, or a clear refusal.

The request is drafted only against a state that the party table says may be bound by every
instrument the body needs on the date. A state that is surely not bound (not a party, only a
signatory, not yet or no longer bound, no declaration accepting complaints) is a refusal with
the table's reason; a status that is not recorded, or only possibly bound, is drafted with a
visible warning. The sections pick events and findings from the dossier; nothing is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from refuge.domain import Case
from refuge.errors import RefugeError
from refuge.rules.parties import Binding, load_party_table
from refuge.services.filing.bodies import BODIES, Body
from refuge.services.filing.facts import Dossier, Fact, FindingView, gather_dossier
from refuge.services.filing.text import clean

RISK_TYPES = ("risk_allegation", "risk_assessment", "charge", "extradition_request")
REMEDY_TYPES = ("asylum_application", "asylum_registration", "asylum_decision", "appeal_lodged",
                "appeal_decision", "interim_measures_request", "interim_measures")  # fmt: skip
IMMINENCE_TYPES = ("expulsion_order", "extradition_decision", "detention", "conviction", "removal")


class FilingRefused(RefugeError):
    """The request cannot be drafted: the reason says what is missing and what to do."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class PartyStatus:
    """The host's status for one instrument on the date, from the party table."""

    instrument: str
    label: str
    status: str
    reason: str
    url: str | None
    basis: str | None


@dataclass(frozen=True, slots=True)
class Request:
    """The sections of a request, each a selection of the dossier."""

    body: Body
    dossier: Dossier
    parties: tuple[PartyStatus, ...]
    warnings: tuple[str, ...]
    risk: tuple[Fact, ...]
    remedies: tuple[Fact, ...]
    pending: tuple[Fact, ...]
    imminence: tuple[Fact, ...]
    protections: tuple[FindingView, ...]
    breaches: tuple[FindingView, ...]
    deadlines: tuple[FindingView, ...]
    actions: tuple[FindingView, ...]


def gather_request(case: Case, body_id: str, at: date, generated: date) -> Request:
    """The request to ``body_id`` about ``case`` on ``at``, or ``FilingRefused``."""
    body = BODIES.get(body_id)
    if body is None:
        raise FilingRefused(f"unknown body {body_id!r}: use one of {', '.join(sorted(BODIES))}")
    host = clean(case.host)
    if not host:
        raise FilingRefused(
            f"case {clean(case.id)} names no host state: a request to the {body.name} is "
            "directed against a state; add the case's host (case.host) first"
        )
    table = load_party_table()
    bindings = [table.binding(i, host, at) for i in body.instruments]
    refused = [b.reason for b in bindings if b.status == "not_bound"]
    if refused:
        raise FilingRefused(
            f"no request to the {body.name} against {host} on {at.isoformat()}: "
            + "; ".join(refused)
        )
    dossier = gather_dossier(case, at, generated)
    return _sections(body, dossier, bindings)


def _sections(body: Body, dossier: Dossier, bindings: list[Binding]) -> Request:
    facts = dossier.facts
    return Request(
        body=body,
        dossier=dossier,
        parties=tuple(_status(b) for b in bindings),
        warnings=_warnings(dossier, bindings),
        risk=tuple(f for f in facts if f.type in RISK_TYPES),
        remedies=tuple(f for f in facts if f.type in REMEDY_TYPES),
        pending=_pending(facts),
        imminence=tuple(f for f in facts if f.type in IMMINENCE_TYPES),
        protections=tuple(dossier.of_kind("protection")),
        breaches=tuple(dossier.of_kind("breach")),
        deadlines=tuple(dossier.of_kind("deadline")),
        actions=tuple(dossier.of_kind("action")),
    )


def _status(binding: Binding) -> PartyStatus:
    record = binding.record
    label = (record.instrument_short if record else "") or binding.instrument
    return PartyStatus(
        binding.instrument,
        clean(label),
        binding.status,
        clean(binding.reason),
        record.url if record else None,
        record.basis if record else None,
    )


def _warnings(dossier: Dossier, bindings: list[Binding]) -> tuple[str, ...]:
    found = [
        f"Check the party status before sending: {clean(b.reason)}."
        for b in bindings
        if b.status in ("not_recorded", "possibly_bound")
    ]
    found += [
        f"The case records a removal ({f.id}, {f.date}): interim measures can no longer "
        "prevent it; check whether a request still serves a purpose."
        for f in dossier.facts
        if f.type == "removal" and f.date.earliest <= dossier.at
    ]
    return tuple(found)


def _pending(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """Challenges lodged with no later decision on the same kind of decision in the file."""
    pending = []
    for fact in facts:
        if fact.type != "appeal_lodged":
            continue
        against = dict(fact.details).get("against")
        decided = any(
            f.type == "appeal_decision"
            and dict(f.details).get("against") == against
            and f.date.earliest >= fact.date.earliest
            for f in facts
        )
        if not decided:
            pending.append(fact)
    return tuple(pending)
