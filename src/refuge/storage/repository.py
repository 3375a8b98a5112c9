"""Rows <-> domain objects: the only module that knows how a ``Case`` is laid out in tables.

Cases are loaded in batches (five queries per batch, whatever its size) because export and the
alerts batch path read thousands of cases at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from refuge.domain import Case, DateRange, Event, Evidence, Person, Source
from refuge.domain.vocabulary import EVENT_TYPES
from refuge.storage import search_index
from refuge.storage.database import StoreError
from refuge.storage.identifiers import new_case_keys
from refuge.storage.merge import name_keys
from refuge.storage.tables import cases, events, evidence, people, sources
from refuge.storage.tables import name_keys as name_keys_t

BATCH = 500


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event with what the store knows beyond the case file: its key and whether a person
    wrote or edited it (then ingestion may only attach evidence to it)."""

    pk: int
    event: Event
    edited: bool


def case_pk(connection: Connection, case_id: str) -> int | None:
    return connection.execute(select(cases.c.pk).where(cases.c.id == case_id)).scalar()


def require_case_pk(connection: Connection, case_id: str) -> int:
    """The key of case ``case_id``, or a clear error naming the command that lists cases."""
    pk = case_pk(connection, case_id)
    if pk is None:
        raise StoreError(f"no case {case_id!r} in the store; `refuge cases` lists them")
    return pk


def insert_case(connection: Connection, case: Case, *, edited: bool) -> int:
    """Store a new case (person, sources, events, evidence); return its key."""
    [pk] = new_case_keys(connection, 1)  # random, not sequential: identifiers.py
    connection.execute(insert(cases).values(_case_row(pk, case, datetime.now(UTC))))
    _insert_person(connection, pk, case.person, edited=edited)
    _insert_body(connection, pk, case, edited=edited)
    return pk


def _case_row(pk: int | None, case: Case, now: datetime) -> dict[str, Any]:
    row = {
        "id": case.id,
        "host": case.host,
        "origin": case.origin,
        "tags": list(case.tags),
        "facts": dict(case.facts),
        "complete": case.complete,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return row if pk is None else {"pk": pk, **row}


def insert_many(connection: Connection, found: Sequence[Case], *, edited: bool) -> list[int]:
    """Store many new cases with one multi-row insert per table; return their keys in order.

    Case keys are drawn at random (identifiers.py), event keys after the largest one in use:
    callers hold the write lock (``Store.write``), so no other writer can take the same keys
    meanwhile.
    """
    if not found:
        return []
    pks = sorted(new_case_keys(connection, len(found)))  # (created_at, pk): insertion order
    event_pk = _next_pk(connection, events)
    now = datetime.now(UTC)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pk, case in zip(pks, found, strict=True):
        rows["cases"].append(_case_row(pk, case, now))
        rows["people"].append(_person_row(pk, case.person, edited))
        rows["name_keys"] += [{"case_pk": pk, "key": k} for k in sorted(name_keys(case.person))]
        rows["sources"] += [_source_row(pk, s, i, None) for i, s in enumerate(case.sources)]
        for position, event in enumerate(case.events):
            rows["events"].append({"pk": event_pk, **_event_row(pk, event, position, edited)})
            rows["evidence"] += _evidence_rows(event_pk, event.evidence, 0)
            event_pk += 1
    for table in (cases, people, name_keys_t, sources, events, evidence):
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])
    _advance_sequences(connection)
    return pks


def _next_pk(connection: Connection, table: Any) -> int:
    return int(connection.execute(select(func.coalesce(func.max(table.c.pk), 0))).scalar_one()) + 1


