"""Columnar form of many cases: every fluent episode, episode end and deadline instance as rows.

Everything here is independent of the evaluation date, so a store can build the columns once
and evaluate them at many dates. Building iterates the events of all cases once, evaluates
each ``where`` filter once per distinct (attributes, host, origin), and does the rest (pairing
starts with the ends that may close them, the three-valued "before" of each pair, deadline
last days) with NumPy. No ``BoundCase`` is made.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from refuge.domain import Case, DateRange, Event
from refuge.rules import binding
from refuge.rules.batch_expr import FALSE, TRUE, UNKNOWN, Bools
from refuge.rules.batch_plan import END, MET, PENDING_END, START, TRIGGER, Plan
from refuge.rules.packs import CompiledDeadline

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]

_TRI = {True: TRUE, False: FALSE, None: UNKNOWN}
_BEGINNING, _EXPIRY = -1, -2  # identities of derived points (events are numbered from 0)
# Certainties that make a matching event only possibly matching (as ``BoundCase.matching``).
_CONTESTED: tuple[str, ...] = getattr(binding, "_CONTESTED", ())


@dataclass(slots=True)
class Points:
    """Points with fuzzy dates: inclusive ordinal range, optional sequence, identity."""

    early: I64
    late: I64
    has_seq: Bools
    seq: I64
    ident: I64

    def take(self, index: I64) -> Points:
        return Points(
            self.early[index],
            self.late[index],
            self.has_seq[index],
            self.seq[index],
            self.ident[index],
        )


def before(a: Points, b: Points) -> I8:
    """``timeline.before`` over arrays: is ``a`` strictly before ``b`` (int8 tri)?"""
    ordered = a.has_seq & b.has_seq & (a.seq != b.seq)
    out = np.where(ordered, np.where(a.seq < b.seq, TRUE, FALSE), UNKNOWN)
    out = np.where(b.late < a.early, FALSE, out)
    out = np.where(a.late < b.early, TRUE, out)
    return np.where(a.ident == b.ident, FALSE, out).astype(np.int8)


def join(left: I64, right: I64) -> tuple[I64, I64]:
    """All index pairs ``(i, j)`` with ``left[i] == right[j]``, grouped by ``i``."""
    order = np.argsort(right, kind="stable")
    keys = right[order]
    lo = np.searchsorted(keys, left, "left")
    count = np.searchsorted(keys, left, "right") - lo
    li = np.repeat(np.arange(len(left)), count)
    offsets = np.arange(len(li)) - np.repeat(np.cumsum(count) - count, count)
    return li, order[np.repeat(lo, count) + offsets]


@dataclass(slots=True)
class Ends:
    """Points that may end (or meet) an owner row: owner index, range, match, after the start."""

    of: I64
    early: I64
    late: I64
    match: I8
    after: I8

    @classmethod
    def live(cls, of: I64, points: Points, match: I8, after: I8) -> Ends:
        """Keep what ``fluents.episode`` keeps: ends that may come after the start."""
        keep = after != FALSE
        return cls(of[keep], points.early[keep], points.late[keep], match[keep], after[keep])


@dataclass(slots=True)
class Episodes:
    """Fluent episodes started by events: flat key (fluent * n + case), start, match, ends."""

    key: I64
    start: Points
    match: I8
    ends: Ends


@dataclass(slots=True)
class Instances:
    """Deadline instances, ordered as the per-case engine lists them, and what meets them."""

    case: I64
    deadline: I64
    trigger: Points
    match: I8
    first: I64  # last day to act, earliest and latest (ordinals); expiry is the day after
    last: I64
    expiry_after: I8  # is the expiry after the trigger?
    sure: Bools  # may the finding be certain (basis; not rolled by an unverified convention)?
    extendable: Bools  # "expired" is never settled: the authority may have extended it
    opens: I8  # does the window open (an act done before the trigger may keep it shut)?
    late: I8  # was the act not done before the window closed?
    met: Ends  # every event that may meet the instance; ``after``: after the trigger
    met_counts: I8  # per met row: does it count as done for this running?
    met_in_time: I8  # per met row, as ``engine.deadline_finding`` judges "in time"
    pending_ends: Ends  # events that end the deadline's "pending" fluent


@dataclass(slots=True)
class CaseColumns:
    """What conditions read from the case itself rather than from its events."""

    facts: dict[str, tuple[I8, Bools]]
    citizen_of_host: Bools
    tagged: dict[tuple[str, ...], Bools]
    origin_in: dict[tuple[str, ...], I8]
    # The distinct (host, origin) of the population and each case's index among them: the
    # gates (jurisdiction, party status) are computed once per group.
    complete: Bools = field(default_factory=lambda: np.zeros(0, np.bool_))
    requested: Bools = field(default_factory=lambda: np.zeros(0, np.bool_))
    groups: tuple[tuple[str, str | None], ...] = ()
    group: I64 = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass(slots=True)
class Columns:
    """The date-independent arrays of a population of cases (see ``build_columns``)."""

    plan: Plan
    case_ids: tuple[str, ...]
    n: int
    episodes: Episodes
    instances: Instances
    case: CaseColumns
    # Cases the packs cannot evaluate (a deadline counted outside the holiday calendar): case
    # index -> the error the per-case engine raises. Their rows are not answers.
    errors: dict[int, str]


def build_columns(cases: Sequence[Case], plan: Plan) -> Columns:
    """The columns of ``cases`` (event ids unique within a case, as the case-file reader checks;
    the per-case engine would keep only the last of two events with the same id)."""
    n = len(cases)
    scan = _Scan(plan)
    scan.cases(cases)
    data = np.frombuffer(scan.out, np.int64).reshape(-1, 9) if scan.out else np.zeros((0, 9), int)
    case_of = np.ascontiguousarray(data[:, 0])
    points = Points(
        np.ascontiguousarray(data[:, 1]),
        np.ascontiguousarray(data[:, 2]),
        data[:, 3] != 0,
        np.ascontiguousarray(data[:, 4]),
        np.arange(len(data), dtype=np.int64),
    )
    records = scan.records(data[:, 5], data[:, 6])
    episodes = _episodes(records[START], records[END], case_of, points, plan, n)
    case = _case_columns(cases, plan)
    served = (np.ascontiguousarray(data[:, 7]), np.ascontiguousarray(data[:, 8]))
    errors, instances = _instances(records, case_of, points, plan, n, _national(plan, case), served)
    return Columns(
        plan,
        tuple(c.id for c in cases),
        n,
        episodes,
        instances,
        case,
        errors,
    )


Record = tuple[I64, I64, I8]  # event row, target (fluent or deadline), match


class _Scan:
    """One pass over the events: numbers, and a *signature* per distinct way of matching.

    Events of the same type, certainty and attributes in cases with the same host and origin
    match every pattern alike, so filters run once per signature, not once per event.
    """

    def __init__(self, plan: Plan) -> None:
        self.roles = [role for roles in plan.roles.values() for role in roles]
        # event type -> (type code, global role indices, whether any role filters)
        self.types: dict[str, tuple[int, list[int], bool]] = {}
        first = 0
        for t, (name, roles) in enumerate(plan.roles.items()):
            filtered = any(r.filter is not None for r in roles)
            self.types[name] = (t, list(range(first, first + len(roles))), filtered)
            first += len(roles)
        self.memo: dict[Any, int] = {}
        # Event types whose served date counts: triggers of deadlines that run from service.
        self.served_types = frozenset(
            d.trigger.event for d in plan.library.deadlines if d.spec.from_service
        )
        self.table: list[list[int]] = []
        self.out = array("q")

    def cases(self, cases: Sequence[Case]) -> None:
        """The hot loop of the batch path: everything bound to locals, one append per event."""
        extend, memo, types = self.out.extend, self.memo, self.types
        served_types = self.served_types
        for ci, case in enumerate(cases):
            host, origin = case.host, case.origin
            for event in case.events:
                kind = event.type
                typ = types.get(kind)
                if typ is None:
                    continue
                code, roles, filtered = typ
                try:
                    key: Any = (
                        (kind, event.certainty, host, origin, tuple(event.attrs.items()))
                        if filtered
                        else (kind, event.certainty)
                    )
                    sig = memo.get(key)
                except TypeError:  # an unhashable attribute value: this event has its own
                    key, sig = None, None
                if sig is None:
                    sig = self.signature(event, case, roles)
                    if key is not None:
                        memo[key] = sig
                day, seq = event.date, event.sequence
                first = day.earliest
                last = day.latest
                ordinal = first.toordinal()
                s_first = s_last = 0
                if kind in served_types:  # triggers of deadlines counted from service only
                    served = event.attrs.get("served")
                    if isinstance(served, DateRange):
                        s_first, s_last = served.earliest.toordinal(), served.latest.toordinal()
                extend(
                    (
                        ci,
                        ordinal,
                        ordinal if last is first else last.toordinal(),
                        seq is not None,
                        seq or 0,
                        code,
                        sig,
                        s_first,
                        s_last,
                    )
                )

    def signature(self, event: Event, case: Case, roles: list[int]) -> int:
        """``BoundCase.matching`` for every role the event's type plays."""
        row = [FALSE] * len(self.roles)
        doubt = event.certainty in _CONTESTED
        for r in roles:
            f = self.roles[r].filter
            match = TRUE if f is None else _TRI[f(event, case)]
            row[r] = UNKNOWN if doubt and match == TRUE else match
        self.table.append(row)
        return len(self.table) - 1

    def records(self, type_of: I64, sig: I64) -> dict[int, Record]:
        """For each role kind: which event rows play it, for which target, with what match."""
        table = np.array(self.table, np.int8).reshape(len(self.table), len(self.roles))
        parts: dict[int, list[Record]] = {k: [] for k in (START, END, TRIGGER, MET, PENDING_END)}
        for t, roles, _ in self.types.values():
            idx = np.flatnonzero(type_of == t)
            for r in roles:
                match = table[sig[idx], r]
                keep = match != FALSE
                role = self.roles[r]
                target = np.full(int(keep.sum()), role.target, np.int64)
                parts[role.kind].append((idx[keep], target, match[keep]))
        return {kind: _concat(chunks) for kind, chunks in parts.items()}


