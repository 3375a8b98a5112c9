"""A request the lawyer confirms was sent becomes an ``interim_measures_request`` event.

The event goes through the same path as every other change of a stored case: validated by the
case-file reader, written with the case's alert index refreshed (so deadlines and alerts move
on) and audited in the same transaction.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from refuge.casefile import case_to_data
from refuge.casefile.load import case_from_data
from refuge.domain import Case, DateRange, Event
from refuge.services import alerts as alert_rules
from refuge.services import store as store_service
from refuge.services.filing.bodies import BODIES
from refuge.services.filing.request import FilingRefused
from refuge.storage import Store
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.resolve import write_index


def request_event(case: Case, body_id: str, sent: date) -> Event:
    """The event for a request to ``body_id`` sent on ``sent``, with an id free in ``case``."""
    body = BODIES.get(body_id)
    if body is None:
        raise FilingRefused(f"unknown body {body_id!r}: use one of {', '.join(sorted(BODIES))}")
    taken = {e.id for e in case.events}
    base = f"im-request-{body.id}-{sent.isoformat()}"
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return Event(
        ident,
        "interim_measures_request",
        DateRange.day(sent),
        {"body": body.event_body},
        review="verified",
        note="Sent, as confirmed by the lawyer in refuge.",
    )


def record_request_sent(store: Store, case_id: str, body_id: str, sent: date, actor: str) -> Event:
    """Add the sent request to stored case ``case_id``; return the event written."""
    with store.write() as connection:
        pk = store_service.require_case_pk(connection, case_id)
        [case] = repo.load_cases(connection, [pk])
        event = request_event(case, body_id, sent)
        # Validate through the case-file reader: the same checks and messages as `refuge check`.
        case_from_data(
            case_to_data(dataclasses.replace(case, events=(*case.events, event))),
            f"case {case_id}",
        )
        repo.add_event(connection, pk, event, len(case.events), edited=True)
        repo.touch_case(connection, pk)
        [updated] = repo.load_cases(connection, [pk])
        write_index(connection, pk, alert_rules.index_entry(updated))
        record(connection, actor, "create", "event", pk,
               f"interim measures request to {body_id} recorded as sent")  # fmt: skip
        return event