def _advance_sequences(connection: Connection) -> None:
    """PostgreSQL: move the key sequences past keys inserted explicitly."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("events",):  # case keys are random, never taken from a sequence
        # Table names come from the fixed tuple above, never from input.
        statement = (
            f"SELECT setval(pg_get_serial_sequence('{table}', 'pk'), (SELECT max(pk) FROM {table}))"  # noqa: S608
        )
        connection.exec_driver_sql(statement)


def replace_case(connection: Connection, pk: int, case: Case, *, edited: bool) -> None:
    """Replace everything stored for case ``pk`` with ``case`` (a person re-imported it)."""
    for table in (people, sources, events, name_keys_t):
        connection.execute(delete(table).where(table.c.case_pk == pk))
    connection.execute(
        update(cases)
        .where(cases.c.pk == pk)
        .values(
            host=case.host,
            origin=case.origin,
            tags=list(case.tags),
            facts=dict(case.facts),
            complete=case.complete,
            version=cases.c.version + 1,
            updated_at=datetime.now(UTC),
        )
    )
    _insert_person(connection, pk, case.person, edited=edited)
    _insert_body(connection, pk, case, edited=edited)


def touch_case(connection: Connection, pk: int) -> None:
    """Bump the version of case ``pk`` after a partial change (a merge)."""
    connection.execute(
        update(cases)
        .where(cases.c.pk == pk)
        .values(version=cases.c.version + 1, updated_at=datetime.now(UTC))
    )


def _insert_body(connection: Connection, pk: int, case: Case, *, edited: bool) -> None:
    for position, source in enumerate(case.sources):
        add_source(connection, pk, source, position)
    for position, event in enumerate(case.events):
        add_event(connection, pk, event, position, edited=edited)


def _insert_person(connection: Connection, pk: int, person: Person, *, edited: bool) -> None:
    connection.execute(insert(people).values(_person_row(pk, person, edited)))
    set_name_keys(connection, pk, person)


def _person_row(pk: int, person: Person, edited: bool) -> dict[str, Any]:
    born = person.born
    return {
        "case_pk": pk,
        "name": person.name,
        "aliases": list(person.aliases),
        "citizenship": list(person.citizenship),
        "born_earliest": born.earliest if born else None,
        "born_latest": born.latest if born else None,
        "born_text": born.text if born else None,
        "review": "draft",
        "edited": edited,
    }


def set_name_keys(connection: Connection, pk: int, person: Person) -> None:
    connection.execute(delete(name_keys_t).where(name_keys_t.c.case_pk == pk))
    keys = sorted(name_keys(person))
    if keys:
        connection.execute(insert(name_keys_t), [{"case_pk": pk, "key": k} for k in keys])


def update_person(connection: Connection, pk: int, person: Person) -> None:
    """Record more spellings or citizenships learnt from a report (draft people only)."""
    connection.execute(
        update(people)
        .where(people.c.case_pk == pk)
        .values(aliases=list(person.aliases), citizenship=list(person.citizenship))
    )
    set_name_keys(connection, pk, person)
    search_index.index_cases(connection, [pk])


def add_source(
    connection: Connection, pk: int, source: Source, position: int, report_pk: int | None = None
) -> None:
    connection.execute(insert(sources).values(_source_row(pk, source, position, report_pk)))


def _source_row(pk: int, source: Source, position: int, report_pk: int | None) -> dict[str, Any]:
    published = source.published
    return {
        "case_pk": pk,
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet,
        "url": source.url,
        "published_earliest": published.earliest if published else None,
        "published_latest": published.latest if published else None,
        "published_text": published.text if published else None,
        "report_pk": report_pk,
        "position": position,
    }


def add_event(connection: Connection, pk: int, event: Event, position: int, *, edited: bool) -> int:
    """Store one event of case ``pk`` with its evidence; return the event's key."""
    row = _event_row(pk, event, position, edited)
    event_pk = int(
        connection.execute(insert(events).values(row).returning(events.c.pk)).scalar_one()
    )
    add_evidence(connection, event_pk, event.evidence, 0)
    return event_pk


def _event_row(pk: int, event: Event, position: int, edited: bool) -> dict[str, Any]:
    return {
        "case_pk": pk,
        "id": event.id,
        "type": event.type,
        "date_earliest": event.date.earliest,
        "date_latest": event.date.latest,
        "date_text": event.date.text,
        "attrs": {k: _attr_to_json(v) for k, v in event.attrs.items()},
        "certainty": event.certainty,
        "note": event.note,
        "review": event.review,
        "sequence": event.sequence,
        "edited": edited,
        "position": position,
    }


def add_evidence(
    connection: Connection, event_pk: int, items: Iterable[Evidence], first_position: int
) -> None:
    rows = _evidence_rows(event_pk, items, first_position)
    if rows:
        connection.execute(insert(evidence), rows)


def _evidence_rows(
    event_pk: int, items: Iterable[Evidence], first_position: int
) -> list[dict[str, Any]]:
    return [
        {
            "event_pk": event_pk,
            "source_id": item.source,
            "quote": item.quote,
            "start": item.start,
            "end": item.end,
            "position": first_position + i,
        }
        for i, item in enumerate(items)
    ]


def set_certainty(connection: Connection, event_pk: int, certainty: str) -> None:
    connection.execute(update(events).where(events.c.pk == event_pk).values(certainty=certainty))


def _attr_to_json(value: Any) -> Any:
    return value.to_data() if isinstance(value, DateRange) else value


