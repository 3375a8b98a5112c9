"""Store the cases read from one report: merge each into the case of the same person, propose
the merge for review when unsure, or open a new case.

Runs inside the caller's write transaction, so a report's cases, its merges and their audit
entries are committed together or not at all. A human edit is never overwritten: events a
person wrote (``edited``) or reviewed (verified/rejected) and people a person edited only
receive new evidence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, insert, select, true, update

from refuge.casefile import case_to_data
from refuge.domain import Case, Event, Evidence, Person
from refuge.storage import repository as repo
from refuge.storage import search_index
from refuge.storage.audit import record
from refuge.storage.identifiers import new_case_id, shared_store
from refuge.storage.merge import Decision, decide, match_event, name_keys
from refuge.storage.tables import case_index, cases, merges, people, sources
from refuge.storage.tables import name_keys as name_keys_t

Indexer = Callable[[Case], dict[str, Any]]
IMPORTED = "imported_case"  # the key of an import proposal's candidate: the imported case's id
_LOCKED_REVIEWS = ("verified", "rejected")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one case read from a report."""

    kind: str  # created | merged | proposed
    case_id: str
    reasons: tuple[str, ...] = ()


def write_index(connection: Connection, pk: int, entry: dict[str, Any]) -> None:
    """Insert or replace the alerts index row of case ``pk``, and its search index rows
    (every path that changes a case ends here)."""
    connection.execute(case_index.delete().where(case_index.c.case_pk == pk))
    connection.execute(insert(case_index).values(case_pk=pk, **entry))
    search_index.index_cases(connection, [pk])


def write_new_indexes(connection: Connection, entries: list[tuple[int, dict[str, Any]]]) -> None:
    """Insert the alerts index rows of new cases in one statement (and their search rows)."""
    if entries:
        connection.execute(insert(case_index), [{"case_pk": pk, **e} for pk, e in entries])
        search_index.index_cases(connection, [pk for pk, _ in entries])


def store_case(
    connection: Connection,
    case: Case,
    report_pk: int,
    actor: str,
    indexer: Indexer,
    among: ColumnElement[bool] | None = None,
) -> Outcome:
    """Resolve one extracted case against the store and record the result.

    ``among`` restricts the stored cases it may merge into (e.g. those the uploader may see):
    a report must never be merged into, or reveal, another team's case."""
    case = _as_draft(case)
    best_pk, decision = _best_candidate(connection, case, among)
    if best_pk is not None and decision.kind == "merge":
        merge_into(connection, best_pk, case, report_pk, actor, indexer)
        _record_merge(connection, best_pk, report_pk, decision, None)
        record(connection, actor, "merge", "case", best_pk, "report merged into case")
        return Outcome("merged", _case_id(connection, best_pk), decision.reasons)
    if best_pk is not None and decision.kind == "propose":
        _record_merge(connection, best_pk, report_pk, decision, case_to_data(case))
        record(connection, actor, "propose", "case", best_pk, "merge proposed for review")
        return Outcome("proposed", _case_id(connection, best_pk), decision.reasons)
    pk = create_case(connection, case, report_pk, actor, indexer)
    return Outcome("created", _case_id(connection, pk))


def propose_import(
    connection: Connection, pk: int, case: Case, actor: str, batch: Iterable[int]
) -> Outcome | None:
    """Propose merging the imported case ``pk`` into the stored case of the same person, as
    ingestion does for a report (names across scripts and spellings, birth year, citizenship,
    host). Never merged at once, however sure: the imported id stays the case's own until a
    person verifies the proposal. Cases of the same import (``batch``) are not candidates."""
    best_pk, decision = _best_candidate(connection, case, cases.c.pk.notin_(list(batch)))
    if best_pk is None or decision.kind == "distinct":
        return None
    # The candidate names the stored imported case rather than copying it (it is in the store,
    # and a person may edit it before deciding).
    _record_merge(connection, best_pk, None, decision, {IMPORTED: case.id})
    record(connection, actor, "propose", "case", best_pk, "imported case proposed for merging")
    return Outcome("proposed", _case_id(connection, best_pk), decision.reasons)


