"""The small, safe expression language of law packs.

Packs are data, so they may not contain code. An expression is one line of Python *syntax*,
parsed with ``ast`` and accepted only if every node is on a whitelist; it is then compiled into
closures over three-valued logic. Nothing is ever passed to ``eval``.

Two dialects share the parser:

* **conditions** (``when``, ``violated_when``) combine fluents by name with ``and``, ``or``,
  ``not`` and the functions of ``CONDITION_FUNCTIONS``;
* **filters** (``where`` on an event pattern) compare the event's attributes with constants,
  e.g. ``outcome == 'refused' and against in ('asylum_decision',)``. A missing attribute makes
  a comparison unknown, not false: the engine must not assume what a report did not say.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from refuge.domain import Case, Event
from refuge.errors import LawPackError
from refuge.rules.tri import Tri, t_and, t_not, t_or


class ConditionContext(Protocol):
    """What a condition may ask about the case at the point of evaluation."""

    def fluent(self, name: str) -> Tri: ...
    def fact(self, name: str) -> Tri: ...
    def note_uncertain(self, reason: str) -> None: ...
    @property
    def case(self) -> Case: ...
    @property
    def removal_mode(self) -> str | None: ...
    @property
    def removal_event(self) -> Event | None: ...


Condition = Callable[[ConditionContext], Tri]
Filter = Callable[[Event, Case], Tri]

_MISSING = object()


def _parse(source: str, where: str) -> ast.expr:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise LawPackError(f"{where}: cannot parse expression {source!r}: {exc.msg}") from None
    return tree.body


def _reject(node: ast.AST, where: str, allowed: str) -> LawPackError:
    return LawPackError(
        f"{where}: {ast.unparse(node)!r} is not allowed in a law-pack expression; {allowed}"
    )


# -- conditions ------------------------------------------------------------------------------


def compile_condition(source: str, where: str, fluents: Mapping[str, object]) -> Condition:
    """Compile a rule condition; unknown fluent names are an error at load time."""
    return _Conditions(where, fluents).compile(_parse(source, where))


class _Conditions:
    ALLOWED = (
        "use fluent names, and, or, not, True, False, None and the functions "
        "fact, maybe, citizen_of_host, tagged, origin_in, removal_via, removal_to_risk, "
        "to_requesting_state, file_complete"
    )

    def __init__(self, where: str, fluents: Mapping[str, object]) -> None:
        self.where = where
        self.fluents = fluents

    def compile(self, node: ast.expr) -> Condition:
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v) for v in node.values]
            combine = t_and if isinstance(node.op, ast.And) else t_or
            return lambda ctx: combine(p(ctx) for p in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.compile(node.operand)
            return lambda ctx: t_not(inner(ctx))
        if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)):
            value: Tri = node.value
            return lambda ctx: value
        if isinstance(node, ast.Name):
            return self.fluent(node.id, node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node)
        raise _reject(node, self.where, self.ALLOWED)

    def fluent(self, name: str, node: ast.AST) -> Condition:
        if name not in self.fluents:
            raise LawPackError(
                f"{self.where}: unknown fluent {name!r} in "
                f"{ast.unparse(node)!r}; known: {', '.join(sorted(self.fluents))}"
            )
        return lambda ctx: ctx.fluent(name)

    def call(self, node: ast.Call) -> Condition:
        assert isinstance(node.func, ast.Name)
        name, args = node.func.id, node.args
        strings = [
            a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
        if node.keywords:
            raise _reject(node, self.where, self.ALLOWED)
        if name == "fact" and args and len(strings) >= 1 and len(args) <= 2:
            return self.fact(strings[0], self.compile(args[1]) if len(args) == 2 else None)
        if name == "maybe" and len(args) == 1:
            inner, what = self.compile(args[0]), ast.unparse(args[0])  # unparsed once
            return lambda ctx: _maybe(ctx, inner(ctx), what)
        if name == "citizen_of_host" and not args:
            return lambda ctx: ctx.case.host in ctx.case.person.citizenship
        if name == "tagged" and strings and len(strings) == len(args):
            return lambda ctx: any(tag in ctx.case.tags for tag in strings)
        if name == "origin_in" and strings and len(strings) == len(args):
            return lambda ctx: None if ctx.case.origin is None else ctx.case.origin in strings
        if name == "removal_via" and strings and len(strings) == len(args):
            return lambda ctx: None if ctx.removal_mode is None else ctx.removal_mode in strings
        if name in _CASE_FUNCTIONS and not args:
            return _CASE_FUNCTIONS[name]
        raise _reject(node, self.where, self.ALLOWED)

    @staticmethod
    def fact(name: str, default: Condition | None) -> Condition:
        def value(ctx: ConditionContext) -> Tri:
            known = ctx.fact(name)
            if known is not None:
                return known
            return default(ctx) if default is not None else None

        return value


_RISK_EVENTS = ("risk_allegation", "risk_assessment")


def removal_to_risk(ctx: ConditionContext) -> Tri:
    """At a removal: did it go to the state where the harm is feared (art. 33(1) looks at the
    destination)? A risk event without ``state`` concerns the destination; the origin is always
    a feared state. Outside a removal (a prospective one) the answer is yes."""
    event, case = ctx.removal_event, ctx.case
    if event is None:
        return True
    to = event.attrs.get("to")
    if to is None:
        ctx.note_uncertain("the removal's destination is not recorded")
        return None
    feared = {case.origin} if case.origin else set()
    for e in case.events:
        if e.type in _RISK_EVENTS:
            state = e.attrs.get("state")
            if state is None:
                return True
            feared.add(str(state))
    if to in feared:
        return True
    ctx.note_uncertain(
        f"the removal went to {to}, not to the state where harm is feared "
        f"({', '.join(sorted(feared)) or 'not stated'}): a breach only if {to} sends the person on"
    )
    return None


def to_requesting_state(ctx: ConditionContext) -> Tri:
    """At a removal: did it deliver the person to a state that asked for their extradition?"""
    event = ctx.removal_event
    to = None if event is None else event.attrs.get("to")
    requesters = [e.attrs.get("by") for e in ctx.case.events if e.type == "extradition_request"]
    if not requesters:
        return False
    if to is None:
        return None
    if to in requesters:
        return True
    return None if None in requesters else False


def file_complete(ctx: ConditionContext) -> Tri:
    """A finding resting on the absence of an event needs a file a person marked complete."""
    if ctx.case.complete:
        return True
    ctx.note_uncertain(
        "it rests on the absence of an event (no decision recorded), and the file is not "
        "marked complete"
    )
    return None


_CASE_FUNCTIONS: dict[str, Condition] = {
    "removal_to_risk": removal_to_risk,
    "to_requesting_state": to_requesting_state,
    "file_complete": file_complete,
}


def _maybe(ctx: ConditionContext, value: Tri, what: str) -> Tri:
    """An allegation makes a protection possible, never certain; no allegation, no flag."""
    if value is False:
        return False
    ctx.note_uncertain(f"rests on an allegation ({what}), not on an established finding")
    return None


# -- filters ---------------------------------------------------------------------------------

_CASE_NAMES = ("host", "origin")


def compile_filter(source: str, where: str, attributes: set[str]) -> Filter:
    """Compile a ``where`` filter over the attributes of an event type."""
    return _Filters(where, attributes).compile(_parse(source, where))


class _Filters:
    ALLOWED = (
        "compare event attributes with constants using ==, !=, in, not in; "
        "combine with and, or, not; has('attribute') tests presence"
    )

    def __init__(self, where: str, attributes: set[str]) -> None:
        self.where = where
        self.attributes = attributes

    def compile(self, node: ast.expr) -> Filter:
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v) for v in node.values]
            combine = t_and if isinstance(node.op, ast.And) else t_or
            return lambda e, c: combine(p(e, c) for p in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.compile(node.operand)
            return lambda e, c: t_not(inner(e, c))
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(node)
        if isinstance(node, ast.Name):
            get = self.operand(node)
            return lambda e, c: _truthy(get(e, c))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "has"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
        ):
            attr = str(node.args[0].value)
            self.check_attribute(attr, node)
            return lambda e, c: attr in e.attrs
        raise _reject(node, self.where, self.ALLOWED)

    def compare(self, node: ast.Compare) -> Filter:
        left, right = self.operand(node.left), self.operand(node.comparators[0])
        op = node.ops[0]
        tests: dict[type, Callable[[Any, Any], bool]] = {
            ast.Eq: lambda a, b: bool(a == b),
            ast.NotEq: lambda a, b: bool(a != b),
            ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b,
        }
        test = tests.get(type(op))
        if test is None:
            raise _reject(node, self.where, self.ALLOWED)

        def compare(event: Event, case: Case) -> Tri:
            a, b = left(event, case), right(event, case)
            if a is _MISSING or b is _MISSING:
                return None
            return test(a, b)

        return compare

    def operand(self, node: ast.expr) -> Callable[[Event, Case], Any]:
        if isinstance(node, ast.Constant):
            value = node.value
            return lambda e, c: value
        if isinstance(node, ast.Tuple | ast.List) and all(
            isinstance(x, ast.Constant) for x in node.elts
        ):
            values = tuple(x.value for x in node.elts if isinstance(x, ast.Constant))
            return lambda e, c: values
        if isinstance(node, ast.Name) and node.id in _CASE_NAMES:
            name = node.id
            return lambda e, c: _MISSING if getattr(c, name) is None else getattr(c, name)
        if isinstance(node, ast.Name):
            attr = node.id
            self.check_attribute(attr, node)
            return lambda e, c: e.attrs.get(attr, _MISSING)
        raise _reject(node, self.where, self.ALLOWED)

    def check_attribute(self, attr: str, node: ast.AST) -> None:
        if attr not in self.attributes:
            raise LawPackError(
                f"{self.where}: {attr!r} in {ast.unparse(node)!r} is not an attribute of this "
                f"event type; attributes: {', '.join(sorted(self.attributes)) or 'none'}"
            )


def _truthy(value: Any) -> Tri:
    return None if value is _MISSING else bool(value)
