"""Evaluate the columns of a population at one date: fluents, rules, deadlines, the verdict.

Each step mirrors a method of ``engine.Engine`` with the same short-circuits, because the
status of a finding depends on what the per-case evaluation happened to look at (see
``batch_expr``). Rule versions whose validity is fuzzy become per-date scalars.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from refuge.rules.batch_columns import Columns, Ends
from refuge.rules.batch_expr import FALSE, TRUE, Bools, Col, Frame, either, only
from refuge.rules.batch_expr import UNKNOWN as MAYBE
from refuge.rules.batch_plan import RulePlan
from refuge.rules.schema import MODES
from refuge.rules.timeline import Point

I8 = npt.NDArray[np.int8]
I64 = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]

# Finding status codes (batch.STATUS names them) and deadline state codes (batch.STATE).
NONE, UNKNOWN, POSSIBLE, CERTAIN = 0, 1, 2, 3
NOT_STARTED, RUNNING, MET, EXPIRED = 0, 1, 2, 3
_EPOCH = date(1970, 1, 1).toordinal()
_FAR = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Answers:
    at: date
    case_ids: tuple[str, ...]
    lawful: I8  # (n,) tri
    orders: tuple[str, ...]
    order_values: I8  # (n, orders) tri
    order_applies: Bools  # (n, orders): the order judges the case (national: its own state)
    mode_names: tuple[str, ...]
    modes: Bools  # (n, modes): removal modes the verdict considers
    protection_rules: tuple[str, ...]
    protection_index: I64  # column -> index in library.rules
    protection_values: I8  # (n, protections) effective tri value
    protection_status: I8  # (n, protections) status code
    bar_rules: tuple[str, ...]
    bar_columns: tuple[int, ...]  # bar -> column of the protection arrays
    barred: Bools  # (n, bars): the rule is among the verdict's barred_by
    deciding: I64  # (n,) library.rules index of the strongest bar, -1 if none
    action_rules: tuple[str, ...]
    action_index: I64
    action_values: I8
    action_status: I8
    action_due: Days  # (n, actions) last day of the latest running due deadline, or NaT
    deadline_ids: tuple[str, ...]
    # (n, deadlines) the earliest day on which a running instance's window may close (its last
    # day's earliest bound: a fuzzy trigger makes the last day fuzzy too), or NaT if none runs
    deadline_next: Days
    deadline_state: I8  # (n, deadlines) running > expired > met > not started
    inst_case: I64  # deadline instances, sorted by case
    inst_deadline: I64
    inst_state: I8
    inst_status: I8
    inst_last_day: Days  # (instances, 2): earliest and latest last day
    errors: dict[int, str]  # cases that could not be evaluated -> why; their rows are void


A = TypeVar("A", bound=Answers)


def occurred(early: I64, late: I64, day: int) -> I8:
    """``DayRef(day).occurred`` over arrays: late <= day gives 2, early <= day < late 1."""
    return ((late <= day).astype(np.int8) + (early <= day)).astype(np.int8)


def _occurred(point: Point | None, day: int, missing: int) -> int:
    if point is None:
        return missing
    return TRUE if point.latest <= day else (FALSE if point.earliest > day else MAYBE)


def _days(ordinals: I64) -> Days:
    out = (ordinals - _EPOCH).astype("datetime64[D]")
    return np.where(ordinals == _FAR, np.datetime64("NaT"), out)


def evaluate_at(cols: Columns, at: date, cls: type[A]) -> A:
    """Everything the batch answers for ``cols`` at the end of ``at``, as an instance of cls."""
    day, plan, n = at.toordinal(), cols.plan, cols.n
    fluents = _fluents(cols, day)
    frame = Frame(
        n,
        {name: fluents[i] for i, name in enumerate(plan.fluents)},
        cols.case.facts,
        cols.case.citizen_of_host,
        cols.case.tagged,
        cols.case.origin_in,
        cols.case.complete,
        cols.case.requested,
    )
    gate = _GateColumns(cols, day)
    prot = [
        _effective(p, frame, day, plan.exceptions.get(p.rule.spec.id, ()), gate)
        for p in plan.protections
    ]
    acts = [_value(p, frame, day, gate) for p in plan.actions]
    prot_vals = _stack([c.val for c in prot], n)
    prot_status = _stack([_status(c, p) for c, p in zip(prot, plan.protections, strict=True)], n)
    return cls(
        at=at,
        case_ids=cols.case_ids,
        protection_rules=tuple(p.rule.spec.id for p in plan.protections),
        protection_index=np.array([p.index for p in plan.protections], np.int64),
        protection_values=prot_vals,
        protection_status=prot_status,
        action_rules=tuple(p.rule.spec.id for p in plan.actions),
        action_index=np.array([p.index for p in plan.actions], np.int64),
        action_values=_stack([c.val for c in acts], n),
        action_status=_stack([_status(c, p) for c, p in zip(acts, plan.actions, strict=True)], n),
        action_due=_action_due(cols, day),
        deadline_ids=tuple(d.spec.id for d in plan.deadlines),
        errors=cols.errors,
        **_fields(_verdict(cols, frame, prot_vals, prot_status, gate)),
        **_fields(_deadlines(cols, day)),
    )


def _fields(part: _Verdict | _Deadlines) -> dict[str, Any]:
    """A part of the answers as keyword arguments of ``Answers`` (same field names)."""
    return {f.name: getattr(part, f.name) for f in fields(part)}


def _stack(columns: list[I8], n: int) -> I8:
    if not columns:
        return np.zeros((n, 0), np.int8)
    return np.ascontiguousarray(np.stack(columns, axis=1))


# -- fluents -------------------------------------------------------------------------------


def _fluents(cols: Columns, day: int) -> I8:
    """Every fluent of every case at ``day``: (fluents, n) int8 (``BoundFluent.holds``)."""
    n, plan, ep = cols.n, cols.plan, cols.episodes
    flat = np.zeros(len(plan.fluents) * n, np.int8)
    started = np.minimum(occurred(ep.start.early, ep.start.late, day), ep.match)
    np.maximum.at(flat, ep.key, np.minimum(started, TRUE - _ended(ep.ends, len(ep.key), day)))
    # Fluents produced by deadlines (``BoundCase._deadline_episodes``), one episode per instance.
    inst = cols.instances
    started = np.minimum(occurred(inst.trigger.early, inst.trigger.late, day), inst.match)
    expired = occurred(inst.first + 1, inst.last + 1, day)
    closed = _ended(inst.met, len(inst.case), day, np.minimum(expired, inst.expiry_after))
    opened = np.minimum(occurred(inst.trigger.early, inst.trigger.late, day), inst.opens)
    _produce(flat, cols, plan.produces, np.minimum(opened, TRUE - closed))
    ruled = _ended(
        inst.pending_ends, len(inst.case), day, _and(expired, inst.late, inst.expiry_after)
    )
    _produce(flat, cols, plan.pending, np.minimum(started, TRUE - ruled))
    _produce(flat, cols, plan.unmet, _and(expired, inst.match, inst.late))
    return flat.reshape(len(plan.fluents), n)


def _and(a: I8, b: I8, c: I8) -> I8:
    return np.minimum(np.minimum(a, b), c)


def _ended(ends: Ends, size: int, day: int, initial: I8 | None = None) -> I8:
    """Per owner: does one of its ends (and, if given, ``initial``) close it by ``day``?"""
    out = np.zeros(size, np.int8) if initial is None else initial.astype(np.int8)
    np.maximum.at(out, ends.of, _and(occurred(ends.early, ends.late, day), ends.match, ends.after))
    return out


def _produce(flat: I8, cols: Columns, fluent_of: tuple[int, ...], values: I8) -> None:
    inst = cols.instances
    fluent = np.array(fluent_of, np.int64)[inst.deadline] if fluent_of else inst.deadline
    some = fluent >= 0
    np.maximum.at(flat, fluent[some] * cols.n + inst.case[some], values[some])


# -- rules ---------------------------------------------------------------------------------


class _GateColumns:
    """``Engine.gate`` at ``day`` for every case: computed once per (host, origin) group."""

    def __init__(self, cols: Columns, day: int) -> None:
        self.cols, self.day = cols, day
        self.gates = cols.plan.library.gates
        self.memo: dict[object, I8 | None] = {}
        self.shut: set[object] = set()

    def __call__(self, rule: RulePlan) -> I8 | None:
        spec, order, gates = rule.rule.spec, rule.rule.order, self.gates
        kind = gates.kind(spec.id, order)
        if kind == ():
            return None  # open for every case
        if kind in self.memo:
            return self.memo[kind]
        codes = np.array(
            [
                _CODE[gates.rule(spec.id, order, host, origin, self.day, self.day).value]
                for host, origin in self.cols.case.groups
            ],
            np.int8,
        )
        if (codes == TRUE).all():  # open for every case: as if ungated
            self.memo[kind] = None
            return None
        out = self.memo[kind] = np.asarray(codes[self.cols.case.group], np.int8)
        if not codes.any():  # shut for every case: the rule's value is false, nothing else
            self.shut.add(kind)
        return out

    def is_shut(self, rule: RulePlan) -> bool:
        """Is the rule's gate shut for every case (asked after ``__call__``)?"""
        return self.gates.kind(rule.rule.spec.id, rule.rule.order) in self.shut

    def orders(self, order: str) -> Bools:
        """Does ``order`` apply to each case (a national order only to its own state)?"""
        case = self.cols.case
        by_group = np.array([self.gates.order_applies(order, h) for h, _ in case.groups], bool)
        return np.asarray(by_group[case.group], np.bool_)


