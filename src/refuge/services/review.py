"""The review queue: what ingestion drafted, one item at a time, and a person's edits.

Two doors onto it: the terminal walk below (the operator's), and :func:`review_queue` with
the decisions after it, which take the acting principal (a page's or token's user, or the
operator) and decide access and role here, for the web, the API and the command line alike.

``refuge review`` (no subcommand) walks a reviewer through :func:`pending_drafts` — merge
proposals first (they decide where facts belong), then people, then events — and applies the
decisions with the store's review use cases. An edit is a review too: the edited event becomes
``verified`` and ``edited``, so no later ingest overwrites it (new evidence is attached).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select, update

from refuge.auth.access import visible
from refuge.auth.users import Principal
from refuge.casefile import case_to_data
from refuge.casefile.load import case_from_data
from refuge.domain import Case, DateRange, Event
from refuge.errors import InputError
from refuge.services import alerts as alert_rules
from refuge.services import store as svc
from refuge.services.acting import NotFound, changed, find_case, require, write
from refuge.services.teams import share_with_creator
from refuge.storage import Store, StoreError
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.resolve import IMPORTED, create_case, write_index
from refuge.storage.tables import cases, events, evidence, merges, people, reports, sources


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


# -- the review queue of the web and the API (and any principal) ------------------------------
@dataclass(frozen=True, slots=True)
class DraftEvent:
    """A draft event in the queue, with the quote it was read from in its context: the stored
    report text around the quote's character offsets (``context`` is ``(before, quote,
    after)``), or the bare quote when the report's text is not kept."""

    ref: int
    case: str
    name: str
    event: str
    type: str
    date: DateRange
    certainty: str | None
    quote: str | None = None
    context: tuple[str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    pk: int
    ref: int
    case: str
    name: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonDraft:
    ref: int
    case: str
    name: str
    aliases: tuple[str, ...]
    citizenship: tuple[str, ...]


CONTEXT_CHARS = 200


def review_queue(
    store: Store, principal: Principal, limit: int = 200
) -> tuple[list[DraftEvent], list[Proposal]]:
    """Draft events (each with its quote in context) and open merge proposals of the cases
    ``principal`` may see; the listing is audited."""
    with store.read() as connection:
        rows = connection.execute(
            select(cases.c.pk.label("ref"), cases.c.id.label("case_id"), people.c.name, events)
            .join(people, people.c.case_pk == cases.c.pk)
            .join(events, events.c.case_pk == cases.c.pk)
            .where(visible(principal), events.c.review == "draft")
            .order_by(cases.c.id, events.c.position)
            .limit(limit)
        ).all()
        quotes = _first_quotes(connection, [r.pk for r in rows])
        open_merges = connection.execute(
            select(
                merges.c.pk, cases.c.pk, cases.c.id, people.c.name, merges.c.score, merges.c.reasons
            )
            .join(cases, merges.c.case_pk == cases.c.pk)
            .join(people, people.c.case_pk == cases.c.pk)
            .where(visible(principal), merges.c.kind == "proposal", merges.c.review == "draft")
            .order_by(merges.c.pk)
            .limit(limit)
        ).all()
    drafts = [
        DraftEvent(
            r.ref,
            r.case_id,
            r.name,
            r.id,
            r.type,
            DateRange(r.date_earliest, r.date_latest, r.date_text),
            r.certainty,
            *quotes.get(r.pk, (None, None)),
        )
        for r in rows
    ]
    proposals = [Proposal(r[0], r[1], r[2], r[3], r[4], tuple(r[5])) for r in open_merges]
    with write(store) as connection:
        detail = f"{len(drafts)} drafts, {len(proposals)} proposals listed"
        record(connection, principal.name, "search", "case", None, detail)
    return drafts, proposals


def _first_quotes(
    connection: Connection, event_pks: list[int]
) -> dict[int, tuple[str | None, tuple[str, str, str] | None]]:
    """Each event's first quote, and its context in the stored report text when the offsets
    point into it (reports are read once each, however many drafts quote them)."""
    if not event_pks:
        return {}
    rows = connection.execute(
        select(
            evidence.c.event_pk,
            evidence.c.quote,
            evidence.c.start,
            evidence.c.end,
            sources.c.report_pk,
        )
        .join(events, events.c.pk == evidence.c.event_pk)
        .outerjoin(
            sources,
            (sources.c.case_pk == events.c.case_pk) & (sources.c.id == evidence.c.source_id),
        )
        .where(evidence.c.event_pk.in_(event_pks))
        .order_by(evidence.c.event_pk, evidence.c.position)
    ).all()
    wanted = {r.report_pk for r in rows if r.report_pk is not None and r.start is not None}
    texts = {
        int(r.pk): str(r.text)
        for r in connection.execute(
            select(reports.c.pk, reports.c.text).where(reports.c.pk.in_(wanted))
        )
        if r.text is not None
    }
    found: dict[int, tuple[str | None, tuple[str, str, str] | None]] = {}
    for r in rows:
        if r.event_pk in found or not (r.quote or r.start is not None):
            continue
        found[r.event_pk] = (r.quote, _around(texts.get(r.report_pk), r.start, r.end))
    return found


def _around(text: str | None, start: int | None, end: int | None) -> tuple[str, str, str] | None:
    if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    before = text[max(0, start - CONTEXT_CHARS) : start]
    return before, text[start:end], text[end : end + CONTEXT_CHARS]


def people_queue(store: Store, principal: Principal, limit: int = 200) -> list[PersonDraft]:
    """The people of visible cases whose identity nobody has reviewed yet."""
    with store.read() as connection:
        rows = connection.execute(
            select(cases.c.pk, cases.c.id, people.c.name, people.c.aliases, people.c.citizenship)
            .join(people, people.c.case_pk == cases.c.pk)
            .where(visible(principal), people.c.review == "draft")
            .order_by(cases.c.id)
            .limit(limit)
        ).all()
    return [PersonDraft(r[0], r[1], r[2], tuple(r[3]), tuple(r[4])) for r in rows]


_VERDICT = {"accept": "verified", "reject": "rejected"}


def review_person(store: Store, principal: Principal, case: int | str, action: str) -> None:
    """Verify or reject who the person of a case is (lawyers; the store audits it)."""
    require(principal, "lawyer")
    if action not in _VERDICT:
        raise InputError("the action is accept or reject")
    with store.read() as connection:
        _pk, case_id = find_case(connection, principal, case)
    svc.review_person(store, case_id, _VERDICT[action], principal.name)
    changed()


@dataclass(frozen=True, slots=True)
class Edit:
    """A corrected date given while reviewing (the full edit is ``services.editing``)."""

    earliest: date | None = None
    latest: date | None = None
    text: str | None = None


def review_event(
    store: Store,
    principal: Principal,
    case: int | str,
    event_id: str,
    action: str,
    edit: Edit | None = None,
) -> None:
    """Accept, reject or edit (and so accept) a draft event: a lawyer's decision, applied by
    the store's review use cases (which audit it and protect it from later ingests)."""
    require(principal, "lawyer")
    if action not in ("accept", "reject", "edit"):
        raise InputError("the action is accept, reject or edit")
    with store.read() as connection:
        pk, case_id = find_case(connection, principal, case)
        known = connection.execute(
            select(events.c.pk).where(events.c.case_pk == pk, events.c.id == event_id)
        ).first()
    if known is None:
        raise NotFound("no such event")
    if action == "edit":
        when = _edited_date(edit)
        edit_event(store, case_id, event_id, when=when, attrs={}, actor=principal.name)
    else:
        svc.review_event(store, case_id, event_id, _VERDICT[action], principal.name)
    changed()


def _edited_date(edit: Edit | None) -> DateRange | None:
    if edit is None or edit.earliest is None or edit.latest is None:
        return None
    if edit.latest < edit.earliest:
        raise InputError("the latest date is before the earliest")
    return DateRange(edit.earliest, edit.latest, (edit.text or "")[:200] or None)


def review_proposal(store: Store, principal: Principal, proposal_pk: int, action: str) -> int:
    """Merge a proposed report into its case (accept), or open it as a case of its own
    (reject: a different person, shared with the reviewer's teams). Returns the key of the
    case the report's facts are now in."""
    require(principal, "lawyer")
    if action not in _VERDICT:
        raise InputError("the action is accept or reject")
    with store.read() as connection:
        found = connection.execute(
            select(merges.c.pk, merges.c.candidate)
            .join(cases, merges.c.case_pk == cases.c.pk)
            .where(merges.c.pk == proposal_pk, merges.c.review == "draft", visible(principal))
        ).first()
        imported = (found.candidate or {}).get(IMPORTED) if found is not None else None
        if (
            imported is not None
            and not connection.execute(
                select(cases.c.pk).where(cases.c.id == imported, visible(principal))
            ).first()
        ):
            found = None  # an imported case the reviewer may not see is never merged by them
    if found is None:
        raise NotFound("no such proposal")
    case_id = svc.review_merge(store, proposal_pk, _VERDICT[action], principal.name)
    with write(store) as connection:
        target = repo.case_pk(connection, case_id)
        if target is None:
            raise NotFound("no such case")
        if action == "reject":
            share_with_creator(connection, principal, target)
    changed()
    return target