def _concat(chunks: list[Record]) -> Record:
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    return (
        np.concatenate([c[0] for c in chunks]),
        np.concatenate([c[1] for c in chunks]),
        np.concatenate([c[2] for c in chunks]),
    )


def _episodes(
    starts: Record, ends: Record, case_of: I64, points: Points, plan: Plan, n: int
) -> Episodes:
    """Episodes of event-driven fluents and their live ends (``BoundCase._bind``)."""
    s_row, s_fluent, s_match = starts
    timeless = np.array(plan.timeless, dtype=np.bool_)[s_fluent]
    start = points.take(s_row)
    start.early = np.where(timeless, 1, start.early)
    start.late = np.where(timeless, 1, start.late)
    start.has_seq = start.has_seq & ~timeless
    start.ident = np.where(timeless, _BEGINNING, start.ident)
    key = s_fluent * n + case_of[s_row]
    e_row, e_fluent, e_match = ends
    ep, end = join(key, e_fluent * n + case_of[e_row])
    end_points = points.take(e_row[end])
    after = before(start.take(ep), end_points)
    return Episodes(key, start, s_match, Ends.live(ep, end_points, e_match[end], after))


def _national(plan: Plan, case: CaseColumns) -> Bools:
    """(deadlines, n): does the deadline's legal order apply to the case's host?"""
    gates = plan.library.gates
    by_group = np.array(
        [[gates.order_applies(d.order, host) for host, _ in case.groups] for d in plan.deadlines],
        np.bool_,
    ).reshape(len(plan.deadlines), len(case.groups))
    return np.asarray(by_group[:, case.group], np.bool_)