_CODE = {False: FALSE, None: MAYBE, True: TRUE}


def _value(rule: RulePlan, frame: Frame, day: int, gates: _GateColumns) -> Col:
    """``Engine.value``: the versions in force at ``day``, stopping once a version is true."""
    gate = gates(rule)
    result = np.zeros(frame.n, np.int8)
    if gate is not None and gates.is_shut(rule):  # Engine.value: a shut gate is false, unread
        return Col(result, None, None)
    missing: Bools | None = None
    uncertain: Bools | None = None if gate is None else gate == MAYBE
    active = np.ones(frame.n, np.bool_) if gate is None else gate != FALSE
    for version in rule.versions:
        in_force = min(
            _occurred(version.start, day, TRUE), TRUE - _occurred(version.end, day, FALSE)
        )
        if in_force == FALSE:
            continue
        if in_force == MAYBE:
            uncertain = either(uncertain, active.copy())
        col = version.condition(frame)
        missing = either(missing, only(active, col.missing))
        uncertain = either(uncertain, only(active, col.uncertain))
        result = np.maximum(result, np.minimum(col.val, in_force))
        active = (result != TRUE) if gate is None else (result != TRUE) & (gate != FALSE)
    if gate is not None:
        result = np.minimum(result, gate)
    return Col(result, missing, uncertain)


