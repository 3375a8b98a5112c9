"""A tiny party table for tests, with the semantics of tasks/parties-api.md ``binding``.

The engine reads party status only through ``binding(instrument, state, on)``; this table lets
tests (and the hypothesis properties) draw hosts and dates of entry into force freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from refuge.domain import DateRange


@dataclass(frozen=True)
class Reservation:
    effect: str
    until: DateRange | None = None


@dataclass(frozen=True)
class Record:
    status: str  # party | signatory | not_party
    in_force: DateRange | None
    until: DateRange | None = None
    reservations: tuple[Reservation, ...] = ()


@dataclass(frozen=True)
class Answer:
    status: str
    reason: str
    record: Record | None


@dataclass
class Table:
    records: dict[tuple[str, str], Record] = field(default_factory=dict)

    def binding(self, instrument: str, state: str, on: DateRange) -> Answer:
        rec = self.records.get((instrument, state))
        if rec is None:
            return Answer("not_recorded", f"party status of {state} not recorded", None)
        start, until = rec.in_force, rec.until
        if rec.status != "party" or start is None or on.latest < start.earliest:
            return Answer("not_bound", f"{state} was not bound by {instrument}", rec)
        if until is not None and until.latest <= on.earliest:
            return Answer("not_bound", f"{state} was no longer bound by {instrument}", rec)
        if start.latest <= on.earliest and (until is None or on.latest < until.earliest):
            return Answer("bound", f"{state} was bound by {instrument}", rec)
        return Answer("possibly_bound", f"{state} may not yet have been bound by {instrument}", rec)