def _instances(
    records: dict[int, Record],
    case_of: I64,
    points: Points,
    plan: Plan,
    n: int,
    applies: Bools,
    served: tuple[I64, I64],
) -> tuple[dict[int, str], Instances]:
    """Deadline instances (``BoundCase._instances``) and the events that may meet them."""
    row, deadline, match = _triggers(records[TRIGGER], points, plan, case_of)
    keep = applies[deadline, case_of[row]]
    row, deadline, match = row[keep], deadline[keep], match[keep]
    trig = points.take(row)
    # ``binding.counted_from``: from-service deadlines count from the served date if recorded.
    from_service = _flags(plan, lambda d: d.spec.from_service)[deadline] & (served[0][row] > 0)
    base_early = np.where(from_service, served[0][row], trig.early)
    base_late = np.where(from_service, served[1][row], trig.late)
    first, rolled_a, errors_a = _last_days(plan, deadline, base_early)
    last, rolled_b, errors_b = _last_days(plan, deadline, base_late)
    ok = (first >= 0) & (last >= 0)
    errors: dict[int, str] = {}  # the first, as the engine raises it (library order)
    for r, a, b, fine in zip(row.tolist(), errors_a, errors_b, ok.tolist(), strict=True):
        if not fine:
            errors.setdefault(int(case_of[r]), str(a or b))
    row, deadline, match, trig = row[ok], deadline[ok], match[ok], trig.take(np.flatnonzero(ok))
    first, last, rolled_a, rolled_b = first[ok], last[ok], rolled_a[ok], rolled_b[ok]
    zero = np.zeros(len(row), np.int64)
    expiry = Points(first + 1, last + 1, zero.astype(np.bool_), zero, zero + _EXPIRY)
    unsure = _flags(plan, lambda d: d.spec.basis == "unverified")[deadline]
    lax = _flags(plan, lambda d: d.convention.basis == "unverified")[deadline]
    owner = deadline * n + case_of[row]
    p_row, p_deadline, p_match = records[PENDING_END]
    p_of, pend = join(owner, p_deadline * n + case_of[p_row])
    p_points = points.take(p_row[pend])
    met = _meeting(records[MET], owner, case_of, points, plan, n, deadline, trig, expiry)
    return errors, Instances(
        case_of[row],
        deadline,
        trig,
        match,
        first,
        last,
        before(trig, expiry),
        ~unsure & ~((rolled_a | rolled_b) & lax),
        _flags(plan, lambda d: bool(getattr(d.spec, "extendable", False)))[deadline],
        np.minimum(match, TRUE - met.done_before),
        (TRUE - met.done_in_time).astype(np.int8),
        met.ends,
        met.counts,
        met.in_time,
        Ends.live(p_of, p_points, p_match[pend], before(trig.take(p_of), p_points)),
    )


