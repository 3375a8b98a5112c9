"""The review queue: what ingestion drafted, one item at a time, and a person's edits.

``refuge review`` (no subcommand) walks a reviewer through :func:`pending_drafts` — merge
proposals first (they decide where facts belong), then people, then events — and applies the
decisions with the store's review use cases. An edit is a review too: the edited event becomes
``verified`` and ``edited``, so no later ingest overwrites it (new evidence is attached).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, update

from refuge.casefile import case_to_data
from refuge.casefile.load import case_from_data
from refuge.domain import Case, DateRange, Event
from refuge.services import alerts as alert_rules
from refuge.services import store as svc
from refuge.storage import Store, StoreError
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.resolve import create_case, write_index
from refuge.storage.tables import events


@dataclass(frozen=True, slots=True)
class Draft:
    """One item awaiting review."""

    kind: str  # "merge" | "person" | "event"
    case_id: str
    merge_pk: int | None = None
    event: Event | None = None
    summary: str = ""


def pending_drafts(store: Store, *, case_id: str | None = None) -> list[Draft]:
    """Everything still in draft, merges first, then each case's person and events."""
    found = [
        Draft(
            "merge",
            m.case_id,
            merge_pk=m.pk,
            summary=f"{m.kind} into {m.case_id} (score {m.score:.2f}): {'; '.join(m.reasons)}",
        )
        for m in svc.list_merges(store, pending_only=True)
        if case_id is None or m.case_id == case_id
    ]
    for case in svc.load_cases(store, case_id):
        person = case.person
        found.append(
            Draft(
                "person",
                case.id,
                summary=f"{person.name} — citizenship "
                f"{', '.join(person.citizenship) or '?'}, born {person.born or '?'}",
            )
        )
        found += [
            Draft("event", case.id, event=e, summary=describe(e))
            for e in case.events
            if e.review == "draft"
        ]
    return [d for d in found if d.kind != "person" or _person_pending(store, d.case_id)]


def _person_pending(store: Store, case_id: str) -> bool:
    return svc.person_review_state(store, case_id) == "draft"


def describe(event: Event) -> str:
    attrs = ", ".join(f"{k}={v}" for k, v in event.attrs.items())
    quote = next((e.quote for e in event.evidence if e.quote), None)
    text = f"{event.id}: {event.type} on {event.date}" + (f" ({attrs})" if attrs else "")
    return text + (f' — "{quote}"' if quote else "")


def edit_event(
    store: Store,
    case_id: str,
    event_id: str,
    *,
    when: DateRange | None,
    attrs: Mapping[str, Any],
    actor: str,
) -> Event:
    """Correct an event's date and attributes; the result is verified and protected."""
    with store.write() as connection:
        pk, case, current = _stored_event(connection, case_id, event_id)
        # Validate through the case-file reader: the same checks and messages as `refuge check`.
        edited = dataclasses.replace(
            current, date=when or current.date, attrs={**current.attrs, **attrs}
        )
        events_now = tuple(edited if e.id == event_id else e for e in case.events)
        checked = case_from_data(
            case_to_data(dataclasses.replace(case, events=events_now)), f"case {case_id}"
        )
        date, merged = checked.event(event_id).date, checked.event(event_id).attrs
        connection.execute(
            update(events)
            .where(events.c.case_pk == pk, events.c.id == event_id)
            .values(
                date_earliest=date.earliest,
                date_latest=date.latest,
                date_text=date.text,
                attrs={
                    k: v.to_data() if isinstance(v, DateRange) else v for k, v in merged.items()
                },
                review="verified",
                edited=True,
            )
        )
        repo.touch_case(connection, pk)
        [updated] = repo.load_cases(connection, [pk])
        write_index(connection, pk, alert_rules.index_entry(updated))
        record(connection, actor, "update", "event", pk, "event edited and verified")
        return updated.event(event_id)


def split_event(store: Store, case_id: str, event_id: str, *, actor: str) -> str:
    """Move an event that belongs to someone else (a wrong merge, a namesake) into a case of its
    own, with a copy of the person to correct; return the new case's id."""
    with store.write() as connection:
        pk, case, event = _stored_event(connection, case_id, event_id)
        cited = {proof.source for proof in event.evidence}
        new = dataclasses.replace(
            case,
            id=f"{case.id}-split",
            events=(dataclasses.replace(event, review="verified"),),
            sources=tuple(s for s in case.sources if s.id in cited),
        )
        new_pk = create_case(connection, new, None, actor, alert_rules.index_entry)
        connection.execute(delete(events).where(events.c.case_pk == pk, events.c.id == event_id))
        repo.touch_case(connection, pk)
        [rest] = repo.load_cases(connection, [pk])
        write_index(connection, pk, alert_rules.index_entry(rest))
        record(connection, actor, "update", "case", pk, "event split off into a new case")
        [created] = repo.load_cases(connection, [new_pk])
        return created.id


def _stored_event(connection: Connection, case_id: str, event_id: str) -> tuple[int, Case, Event]:
    """The case's key, the case and one of its events, or a clear error."""
    pk = svc.require_case_pk(connection, case_id)
    [case] = repo.load_cases(connection, [pk])
    event = next((e for e in case.events if e.id == event_id), None)
    if event is None:
        raise StoreError(f"case {case_id!r} has no event {event_id!r}")
    return pk, case, event
