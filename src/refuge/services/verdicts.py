"""The review decisions on stored drafts by case id (``refuge review event|person|merge|
complete`` and the walk): verify or reject merges, events and people, and state that a file is
complete. ``services.review`` calls them for a principal, after deciding access."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from refuge.casefile import parse_case
from refuge.services import alerts as alert_rules
from refuge.storage import Store, StoreError
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.repository import require_case_pk
from refuge.storage.resolve import (
    IMPORTED,
    accept_import,
    create_case,
    merge_into,
    write_index,
)
from refuge.storage.tables import cases, events, merges, people

VERDICTS = ("verified", "rejected")


@dataclass(frozen=True, slots=True)
class MergeRow:
    """A merge done or proposed by ingestion, awaiting (or past) a person's review."""

    pk: int
    case_id: str
    kind: str
    score: float
    reasons: tuple[str, ...]
    review: str

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "reasons": list(self.reasons)}


def list_merges(store: Store, *, pending_only: bool = False) -> list[MergeRow]:
    query = select(merges, cases.c.id.label("case_id")).join(cases).order_by(merges.c.pk)
    if pending_only:
        query = query.where(merges.c.review == "draft")
    with store.read() as connection:
        rows = connection.execute(query).all()
    return [MergeRow(r.pk, r.case_id, r.kind, r.score, tuple(r.reasons), r.review) for r in rows]


def review_merge(store: Store, merge_pk: int, verdict: str, actor: str) -> str:
    """Verify or reject a merge. A verified proposal is merged into its case; a rejected one
    becomes a case of its own. Returns the id of the case the report's facts are now in."""
    _check_verdict(verdict)
    with store.write() as connection:
        row = connection.execute(select(merges).where(merges.c.pk == merge_pk)).first()
        if row is None:
            raise StoreError(f"no merge {merge_pk}; `refuge merges` lists them")
        if row.review != "draft":
            raise StoreError(f"merge {merge_pk} was already reviewed ({row.review})")
        target = row.case_pk
        imported = (row.candidate or {}).get(IMPORTED) if row.kind == "proposal" else None
        if imported is not None:  # an imported case file: merged on a yes, left apart on a no
            if verdict == "verified":
                accept_import(connection, target, imported, actor, alert_rules.index_entry)
            else:
                target = require_case_pk(connection, imported)
        elif row.kind == "proposal":
            candidate = parse_case(json.dumps(row.candidate), f"merge {merge_pk}")
            if verdict == "verified":
                merge_into(
                    connection, target, candidate, row.report_pk, actor, alert_rules.index_entry
                )
            else:
                target = create_case(
                    connection, candidate, row.report_pk, actor, alert_rules.index_entry
                )
        connection.execute(update(merges).where(merges.c.pk == merge_pk).values(review=verdict))
        record(connection, actor, "review", "merge", merge_pk, f"merge {verdict}")
        return str(connection.execute(select(cases.c.id).where(cases.c.pk == target)).scalar_one())


def review_event(store: Store, case_id: str, event_id: str, verdict: str, actor: str) -> None:
    """Verify or reject one event. Reviewed events are a person's: ingestion will only ever
    attach evidence to them."""
    _check_verdict(verdict)
    with store.write() as connection:
        pk = require_case_pk(connection, case_id)
        changed = connection.execute(
            update(events)
            .where(events.c.case_pk == pk, events.c.id == event_id)
            .values(review=verdict, edited=True)
            .returning(events.c.pk)
        ).scalar()
        if changed is None:
            raise StoreError(f"case {case_id!r} has no event {event_id!r}")
        repo.touch_case(connection, pk)
        write_index(connection, pk, alert_rules.index_entry(repo.load_cases(connection, [pk])[0]))
        record(connection, actor, "review", "event", int(changed), f"event {verdict}")


def review_person(store: Store, case_id: str, verdict: str, actor: str) -> None:
    """Verify or reject the person of a case (their name, spellings, birth, citizenship)."""
    _check_verdict(verdict)
    with store.write() as connection:
        pk = require_case_pk(connection, case_id)
        connection.execute(
            update(people).where(people.c.case_pk == pk).values(review=verdict, edited=True)
        )
        record(connection, actor, "review", "person", pk, f"person {verdict}")


def mark_complete(store: Store, case_id: str, complete: bool, actor: str) -> None:
    """A person states that the case records every event that happened (or withdraws it).
    The evaluation depends on it (``file_complete()``), so the alerts index is recomputed."""
    with store.write() as connection:
        pk = require_case_pk(connection, case_id)
        connection.execute(
            update(cases)
            .where(cases.c.pk == pk)
            .values(complete=complete, version=cases.c.version + 1, updated_at=datetime.now(UTC))
        )
        write_index(connection, pk, alert_rules.index_entry(repo.load_cases(connection, [pk])[0]))
        state = "complete" if complete else "not complete"
        record(connection, actor, "review", "case", pk, f"case marked {state}")


def case_id_of(store: Store, pk: int) -> str:
    """The id of the case with key ``pk``."""
    with store.read() as connection:
        return str(connection.execute(select(cases.c.id).where(cases.c.pk == pk)).scalar_one())


def person_review_state(store: Store, case_id: str) -> str | None:
    """The review state of a case's person (draft, verified, rejected; None if never set)."""
    with store.read() as connection:
        pk = require_case_pk(connection, case_id)
        state = connection.execute(select(people.c.review).where(people.c.case_pk == pk)).scalar()
    return None if state is None else str(state)


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise StoreError(f"review must be one of {', '.join(VERDICTS)}, not {verdict!r}")
