"""Bind a case to the compiled library: its points, fluent episodes and deadline instances.

This is the per-case preparation the engine does once, before it answers any question about
the case at any date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from refuge.domain import Case, DateRange
from refuge.rules.deadlines import last_day
from refuge.rules.fluents import BoundFluent, Episode, episode
from refuge.rules.gates import Gate
from refuge.rules.packs import CompiledDeadline, CompiledPattern, Library
from refuge.rules.timeline import Point, before
from refuge.rules.tri import Tri, t_and, t_not, t_or


@dataclass(frozen=True, slots=True)
class DeadlineInstance:
    """One running of a deadline, started by one triggering event."""

    deadline: CompiledDeadline
    trigger: Point
    matches: Tri
    last_day: DateRange  # the last day to act (fuzzy if the trigger's date is)
    expiry: Point  # the first day after it: when the window closes
    rolled: bool  # a day off moved the last day
    met_by: tuple[tuple[Point, Tri], ...]
    service: str = ""  # from-service deadlines: "served" or "unknown" (counted from the decision)


_BEGINNING = Point("beginning", 1, 1)
_CONTESTED = ("disputed", "alleged")


class BoundCase:
    def __init__(self, case: Case, library: Library) -> None:
        self.case = case
        self.library = library
        self.points = {e.id: Point.of_event(e) for e in case.events}
        self.by_type: dict[str, list[Point]] = {}
        for point in self.points.values():
            assert point.event is not None
            self.by_type.setdefault(point.event.type, []).append(point)
        self._matches: dict[CompiledPattern, list[tuple[Point, Tri]]] = {}
        self.deadlines = [
            inst
            for d in library.deadlines
            if library.gates.order_applies(d.order, case.host)
            for inst in self._instances(d)
        ]
        # Fluents are bound on first use (``fluent``): an evaluation reads only some of them.
        # Plain dicts and methods, not a dict that calls back into the case: that would make
        # every bound case a reference cycle, freed only by the cyclic garbage collector, whose
        # passes over thousands of dead cases cost more than the evaluations themselves.
        self.fluents: dict[str, BoundFluent] = {}
        # Timeless fluents (risk allegations and findings) as of their own dates: a breach by a
        # past removal counts only what was alleged or found on or before it (issue 9 fault 3).
        self.dated: dict[str, BoundFluent] = {}
        # Fluent values already computed in this evaluation, by (fluent, reference point).
        self.memo: dict[tuple[str, tuple[str, object]], Tri] = {}
        # The days an evaluation may judge (set by the engine), and the gate kinds that are
        # open on all of them, so most gates are settled once per case.
        self.span: tuple[int, int] | None = None
        self.always: dict[object, bool] = {}
        # Gates already computed for this case, by (gate kind, reference point).
        self.gates: dict[tuple[object, ...], Gate] = {}
        # What the case-level notices say (party status not recorded...), in order, once each.
        self.notices: dict[str, None] = {}

    def matching(self, pattern: CompiledPattern) -> list[tuple[Point, Tri]]:
        """The events that match ``pattern``, each with how surely; once per pattern and case
        (the library shares one compiled pattern among the fluents that repeat it)."""
        out = self._matches.get(pattern)
        if out is None:
            out = self._matches[pattern] = self._matching(pattern)
        return out

    def _matching(self, pattern: CompiledPattern) -> list[tuple[Point, Tri]]:
        out: list[tuple[Point, Tri]] = []
        for point in self.by_type.get(pattern.event, ()):
            assert point.event is not None
            match = True if pattern.filter is None else pattern.filter(point.event, self.case)
            if match is True and point.event.certainty in _CONTESTED:
                match = None  # a disputed or alleged event may not have happened
            if match is not False:
                out.append((point, match))
        return out

    def _bind(self, name: str, dated: bool = False) -> BoundFluent:
        fluent = self.library.fluents[name]
        bound = BoundFluent(name)
        if not fluent.initiated_by:  # produced by a deadline
            for inst in self.deadlines:
                bound.episodes += self._deadline_episodes(inst, name)
            return bound
        ends = [pm for pattern in fluent.terminated_by for pm in self.matching(pattern)]
        for pattern in fluent.initiated_by:
            for point, match in self.matching(pattern):
                start = _BEGINNING if fluent.timeless and not dated else point
                bound.episodes.append(episode(start, match, ends, key=point.key))
        return bound

    def fluent(self, name: str) -> BoundFluent:
        """The fluent ``name`` bound to this case, bound on first use."""
        bound = self.fluents.get(name)
        if bound is None:
            bound = self.fluents[name] = self._bind(name)
        return bound

    def dated_fluent(self, name: str) -> BoundFluent:
        """A timeless fluent as of the dates of its events (what was known when)."""
        bound = self.dated.get(name)
        if bound is None:
            bound = self.dated[name] = self._bind(name, dated=True)
        return bound

    def _deadline_episodes(self, inst: DeadlineInstance, name: str) -> list[Episode]:
        spec = inst.deadline.spec
        if name == spec.produces:  # running: until the expiry or the act, whichever first
            ends = [(inst.expiry, True), *inst.met_by]
            opens = inst.matches
            if spec.met_before_trigger:  # an act already done: the window never opens
                done = t_or(t_and((m, before(p, inst.trigger))) for p, m in inst.met_by)
                opens = t_and((opens, t_not(done)))
            return [episode(inst.trigger, opens, ends)]
        if spec.pending is not None and name == spec.pending.fluent:
            ends = [(inst.expiry, t_not(self.met_in_time(inst)))]
            ends += [pm for p in inst.deadline.pending_until for pm in self.matching(p)]
            return [episode(inst.trigger, inst.matches, ends)]
        if name == spec.on_expiry_unmet:
            late = t_not(self.met_in_time(inst))
            return [episode(inst.expiry, t_and((inst.matches, late)), [])]
        return []

    def met_in_time(self, inst: DeadlineInstance) -> Tri:
        """Was the act done after the trigger and before the window closed?"""
        return t_or(
            t_and((match, self.after_trigger(inst, point), before(point, inst.expiry)))
            for point, match in inst.met_by
        )

    @staticmethod
    def after_trigger(inst: DeadlineInstance, point: Point) -> Tri:
        """Does ``point`` count as done for this running? (An earlier act may, by the spec.)"""
        if inst.deadline.spec.met_before_trigger:
            return True
        return before(inst.trigger, point)

    def _instances(self, deadline: CompiledDeadline) -> list[DeadlineInstance]:
        met_by = tuple(pm for p in deadline.met_by for pm in self.matching(p))
        out = []
        spec = deadline.spec
        start = spec.valid_from.toordinal()
        end = spec.valid_until.toordinal() if spec.valid_until else None
        for trigger, match in self.matching(deadline.trigger):
            if trigger.latest < start or (end is not None and trigger.earliest > end):
                continue
            base, service = counted_from(deadline, trigger)
            first, rolled_a = last_day(
                base.earliest,
                spec.period,
                deadline.convention,
                deadline.calendar,
            )
            last, rolled_b = last_day(
                base.latest,
                spec.period,
                deadline.convention,
                deadline.calendar,
            )
            expiry = Point.derived(
                f"deadline:{spec.id}:{trigger.key}",
                first + timedelta(days=1),
                last + timedelta(days=1),
            )
            out.append(
                DeadlineInstance(
                    deadline,
                    trigger,
                    match,
                    DateRange(first, last),
                    expiry,
                    rolled_a or rolled_b,
                    met_by,
                    service,
                )
            )
        return out

    def change_points(self) -> list[int]:
        """Every day on which some fluent or rule version may change value."""
        days: set[int] = set()
        for name in self.library.fluents:
            days |= self.fluent(name).change_points()
        for rule in self.library.rules:
            for version in rule.versions:
                for point in (version.start, version.end):
                    if point is not None:
                        days.update((point.earliest, point.latest))
        return sorted(days)


def counted_from(deadline: CompiledDeadline, trigger: Point) -> tuple[DateRange, str]:
    """The days a deadline counts from: the service of the decision where the law says so."""
    if not deadline.spec.from_service or trigger.event is None:
        return trigger.range, ""
    served = trigger.event.attrs.get("served")
    if isinstance(served, DateRange):
        return served, "served"
    return trigger.range, "unknown"
