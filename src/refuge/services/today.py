"""Today: one row per person, most urgent first, with what to do, where, and how long is left.

A lawyer's first question is not "which rules fired" but "whom must I help first, and how".
This module turns the alerts (``services/alerts.py``: precomputed per case, so this stays cheap
over tens of thousands of cases) into that view: the alerts of one case (one person) become
one row with the person's name, host state and what is at stake, and steps sorted by their
due day. An action the law gives no date for is never shown as a bare "now": before removal
it is "as soon as possible, before removal" with the reason, after removal "as soon as
possible" with what the delay costs. The command line, ``GET /api/today`` and the web app's
first page all render these rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from refuge.services.alerts import Alert
from refuge.services.store import collect_alerts
from refuge.storage import Store
from refuge.storage.tables import cases, people

_KIND_RANK = {"removal": 0, "deadline": 1, "action": 2, "unknown": 3}
ASAP_BEFORE = "as soon as possible, before removal"
ASAP_AFTER = "as soon as possible"
WHY_BEFORE = "the law sets no date, and removal can come at any time"
WHY_AFTER = "the person is in the receiving state's hands: each day without news adds to the risk"


@dataclass(frozen=True, slots=True)
class Who:
    """What the store knows about the person of a case (never logged)."""

    ref: int
    name: str
    host: str
    origin: str | None


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to do for a person: what (and where), by when, how long is left."""

    kind: str  # removal | deadline | action | unknown
    what: str
    todo: str
    due: date
    days: int  # days left from the reference day (negative: overdue)
    when: str  # "in 3 days", "today", "overdue by 2 days", "as soon as possible, ..."
    why: str  # the reason, and for an undated step why it has no date
    status: str
    rule: str | None

    @property
    def undated(self) -> bool:
        """The law gives this step no date: it is due as soon as possible."""
        return self.when in (ASAP_BEFORE, ASAP_AFTER)

    @property
    def detail(self) -> str:
        """The line under the step: why it has no date, or what to do by when."""
        return self.why if self.undated else self.todo

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "todo": self.todo,
            "due": self.due.isoformat(),
            "days_left": self.days,
            "when": self.when,
            "why": self.why,
            "status": self.status,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person on the Today page."""

    case: str
    who: Who
    removed: bool
    stake: str
    steps: tuple[Step, ...]

    @property
    def next(self) -> Step:
        return self.steps[0]

    def sort_key(self) -> tuple[bool, date, int, bool, str]:
        """People still in the host first (a removal can still be prevented), by their nearest
        due day; then people already removed, whose steps have no date (they would otherwise
        all be due today and push a deadline three days away down the page)."""
        first = self.next
        return (
            self.removed,
            first.due,
            _KIND_RANK[first.kind],
            first.status != "certain",
            self.case,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "case_ref": self.who.ref,
            "name": self.who.name,
            "host": self.who.host,
            "origin": self.who.origin,
            "removed": self.removed,
            "stake": self.stake,
            "due": self.next.due.isoformat(),
            "days_left": self.next.days,
            "when": self.next.when,
            "steps": [s.to_json() for s in self.steps],
        }


def days_left(due: date, at: date) -> str:
    """``in 3 days``, ``tomorrow``, ``today``, ``overdue by 2 days``."""
    gap = (due - at).days
    if gap == 0:
        return "today"
    if gap == 1:
        return "tomorrow"
    if gap > 1:
        return f"in {gap} days"
    return f"overdue by {-gap} day{'s' if gap < -1 else ''}"


def step(alert: Alert, at: date) -> Step:
    """The step a lawyer reads for ``alert`` (an action without a date gets an explicit one)."""
    undated = alert.kind == "action" and alert.todo == "now"
    if undated:
        when = ASAP_AFTER if alert.after_removal else ASAP_BEFORE
        why = WHY_AFTER if alert.after_removal else WHY_BEFORE
        todo = f"{when}: {why}"
    else:
        when, why, todo = days_left(alert.due, at), alert.reason, alert.todo
    return Step(
        alert.kind, alert.reason, todo, alert.due, (alert.due - at).days, when, why, alert.status,
        alert.rule,
    )  # fmt: skip


def stake(who: Who, alerts: list[Alert]) -> str:
    """What is at stake for the person, in one line."""
    to = f" to {who.origin}" if who.origin else ""
    if any(a.after_removal for a in alerts):
        return f"already removed from {who.host}{to}: protection and redress from outside"
    removal = next((a for a in alerts if a.kind == "removal"), None)
    if removal is not None:
        verb = "would be" if removal.status == "certain" else "may be"
        return f"removal from {who.host}{to} {verb} lawful {_from(removal)}"
    if any(a.kind == "deadline" for a in alerts):
        return f"a time limit runs out in {who.host}; missing it opens the way to removal{to}"
    if any(a.kind == "unknown" for a in alerts):
        return "the case cannot be evaluated: check the case file"
    return f"protection in {who.host} depends on an urgent step"


def _from(removal: Alert) -> str:
    return "now" if "lawful now" in removal.reason else f"from {removal.due.isoformat()}"


def build(alerts: Iterable[Alert], who: Mapping[str, Who], at: date) -> list[PersonRow]:
    """Group ``alerts`` by case (one person each) into rows, most urgent person first. Cases
    missing from ``who`` (not visible to the reader) are left out."""
    grouped: dict[str, list[Alert]] = {}
    for alert in alerts:
        if alert.case in who:
            grouped.setdefault(alert.case, []).append(alert)
    rows = []
    for case_id, found in grouped.items():
        steps = sorted(
            (step(a, at) for a in found),
            key=lambda s: (s.due, _KIND_RANK[s.kind], s.status != "certain", s.rule or ""),
        )
        person = who[case_id]
        removed = any(a.after_removal for a in found)
        rows.append(PersonRow(case_id, person, removed, stake(person, found), tuple(steps)))
    return sorted(rows, key=PersonRow.sort_key)


def people_of(connection: Connection, case_ids: Iterable[str], *where: Any) -> dict[str, Who]:
    """Name, host and origin of the cases ``case_ids`` (restricted by ``where``, e.g. access)."""
    wanted = sorted(set(case_ids))
    found: dict[str, Who] = {}
    columns = (cases.c.id, cases.c.pk, people.c.name, cases.c.host, cases.c.origin)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = connection.execute(
            select(*columns).join(people).where(cases.c.id.in_(chunk), *where)
        )
        found.update({str(r.id): Who(int(r.pk), r.name, r.host, r.origin) for r in rows})
    return found


def today(store: Store, at: date, within: int, since: datetime | None = None) -> list[PersonRow]:
    """Every person of the store with something to do in the next ``within`` days (the
    command line's view: the operator sees every case); with ``since``, only those whose case
    was created or changed from then on ("new since yesterday")."""
    found = collect_alerts(store, at, within, since)
    with store.read() as connection:
        who = people_of(connection, (a.case for a in found))
    return build(found, who, at)
