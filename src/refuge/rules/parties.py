"""Which states are bound by which treaty, and from when: the party tables of the packs.

A treaty binds a state only from the day it entered into force for that state, and no longer
after the state left it (Russia and the ECHR, 16 Sep 2022). Each international pack folder may
hold a ``parties.yaml`` (format in docs/lawpacks.md, "Party status"); this module reads them all,
checks them (unknown keys and impossible dates name the file, line and key), and answers "was
this state bound on this day?" with three values plus "not recorded": an entry into force known
only to a month or a year makes a date inside that span ``possibly_bound``, never ``bound``. A
state with no record is ``not_recorded``, which callers must never treat as a party.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    model_validator,
)

from refuge.casefile.yamlmarks import YamlProblem, load_with_lines
from refuge.domain.dates import DateRange
from refuge.errors import LawPackError
from refuge.rules.packs import default_pack_dir

BindingStatus = Literal["bound", "not_bound", "possibly_bound", "not_recorded"]
Status = Literal["party", "signatory", "not_party"]
Action = Literal["ratification", "accession", "succession", "declaration", "acceptance"]
Basis = Literal["verified", "secondary", "unverified"]
#: What a reservation does, as far as removal is concerned.
Effect = Literal["geographic_limitation", "ratione_temporis", "other"]
PARTIES_FILE = "parties.yaml"

#: English short names for the states refuge's tables cover (codes outside fall back to the code).
STATE_NAMES: dict[str, str] = {
    "AF": "Afghanistan", "AM": "Armenia", "AT": "Austria", "AZ": "Azerbaijan", "BE": "Belgium",
    "BG": "Bulgaria", "BY": "Belarus", "CN": "China", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GE": "Georgia", "GR": "Greece", "HR": "Croatia", "HU": "Hungary",
    "IE": "Ireland", "IR": "Iran", "IT": "Italy", "KG": "Kyrgyzstan", "KZ": "Kazakhstan",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MD": "Moldova", "MT": "Malta",
    "NL": "the Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "RU": "Russia",
    "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "TJ": "Tajikistan", "TM": "Turkmenistan",
    "TR": "Türkiye", "UA": "Ukraine", "UZ": "Uzbekistan",
}  # fmt: skip


def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


# -- the file format ---------------------------------------------------------------------------


def _date_value(value: Any) -> DateRange:
    """A case-format date: ISO day, ``YYYY-MM``, ``YYYY`` or ``{earliest, latest, text}``."""
    try:
        return DateRange.from_data(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None


DateValue = Annotated[DateRange, PlainValidator(_date_value)]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class SourceSpec(_Strict):
    title: str = Field(pattern=r"\S")
    short: str | None = None  # how explanations cite it, e.g. "UNTC IV.9"
    url: str = Field(pattern=r"^https?://\S+$")
    consulted: date | None = None  # None: cited as the place to verify, not yet read


class Lag(_Strict):
    """How long after deposit a ratification or accession takes effect (the treaty's rule)."""

    days: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0)

    def after(self, day: date) -> date:
        """``day`` plus the lag; a month lag keeps the day of the month, clamped to its end."""
        year, month = divmod(day.month - 1 + self.months, 12)
        year += day.year
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(day.day, last)) + timedelta(days=self.days)


class ReservationSpec(_Strict):
    effect: Effect
    text: str = Field(pattern=r"\S")
    until: DateValue | None = None


class StateSpec(_Strict):
    status: Status
    action: Action | None = None
    signed: DateValue | None = None
    deposited: DateValue | None = None
    in_force: DateValue | None = None
    until: DateValue | None = None
    reservations: list[ReservationSpec] = Field(default_factory=list)
    source: str
    basis: Basis
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> StateSpec:
        if self.status == "party":
            if self.in_force is None:
                raise ValueError("a party needs in_force, the first day it is bound")
            if self.action is None:
                raise ValueError("a party needs action (ratification, accession, ...)")
        elif self.in_force is not None or self.until is not None or self.reservations:
            raise ValueError(f"a {self.status} has no in_force, until or reservations")
        early = self.deposited and self.in_force and self.in_force.latest < self.deposited.earliest
        if early and self.action != "succession":  # a successor is bound from independence
            raise ValueError("in_force is before deposited")
        if self.until and self.in_force and self.until.latest <= self.in_force.earliest:
            raise ValueError("until must be after in_force")
        return self


