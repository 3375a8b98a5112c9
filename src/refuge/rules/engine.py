"""The law engine: what the law says about one case at one date.

``evaluate(case, at)`` answers, from the bound timeline and the compiled packs:

* the protections in force at ``at`` and, per legal order, whether removal would be lawful;
* the breaches of safeguards by past removals (or other checked events), each judged with the
  law in force just before that event;
* the deadlines triggered so far, with their last day and state;
* the urgent actions still open.

The evaluation date is an input: the engine never reads the clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from refuge.domain import Case, DateRange, Event
from refuge.rules.binding import BoundCase, DeadlineInstance
from refuge.rules.explain import explain_deadline, explain_rule
from refuge.rules.gates import host_known
from refuge.rules.packs import CompiledRule, Library, load_library
from refuge.rules.results import (
    Bar,
    Evaluation,
    Finding,
    Jurisdiction,
    Premise,
    RemovalVerdict,
    VerdictSpan,
)
from refuge.rules.schema import MODES
from refuge.rules.timeline import DayRef, EventRef, Point, Ref, before
from refuge.rules.tri import Tri, t_and, t_not, t_or


@dataclass(slots=True)
class Context:
    """What a rule condition sees while it is evaluated; records what the answer rested on."""

    bound: BoundCase
    ref: Ref
    removal_mode: str | None = None
    removal_event: Event | None = None
    missing: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    used: dict[str, Tri] = field(default_factory=dict)

    @property
    def case(self) -> Case:
        return self.bound.case

    def fluent(self, name: str) -> Tri:
        memo_key = (name, self.ref.key)
        memo = self.bound.memo
        if memo_key in memo:
            value = memo[memo_key]
        else:
            value = self.bound.fluent(name).holds(self.ref)
            timeless = self.bound.library.fluents[name].timeless
            if value is not False and timeless and isinstance(self.ref, EventRef):
                value = self._as_of_event(name, value)
            memo[memo_key] = value
        self.used[name] = value
        if value is None:
            phrase = self.bound.library.fluents[name].description
            self.note_uncertain(f"the dates do not settle whether {phrase}")
        return value

    def _as_of_event(self, name: str, value: Tri) -> Tri:
        """A risk raised only after the event judged may support a possible finding, no more."""
        if self.bound.dated_fluent(name).holds(self.ref) is True:
            return value
        phrase = self.bound.library.fluents[name].description
        self.note_uncertain(
            f"{phrase}, but only after the removal (or on a day that may be after it): "
            "it may support the finding, which rests on what was known then"
        )
        return None

    def fact(self, name: str) -> Tri:
        value = self.bound.case.facts.get(name)
        if value is None:
            self.missing.add(name)
        return value

    def note_uncertain(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


class Engine:
    _default: Engine | None = None

    @classmethod
    def default(cls) -> Engine:
        """The engine over the bundled packs, built once per process."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    def __init__(self, library: Library | None = None) -> None:
        self.library = library or load_library()
        # What every answer carries so it can be reproduced: pack, version, content hash.
        self.packs = tuple(
            {
                "id": p.meta.id,
                "version": p.meta.version,
                "sha256": p.sha256,
                "verified_through": p.meta.verified_through.isoformat(),
            }
            for p in self.library.packs
        )
        gates = self.library.gates
        self._kinds = {r: gates.kind(r.spec.id, r.order) for r in self.library.rules}
        self._skip: dict[str, frozenset[CompiledRule]] = {}
        # Rules with one version in force at every date: their condition is their value.
        self._timeless = {
            r: v.condition
            for r in self.library.rules
            if len(r.versions) == 1
            and (v := r.versions[0]).condition is not None
            and v.start is None
            and v.end is None
        }
        self._barring: dict[str, tuple[tuple[CompiledRule, frozenset[str]], ...]] = {}
        self._jurisdictions: dict[str, Jurisdiction] = {}
        self._appeal_times: dict[tuple[str, str], bool] = {}
        self._needing = tuple(r for r in self.library.rules if r.spec.needs)
        self._asking = tuple(r for r in self.library.rules if r.spec.asks_host_law)
        self._bases: dict[str, dict[str, dict[str, str]]] = {}
        self.exceptions: dict[str, list[CompiledRule]] = {}
        for rule in self.library.rules:
            for target in rule.spec.defeats:
                self.exceptions.setdefault(target, []).append(rule)

    # -- rule values -----------------------------------------------------------------------
    def gate(self, rule: CompiledRule, ctx: Context) -> Tri:
        """Does the rule apply to this host on this date (jurisdiction, party status)?"""
        kind = self._kinds[rule]
        if kind == ():
            return True
        case, ref = ctx.case, ctx.ref
        if isinstance(kind, str):  # a national order
            return kind == case.host
        bound = ctx.bound
        always = bound.always.get(kind)
        if always is None:
            always = bound.always[kind] = self._always_bound(kind, rule, bound)
        if always:
            return True
        memo_key = (kind, ref.key)
        gate = ctx.bound.gates.get(memo_key)
        if gate is None:
            first, last = (ref.day, ref.day) if isinstance(ref, DayRef) else ref.span
            gate = ctx.bound.gates[memo_key] = self.library.gates.rule(
                rule.spec.id, rule.order, case.host, case.origin, first, last
            )
        if gate.notice is not None:
            ctx.bound.notices.setdefault(gate.notice)
        if gate.value is None and gate.reason is not None:
            ctx.note_uncertain(gate.reason)
        return gate.value

    def _skipped(self, host: str) -> frozenset[CompiledRule]:
        """The rules whose gate is shut for ``host`` at every date, computed once per host."""
        skip = self._skip.get(host)
        if skip is None:
            never = self.library.gates.never
            skip = self._skip[host] = frozenset(
                r for r in self.library.rules if never(self._kinds[r], host)
            )
        return skip

    def _always_bound(self, kind: object, rule: CompiledRule, bound: BoundCase) -> bool:
        """Is the host surely bound on every day this evaluation can look at (its span)?"""
        if bound.span is None:
            return False
        case = bound.case
        first, last = bound.span
        if isinstance(kind, tuple):
            spans = self.library.gates.open_spans(kind, case.host, case.origin)
            if spans is not None:
                return any(a <= first and last <= b for a, b in spans)
        gate = self.library.gates.rule(
            rule.spec.id, rule.order, case.host, case.origin, first, last
        )
        return gate.value is True and gate.notice is None

    def value(self, rule: CompiledRule, ctx: Context) -> Tri:
        """The rule's value under the version(s) in force at the reference point."""
        gate = self.gate(rule, ctx)
        if gate is False:
            return False
        result: Tri = False
        timeless = self._timeless.get(rule)
        if timeless is not None:  # one version, in force at every date: no dates to compare
            value = timeless(ctx)
            result = value if value is None or value is False else True
            return result if gate is True else t_and((gate, result))
        occurred = ctx.ref.occurred
        for version in rule.versions:
            if version.condition is None:
                continue
            in_force: Tri = True if version.start is None else occurred(version.start)
            if in_force is not False and version.end is not None:
                ended = occurred(version.end)
                in_force = False if ended is True else (None if ended is None else in_force)
            if in_force is False:
                continue
            if in_force is None:
                ctx.note_uncertain(f"{rule.spec.citation.text} may not yet have been in force")
            result = t_or((result, t_and((in_force, version.condition(ctx)))))
            if result is True:
                break
        return result if gate is True else t_and((gate, result))

    def effective(self, rule: CompiledRule, ctx: Context) -> Tri:
        value = self.value(rule, ctx)
        if value is False:
            return False
        defeated = t_or(self.value(exc, ctx) for exc in self.exceptions.get(rule.spec.id, ()))
        return t_and((value, t_not(defeated)))

    # -- the questions ---------------------------------------------------------------------
    def evaluate(self, case: Case, at: date, *, explain: bool = True) -> Evaluation:
        bound = BoundCase(case, self.library)
        day = DayRef(at.toordinal())
        bound.span = _span(bound, day.day, day.day)
        findings: list[Finding] = []
        protections = self._protection_values(bound, day)
        findings += [
            self._finding("protection", rule, value, ctx, DateRange.day(at), explain)
            for rule, (value, ctx) in protections.items()
            if value is not False
        ]
        findings += self._breaches(bound, day, explain)
        findings += self._deadlines(bound, day, explain)
        findings += self._actions(bound, day, at, explain)
        verdict = self._verdict(bound, day, protections)
        missing = {name: None for f in findings for name in f.missing_facts}
        missing |= dict.fromkeys(self._to_find_out(bound, day))
        return Evaluation(
            case.id,
            at,
            verdict,
            tuple(findings),
            self.packs,
            self.jurisdiction(case.host),
            tuple(bound.notices),
            tuple(missing),
        )

    def _to_find_out(self, bound: BoundCase, day: DayRef) -> list[str]:
        """Facts a rule needs that the file's events omit (e.g. the offence of a request)."""
        out: list[str] = []
        skip = self._skipped(bound.case.host)
        for rule in self._needing:
            if rule in skip:
                continue
            for need in rule.spec.needs:
                for point in bound.by_type.get(need.event, ()):
                    assert point.event is not None
                    if day.occurred(point) is not False and need.attribute not in point.event.attrs:
                        text = f"{need.text} ({point.key}; {rule.spec.citation.text.strip()})"
                        if text not in out:
                            out.append(text)
        return out + self._host_law_questions(bound, day)

    def _host_law_questions(self, bound: BoundCase, day: DayRef) -> list[str]:
        """What the host's law says that refuge does not encode, where a past removal turns on
        it (issue 9 fault 5: was the person removed before the time to appeal expired?)."""
        removals = [p for p in bound.by_type.get("removal", ()) if day.occurred(p) is not False]
        if not removals:
            return []
        host = bound.case.host
        skip = self._skipped(host)
        asked: dict[str, list[str]] = {}
        for rule in self._asking:
            if rule in skip:
                continue
            for question in rule.spec.asks_host_law:
                if self._appeal_time_encoded(question.decision, host):
                    continue
                for decision in bound.by_type.get(question.decision, ()):
                    for removal in removals:
                        if day.occurred(decision) is False or before(decision, removal) is False:
                            continue
                        text = question.text.replace("{host}", host or "the host state")
                        text = f"{text} ({decision.key}, {removal.key}"
                        asked.setdefault(text, []).append(rule.spec.citation.text.strip())
        return [f"{text}; {', '.join(dict.fromkeys(cites))})" for text, cites in asked.items()]

    def _appeal_time_encoded(self, decision: str, host: str) -> bool:
        """Does a national order applying to ``host`` count a deadline from such a decision?"""
        key = (decision, host)
        known = self._appeal_times.get(key)
        if known is None:
            gates = self.library.gates
            known = self._appeal_times[key] = any(
                d.trigger.event == decision
                and d.order in gates.national
                and gates.order_applies(d.order, host)
                for d in self.library.deadlines
            )
        return known

    def jurisdiction(self, host: str) -> Jurisdiction:
        """Which legal orders judge a case hosted by ``host``, said plainly (once per host)."""
        found = self._jurisdictions.get(host)
        if found is None:
            national = tuple(self.library.gates.national_orders(host))
            found = self._jurisdictions[host] = Jurisdiction(
                host, host_known(host), national, jurisdiction_statement(host, national)
            )
        return found

    def outlook(self, case: Case, start: date, end: date) -> list[VerdictSpan]:
        """The removal verdict from ``start`` to ``end``, one span per stretch of equal verdict.

        Evaluated once per elementary interval between the case's change points, never day by
        day: this is how a lawyer sees when removal would become lawful, and why.
        """
        bound = BoundCase(case, self.library)
        first, last = start.toordinal(), end.toordinal()
        bound.span = _span(bound, first, last)
        starts = [first, *(d for d in bound.change_points() if first < d <= last)]
        spans: list[VerdictSpan] = []
        for i, day in enumerate(starts):
            until = starts[i + 1] - 1 if i + 1 < len(starts) else last
            ref = DayRef(day)
            verdict = self._verdict(bound, ref, self._protection_values(bound, ref))
            span = VerdictSpan(date.fromordinal(day), date.fromordinal(until), verdict)
            if spans and spans[-1].same_verdict(span):
                spans[-1] = dataclasses.replace(spans[-1], until=span.until)
            else:
                spans.append(span)
        return spans

    def _protection_values(
        self, bound: BoundCase, ref: DayRef
    ) -> dict[CompiledRule, tuple[Tri, Context]]:
        """Every protection's value at ``ref``, with the context that explains it."""
        out: dict[CompiledRule, tuple[Tri, Context]] = {}
        skip = self._skipped(bound.case.host)
        for rule in self.library.rules:
            if rule.spec.kind == "protection":
                if rule in skip:
                    out[rule] = (False, Context(bound, ref))
                    continue
                ctx = Context(bound, ref)
                out[rule] = (self.effective(rule, ctx), ctx)
        return out

    def _breaches(self, bound: BoundCase, day: DayRef, explain: bool) -> list[Finding]:
        out = []
        skip = self._skipped(bound.case.host)
        for rule in self.library.rules:
            if rule in skip:
                continue
            if rule.spec.kind == "protection" and rule.spec.effect == "bars_removal":
                out += self._checked_at(rule, bound, day, bound.by_type.get("removal", []), explain)
            elif rule.spec.kind == "safeguard" and rule.check_at is not None:
                points = [p for p, _ in bound.matching(rule.check_at)]
                out += self._checked_at(rule, bound, day, points, explain)
        return out

    def _checked_at(
        self, rule: CompiledRule, bound: BoundCase, day: DayRef, points: list[Point], explain: bool
    ) -> list[Finding]:
        out = []
        for point in points:
            happened = day.occurred(point)
            assert point.event is not None
            mode = point.event.get("via") if point.event.type == "removal" else None
            if happened is False or (mode is not None and mode not in rule.spec.applies_to):
                continue
            removal = point.event if point.event.type == "removal" else None
            ctx = Context(bound, EventRef(point), removal_mode=mode, removal_event=removal)
            value = t_and(
                (
                    happened,
                    self.effective(rule, ctx)
                    if rule.spec.kind == "protection"
                    else self.value(rule, ctx),
                )
            )
            if value is not False:
                out.append(
                    self._finding(
                        "breach", rule, value, ctx, point.range, explain, extra=(point.key,)
                    )
                )
        return out

    def _actions(self, bound: BoundCase, day: DayRef, at: date, explain: bool) -> list[Finding]:
        out = []
        skip = self._skipped(bound.case.host)
        for rule in self.library.rules:
            if rule.spec.kind != "action" or rule in skip:
                continue
            ctx = Context(bound, day)
            value = self.value(rule, ctx)
            if value is False:
                continue
            when = DateRange.day(at, "now")
            if rule.spec.due is not None:
                running = [
                    i
                    for i in bound.deadlines
                    if i.deadline.spec.id == rule.spec.due
                    and day.occurred(i.trigger) is not False
                    and day.occurred(i.expiry) is not True
                ]
                if running:
                    when = max(running, key=lambda i: i.last_day.latest).last_day
            out.append(self._finding("action", rule, value, ctx, when, explain))
        return out

    def _deadlines(self, bound: BoundCase, day: DayRef, explain: bool) -> list[Finding]:
        return [
            f for inst in bound.deadlines if (f := deadline_finding(inst, day, explain)) is not None
        ]

    # -- removal verdict -------------------------------------------------------------------
    def _verdict(
        self,
        bound: BoundCase,
        day: DayRef,
        protections: dict[CompiledRule, tuple[Tri, Context]],
    ) -> RemovalVerdict:
        host = bound.case.host
        basis_by_order = self._bases.get(host)
        if basis_by_order is None:
            basis_by_order = self._bases[host] = {
                order: spec
                for order, spec in self.library.orders_requiring_basis.items()
                if self.library.gates.order_applies(order, host)
            }
        ctx = Context(bound, day)
        modes = {
            mode
            for spec in basis_by_order.values()
            for mode, fluent in spec.items()
            if ctx.fluent(fluent) is not False
        } or set(MODES)
        orders: dict[str, Tri] = {}
        bars: list[Bar] = []
        reasons: list[str] = []
        for rule, applies_to in self._barring_rules(host):
            spec = rule.spec
            orders.setdefault(rule.order, True)
            if not modes & applies_to:
                continue
            value, rule_ctx = protections[rule]
            if value is False:
                continue
            status = _status(value, rule, rule_ctx)
            bars.append(Bar(spec.id, spec.instrument, spec.article, status, rule.order))
            orders[rule.order] = t_and((orders[rule.order], False if value else None))
        for order, fluents in basis_by_order.items():
            basis = t_or(ctx.fluent(f) for f in fluents.values())
            if basis is not True:
                reasons.append(
                    f"{order}: no enforceable removal decision is known"
                    if basis is False
                    else f"{order}: whether an enforceable removal "
                    "decision exists depends on uncertain dates"
                )
            orders[order] = t_and((orders.get(order, True), basis))
        gone = [
            p
            for kind in ("removal", "departure")
            for p in bound.by_type.get(kind, [])
            if day.occurred(p) is not False
        ]
        if gone:
            reasons.insert(
                0,
                f"the person already left or was removed ({gone[0].key}, {gone[0].range}): "
                "this verdict concerns a new removal",
            )
        lawful = t_and(orders.values())
        if self.library.gates.national and not self.jurisdiction(host).national:
            # No national order applies: whether the host has a legal basis to remove is not
            # assessed, so removal is never "lawful" on international law alone.
            lawful = t_and((lawful, None))
            reasons.append(jurisdiction_statement(host))
        return RemovalVerdict(lawful, orders, tuple(bars), tuple(sorted(modes)), tuple(reasons))

    def _barring_rules(self, host: str) -> tuple[tuple[CompiledRule, frozenset[str]], ...]:
        """The rules that bar removal in the orders that apply to ``host``, once per host."""
        rules = self._barring.get(host)
        if rules is None:
            gates = self.library.gates
            rules = self._barring[host] = tuple(
                (rule, frozenset(rule.spec.applies_to))
                for rule in self.library.rules
                if rule.spec.kind == "protection"
                and rule.spec.effect == "bars_removal"
                and gates.order_applies(rule.order, host)
            )
        return rules

    # -- findings --------------------------------------------------------------------------
    def _finding(
        self,
        kind: str,
        rule: CompiledRule,
        value: Tri,
        ctx: Context,
        when: DateRange,
        explain: bool,
        extra: tuple[str, ...] = (),
    ) -> Finding:
        spec = rule.spec
        status = _status(value, rule, ctx)
        events: tuple[str, ...] = extra
        text = ""
        premises: tuple[Premise, ...] = ()
        if explain:
            premises = tuple(
                Premise(
                    name,
                    value,
                    tuple(
                        key
                        for key in ctx.bound.fluent(name).evidence(ctx.ref)
                        if not key.startswith("deadline:")
                    ),
                )
                for name, value in ctx.used.items()
            )
            events = extra + tuple(
                dict.fromkeys(
                    key
                    for p in premises
                    if p.value is not False
                    for key in p.events
                    if key not in extra
                )
            )
            text = explain_rule(
                rule, kind, status, ctx.used, ctx.reasons, sorted(ctx.missing), when, self.library
            )
        return Finding(
            kind,
            spec.id,
            spec.instrument,
            spec.article,
            status,
            spec.basis,
            when,
            rule.order,
            spec.title,
            spec.citation.text.strip(),
            events,
            text,
            tuple(sorted(ctx.missing)),
            None,
            spec.caveat,
            spec.citation.url,
            premises,
        )