def _effective(
    rule: RulePlan, frame: Frame, day: int, exceptions: tuple[RulePlan, ...], gates: _GateColumns
) -> Col:
    """``Engine.effective``: exceptions are looked at only where the rule is not false."""
    col = _value(rule, frame, day, gates)
    if not exceptions:
        return col
    active = col.val != FALSE
    defeated = np.zeros(frame.n, np.int8)
    missing, uncertain = col.missing, col.uncertain
    for exception in exceptions:
        exc = _value(exception, frame, day, gates)
        missing = either(missing, only(active, exc.missing))
        uncertain = either(uncertain, only(active, exc.uncertain))
        defeated = np.maximum(defeated, exc.val)
        active = active & (exc.val != TRUE)
    return Col(np.minimum(col.val, TRUE - defeated), missing, uncertain)


def _status(col: Col, rule: RulePlan) -> I8:
    """``engine._status``: unknown only where a fact was missing and nothing else was unsure."""
    true = POSSIBLE if rule.capped else CERTAIN
    unsure = POSSIBLE if col.missing is None else np.where(col.missing, UNKNOWN, POSSIBLE)
    if col.uncertain is not None:
        unsure = np.where(col.uncertain, POSSIBLE, unsure)
    out = np.where(col.val == TRUE, true, np.where(col.val == MAYBE, unsure, NONE))
    return out.astype(np.int8)


