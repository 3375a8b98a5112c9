"""The condition language compiled a second time: into NumPy operations over many cases.

``expr.compile_condition`` turns a condition into closures that answer for one case; this
module turns the same source, through the same parser and the same whitelist, into functions
that answer for a whole column of cases at once. Tri values are int8: 0 = false, 1 = unknown,
2 = true, so Kleene AND is ``minimum``, OR is ``maximum`` and NOT is ``2 - x``.

The per-case engine derives a finding's status from side effects of the evaluation: a fact
that was asked for and missing, or a reason for uncertainty (an unknown fluent, an
allegation). Those side effects depend on short-circuiting (``a and b`` never looks at ``b``
where ``a`` is false), so every compiled node returns, with its value, two boolean columns
``missing`` and ``uncertain`` that are true only on the rows where the per-case closure would
have recorded something.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from refuge.errors import LawPackError
from refuge.rules.expr import _Conditions, _parse, _reject

I8 = npt.NDArray[np.int8]
Bools = npt.NDArray[np.bool_]

FALSE, UNKNOWN, TRUE = 0, 1, 2


@dataclass(slots=True)
class Frame:
    """What a batch condition may read: one row per case, all at the same reference date."""

    n: int
    fluents: Mapping[str, I8]  # fluent name -> tri column
    facts: Mapping[str, tuple[I8, Bools]]  # fact name -> (tri value, known)
    citizen_of_host: Bools
    tagged: Mapping[tuple[str, ...], Bools]  # tag tuple of a tagged() call -> any tag present
    origin_in: Mapping[tuple[str, ...], I8]  # strings of an origin_in() call -> tri column
    complete: Bools = field(default_factory=lambda: np.zeros(0, np.bool_))  # marked complete
    requested: Bools = field(default_factory=lambda: np.zeros(0, np.bool_))  # extradition asked


@dataclass(slots=True)
class Col:
    """A tri column and the rows on which its evaluation noted a missing fact or a doubt."""

    val: I8
    missing: Bools | None = None
    uncertain: Bools | None = None


BatchCondition = Callable[[Frame], Col]


@dataclass(slots=True)
class Needs:
    """What a compiled condition reads, so the caller builds only those columns."""

    facts: set[str] = field(default_factory=set)
    tags: set[tuple[str, ...]] = field(default_factory=set)
    origins: set[tuple[str, ...]] = field(default_factory=set)


def compile_batch_condition(
    source: str, where: str, fluents: Mapping[str, object], needs: Needs
) -> BatchCondition:
    """Compile ``source`` as ``expr.compile_condition`` would, into a column function."""
    return _BatchConditions(where, fluents, needs).compile(_parse(source, where))


def either(a: Bools | None, b: Bools | None) -> Bools | None:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def only(mask: Bools, flags: Bools | None) -> Bools | None:
    return None if flags is None else flags & mask


def _const(value: int) -> BatchCondition:
    return lambda frame: Col(np.full(frame.n, value, dtype=np.int8))


class _BatchConditions:
    """Mirror of ``expr._Conditions``: the same nodes accepted, the same errors raised."""

    def __init__(self, where: str, fluents: Mapping[str, object], needs: Needs) -> None:
        self.where = where
        self.fluents = fluents
        self.needs = needs

    def compile(self, node: ast.expr) -> BatchCondition:
        if isinstance(node, ast.BoolOp):
            return _bool_op([self.compile(v) for v in node.values], isinstance(node.op, ast.And))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.compile(node.operand)
            return lambda frame: _negate(inner(frame))
        if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)):
            return _const({None: UNKNOWN, True: TRUE, False: FALSE}[node.value])
        if isinstance(node, ast.Name):
            return self.fluent(node.id, node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node)
        raise _reject(node, self.where, _Conditions.ALLOWED)

    def fluent(self, name: str, node: ast.AST) -> BatchCondition:
        if name not in self.fluents:
            raise LawPackError(
                f"{self.where}: unknown fluent {name!r} in "
                f"{ast.unparse(node)!r}; known: {', '.join(sorted(self.fluents))}"
            )

        def read(frame: Frame) -> Col:
            val = frame.fluents[name]
            return Col(val, None, val == UNKNOWN)  # Context.fluent notes every unknown read

        return read

    def call(self, node: ast.Call) -> BatchCondition:
        assert isinstance(node.func, ast.Name)
        name, args = node.func.id, node.args
        strings = tuple(
            a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
        )
        if node.keywords:
            raise _reject(node, self.where, _Conditions.ALLOWED)
        if name == "fact" and args and len(strings) >= 1 and len(args) <= 2:
            self.needs.facts.add(strings[0])
            return _fact(strings[0], self.compile(args[1]) if len(args) == 2 else None)
        if name == "maybe" and len(args) == 1:
            return _maybe(self.compile(args[0]))
        if name == "citizen_of_host" and not args:
            return lambda frame: Col(np.where(frame.citizen_of_host, TRUE, FALSE).astype(np.int8))
        if name == "tagged" and strings and len(strings) == len(args):
            self.needs.tags.add(strings)
            return lambda frame: Col(np.where(frame.tagged[strings], TRUE, FALSE).astype(np.int8))
        if name == "origin_in" and strings and len(strings) == len(args):
            self.needs.origins.add(strings)
            return lambda frame: Col(frame.origin_in[strings])
        if name == "removal_via" and strings and len(strings) == len(args):
            # At a date (never at a removal event) the engine knows no removal mode: unknown.
            return _const(UNKNOWN)
        if name == "removal_to_risk" and not args:
            return _const(TRUE)  # at a date: a prospective removal, to the feared state
        if name == "to_requesting_state" and not args:
            return _to_requesting_state
        if name == "file_complete" and not args:
            return _file_complete
        raise _reject(node, self.where, _Conditions.ALLOWED)


def _file_complete(frame: Frame) -> Col:
    complete = frame.complete
    return Col(np.where(complete, TRUE, UNKNOWN).astype(np.int8), None, ~complete)


def _to_requesting_state(frame: Frame) -> Col:
    """At a date there is no removal: false without a request, else unknown (no destination)."""
    return Col(np.where(frame.requested, UNKNOWN, FALSE).astype(np.int8))


def _negate(col: Col) -> Col:
    return Col((TRUE - col.val).astype(np.int8), col.missing, col.uncertain)


def _bool_op(parts: list[BatchCondition], conjunction: bool) -> BatchCondition:
    """``t_and``/``t_or`` stop at the first false/true part: later parts leave no trace there."""
    stop = FALSE if conjunction else TRUE
    reduce = np.minimum if conjunction else np.maximum

    def combine(frame: Frame) -> Col:
        first = parts[0](frame)
        val, missing, uncertain = first.val, first.missing, first.uncertain
        active = first.val != stop
        for part in parts[1:]:
            col = part(frame)
            missing = either(missing, only(active, col.missing))
            uncertain = either(uncertain, only(active, col.uncertain))
            val = reduce(val, col.val)
            active = active & (col.val != stop)
        return Col(val, missing, uncertain)

    return combine


def _fact(name: str, default: BatchCondition | None) -> BatchCondition:
    def value(frame: Frame) -> Col:
        known_val, known = frame.facts[name]
        asked = ~known  # Context.fact records the name as missing whenever it is unknown
        if default is None:
            return Col(np.where(known, known_val, UNKNOWN).astype(np.int8), asked, None)
        col = default(frame)
        val = np.where(known, known_val, col.val).astype(np.int8)
        return Col(val, either(asked, only(asked, col.missing)), only(asked, col.uncertain))

    return value


def _maybe(inner: BatchCondition) -> BatchCondition:
    """An allegation is at most possible, and noting that is itself a reason for doubt."""

    def value(frame: Frame) -> Col:
        col = inner(frame)
        alleged = col.val != FALSE
        return Col(np.minimum(col.val, UNKNOWN), col.missing, either(col.uncertain, alleged))

    return value