def _attr_from_json(kind: str, name: str, value: Any) -> Any:
    spec = EVENT_TYPES[kind].attrs.get(name) if kind in EVENT_TYPES else None
    if spec is None or spec.kind != "date" or value is None:
        return value
    if isinstance(value, str):
        return DateRange.parse_shorthand(value)
    return DateRange(
        date.fromisoformat(value["earliest"]),
        date.fromisoformat(value["latest"]),
        value.get("text"),
    )


def _range(earliest: date | None, latest: date | None, text: str | None) -> DateRange | None:
    if earliest is None or latest is None:
        return None
    return DateRange(earliest, latest, text)


# -- reading ---------------------------------------------------------------------------------
def all_case_pks(connection: Connection) -> list[int]:
    return list(connection.execute(select(cases.c.pk).order_by(cases.c.id)).scalars())


def load_cases(connection: Connection, pks: Sequence[int]) -> list[Case]:
    """The cases with keys ``pks``, in that order, loaded in batches."""
    out: list[Case] = []
    for start in range(0, len(pks), BATCH):
        chunk = list(pks[start : start + BATCH])
        loaded = {pk: case for pk, case in _load_batch(connection, chunk)}
        out.extend(loaded[pk] for pk in chunk if pk in loaded)
    return out


def stored_events(connection: Connection, pk: int) -> list[StoredEvent]:
    """The events of case ``pk`` with their keys and edit flags, in timeline order."""
    rows = connection.execute(
        select(events).where(events.c.case_pk == pk).order_by(events.c.position)
    ).all()
    proofs = _evidence_by_event(connection, [r.pk for r in rows])
    return [StoredEvent(r.pk, _event(r, proofs.get(r.pk, ())), r.edited) for r in rows]


def _load_batch(connection: Connection, pks: list[int]) -> list[tuple[int, Case]]:
    heads = connection.execute(select(cases).where(cases.c.pk.in_(pks))).all()
    persons = {
        r.case_pk: r for r in connection.execute(select(people).where(people.c.case_pk.in_(pks)))
    }
    srcs: dict[int, list[Source]] = defaultdict(list)
    for r in connection.execute(
        select(sources).where(sources.c.case_pk.in_(pks)).order_by(sources.c.position)
    ):
        srcs[r.case_pk].append(_source(r))
    event_rows = connection.execute(
        select(events).where(events.c.case_pk.in_(pks)).order_by(events.c.position)
    ).all()
    proofs = _evidence_by_event(connection, [r.pk for r in event_rows])
    evs: dict[int, list[Event]] = defaultdict(list)
    for r in event_rows:
        evs[r.case_pk].append(_event(r, proofs.get(r.pk, ())))
    return [
        (h.pk, _case(h, persons[h.pk], srcs.get(h.pk, []), evs.get(h.pk, [])))
        for h in heads
        if h.pk in persons
    ]


def _evidence_by_event(
    connection: Connection, event_pks: list[int]
) -> Mapping[int, tuple[Evidence, ...]]:
    found: dict[int, list[Evidence]] = defaultdict(list)
    for start in range(0, len(event_pks), BATCH * 4):
        chunk = event_pks[start : start + BATCH * 4]
        rows = connection.execute(
            select(evidence)
            .where(evidence.c.event_pk.in_(chunk))
            .order_by(evidence.c.event_pk, evidence.c.position)
        )
        for r in rows:
            found[r.event_pk].append(Evidence(r.source_id, r.quote, r.start, r.end))
    return {k: tuple(v) for k, v in found.items()}


def person_of(row: Row[Any]) -> Person:
    """The ``Person`` of a row holding the columns of ``people``."""
    return Person(
        row.name,
        tuple(row.aliases),
        tuple(row.citizenship),
        _range(row.born_earliest, row.born_latest, row.born_text),
    )


def _case(head: Row[Any], person: Row[Any], srcs: list[Source], evs: list[Event]) -> Case:
    return Case(
        id=head.id,
        person=person_of(person),
        host=head.host,
        origin=head.origin,
        events=tuple(evs),
        sources=tuple(srcs),
        tags=tuple(head.tags),
        facts=dict(head.facts),
        complete=bool(head.complete),
    )


def _source(r: Row[Any]) -> Source:
    published = _range(r.published_earliest, r.published_latest, r.published_text)
    return Source(r.id, r.title, r.outlet, r.url, published)


def _event(r: Row[Any], proofs: tuple[Evidence, ...]) -> Event:
    return Event(
        id=r.id,
        type=r.type,
        date=DateRange(r.date_earliest, r.date_latest, r.date_text),
        attrs={k: _attr_from_json(r.type, k, v) for k, v in r.attrs.items()},
        evidence=proofs,
        certainty=r.certainty,
        note=r.note,
        review=r.review,
        sequence=r.sequence,
    )