# -- the verdict ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Verdict:
    lawful: I8
    orders: tuple[str, ...]
    order_values: I8
    order_applies: Bools
    mode_names: tuple[str, ...]
    modes: Bools
    bar_rules: tuple[str, ...]
    bar_columns: tuple[int, ...]
    barred: Bools
    deciding: I64


def _verdict(cols: Columns, frame: Frame, values: I8, status: I8, gate: _GateColumns) -> _Verdict:
    """``Engine._verdict``: per-order values, the modes considered and the barring rules."""
    plan, n = cols.plan, cols.n
    applies = {o: gate.orders(o) for o in plan.library.orders}
    applies |= {o: gate.orders(o) for o in plan.library.orders_requiring_basis}
    names, modes = _modes(cols, frame, applies)
    orders: dict[str, I8] = {}
    bar_rules, bar_columns, barred = [], [], []
    for k, rule in enumerate(plan.protections):
        spec = rule.rule.spec
        if spec.effect != "bars_removal":
            continue
        order = orders.setdefault(rule.rule.order, np.full(n, TRUE, np.int8))
        columns = np.array([names.index(m) for m in spec.applies_to if m in names], np.int64)
        bars = modes[:, columns].any(axis=1) & (values[:, k] != FALSE) & applies[rule.rule.order]
        bar_rules.append(spec.id)
        bar_columns.append(k)
        barred.append(bars)
        blocked = np.where(values[:, k] == TRUE, FALSE, MAYBE).astype(np.int8)
        orders[rule.rule.order] = np.where(bars, np.minimum(order, blocked), order)
    for order_name, basis in plan.library.orders_requiring_basis.items():
        grounds = np.zeros(n, np.int8)
        for fluent in basis.values():
            grounds = np.maximum(grounds, frame.fluents[fluent])
        orders[order_name] = np.minimum(orders.get(order_name, np.full(n, TRUE, np.int8)), grounds)
    lawful = np.full(n, TRUE, np.int8)
    for name, value in orders.items():
        lawful = np.where(applies[name], np.minimum(lawful, value), lawful)
    gates = plan.library.gates
    if gates.national:  # no national order applies: never lawful on international law alone
        national = np.zeros(n, np.bool_)
        for name in gates.national:
            national |= applies.get(name, gate.orders(name))
        lawful = np.where(national, lawful, np.minimum(lawful, MAYBE)).astype(np.int8)
    matrix = np.stack(barred, axis=1) if barred else np.zeros((n, 0), np.bool_)
    index = np.array([plan.protections[c].index for c in bar_columns], np.int64)
    return _Verdict(
        lawful,
        tuple(orders),
        _stack(list(orders.values()), n),
        np.stack([applies[o] for o in orders], axis=1) if orders else np.zeros((n, 0), bool),
        names,
        modes,
        tuple(bar_rules),
        tuple(bar_columns),
        matrix,
        _deciding(matrix, status[:, bar_columns], index),
    )