class InstrumentSpec(_Strict):
    title: str = Field(pattern=r"\S")
    short: str | None = None  # how explanations name it, e.g. "CAT"
    in_force_rule: str = Field(pattern=r"\S")
    entry_into_force: date | None = None  # the treaty's own; no state is bound before it
    in_force_after: Lag | None = None  # checked against deposit for ratification/accession
    states: dict[StateCode, StateSpec]


class PartiesFile(_Strict):
    sources: dict[str, SourceSpec]
    instruments: dict[str, InstrumentSpec]


# -- the answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reservation:
    effect: str
    text: str
    until: DateRange | None


@dataclass(frozen=True)
class Participation:
    """One state's record for one instrument, with the source it was read in."""

    instrument: str
    state: str
    status: str
    action: str | None
    deposited: DateRange | None
    in_force: DateRange | None
    until: DateRange | None
    reservations: tuple[Reservation, ...]
    source_id: str
    source_title: str
    url: str
    basis: str
    note: str | None
    signed: DateRange | None = None
    consulted: date | None = None
    instrument_title: str = ""
    instrument_short: str = ""
    source_short: str = ""

    def reservations_on(self, on: DateRange, effect: str | None = None) -> tuple[Reservation, ...]:
        """The reservations that may still apply on ``on`` (kept unless surely withdrawn)."""
        return tuple(
            r
            for r in self.reservations
            if (effect is None or r.effect == effect)
            and (r.until is None or on.earliest < r.until.latest)
        )


@dataclass(frozen=True)
class Binding:
    """Whether ``state`` was bound by ``instrument`` on ``on``, and why, in plain words."""

    instrument: str
    state: str
    on: DateRange
    status: BindingStatus
    record: Participation | None
    reason: str