def accept_import(
    connection: Connection, target: int, imported_id: str, actor: str, indexer: Indexer
) -> None:
    """Merge the imported case into ``target`` (its events stay a person's edits) and remove
    the imported case, which now lives on in ``target``."""
    imported_pk = repo.case_pk(connection, imported_id)
    if imported_pk is None or imported_pk == target:
        return
    current = repo.load_cases(connection, [imported_pk])[0]  # with any edit made since
    merge_into(connection, target, current, None, actor, indexer, edited=True)
    connection.execute(cases.delete().where(cases.c.pk == imported_pk))
    record(connection, actor, "merge", "case", imported_pk, "imported case merged into another")


def create_case(
    connection: Connection,
    case: Case,
    report_pk: int | None,
    actor: str,
    indexer: Indexer,
) -> int:
    """Open a new case from a report.

    In a store shared between teams the id is drawn at random (identifiers.py): one made from
    the person's name, suffixed when taken, told a team that another holds that person. A
    store without teams keeps the analyser's readable id, made unique."""
    shared = shared_store(connection)
    wanted = new_case_id(connection) if shared else _free_case_id(connection, case.id)
    case = dataclasses.replace(case, id=wanted)
    pk = repo.insert_case(connection, case, edited=False)
    if report_pk is not None:
        _link_sources(connection, pk, report_pk)
    write_index(connection, pk, indexer(case))
    record(connection, actor, "create", "case", pk, f"case created, {len(case.events)} events")
    return pk


def _as_draft(case: Case) -> Case:
    events = tuple(dataclasses.replace(e, review="draft") for e in case.events)
    return dataclasses.replace(case, events=events)


_PERSON_COLUMNS = ("name", "aliases", "citizenship", "born_earliest", "born_latest", "born_text")


def _best_candidate(
    connection: Connection, case: Case, among: ColumnElement[bool] | None = None
) -> tuple[int | None, Decision]:
    """The stored case most likely to be this person, with the decision about it.

    Only people sharing a name key and the host are compared, and only their person rows are
    read: the decision rests on names, birth year, citizenship and host, not on timelines.
    """
    keys = sorted(name_keys(case.person))
    if not keys:
        return None, Decision("distinct", 0.0)
    rows = connection.execute(
        select(
            cases.c.pk.label("case_key"),
            cases.c.host,
            *(people.c[n] for n in _PERSON_COLUMNS),
        )
        .join(people, people.c.case_pk == cases.c.pk)
        .where(
            cases.c.host == case.host,
            cases.c.pk.in_(select(name_keys_t.c.case_pk).where(name_keys_t.c.key.in_(keys))),
            true() if among is None else among,
        )
        .order_by(cases.c.created_at, cases.c.pk)  # ties go to the oldest case
    ).all()
    rank = {"merge": 2, "propose": 1, "distinct": 0}
    best: tuple[int | None, Decision] = (None, Decision("distinct", 0.0))
    for row in rows:
        decision = decide(case, Case("", repo.person_of(row), row.host, None, ()))
        if (rank[decision.kind], decision.score) > (rank[best[1].kind], best[1].score):
            best = (row.case_key, decision)
    return best


def merge_into(
    connection: Connection,
    pk: int,
    incoming: Case,
    report_pk: int | None,
    actor: str,
    indexer: Indexer,
    *,
    edited: bool = False,
) -> None:
    """Merge ``incoming`` into case ``pk``: sources added, events corroborated, disputed or
    added, new spellings recorded on a person nobody has edited yet. ``edited``: the incoming
    events are a person's (an imported case file), not drafts read from a report."""
    existing = repo.load_cases(connection, [pk])[0]
    renamed = _merge_sources(connection, pk, existing, incoming, report_pk)
    stored = repo.stored_events(connection, pk)
    position = len(stored)
    for event in incoming.events:
        event = _rename_evidence(event, renamed)
        match = match_event(event, [s.event for s in stored])
        if match.kind == "same":
            target = next(s for s in stored if s.event.id == match.existing)
            _corroborate(connection, target, event)
            continue
        if match.kind == "disputed":
            target = next(s for s in stored if s.event.id == match.existing)
            if not target.edited and target.event.review not in _LOCKED_REVIEWS:
                repo.set_certainty(connection, target.pk, "disputed")
            event = dataclasses.replace(event, certainty="disputed")
        taken = {s.event.id for s in stored}
        event = dataclasses.replace(event, id=_unique(event.id, taken))
        event_pk = repo.add_event(connection, pk, event, position, edited=edited)
        stored.append(repo.StoredEvent(event_pk, event, False))
        position += 1
    _merge_person(connection, pk, existing.person, incoming.person)
    repo.touch_case(connection, pk)
    write_index(connection, pk, indexer(repo.load_cases(connection, [pk])[0]))