def _modes(cols: Columns, frame: Frame, applies: dict[str, Bools]) -> tuple[tuple[str, ...], Bools]:
    """The removal modes a verdict considers: those with a (possible) basis, else all."""
    basis = cols.plan.library.orders_requiring_basis
    names = tuple(sorted(set(MODES) | {m for spec in basis.values() for m in spec}))
    modes = np.zeros((cols.n, len(names)), np.bool_)
    for order, spec in basis.items():
        for mode, fluent in spec.items():
            modes[:, names.index(mode)] |= (frame.fluents[fluent] != FALSE) & applies[order]
    default = np.array([m in MODES for m in names], np.bool_)
    some: Bools = np.asarray(modes.any(axis=1), np.bool_)
    return names, np.where(some[:, None], modes, default[None, :])


def _deciding(barred: Bools, status: I8, index: I64) -> I64:
    """Compact code of the verdict: the first of the most certain bars, -1 where none."""
    if not barred.shape[1]:
        return np.full(barred.shape[0], -1, np.int64)
    strength = np.where(barred, status, -1)
    best = np.argmax(strength, axis=1)
    return np.where(strength.max(axis=1) > NONE, index[best], -1).astype(np.int64)


# -- deadlines -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Deadlines:
    deadline_next: Days
    deadline_state: I8
    inst_case: I64
    inst_deadline: I64
    inst_state: I8
    inst_status: I8
    inst_last_day: Days


def _deadlines(cols: Columns, day: int) -> _Deadlines:
    """``engine.deadline_finding`` for every instance, and the most pressing one per deadline."""
    inst = cols.instances
    started = np.minimum(occurred(inst.trigger.early, inst.trigger.late, day), inst.match)
    met = np.zeros(len(started), np.int8)
    ends = inst.met
    happened = _and(occurred(ends.early, ends.late, day), ends.match, inst.met_counts)
    np.maximum.at(met, ends.of, np.minimum(happened, inst.met_in_time))
    expired = occurred(inst.first + 1, inst.last + 1, day)
    state = np.where(met == TRUE, MET, np.where(expired == TRUE, EXPIRED, RUNNING))
    state = np.where(started == FALSE, NOT_STARTED, state).astype(np.int8)
    settled = (met == TRUE) | ((met == FALSE) & (expired != MAYBE))
    settled &= ~((state == EXPIRED) & inst.extendable)
    certain = (started == TRUE) & settled & inst.sure
    status = np.where(started == FALSE, NONE, np.where(certain, CERTAIN, POSSIBLE))
    width = len(cols.plan.deadlines)
    flat = inst.case * width + inst.deadline
    nxt = np.full(cols.n * width, _FAR, np.int64)
    running = state == RUNNING
    np.minimum.at(nxt, flat[running], inst.first[running])
    rank = np.array([0, 3, 1, 2], np.int8)  # by state code: running > expired > met > none
    pressing = np.zeros(cols.n * width, np.int8)
    np.maximum.at(pressing, flat, rank[state])
    by_rank = np.array([NOT_STARTED, MET, EXPIRED, RUNNING], np.int8)
    return _Deadlines(
        _days(nxt).reshape(cols.n, width),
        by_rank[pressing].reshape(cols.n, width),
        inst.case,
        inst.deadline,
        state,
        status.astype(np.int8),
        np.stack([_days(inst.first), _days(inst.last)], axis=1),
    )


def _action_due(cols: Columns, day: int) -> Days:
    """``Engine._actions``' date to act by: the latest last day of a running due deadline."""
    plan, inst = cols.plan, cols.instances
    ids = [d.spec.id for d in plan.deadlines]
    running = (occurred(inst.trigger.early, inst.trigger.late, day) != FALSE) & (
        occurred(inst.first + 1, inst.last + 1, day) != TRUE
    )
    out = np.full((cols.n, len(plan.actions)), _FAR, np.int64)
    for k, action in enumerate(plan.actions):
        due = action.rule.spec.due
        if due is None:
            continue
        pick = running & (inst.deadline == ids.index(due))
        latest = np.full(cols.n, -1, np.int64)
        np.maximum.at(latest, inst.case[pick], inst.last[pick])
        out[:, k] = np.where(latest < 0, _FAR, latest)
    return _days(out)