class PartyTable:
    """All party records of the packs, by instrument and state."""

    def __init__(
        self,
        records: Mapping[str, Mapping[str, Participation]],
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self._records = {i: dict(states) for i, states in records.items()}
        self._labels = dict(labels or {})

    def label(self, instrument: str) -> str:
        """The instrument's short name for explanations ("CAT"), else its id."""
        return self._labels.get(instrument, instrument)

    def record(self, instrument: str, state: str) -> Participation | None:
        return self._records.get(instrument, {}).get(state)

    def instruments(self) -> tuple[str, ...]:
        return tuple(sorted(self._records))

    def states(self, instrument: str) -> tuple[str, ...]:
        return tuple(sorted(self._records.get(instrument, {})))

    def records(self) -> Iterator[Participation]:
        for instrument in self.instruments():
            for state in self.states(instrument):
                yield self._records[instrument][state]

    def binding(self, instrument: str, state: str, on: date | DateRange) -> Binding:
        when = on if isinstance(on, DateRange) else DateRange.day(on)
        record = self.record(instrument, state)
        if record is None:
            reason = f"party status of {state_name(state)} to {self.label(instrument)} not recorded"
            return Binding(instrument, state, when, "not_recorded", None, reason)
        status = binding_status(record, when)
        return Binding(instrument, state, when, status, record, _reason(record, when, status))


def binding_status(record: Participation, on: DateRange) -> BindingStatus:
    """The contract's semantics: bound only when every day of ``on`` is surely covered."""
    start, end = record.in_force, record.until
    if record.status != "party" or start is None:
        return "not_bound"
    if on.latest < start.earliest or (end is not None and end.latest <= on.earliest):
        return "not_bound"
    if start.latest <= on.earliest and (end is None or on.latest < end.earliest):
        return "bound"
    return "possibly_bound"


def _when(day: DateRange) -> str:
    if day.exact:
        return str(day)
    return f"a day between {day.earliest} and {day.latest}"


def _reason(record: Participation, on: DateRange, status: BindingStatus) -> str:
    who, what = state_name(record.state), record.instrument_short or record.instrument
    cite = f"({record.source_short or record.source_title}, {record.basis})"
    if record.status == "not_party":
        return f"{who} is not a party to {what} {cite}"
    if record.status == "signatory":
        return f"{who} has signed {what} but is not bound by it {cite}"
    start = _when(record.in_force) if record.in_force else "?"
    end = _when(record.until) if record.until else None
    if end is not None and record.until is not None and record.until.latest <= on.earliest:
        return f"{who} ceased to be bound by {what} on {end} {cite}"
    if status == "bound":
        if end is not None:
            return f"{who} was bound by {what} from {start} until {end} {cite}"
        return f"{who} has been bound by {what} since {start} {cite}"
    if status == "not_bound":
        return f"{who} was not yet bound by {what} on {_when(on)}: bound from {start} {cite}"
    if end is not None and record.until is not None and on.latest >= record.until.earliest:
        return f"{who} may no longer have been bound by {what} on {_when(on)}: until {end} {cite}"
    return f"{who} may not yet have been bound by {what} on {_when(on)}: from {start} {cite}"


# -- loading -----------------------------------------------------------------------------------


@cache
def load_party_table(pack_dir: Path | None = None) -> PartyTable:
    """Read every ``*/parties.yaml`` under ``pack_dir`` (default: the bundled packs)."""
    root = pack_dir or default_pack_dir()
    records: dict[str, dict[str, Participation]] = {}
    labels: dict[str, str] = {}
    owner: dict[str, Path] = {}
    for path in sorted(root.glob(f"*/{PARTIES_FILE}")):
        spec, states_by_instrument = _read(path)
        for instrument, states in states_by_instrument.items():
            if instrument in records:
                raise LawPackError(f"{path}: instrument {instrument!r} also in {owner[instrument]}")
            owner[instrument] = path
            records[instrument] = states
            labels[instrument] = spec.instruments[instrument].short or instrument
    return PartyTable(records, labels)


def _read(path: Path) -> tuple[PartiesFile, dict[str, dict[str, Participation]]]:
    try:
        data, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except YamlProblem as exc:
        raise LawPackError(f"{path}:{exc.line}: {exc}") from None
    try:
        spec = PartiesFile.model_validate(data)
    except ValidationError as exc:
        raise LawPackError(_describe(path, exc, lines)) from None
    for iid, instrument in spec.instruments.items():
        for code, state in instrument.states.items():
            loc: tuple[str | int, ...] = ("instruments", iid, "states", code)
            problem = _check_state(spec, instrument, state)
            if problem:
                key = ".".join(map(str, loc))
                raise LawPackError(f"{path}:{_line(lines, loc)}: {key}: {problem}")
    return spec, {
        iid: {code: _participation(spec, iid, code, st) for code, st in inst.states.items()}
        for iid, inst in spec.instruments.items()
    }


def _check_state(spec: PartiesFile, instrument: InstrumentSpec, state: StateSpec) -> str | None:
    if state.source not in spec.sources:
        return f"source {state.source!r} unknown; known: {', '.join(sorted(spec.sources))}"
    lag = instrument.in_force_after
    dep, start = state.deposited, state.in_force
    if state.action not in ("ratification", "accession"):
        return None  # succession binds from independence; a declaration from its deposit
    if lag is None or dep is None or start is None:
        return None
    opening = instrument.entry_into_force or date.min
    first, last = max(opening, lag.after(dep.earliest)), max(opening, lag.after(dep.latest))
    if start.latest < first or start.earliest > last:
        return (
            f"in_force {start} does not follow from deposited {dep} under "
            f"{instrument.in_force_rule!r} (expected {first}..{last})"
        )
    return None


def _participation(spec: PartiesFile, iid: str, code: str, st: StateSpec) -> Participation:
    source = spec.sources[st.source]
    return Participation(
        instrument=iid,
        state=code,
        status=st.status,
        action=st.action,
        deposited=st.deposited,
        in_force=st.in_force,
        until=st.until,
        reservations=tuple(Reservation(r.effect, r.text, r.until) for r in st.reservations),
        source_id=st.source,
        source_title=source.title,
        url=source.url,
        basis=st.basis,
        note=st.note,
        signed=st.signed,
        consulted=source.consulted,
        instrument_title=spec.instruments[iid].title,
        instrument_short=spec.instruments[iid].short or iid,
        source_short=source.short or source.title,
    )


def _line(lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int | str:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, "?")


def _describe(path: Path, exc: ValidationError, lines: dict[tuple[str | int, ...], int]) -> str:
    """One line per problem: ``file:line: dotted.key: message``."""
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if isinstance(p, int | str) and p != "[key]")
        key = ".".join(str(p) for p in loc) or "(top)"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif "[key]" in err["loc"]:
            message = "not an ISO 3166-1 alpha-2 code (two capital letters, e.g. KZ)"
        out.append(f"{path}:{_line(lines, loc)}: {key}: {message}")
    return "\n".join(out)
