"""Where the law applies: a national order to its own state, a treaty to the states it binds.

Every rule is *gated* before its condition is read. A national pack declares its state
(``jurisdiction: KZ``) and its rules apply only to cases hosted by that state. A rule of an
international pack applies to a host only while the host is bound by one of the instruments
the rule needs (``party_to``, from the rule or its pack), as the party table says on the date
judged: ``bound`` opens the gate, ``not_bound`` closes it, ``possibly_bound`` (a fuzzy entry
into force, a date straddling it) leaves it unknown so a finding is at most possible, and
``not_recorded`` closes it with a notice: refuge never treats an unknown state as a party.

A reservation that limits the 1951 Convention to refugees from events in Europe (Türkiye's
geographical limitation) closes the gate for a person from outside Europe, with a notice.

The gate depends only on the host, the origin, the instruments and the date judged, so it is
computed once per such key and shared by the per-case engine and the batch path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from refuge.domain import DateRange
from refuge.rules.tri import Tri

_NATIONAL = re.compile(r"^[A-Z]{2}$")
#: Host codes that say the host is not known (ISO 3166 user-assigned "unknown" codes).
UNKNOWN_HOSTS = frozenset({"", "XX", "ZZ"})

#: How notices and explanations name the instruments.
LABELS = {
    "refugee-convention": "the 1951 Refugee Convention",
    "refugee-protocol-1967": "the 1967 Protocol",
    "cat": "CAT",
    "cat-22": "the CAT art. 22 declaration",
    "iccpr": "the ICCPR",
    "iccpr-op1": "the ICCPR First Optional Protocol",
    "echr": "the ECHR",
}

#: States whose nationals flee "events occurring in Europe" beyond doubt, for the geographical
#: limitation of art. 1B(1)(a); states astride Europe and Asia (RU, TR, KZ, the Caucasus) are
#: left unknown for a lawyer to assess.
_EUROPE = frozenset(
    [
        "AD",
        "AL",
        "AT",
        "BA",
        "BE",
        "BG",
        "BY",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MD",
        "ME",
        "MK",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "RS",
        "SE",
        "SI",
        "SK",
        "SM",
        "UA",
        "VA",
        "XK",
    ]
)
_ASTRIDE = frozenset({"RU", "TR", "KZ", "GE", "AM", "AZ"})


class ReservationLike(Protocol):
    @property
    def effect(self) -> str: ...
    @property
    def until(self) -> DateRange | None: ...


class ParticipationLike(Protocol):
    @property
    def reservations(self) -> Sequence[ReservationLike]: ...
    @property
    def status(self) -> str: ...
    @property
    def in_force(self) -> DateRange | None: ...
    @property
    def until(self) -> DateRange | None: ...


class BindingLike(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def record(self) -> ParticipationLike | None: ...


class PartyLookup(Protocol):
    """The part of ``refuge.rules.parties.PartyTable`` the engine uses (tasks/parties-api.md)."""

    def binding(self, instrument: str, state: str, on: DateRange) -> BindingLike: ...


@dataclass(frozen=True, slots=True)
class Gate:
    """Does a rule apply to this case on this date? With why not, or why unsure."""

    value: Tri
    reason: str | None = None  # an unknown gate: the doubt, said in the explanation
    notice: str | None = None  # said once for the whole case (party status not recorded...)


OPEN = Gate(True)
SHUT = Gate(False)


def label(instrument: str) -> str:
    return LABELS.get(instrument, instrument)


def is_national(jurisdiction: str) -> bool:
    return bool(_NATIONAL.match(jurisdiction)) and jurisdiction not in UNKNOWN_HOSTS


def host_known(host: str | None) -> bool:
    return host is not None and host.upper() not in UNKNOWN_HOSTS


class Gates:
    """The gates of one library's rules, with the party table they are judged against."""

    def __init__(
        self,
        national: dict[str, str],
        party_to: dict[str, tuple[str, ...]],
        parties: PartyLookup | None,
    ) -> None:
        self.national = national  # order -> the state whose law it is
        self.party_to = party_to  # order or rule id -> instruments (any of them binds)
        self.parties = parties
        self._memo: dict[tuple[object, ...], Gate] = {}
        self._kinds: dict[str, str | tuple[str, ...]] = {}
        self._never: dict[tuple[object, str], bool] = {}
        self._open: dict[tuple[object, ...], tuple[tuple[int, int], ...] | None] = {}

    def order_applies(self, order: str, host: str | None) -> bool:
        state = self.national.get(order)
        return state is None or (host_known(host) and host == state)

    def national_orders(self, host: str | None) -> list[str]:
        return [o for o in self.national if self.order_applies(o, host)]

    def instruments(self, rule_id: str, order: str) -> tuple[str, ...]:
        return self.party_to.get(rule_id) or self.party_to.get(order) or ()

    def rule(
        self, rule_id: str, order: str, host: str, origin: str | None, first: int, last: int
    ) -> Gate:
        """The gate of a rule for a case judged on some day between ordinals first..last."""
        kind = self.kind(rule_id, order)
        if kind == ():
            return OPEN
        if isinstance(kind, str):  # a national order: its own state only
            return OPEN if host == kind and host_known(host) else SHUT
        key = (kind, host, origin, first, last)
        gate = self._memo.get(key)
        if gate is None:
            if len(self._memo) > 200_000:
                self._memo.clear()
            on = DateRange(date.fromordinal(first), date.fromordinal(last))
            gate = self._memo[key] = self._treaty(kind, host, origin, on)
        return gate

    def never(self, kind: str | tuple[str, ...], host: str) -> bool:
        """Is a gate of this kind shut for ``host`` at every date (another state's national
        law; treaties the host never joined)? Such rules are skipped without a trace."""
        key = (kind, host)
        shut = self._never.get(key)
        if shut is None:
            if kind == ():
                shut = False
            elif isinstance(kind, str):
                shut = not (host == kind and host_known(host))
            elif self.parties is None or not host_known(host):
                shut = False
            else:
                always = DateRange(date(1, 1, 1), date(9999, 12, 31))
                shut = all(
                    self.parties.binding(i, host, always).status == "not_bound" for i in kind
                )
            self._never[key] = shut
        return shut

    def open_spans(
        self, kind: tuple[str, ...], host: str, origin: str | None
    ) -> tuple[tuple[int, int], ...] | None:
        """Spans of day ordinals on which a treaty gate is surely open, without a notice: for
        any days ``first..last`` inside one of them, ``rule`` gives ``OPEN``. Computed once per
        (instruments, host, origin), so most cases settle their gates with two comparisons.
        ``None`` when a reservation (a geographical limitation) may apply: ask ``rule``."""
        key = (kind, host, origin)
        if key in self._open:
            return self._open[key]
        spans: tuple[tuple[int, int], ...] | None = ()
        if self.parties is not None and host_known(host):
            spans = self._open_spans(kind, host, origin)
        self._open[key] = spans
        return spans

    def _open_spans(
        self, kind: tuple[str, ...], host: str, origin: str | None
    ) -> tuple[tuple[int, int], ...] | None:
        assert self.parties is not None
        always = DateRange(date(1, 1, 1), date(9999, 12, 31))
        out = []
        for instrument in kind:
            record = self.parties.binding(instrument, host, always).record
            if record is None:
                continue
            limited = any(r.effect == "geographic_limitation" for r in record.reservations)
            if limited and origin not in _EUROPE:
                return None
            start, end = record.in_force, record.until
            if record.status != "party" or start is None:
                continue
            # Bound from the last possible day of entry into force to the day before it left.
            last = always.latest if end is None else end.earliest - timedelta(days=1)
            if last < start.latest:
                continue
            span = DateRange(start.latest, last)
            # The party table's own answer on the whole span, so no semantics is duplicated:
            # bound on every day of it is bound on every day of any part of it.
            if self.parties.binding(instrument, host, span).status == "bound":
                out.append((span.earliest.toordinal(), span.latest.toordinal()))
        return tuple(out)

    def kind(self, rule_id: str, order: str) -> str | tuple[str, ...]:
        """Rules of the same kind share their gates (the batch path computes each once)."""
        kind = self._kinds.get(rule_id)
        if kind is None:
            kind = self._kinds[rule_id] = self._kind(rule_id, order)
        return kind

    def _kind(self, rule_id: str, order: str) -> str | tuple[str, ...]:
        """How a rule is gated: its national state, the instruments binding it, or () (open)."""
        if order in self.national:
            return self.national[order]
        if self.parties is None:
            return ()
        return self.instruments(rule_id, order)

    def _treaty(
        self, instruments: tuple[str, ...], host: str, origin: str | None, on: DateRange
    ) -> Gate:
        names = " or ".join(label(i) for i in instruments)
        if not host_known(host):
            return Gate(
                None,
                f"the host state is unknown, so whether it was bound by {names} is unknown",
                f"the host state is unknown: party status unknown for {names}",
            )
        assert self.parties is not None
        answers = [self.parties.binding(i, host, on) for i in instruments]
        statuses = [a.status for a in answers]
        if "bound" in statuses:
            gate = OPEN
        elif "possibly_bound" in statuses:
            gate = Gate(None, answers[statuses.index("possibly_bound")].reason)
        elif all(s == "not_recorded" for s in statuses):
            return Gate(False, None, f"party status of {host} for {names} not recorded")
        else:
            return SHUT
        return _limited(gate, answers, host, origin, on)


def _limited(
    gate: Gate, answers: list[BindingLike], host: str, origin: str | None, on: DateRange
) -> Gate:
    """Apply a geographical limitation (1951 Convention art. 1B(1)(a)) the host maintains."""
    limited = any(
        r.effect == "geographic_limitation" and (r.until is None or on.latest < r.until.earliest)
        for a in answers
        if a.status in ("bound", "possibly_bound") and a.record is not None
        for r in a.record.reservations
    )
    if not limited:
        return gate
    if origin in _EUROPE:
        return gate
    why = (
        f"{host} maintains the geographical limitation of the 1951 Convention (only refugees "
        "from events in Europe)"
    )
    if origin is None or origin in _ASTRIDE:
        whom = "a person of unknown origin" if origin is None else f"a person from {origin}"
        return Gate(None, f"{why}; whether it covers {whom} is for a lawyer to assess")
    return Gate(
        False, None, f"{why}: findings under it are not asserted for a person from {origin}"
    )