def _span(bound: BoundCase, first: int, last: int) -> tuple[int, int]:
    """Every day an evaluation from ``first`` to ``last`` can judge: those and the events'."""
    points = bound.points.values()
    return (
        min([first, *(p.earliest for p in points)]),
        max([last, *(p.latest for p in points)]),
    )


def jurisdiction_statement(host: str, national: tuple[str, ...] = ()) -> str:
    """The plain sentence every output shows about which law judged the case."""
    if not host_known(host):
        return (
            "the host state is unknown: no national law applies; "
            "international law only, party status unknown"
        )
    if not national:
        return f"no national law of {host} is encoded; international law only"
    return f"national law of {host} ({', '.join(national)}) and international law"


def _status(value: Tri, rule: CompiledRule, ctx: Context) -> str:
    if value is True:
        capped = rule.spec.basis == "unverified" or rule.spec.certainty_cap is not None
        return "possible" if capped else "certain"
    return "unknown" if ctx.missing and not ctx.reasons else "possible"


def deadline_finding(inst: DeadlineInstance, day: DayRef, explain: bool) -> Finding | None:
    """The state of one deadline instance at the end of ``day``."""
    started = t_and((day.occurred(inst.trigger), inst.matches))
    if started is False:
        return None
    expiry_first = inst.last_day.earliest.toordinal()
    met: Tri = False
    met_keys = []
    for point, match in inst.met_by:
        in_time = (
            True
            if point.latest <= expiry_first
            else (False if point.earliest > inst.last_day.latest.toordinal() else None)
        )
        value = t_and((day.occurred(point), match, BoundCase.after_trigger(inst, point), in_time))
        if value is not False:
            met_keys.append(point.key)
        met = t_or((met, value))
    expired = day.occurred(inst.expiry)
    if met is True:
        state = "met"
    elif expired is True:
        state = "expired"
    else:
        state = "running"
    settled = met is True or (met is False and expired is not None)
    if state == "expired" and inst.deadline.spec.extendable:
        settled = False  # the authority may have extended it without the timeline showing it
    certain = (
        started is True
        and settled
        and inst.deadline.spec.basis != "unverified"
        and not (inst.rolled and inst.deadline.convention.basis == "unverified")
    )
    spec = inst.deadline.spec
    text = ""
    if explain:
        text = explain_deadline(inst, state, certain)
    return Finding(
        "deadline",
        spec.id,
        spec.instrument,
        spec.article,
        "certain" if certain else "possible",
        spec.basis,
        inst.last_day,
        inst.deadline.order,
        spec.title,
        spec.citation.text,
        (inst.trigger.key, *met_keys),
        text,
        (),
        state,
        None,
        spec.citation.url,
    )


def evaluate(
    case: Case, at: date, *, explain: bool = True, library: Library | None = None
) -> Evaluation:
    """Evaluate ``case`` at ``at`` with the bundled packs (or ``library``)."""
    engine = Engine(library) if library is not None else Engine.default()
    return engine.evaluate(case, at, explain=explain)