def _flags(plan: Plan, test: Callable[[CompiledDeadline], bool]) -> Bools:
    return np.array([test(d) for d in plan.deadlines], np.bool_)


@dataclass(slots=True)
class _Meeting:
    ends: Ends
    counts: I8
    in_time: I8
    done_in_time: I8  # per instance: ``BoundCase.met_in_time``
    done_before: I8  # per instance: done before the trigger (``met_before_trigger`` only)


def _meeting(
    mets: Record,
    owner: I64,
    case_of: I64,
    points: Points,
    plan: Plan,
    n: int,
    deadline: I64,
    trig: Points,
    expiry: Points,
) -> _Meeting:
    """The events that may meet each instance, judged as ``deadline_finding`` judges them."""
    m_row, m_deadline, m_match = mets
    of, met = join(owner, m_deadline * n + case_of[m_row])
    at = points.take(m_row[met])
    match = m_match[met]
    after = before(trig.take(of), at)
    early = _flags(plan, lambda d: bool(getattr(d.spec, "met_before_trigger", False)))
    early = early[deadline][of]
    counts = np.where(early, TRUE, after).astype(np.int8)  # ``BoundCase.after_trigger``
    first, last = expiry.early[of] - 1, expiry.late[of] - 1
    in_time = np.where(at.late <= first, TRUE, np.where(at.early > last, FALSE, UNKNOWN))
    done_in_time = np.zeros(len(owner), np.int8)
    np.maximum.at(
        done_in_time, of, np.minimum(np.minimum(match, counts), before(at, expiry.take(of)))
    )
    done_before = np.zeros(len(owner), np.int8)
    prior = np.where(early, np.minimum(match, before(at, trig.take(of))), FALSE)
    np.maximum.at(done_before, of, prior.astype(np.int8))
    return _Meeting(
        Ends(of, at.early, at.late, match, after),
        counts,
        in_time.astype(np.int8),
        done_in_time,
        done_before,
    )


