"""The batch plan: a ``Library`` rearranged for columnar evaluation, compiled once per library.

The per-case engine asks, event by event, which patterns an event matches. The batch path
turns that around: for each event type it lists the *roles* events of that type can play
(start or end a fluent, trigger or meet a deadline), so building the columns of many cases is
one pass over their events. Conditions are compiled a second time by ``batch_expr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from refuge.errors import LawPackError
from refuge.rules.batch_expr import BatchCondition, Needs, compile_batch_condition
from refuge.rules.deadlines import last_day
from refuge.rules.expr import Filter
from refuge.rules.packs import CompiledDeadline, CompiledRule, Library
from refuge.rules.timeline import Point

START, END, TRIGGER, MET, PENDING_END = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class Role:
    kind: int  # START, END, TRIGGER or MET
    target: int  # fluent index (START, END) or deadline index (TRIGGER, MET)
    filter: Filter | None


@dataclass(frozen=True, slots=True)
class VersionPlan:
    start: Point | None
    end: Point | None
    condition: BatchCondition


@dataclass(frozen=True, slots=True)
class RulePlan:
    index: int  # position in ``library.rules``
    rule: CompiledRule
    versions: tuple[VersionPlan, ...]

    @property
    def capped(self) -> bool:
        spec = self.rule.spec
        return spec.basis == "unverified" or spec.certainty_cap is not None


@dataclass(slots=True)
class Plan:
    library: Library
    fluents: tuple[str, ...]
    timeless: tuple[bool, ...]
    roles: dict[str, tuple[Role, ...]]  # event type -> roles of its events
    deadlines: tuple[CompiledDeadline, ...]
    produces: tuple[int, ...]  # deadline index -> fluent index
    pending: tuple[int, ...]  # deadline index -> its "pending" fluent, or -1
    unmet: tuple[int, ...]  # deadline index -> its "expired unmet" fluent, or -1
    protections: tuple[RulePlan, ...]
    actions: tuple[RulePlan, ...]
    exceptions: dict[str, tuple[RulePlan, ...]]  # defeated rule id -> its exceptions
    needs: Needs
    last_days: dict[tuple[int, int], tuple[int, bool] | str] = field(default_factory=dict)

    def last_day(self, deadline: int, trigger_day: int) -> tuple[int, bool] | str:
        """``deadlines.last_day`` as an ordinal, memoised: triggers share few distinct days.

        A count the packs cannot make (a day outside the holiday calendar) gives the error's
        text: the per-case engine raises it for that case, the batch marks only that case.
        """
        key = (deadline, trigger_day)
        hit = self.last_days.get(key)
        if hit is None:
            d = self.deadlines[deadline]
            try:
                day, rolled = last_day(
                    date.fromordinal(trigger_day), d.spec.period, d.convention, d.calendar
                )
                hit = (day.toordinal(), rolled)
            except LawPackError as exc:
                hit = f"deadline {d.spec.id}: {exc}"
            self.last_days[key] = hit
        return hit


_PLANS: dict[int, Plan] = {}
# The kinds of rule answered at a date; safeguards are checked at removals (per-case path).
_AT_A_DATE = ("protection", "action", "exception")


def plan_for(library: Library) -> Plan:
    """The plan of ``library``, built on first use (a library is immutable once loaded)."""
    plan = _PLANS.get(id(library))
    if plan is None or plan.library is not library:
        plan = _PLANS[id(library)] = _build(library)
    return plan


def _build(library: Library) -> Plan:
    fluents = tuple(library.fluents)
    index = {name: i for i, name in enumerate(fluents)}
    roles: dict[str, list[Role]] = {}
    for name, fluent in library.fluents.items():
        for pattern in fluent.initiated_by:
            roles.setdefault(pattern.event, []).append(Role(START, index[name], pattern.filter))
        for pattern in fluent.terminated_by:
            roles.setdefault(pattern.event, []).append(Role(END, index[name], pattern.filter))
    for i, deadline in enumerate(library.deadlines):
        pattern = deadline.trigger
        roles.setdefault(pattern.event, []).append(Role(TRIGGER, i, pattern.filter))
        for pattern in deadline.met_by:
            roles.setdefault(pattern.event, []).append(Role(MET, i, pattern.filter))
        for pattern in getattr(deadline, "pending_until", ()):
            roles.setdefault(pattern.event, []).append(Role(PENDING_END, i, pattern.filter))
    needs = Needs()
    plans = {
        rule.spec.id: _rule_plan(i, rule, library, needs) for i, rule in enumerate(library.rules)
    }
    exceptions: dict[str, list[RulePlan]] = {}
    for rule in library.rules:
        for target in rule.spec.defeats:
            exceptions.setdefault(target, []).append(plans[rule.spec.id])
    kinds = [(p, p.rule.spec.kind) for p in plans.values()]
    return Plan(
        library,
        fluents,
        tuple(library.fluents[name].timeless for name in fluents),
        {event: tuple(rs) for event, rs in roles.items()},
        library.deadlines,
        tuple(index[d.spec.produces] for d in library.deadlines),
        tuple(index.get(_pending(d) or "", -1) for d in library.deadlines),
        tuple(
            index.get(getattr(d.spec, "on_expiry_unmet", None) or "", -1) for d in library.deadlines
        ),
        tuple(p for p, kind in kinds if kind == "protection"),
        tuple(p for p, kind in kinds if kind == "action"),
        {target: tuple(rs) for target, rs in exceptions.items()},
        needs,
    )


def _pending(deadline: CompiledDeadline) -> str | None:
    """The optional fluents a deadline may produce besides ``produces`` (newer packs only)."""
    pending = getattr(deadline.spec, "pending", None)
    return None if pending is None else str(pending.fluent)


def _rule_plan(index: int, rule: CompiledRule, library: Library, needs: Needs) -> RulePlan:
    """Recompile each version's condition from its source text; packs.py checked it already."""
    versions = []
    for i, version in enumerate(rule.versions):
        if version.condition is None:
            continue
        spec = version.spec
        text = spec.violated_when if rule.spec.kind == "safeguard" else spec.when
        assert text is not None
        where = f"rule {rule.spec.id} versions[{i}]"
        condition = compile_batch_condition(text, where, library.fluents, needs)
        versions.append(VersionPlan(version.start, version.end, condition))
    return RulePlan(index, rule, tuple(versions))
