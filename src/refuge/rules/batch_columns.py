"""Columnar form of many cases: every fluent episode, episode end and deadline instance as rows.

Everything here is independent of the evaluation date, so a store can build the columns once
and evaluate them at many dates. Building iterates the events of all cases once, evaluates
each ``where`` filter once per distinct (attributes, host, origin), and does the rest (pairing
starts with the ends that may close them, the three-valued "before" of each pair, deadline
last days) with NumPy. No ``BoundCase`` is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from refuge.domain import Case, Event
from refuge.rules import binding
from refuge.rules.batch_expr import FALSE, TRUE, UNKNOWN, Bools
from refuge.rules.batch_plan import END, MET, PENDING_END, START, TRIGGER, Plan, Role

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
    late: I8  # was the act not done before the window closed?
    met: Ends
    met_in_time: I8  # per met row, as ``engine.deadline_finding`` judges "in time"
    pending_ends: Ends  # events that end the deadline's "pending" fluent


@dataclass(slots=True)
class CaseColumns:
    """What conditions read from the case itself rather than from its events."""

    facts: dict[str, tuple[I8, Bools]]
    citizen_of_host: Bools
    tagged: dict[tuple[str, ...], Bools]
    origin_in: dict[tuple[str, ...], I8]


@dataclass(slots=True)
class Columns:
    """The date-independent arrays of a population of cases (see ``build_columns``)."""

    plan: Plan
    case_ids: tuple[str, ...]
    n: int
    episodes: Episodes
    instances: Instances
    case: CaseColumns


def build_columns(cases: Sequence[Case], plan: Plan) -> Columns:
    n = len(cases)
    rows_case: list[int] = []
    rows: list[Event] = []
    roles = plan.roles
    for ci, case in enumerate(cases):
        for event in case.events:
            if event.type in roles:
                rows_case.append(ci)
                rows.append(event)
    case_of = np.array(rows_case, dtype=np.int64)
    points = _points(rows)
    records = _records(cases, rows, case_of, plan)
    episodes = _episodes(records[START], records[END], case_of, points, plan, n)
    instances = _instances(records, case_of, points, plan, n)
    return Columns(
        plan, tuple(c.id for c in cases), n, episodes, instances, _case_columns(cases, plan)
    )


def _points(rows: list[Event]) -> Points:
    seq = [e.sequence for e in rows]
    return Points(
        np.fromiter((e.date.earliest.toordinal() for e in rows), np.int64, len(rows)),
        np.fromiter((e.date.latest.toordinal() for e in rows), np.int64, len(rows)),
        np.fromiter((s is not None for s in seq), np.bool_, len(rows)),
        np.fromiter((0 if s is None else s for s in seq), np.int64, len(rows)),
        np.arange(len(rows), dtype=np.int64),
    )


Record = tuple[I64, I64, I8]  # event row, target (fluent or deadline), match


def _records(
    cases: Sequence[Case], rows: list[Event], case_of: I64, plan: Plan
) -> dict[int, Record]:
    """For each role kind: which event rows play it, for which target, with what match."""
    types = list(plan.roles)
    code = {t: i for i, t in enumerate(types)}
    type_of = np.fromiter((code[e.type] for e in rows), np.int64, len(rows))
    parts: dict[int, list[Record]] = {k: [] for k in (START, END, TRIGGER, MET, PENDING_END)}
    contested = np.fromiter((e.certainty in _CONTESTED for e in rows), np.bool_, len(rows))
    for t, name in enumerate(types):
        idx = np.flatnonzero(type_of == t)
        if not len(idx):
            continue
        matches = _matches(plan.roles[name], idx, cases, rows, case_of)
        doubt = contested[idx]
        for role, match in zip(plan.roles[name], matches, strict=True):
            match[doubt & (match == TRUE)] = UNKNOWN
            keep = match != FALSE
            target = np.full(int(keep.sum()), role.target, dtype=np.int64)
            parts[role.kind].append((idx[keep], target, match[keep]))
    out = {}
    for kind, chunks in parts.items():
        if chunks:
            out[kind] = (
                np.concatenate([c[0] for c in chunks]),
                np.concatenate([c[1] for c in chunks]),
                np.concatenate([c[2] for c in chunks]),
            )
        else:
            empty = np.zeros(0, dtype=np.int64)
            out[kind] = (empty, empty, np.zeros(0, dtype=np.int8))
    return out


def _matches(
    roles: tuple[Role, ...], idx: I64, cases: Sequence[Case], rows: list[Event], case_of: I64
) -> list[I8]:
    """The match of each role for the events ``idx`` of one type, filters memoised."""
    filtered = [r.filter for r in roles if r.filter is not None]
    results: list[tuple[int, ...]] = []
    if filtered:
        memo: dict[Any, tuple[int, ...]] = {}
        for i, ci in zip(idx.tolist(), case_of[idx].tolist(), strict=True):
            event, case = rows[i], cases[ci]
            try:
                key: Any = (tuple(event.attrs.items()), case.host, case.origin)
                hit = memo.get(key)
            except TypeError:  # an unhashable attribute value: no memo for this event
                key, hit = None, None
            if hit is None:
                hit = tuple(_TRI[f(event, case)] for f in filtered)
                if key is not None:
                    memo[key] = hit
            results.append(hit)
    table = np.array(results, dtype=np.int8).reshape(len(idx), len(filtered))
    out, k = [], 0
    for role in roles:
        if role.filter is None:
            out.append(np.full(len(idx), TRUE, dtype=np.int8))
        else:
            out.append(table[:, k].copy())
            k += 1
    return out


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


def _instances(
    records: dict[int, Record], case_of: I64, points: Points, plan: Plan, n: int
) -> Instances:
    """Deadline instances (``BoundCase._instances``) and the events that may meet them."""
    row, deadline, match = _triggers(records[TRIGGER], points, plan, case_of)
    trig = points.take(row)
    first, rolled_a = _last_days(plan, deadline, trig.early)
    last, rolled_b = _last_days(plan, deadline, trig.late)
    zero = np.zeros(len(row), np.int64)
    expiry = Points(first + 1, last + 1, zero.astype(np.bool_), zero, zero + _EXPIRY)
    unsure = np.array([d.spec.basis == "unverified" for d in plan.deadlines], np.bool_)
    lax = np.array([d.convention.basis == "unverified" for d in plan.deadlines], np.bool_)
    sure = ~unsure[deadline] & ~((rolled_a | rolled_b) & lax[deadline])
    inst_case = case_of[row]
    owner = deadline * n + inst_case
    m_row, m_deadline, m_match = records[MET]
    of, met = join(owner, m_deadline * n + case_of[m_row])
    met_points = points.take(m_row[met])
    after = before(trig.take(of), met_points)
    in_time = np.where(
        met_points.late <= first[of], TRUE, np.where(met_points.early > last[of], FALSE, UNKNOWN)
    ).astype(np.int8)
    # ``BoundCase.met_in_time``: after the trigger and before the window closed.
    done = np.minimum(np.minimum(m_match[met], after), before(met_points, expiry.take(of)))
    late = np.zeros(len(row), np.int8)
    np.maximum.at(late, of, done)
    p_row, p_deadline, p_match = records[PENDING_END]
    p_of, pend = join(owner, p_deadline * n + case_of[p_row])
    p_points = points.take(p_row[pend])
    p_after = before(trig.take(p_of), p_points)
    live = after != FALSE
    return Instances(
        inst_case,
        deadline,
        trig,
        match,
        first,
        last,
        before(trig, expiry),
        sure,
        (TRUE - late).astype(np.int8),
        Ends.live(of, met_points, m_match[met], after),
        in_time[live],
        Ends.live(p_of, p_points, p_match[pend], p_after),
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


def _last_days(plan: Plan, deadline: I64, day: I64) -> tuple[I64, Bools]:
    pairs = [plan.last_day(d, t) for d, t in zip(deadline.tolist(), day.tolist(), strict=True)]
    return (
        np.fromiter((p[0] for p in pairs), np.int64, len(pairs)),
        np.fromiter((p[1] for p in pairs), np.bool_, len(pairs)),
    )


def _case_columns(cases: Sequence[Case], plan: Plan) -> CaseColumns:
    n = len(cases)
    facts = {}
    for name in sorted(plan.needs.facts):
        values = [c.facts.get(name) if c.facts else None for c in cases]
        known = np.fromiter((v is not None for v in values), np.bool_, n)
        val = np.fromiter((TRUE if v else FALSE for v in values), np.int8, n)
        facts[name] = (val, known)
    citizen = np.fromiter((c.host in c.person.citizenship for c in cases), np.bool_, n)
    tagged = {
        tags: np.fromiter((any(t in c.tags for t in tags) for c in cases), np.bool_, n)
        for tags in plan.needs.tags
    }
    origin_in = {
        names: np.fromiter(
            (UNKNOWN if c.origin is None else _TRI[c.origin in names] for c in cases), np.int8, n
        )
        for names in plan.needs.origins
    }
    return CaseColumns(facts, citizen, tagged, origin_in)