def _corroborate(connection: Connection, target: repo.StoredEvent, event: Event) -> None:
    known = {(e.source, e.quote) for e in target.event.evidence}
    new = [e for e in event.evidence if (e.source, e.quote) not in known]
    repo.add_evidence(connection, target.pk, new, len(target.event.evidence))


def _merge_sources(
    connection: Connection, pk: int, existing: Case, incoming: Case, report_pk: int | None
) -> dict[str, str]:
    """Add the incoming sources; return how their ids were renamed to stay unique."""
    by_url = {s.url: s.id for s in existing.sources if s.url}
    taken = {s.id for s in existing.sources}
    renamed: dict[str, str] = {}
    position = len(existing.sources)
    for source in incoming.sources:
        if source.url and source.url in by_url:
            renamed[source.id] = by_url[source.url]
            continue
        new_id = _unique(source.id, taken)
        taken.add(new_id)
        renamed[source.id] = new_id
        repo.add_source(connection, pk, dataclasses.replace(source, id=new_id), position, report_pk)
        position += 1
    return renamed


def _rename_evidence(event: Event, renamed: dict[str, str]) -> Event:
    proofs = tuple(
        Evidence(renamed.get(e.source, e.source), e.quote, e.start, e.end) for e in event.evidence
    )
    return dataclasses.replace(event, evidence=proofs)


def _merge_person(connection: Connection, pk: int, current: Person, incoming: Person) -> None:
    row = connection.execute(
        select(people.c.edited, people.c.review).where(people.c.case_pk == pk)
    ).one()
    if row.edited or row.review in _LOCKED_REVIEWS:
        return
    # Every new spelling is kept (a Cyrillic alias is what a search in Russian will use).
    known = {n.casefold() for n in (current.name, *current.aliases)}
    aliases = list(current.aliases)
    for name in (incoming.name, *incoming.aliases):
        if name.casefold() not in known:
            aliases.append(name)
            known.add(name.casefold())
    citizenship = list(dict.fromkeys((*current.citizenship, *incoming.citizenship)))
    repo.update_person(
        connection,
        pk,
        dataclasses.replace(current, aliases=tuple(aliases), citizenship=tuple(citizenship)),
    )


def _record_merge(
    connection: Connection,
    pk: int,
    report_pk: int | None,
    decision: Decision,
    candidate: dict[str, Any] | None,
) -> None:
    connection.execute(
        insert(merges).values(
            case_pk=pk,
            report_pk=report_pk,
            kind="merged" if candidate is None else "proposal",
            score=round(decision.score, 4),
            reasons=list(decision.reasons),
            candidate=candidate,
            review="draft",
            created_at=datetime.now(UTC),
        )
    )


def _link_sources(connection: Connection, pk: int, report_pk: int) -> None:
    connection.execute(update(sources).where(sources.c.case_pk == pk).values(report_pk=report_pk))


def _case_id(connection: Connection, pk: int) -> str:
    return str(connection.execute(select(cases.c.id).where(cases.c.pk == pk)).scalar_one())


def _free_case_id(connection: Connection, wanted: str) -> str:
    taken = set(
        connection.execute(select(cases.c.id).where(cases.c.id.like(f"{wanted}%"))).scalars()
    )
    return _unique(wanted, taken)


def _unique(wanted: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


__all__ = [
    "Outcome",
    "create_case",
    "merge_into",
    "store_case",
    "write_index",
    "write_new_indexes",
]
