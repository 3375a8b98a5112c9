"""Alerts: who may be removed soon, which deadlines run out, which urgent actions are open.

The engine answers for one case at one date (about a millisecond). A team store holds tens of
thousands of cases, most of them settled long ago, so ``refuge alerts`` must not evaluate them
all. The batch path rests on one property of the engine: a case's evaluation can only change
on the days where one of its points (an event's first or last possible day, a deadline's
expiry, a rule version's entry into force) begins or ends. So at write time we store, per case,

* ``tail_from``: the last day of its last event; ``stable_from``: the day after which nothing
  in the case can change any more;
* the alert-relevant summary of the evaluation on each segment between its change points from
  ``tail_from`` on (``alerting`` if the final one raises any alert).

Events are recorded after they happen, so at any date nearly every case is past its last
event: only derived points (deadline expiries) can still change it. At write time we therefore
evaluate each case once per segment of that *tail* (a few evaluations) and store the
summaries. At alert time, cases settled before ``at`` are read from their last summary (an
indexed range scan on ``stable_from``, only those with ``alerting`` set), cases in their tail
from the stored segments, and only the rest (``at`` before the case's last event: a
retrospective question) are evaluated, at ``at`` and at each change point in the window.
Summaries record the digest of the law packs and refuge release they were computed with, and
a stale one is treated as live, so a law change never leaves an alert computed under the old
law (``refuge db reindex`` refreshes them).
``tests/storage/test_storage_alerts.py`` checks that this path agrees with evaluating every
case directly.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import metadata
from typing import Any

from refuge.domain import Case
from refuge.errors import RefugeError
from refuge.rules.binding import BoundCase
from refuge.rules.engine import evaluate
from refuge.rules.packs import load_library
from refuge.rules.results import Evaluation

Summary = dict[str, Any]
_KIND_RANK = {"removal": 0, "deadline": 1, "action": 2, "unknown": 3}
_GONE = ("removal", "departure")


@dataclass(frozen=True, slots=True)
class Alert:
    """One thing a lawyer must look at, with the reason and what to do."""

    case: str
    kind: str  # removal | deadline | action | unknown
    due: date
    status: str  # certain | possible | unknown
    reason: str
    todo: str
    rule: str | None = None
    # the person has already left or been removed: what remains is done from outside the host
    after_removal: bool = False

    def sort_key(self) -> tuple[date, int, int, str, str]:
        return (
            self.due,
            _KIND_RANK[self.kind],
            self.status != "certain",
            self.case,
            self.rule or "",
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "status": self.status,
            "reason": self.reason,
            "todo": self.todo,
            "rule": self.rule,
            "after_removal": self.after_removal,
        }


@cache
def engine_digest() -> str:
    """Digest of the law packs and of the refuge release: a stored summary is valid only under
    the law and the engine that computed it. (Hashing the engine's source instead would make
    every development edit invalidate every index; a release changes the version.)"""
    digest = hashlib.sha256(_refuge_version().encode())
    for pack in load_library().packs:
        digest.update(pack.sha256.encode())
    return digest.hexdigest()


def _refuge_version() -> str:
    try:
        return metadata.version("refuge")
    except metadata.PackageNotFoundError:
        return "unreleased"


def change_days(case: Case) -> list[date]:
    """Every day on which the evaluation of ``case`` may differ from the day before."""
    bound = BoundCase(case, load_library())
    days = set(bound.change_points())
    points = list(bound.points.values())
    for inst in bound.deadlines:
        points += [inst.trigger, inst.expiry, *(p for p, _ in inst.met_by)]
    for point in points:
        days.update((point.earliest, point.latest, point.latest + 1))
    return [date.fromordinal(d) for d in sorted(days) if d > 1]


def summarise(case: Case, evaluation: Evaluation, at: date) -> Summary:
    """The alert-relevant part of an evaluation, as JSON-ready data."""
    deadlines = [
        _span(f.rule, f.title, f.status, f.date.earliest, f.date.latest)
        for f in evaluation.of_kind("deadline")
        if f.state == "running"
    ]
    actions = [
        _span(f.rule, f.title, f.status, f.date.earliest, f.date.latest)
        if f.date.text != "now"
        else _span(f.rule, f.title, f.status, None, None)
        for f in evaluation.of_kind("action")
        if f.status in ("certain", "possible")
    ]
    gone = any(e.type in _GONE and e.date.latest <= at for e in case.events)
    return {
        "lawful": evaluation.removal.lawful,
        "gone": gone,
        "deadlines": deadlines,
        "actions": actions,
        # which law judged the case, when it is not the host's own (and party-status notices)
        "law": list(evaluation.messages),
    }


def _span(rule: str, title: str, status: str, first: date | None, last: date | None) -> Summary:
    return {
        "rule": rule,
        "title": title,
        "status": status,
        "earliest": first.isoformat() if first else None,
        "latest": last.isoformat() if last else None,
    }


def alerting(summary: Summary) -> bool:
    """Would this (settled) summary raise any alert?"""
    removable = not summary["gone"] and summary["lawful"] is not False
    return removable or bool(summary["deadlines"]) or bool(summary["actions"])


def index_entry(case: Case) -> dict[str, Any]:
    """The ``case_index`` values for ``case``: its summaries on the tail of its timeline.

    The tail starts on the last day of the last event: from there on only derived points
    (deadline expiries, rule versions) remain, and a store's cases are almost always in their
    tail, since events are recorded after they happen. Each segment ``[day, next day)`` has one
    summary; the last one holds forever (``stable_from``).
    """
    days = change_days(case)
    last_event = max((e.date.latest for e in case.events), default=date(1, 1, 2))
    tail = [d for d in days if d >= last_event] or [last_event]
    try:
        segments: list[tuple[str, Summary]] = [
            (d.isoformat(), summarise(case, evaluate(case, d, explain=False), d)) for d in tail
        ]
    except RefugeError:
        # Cannot be evaluated (e.g. a date outside a holiday calendar): always live, so the
        # alerts command reports the problem instead of hiding the case.
        return {
            "tail_from": date.max,
            "stable_from": date.max,
            "packs": engine_digest(),
            "alerting": True,
            "final": {},
            "segments": [],
        }
    return {
        "tail_from": tail[0],
        "stable_from": tail[-1],
        "packs": engine_digest(),
        "alerting": alerting(segments[-1][1]),
        "final": segments[-1][1],
        "segments": segments,
    }


def tail_alerts(case_id: str, segments: list[list[Any]], at: date, within: int) -> list[Alert]:
    """Alerts from stored tail segments (``at`` must be on or after the first one)."""
    end = at + timedelta(days=within)
    starts = [date.fromisoformat(s[0]) for s in segments]
    now = next(
        s[1] for start, s in zip(reversed(starts), reversed(segments), strict=True) if start <= at
    )
    ahead = [(start, s[1]) for start, s in zip(starts, segments, strict=True) if at < start <= end]
    return alerts_from(case_id, now, ahead, at, end)


# -- turning summaries into alerts -----------------------------------------------------------
def alerts_from(
    case_id: str,
    now: Summary,
    ahead: Iterable[tuple[date, Summary]],
    at: date,
    end: date,
) -> list[Alert]:
    """The alerts of one case: ``now`` is its summary at ``at``; ``ahead`` lazily yields its
    summaries at the change points inside the window (consulted only if needed)."""
    out = _removal_alerts(case_id, now, ahead, at)
    for d in now["deadlines"]:
        first = date.fromisoformat(d["earliest"])
        if first <= end:
            out.append(
                Alert(
                    case_id,
                    "deadline",
                    first,
                    d["status"],
                    f"{d['title']}: last day {_when(d)}",
                    f"act before the end of {first.isoformat()}",
                    d["rule"],
                )
            )
    for a in now["actions"]:
        due = date.fromisoformat(a["earliest"]) if a["earliest"] else at
        if due <= end:
            todo = f"by {_when(a)}" if a["earliest"] else "now"
            out.append(Alert(case_id, "action", due, a["status"], a["title"], todo, a["rule"]))
    law = now.get("law") or []
    if law:  # say on every alert of the case which law judged it
        note = f" [{'; '.join(law)}]"
        out = [dataclasses.replace(a, reason=a.reason + note) for a in out]
    if now["gone"]:
        out = [dataclasses.replace(a, after_removal=True) for a in out]
    return out


def _removal_alerts(
    case_id: str, now: Summary, ahead: Iterable[tuple[date, Summary]], at: date
) -> list[Alert]:
    if now["gone"]:
        return []
    if now["lawful"] is not False:
        return [_removal(case_id, at, now["lawful"], "now")]
    for day, later in ahead:
        if not later["gone"] and later["lawful"] is not False:
            return [_removal(case_id, day, later["lawful"], f"from {day.isoformat()}")]
    return []


def _removal(case_id: str, day: date, lawful: bool | None, when: str) -> Alert:
    status = "certain" if lawful else "possible"
    reason = (
        f"removal would be lawful {when}: no protection in force bars it"
        if lawful
        else f"removal may be lawful {when}: the known dates do not settle the protections"
    )
    todo = "challenge the removal decision or ask a UN body for interim measures before then"
    return Alert(case_id, "removal", day, status, reason, todo)


def _when(span: Summary) -> str:
    first, last = span["earliest"], span["latest"]
    return first if first == last else f"{first}..{last}"


def live_alerts(case: Case, at: date, within: int) -> list[Alert]:
    """Alerts for ``case`` by evaluating it directly (the reference the batch path matches)."""
    end = at + timedelta(days=within)
    try:
        now = summarise(case, evaluate(case, at, explain=False), at)
        days = [d for d in change_days(case) if at < d <= end]
    except RefugeError as error:
        return [Alert(case.id, "unknown", at, "unknown", str(error), "check the case file")]
    ahead = _lazy(case, days, lambda d: summarise(case, evaluate(case, d, explain=False), d))
    return alerts_from(case.id, now, ahead, at, end)


def _lazy(
    case: Case, days: list[date], summary_at: Callable[[date], Summary]
) -> Iterable[tuple[date, Summary]]:
    for day in days:
        try:
            yield day, summary_at(day)
        except RefugeError:
            return


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Most urgent first: earliest due day, then removal before deadline before action."""
    return sorted(alerts, key=Alert.sort_key)
