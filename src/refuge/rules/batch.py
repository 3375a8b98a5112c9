"""The batch path of the law engine: the state of many cases at one date, with NumPy.

    result = evaluate_batch(cases, at)

answers for every case what ``Engine.evaluate(case, at, explain=False)`` answers about
protections, urgent actions, deadlines and the removal verdict, with the same statuses
(certain / possible / unknown, capped for unverified rules), as int8 arrays. It gives no
explanations: a UI shows the compact codes (``barred``, ``deciding``) and re-runs
``Engine.evaluate(case, at)`` on the few cases a user opens (lazy explanations,
rules-engine.md §4, §8).

Left to the per-case path: breaches at past removal events (they are judged just before each
removal, with the removal's mode), the prose, evidence and missing-fact lists of findings, and
the verdict's reasons. Deadline instances are here with their state, last day and status, so
``findings_summary`` lists kinds protection, deadline and action exactly as the engine does.

``build_columns`` and ``evaluate_columns`` split the work for callers that evaluate the same
population at several dates: the columns do not depend on the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from refuge.domain import Case
from refuge.rules.batch_columns import Columns
from refuge.rules.batch_columns import build_columns as _build
from refuge.rules.batch_eval import (
    CERTAIN,
    EXPIRED,
    MET,
    NONE,
    NOT_STARTED,
    POSSIBLE,
    RUNNING,
    UNKNOWN,
    Answers,
    evaluate_at,
)
from refuge.rules.batch_plan import plan_for
from refuge.rules.packs import Library, load_library
from refuge.rules.results import Evaluation
from refuge.rules.tri import Tri

#: Names of the finding status codes (``NONE`` .. ``CERTAIN``) of the status arrays.
STATUS = ("", "unknown", "possible", "certain")
#: Names of the deadline state codes (``NOT_STARTED`` .. ``EXPIRED``).
STATE = ("", "running", "met", "expired")
_TRI: tuple[Tri, Tri, Tri] = (False, None, True)

__all__ = [
    "CERTAIN",
    "EXPIRED",
    "MET",
    "NONE",
    "NOT_STARTED",
    "POSSIBLE",
    "RUNNING",
    "STATE",
    "STATUS",
    "UNKNOWN",
    "BatchResult",
    "Columns",
    "build_columns",
    "evaluate_batch",
    "evaluate_columns",
    "summarise",
]

Summary = list[tuple[str, str, str]]
VerdictSummary = tuple[
    Tri, tuple[tuple[str, Tri], ...], tuple[tuple[str, str], ...], tuple[str, ...]
]


@dataclass(frozen=True, slots=True)
class BatchResult(Answers):
    """Answers for ``len(case_ids)`` cases at ``at``; rows follow the order of the cases.

    Tri arrays are int8 (0 false, 1 unknown, 2 true); status arrays use ``STATUS`` codes;
    rule columns are named by ``*_rules`` and ``*_index`` maps them to ``library.rules``.
    ``errors`` lists the cases the packs cannot evaluate (the per-case engine raises the same
    message for them): their rows are void, every other row is still an answer.
    """

    def lawful_at(self, i: int) -> Tri:
        return _TRI[int(self.lawful[i])]

    def verdict_summary(self, i: int) -> VerdictSummary:
        """(lawful, orders, bars as (rule, status), modes), as ``summarise`` gives it."""
        orders = tuple(
            (order, _TRI[int(self.order_values[i, k])])
            for k, order in enumerate(self.orders)
            if self.order_applies[i, k]
        )
        bars = tuple(
            (self.bar_rules[k], STATUS[int(self.protection_status[i, p])])
            for k, p in enumerate(self.bar_columns)
            if self.barred[i, k]
        )
        modes = tuple(m for k, m in enumerate(self.mode_names) if self.modes[i, k])
        return _TRI[int(self.lawful[i])], orders, bars, modes

    def findings_summary(self, i: int) -> Summary:
        """``(kind, rule, status)`` of the protection, deadline and action findings of case i."""
        out = [
            ("protection", rule, STATUS[int(s)])
            for rule, s in zip(self.protection_rules, self.protection_status[i], strict=True)
            if s
        ]
        lo, hi = np.searchsorted(self.inst_case, [i, i + 1])
        out += [
            (
                "deadline",
                self.deadline_ids[int(self.inst_deadline[k])],
                STATUS[int(self.inst_status[k])],
            )
            for k in range(int(lo), int(hi))
            if self.inst_status[k]
        ]
        out += [
            ("action", rule, STATUS[int(s)])
            for rule, s in zip(self.action_rules, self.action_status[i], strict=True)
            if s
        ]
        return out

    # -- population questions for alerts ---------------------------------------------------
    def deadlines_within(self, days: int) -> npt.NDArray[np.bool_]:
        """Cases with a running deadline whose last day may be at most ``days`` days away."""
        limit = np.datetime64(self.at, "D") + np.timedelta64(days, "D")
        return np.asarray(np.any(self.deadline_next <= limit, axis=1), np.bool_)

    def open_actions(self) -> npt.NDArray[np.bool_]:
        """Cases with at least one urgent action that is (possibly) open."""
        return np.asarray(np.any(self.action_status > NONE, axis=1), np.bool_)


def evaluate_batch(
    cases: Sequence[Case], at: date, *, library: Library | None = None
) -> BatchResult:
    """The state of every case at the end of ``at`` (see the module docstring)."""
    return evaluate_columns(build_columns(cases, library=library), at)


def build_columns(cases: Sequence[Case], *, library: Library | None = None) -> Columns:
    """The date-independent columns of ``cases``, reusable for ``evaluate_columns``."""
    return _build(cases, plan_for(library or load_library()))


def evaluate_columns(columns: Columns, at: date) -> BatchResult:
    """The answers at ``at`` for columns built once (the columns do not depend on the date)."""
    return evaluate_at(columns, at, BatchResult)


def summarise(evaluation: Evaluation) -> tuple[VerdictSummary, Summary]:
    """The per-case engine's answer in the shape of ``verdict_summary``/``findings_summary``."""
    removal = evaluation.removal
    verdict = (
        removal.lawful,
        tuple(removal.orders.items()),
        tuple((b.rule, b.status) for b in removal.barred_by),
        removal.modes,
    )
    kinds = ("protection", "deadline", "action")
    return verdict, [(f.kind, f.rule, f.status) for f in evaluation.findings if f.kind in kinds]
