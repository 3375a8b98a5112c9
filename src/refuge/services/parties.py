"""The party table as people read it: the use case behind ``refuge packs parties``.

Front doors (CLI today, API or web later) get plain rows: one per state and instrument, with
the dates, reservations, source and verification status, and, for a given date, whether the
state was bound then. A state asked about but not recorded gets a row saying so, never a gap
that could be read as "party".
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from refuge.domain.dates import DateRange
from refuge.errors import InputError
from refuge.rules.parties import Participation, PartyTable, load_party_table, state_name

_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class PartyRow:
    state: str
    state_name: str
    instrument: str
    status: str  # party | signatory | not_party | not_recorded
    action: str | None
    deposited: str | None
    in_force: str | None
    until: str | None
    reservations: tuple[str, ...]
    basis: str | None
    source: str | None
    url: str | None
    note: str | None
    binding: str | None = None  # on the date asked about, if any
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["reservations"] = list(self.reservations)
        return data


def party_rows(
    instrument: str | None = None, state: str | None = None, at: DateRange | None = None
) -> list[PartyRow]:
    """Rows of the party table, optionally for one instrument, one state, and one date."""
    table = load_party_table()
    instruments = _instruments(table, instrument)
    code = _state(state)
    rows = []
    for iid in instruments:
        states = (code,) if code else table.states(iid)
        for cc in states:
            record = table.record(iid, cc)
            row = _row(iid, cc, record)
            if at is not None:
                answer = table.binding(iid, cc, at)
                row = PartyRow(**{**asdict(row), "binding": answer.status, "reason": answer.reason})
            rows.append(row)
    return rows


def _instruments(table: PartyTable, instrument: str | None) -> tuple[str, ...]:
    known = table.instruments()
    if instrument is None:
        return known
    if instrument not in known:
        raise InputError(f"unknown instrument {instrument!r}; known: {', '.join(known)}")
    return (instrument,)


def _state(state: str | None) -> str | None:
    if state is None:
        return None
    code = state.strip().upper()
    if not _CODE.match(code):
        raise InputError(f"{state!r} is not an ISO 3166-1 alpha-2 country code (e.g. KZ, TR)")
    return code


def _row(instrument: str, code: str, record: Participation | None) -> PartyRow:
    if record is None:
        return PartyRow(
            code, state_name(code), instrument, "not_recorded", None, None, None, None, (),
            None, None, None, f"party status of {state_name(code)} not recorded",
        )  # fmt: skip
    return PartyRow(
        state=code,
        state_name=state_name(code),
        instrument=instrument,
        status=record.status,
        action=record.action,
        deposited=_text(record.deposited),
        in_force=_text(record.in_force),
        until=_text(record.until),
        reservations=tuple(_reservation(r.effect, r.until) for r in record.reservations),
        basis=record.basis,
        source=record.source_short or record.source_title,
        url=record.url,
        note=record.note,
    )


def _text(day: DateRange | None) -> str | None:
    return None if day is None else str(day)


def _reservation(effect: str, until: DateRange | None) -> str:
    words = effect.replace("_", " ")
    return words if until is None else f"{words} (until {until})"