def _triggers(triggers: Record, points: Points, plan: Plan, case_of: I64) -> tuple[I64, I64, I8]:
    """Triggers within the provision's validity, by case, deadline and event order."""
    row, deadline, match = triggers
    valid_from = np.array([d.spec.valid_from.toordinal() for d in plan.deadlines], np.int64)
    valid_until = np.array(
        [d.spec.valid_until.toordinal() if d.spec.valid_until else 2**62 for d in plan.deadlines],
        np.int64,
    )
    trig = points.take(row)
    keep = (trig.late >= valid_from[deadline]) & (trig.early <= valid_until[deadline])
    row, deadline, match = row[keep], deadline[keep], match[keep]
    order = np.lexsort((row, deadline, case_of[row]))
    return row[order], deadline[order], match[order]


def _last_days(plan: Plan, deadline: I64, day: I64) -> tuple[I64, Bools, list[str | None]]:
    """``deadlines.last_day`` of each instance, computed once per distinct trigger day.

    Also the error of each instance whose last day cannot be counted (else None).
    """
    key = deadline * (1 << 32) + day
    unique, inverse = np.unique(key, return_inverse=True)
    pairs = [plan.last_day(int(k >> 32), int(k & 0xFFFFFFFF)) for k in unique.tolist()]
    last = np.fromiter((-1 if isinstance(p, str) else p[0] for p in pairs), np.int64, len(pairs))
    rolled = np.fromiter((isinstance(p, tuple) and p[1] for p in pairs), np.bool_, len(pairs))
    errors = [p if isinstance(p, str) else None for p in pairs]
    return last[inverse], rolled[inverse], [errors[i] for i in inverse.tolist()]


def _case_columns(cases: Sequence[Case], plan: Plan) -> CaseColumns:
    n = len(cases)
    facts = {}
    with_facts = [(i, c.facts) for i, c in enumerate(cases) if c.facts]
    for name in sorted(plan.needs.facts):
        val, known = np.zeros(n, np.int8), np.zeros(n, np.bool_)
        for i, given in with_facts:
            value = given.get(name)
            if value is not None:
                known[i], val[i] = True, TRUE if value else FALSE
        facts[name] = (val, known)
    citizen = np.fromiter((c.host in c.person.citizenship for c in cases), np.bool_, n)
    tagged = {}
    for tags in plan.needs.tags:
        wanted = frozenset(tags)
        tagged[tags] = np.fromiter((not wanted.isdisjoint(c.tags) for c in cases), np.bool_, n)
    origins = [c.origin for c in cases]
    origin_in = {
        names: np.fromiter(
            (UNKNOWN if o is None else TRUE if o in names else FALSE for o in origins), np.int8, n
        )
        for names in plan.needs.origins
    }
    index: dict[tuple[str, str | None], int] = {}
    group = np.fromiter(
        (index.setdefault((c.host, c.origin), len(index)) for c in cases), np.int64, n
    )
    complete = np.fromiter((c.complete for c in cases), np.bool_, n)
    requested = np.fromiter(
        (any(e.type == "extradition_request" for e in c.events) for c in cases), np.bool_, n
    )
    return CaseColumns(facts, citizen, tagged, origin_in, complete, requested, tuple(index), group)
