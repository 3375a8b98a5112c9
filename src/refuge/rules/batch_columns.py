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
from refuge.rules.batch_expr import FALSE, TRUE, UNKNOWN, Bools
from refuge.rules.batch_plan import END, MET, START, TRIGGER, Plan, Role

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]

_TRI = {True: TRUE, False: FALSE, None: UNKNOWN}
_BEGINNING, _EXPIRY = -1, -2  # identities of derived points (events are numbered from 0)


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
class Columns:
    """The date-independent arrays of a population of cases (see ``build_columns``)."""

    plan: Plan
    case_ids: tuple[str, ...]
    n: int
    # Fluent episodes started by events: flat (fluent * n + case), start point, match.
    ep_key: I64
    ep_start: Points
    ep_match: I8
    # Possible ends of those episodes: episode index, end point range, match, after the start.
    end_of: I64
    end_early: I64
    end_late: I64
    end_match: I8
    end_after: I8
    # Deadline instances, ordered as the per-case engine lists them.
    inst_case: I64
    inst_deadline: I64
    inst_trigger: Points
    inst_match: I8
    inst_first: I64  # last day to act, earliest and latest (ordinals)
    inst_last: I64
    inst_expiry_after: I8  # is the expiry (last day + 1) after the trigger?
    inst_sure: Bools  # could the finding be certain (basis, rolled by an unverified rule)?
    # Events that may meet an instance: instance index, point range, match, before, in time.
    met_of: I64
    met_early: I64
    met_late: I64
    met_match: I8
    met_after: I8
    met_in_time: I8
    # What conditions read from the case itself.
    facts: dict[str, tuple[I8, Bools]]
    citizen_of_host: Bools
    tagged: dict[tuple[str, ...], Bools]
    origin_in: dict[tuple[str, ...], I8]


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
    ep = _episodes(records[START], records[END], case_of, points, plan, n)
    inst = _instances(records[TRIGGER], records[MET], case_of, points, plan, n)
    return Columns(plan, tuple(c.id for c in cases), n, *ep, *inst, *_case_columns(cases, plan))


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
    parts: dict[int, list[Record]] = {START: [], END: [], TRIGGER: [], MET: []}
    for t, name in enumerate(types):
        idx = np.flatnonzero(type_of == t)
        if not len(idx):
            continue
        matches = _matches(plan.roles[name], idx, cases, rows, case_of)
        for role, match in zip(plan.roles[name], matches, strict=True):
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
) -> tuple[I64, Points, I8, I64, I64, I64, I8, I8]:
    """Episodes of event-driven fluents and their live ends (``fluents.episode``)."""
    s_row, s_fluent, s_match = starts
    timeless = np.array(plan.timeless, dtype=np.bool_)[s_fluent]
    start = points.take(s_row)
    start.early = np.where(timeless, 1, start.early)
    start.late = np.where(timeless, 1, start.late)
    start.has_seq = start.has_seq & ~timeless
    start.ident = np.where(timeless, _BEGINNING, start.ident)
    ep_key = s_fluent * n + case_of[s_row]
    e_row, e_fluent, e_match = ends
    ep, end = join(ep_key, e_fluent * n + case_of[e_row])
    end_points = points.take(e_row[end])
    after = before(start.take(ep), end_points)
    live = after != FALSE
    return (
        ep_key,
        start,
        s_match,
        ep[live],
        end_points.early[live],
        end_points.late[live],
        e_match[end][live],
        after[live],
    )


def _instances(
    triggers: Record, mets: Record, case_of: I64, points: Points, plan: Plan, n: int
) -> tuple[I64, I64, Points, I8, I64, I64, I8, Bools, I64, I64, I64, I8, I8, I8]:
    """Deadline instances (``BoundCase._instances``) and the events that may meet them."""
    row, deadline, match = triggers
    valid_from = np.array([d.spec.valid_from.toordinal() for d in plan.deadlines], np.int64)
    valid_until = np.array(
        [d.spec.valid_until.toordinal() if d.spec.valid_until else 2**62 for d in plan.deadlines],
        np.int64,
    )
    trig = points.take(row)
    keep = (trig.late >= valid_from[deadline]) & (trig.early <= valid_until[deadline])
    order = np.lexsort((row[keep], deadline[keep], case_of[row[keep]]))
    row, deadline, match = row[keep][order], deadline[keep][order], match[keep][order]
    trig = points.take(row)
    first, rolled_a = _last_days(plan, deadline, trig.early)
    last, rolled_b = _last_days(plan, deadline, trig.late)
    expiry = Points(
        first + 1, last + 1, np.zeros(len(row), np.bool_), first * 0, first * 0 + _EXPIRY
    )
    unsure = np.array([d.spec.basis == "unverified" for d in plan.deadlines], dtype=np.bool_)[
        deadline
    ]
    rolled_unsure = np.array(
        [d.convention.basis == "unverified" for d in plan.deadlines], dtype=np.bool_
    )[deadline]
    sure = ~unsure & ~((rolled_a | rolled_b) & rolled_unsure)
    inst_case = case_of[row]
    m_row, m_deadline, m_match = mets
    of, met = join(deadline * n + inst_case, m_deadline * n + case_of[m_row])
    met_points = points.take(m_row[met])
    after = before(trig.take(of), met_points)
    in_time = np.where(
        met_points.late <= first[of], TRUE, np.where(met_points.early > last[of], FALSE, UNKNOWN)
    ).astype(np.int8)
    live = after != FALSE
    return (
        inst_case,
        deadline,
        trig,
        match,
        first,
        last,
        before(trig, expiry),
        sure,
        of[live],
        met_points.early[live],
        met_points.late[live],
        m_match[met][live],
        after[live],
        in_time[live],
    )


def _last_days(plan: Plan, deadline: I64, day: I64) -> tuple[I64, Bools]:
    pairs = [plan.last_day(d, t) for d, t in zip(deadline.tolist(), day.tolist(), strict=True)]
    return (
        np.fromiter((p[0] for p in pairs), np.int64, len(pairs)),
        np.fromiter((p[1] for p in pairs), np.bool_, len(pairs)),
    )


def _case_columns(
    cases: Sequence[Case], plan: Plan
) -> tuple[
    dict[str, tuple[I8, Bools]], Bools, dict[tuple[str, ...], Bools], dict[tuple[str, ...], I8]
]:
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
    return facts, citizen, tagged, origin_in
