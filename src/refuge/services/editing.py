"""Editing a case by hand: add, change and delete events; correct the person, the host and
the origin; state that the file is complete.

Every edit is validated by the case-file reader itself (``casefile.load``): the edit is
applied to the case's case-file data and read back, so the rules and the messages are those of
``refuge check``; a refused edit changes nothing and its problems come back per field
(:class:`Invalid`). What a person writes is theirs: edited events and people are stored
``edited`` and ``verified``, and ingestion only ever attaches evidence to them
(``storage.resolve``). Every edit is audited in its own transaction, by kind, never content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, select, update

from refuge.auth.users import Principal
from refuge.casefile import case_to_data
from refuge.casefile.load import case_from_data
from refuge.domain import Case, Event
from refuge.domain.vocabulary import EVENT_TYPES, Attr
from refuge.errors import CaseFileError, RefugeError
from refuge.services import alerts as alert_rules
from refuge.services import store as store_service
from refuge.services.acting import NotFound, changed, find_case, require, write
from refuge.storage import Store
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.resolve import write_index
from refuge.storage.tables import cases, events, evidence, people

_WHERE = "edit"
_PROBLEM = re.compile(r"^edit: (?:(?P<path>[A-Za-z_][\w.\[\]]*): )?(?P<message>.*)$", re.DOTALL)


class Invalid(RefugeError):
    """An edit the case-file rules refuse; ``fields`` maps each form field to its problems.
    Nothing was changed."""

    exit_code = 2

    def __init__(self, fields: Mapping[str, list[str]]) -> None:
        self.fields = dict(fields)
        super().__init__(
            "; ".join(f"{k or 'case'}: {' '.join(v)}" for k, v in sorted(self.fields.items()))
        )


@dataclass(frozen=True, slots=True)
class EventInput:
    """An event as a person typed it: the date as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``
    (``latest`` makes it a range; ``text`` is the wording), attributes of the type's
    vocabulary as given (text from a form, typed values from JSON)."""

    type: str
    earliest: str
    latest: str = ""
    text: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict)
    certainty: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PersonInput:
    """The person and where the case stands: lists as written (comma-separated)."""

    name: str
    aliases: Sequence[str] = ()
    citizenship: Sequence[str] = ()
    born: str = ""
    host: str = ""
    origin: str = ""


# -- events ----------------------------------------------------------------------------------
def save_event(
    store: Store, principal: Principal, case: int | str, event_id: str | None, given: EventInput
) -> str:
    """Add an event (``event_id`` None) or change one; returns its id. Lawyers only."""
    require(principal, "lawyer")
    with write(store) as connection:
        pk, _case_id = find_case(connection, principal, case)
        [current] = repo.load_cases(connection, [pk])
        data = case_to_data(current)
        index, kept = _slot(data["events"], current, event_id)
        ident = event_id or _new_id(current)
        data["events"][index : index + (0 if event_id is None else 1)] = [
            {**kept, "id": ident, **_event_data(given), "review": "verified"}
        ]
        event = _checked(data, f"events[{index}]").event(ident)
        if event_id is None:
            repo.add_event(connection, pk, event, _next_position(connection, pk), edited=True)
            detail = "event added by hand"
        else:
            _update_event(connection, pk, event)
            detail = "event edited by hand"
        _reindex(connection, pk)
        record(connection, principal.name, "update", "case", pk, detail)
    changed()
    return ident


def delete_event(store: Store, principal: Principal, case: int | str, event_id: str) -> None:
    """Delete an event (a wrong reading, a namesake's). Lawyers only; audited."""
    require(principal, "lawyer")
    with write(store) as connection:
        pk, _case_id = find_case(connection, principal, case)
        event_pk = connection.execute(
            select(events.c.pk).where(events.c.case_pk == pk, events.c.id == event_id)
        ).scalar()
        if event_pk is None:
            raise NotFound("no such event")
        connection.execute(delete(evidence).where(evidence.c.event_pk == event_pk))
        connection.execute(delete(events).where(events.c.pk == event_pk))
        _reindex(connection, pk)
        record(connection, principal.name, "update", "case", pk, "event deleted by hand")
    changed()


def event_input(event: Event) -> EventInput:
    """A stored event as the form shows it (the inverse of what :func:`save_event` reads)."""
    attrs = {k: _shown(v) for k, v in event.attrs.items()}
    same = event.date.exact
    return EventInput(
        event.type,
        event.date.earliest.isoformat(),
        "" if same else event.date.latest.isoformat(),
        event.date.text or "",
        attrs,
        event.certainty or "",
        event.note or "",
    )


def _slot(
    stored: list[dict[str, Any]], current: Case, event_id: str | None
) -> tuple[int, dict[str, Any]]:
    """Where the event goes in the case's list, and what of the old one is kept (its
    evidence and order among same-day events)."""
    if event_id is None:
        return len(stored), {}
    for index, item in enumerate(stored):
        if item["id"] == event_id:
            return index, {k: item[k] for k in ("source", "sequence") if k in item}
    raise NotFound("no such event")


def _new_id(case: Case) -> str:
    taken = {e.id for e in case.events}
    n = len(case.events) + 1
    while f"e{n}" in taken:
        n += 1
    return f"e{n}"


def _event_data(given: EventInput) -> dict[str, Any]:
    """The case-file form of ``given``: empty fields left out, text converted by the kind the
    vocabulary gives each attribute (what cannot be converted is passed on as typed, so the
    reader names the problem)."""
    data: dict[str, Any] = {"type": given.type.strip(), "date": _date(given)}
    spec = EVENT_TYPES.get(data["type"])
    for name, raw in given.attrs.items():
        value = _attribute(spec.attrs[name], raw) if spec and name in spec.attrs else raw
        if value not in (None, "", []):
            data[name] = value
    if given.certainty.strip():
        data["certainty"] = given.certainty.strip()
    if given.note.strip():
        data["note"] = given.note.strip()
    return data


def _date(given: EventInput) -> Any:
    earliest, latest, text = given.earliest.strip(), given.latest.strip(), given.text.strip()
    if not earliest:
        return None  # the reader says every event needs a date
    if (not latest or latest == earliest) and not text:
        return earliest
    found: dict[str, Any] = {"earliest": earliest, "latest": latest or earliest}
    return found | ({"text": text} if text else {})


def _attribute(spec: Attr, raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    value = raw.strip()
    if spec.kind in ("bool", "bool_or_text") and value.lower() in ("true", "yes", "false", "no"):
        return value.lower() in ("true", "yes")
    if spec.kind == "number":
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                continue
    if spec.kind == "enum_list" and "," in value:
        return [v.strip() for v in value.split(",") if v.strip()]
    if spec.kind == "date" and ".." in value:
        first, _, last = value.partition("..")
        return {"earliest": first.strip(), "latest": last.strip()}
    return value


def _shown(value: Any) -> Any:
    if hasattr(value, "earliest"):
        return str(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _update_event(connection: Connection, pk: int, event: Event) -> None:
    connection.execute(
        update(events)
        .where(events.c.case_pk == pk, events.c.id == event.id)
        .values(
            type=event.type,
            date_earliest=event.date.earliest,
            date_latest=event.date.latest,
            date_text=event.date.text,
            attrs={k: v.to_data() if hasattr(v, "to_data") else v for k, v in event.attrs.items()},
            certainty=event.certainty,
            note=event.note,
            review="verified",
            edited=True,
        )
    )


def _next_position(connection: Connection, pk: int) -> int:
    last = connection.execute(
        select(events.c.position).where(events.c.case_pk == pk).order_by(events.c.position.desc())
    ).first()
    return 0 if last is None else int(last[0]) + 1


# -- the person, host and origin --------------------------------------------------------------
def save_person(store: Store, principal: Principal, case: int | str, given: PersonInput) -> None:
    """Correct who the person is and the host and origin states. Lawyers only; the person is
    then ``edited`` and ``verified``: a later report adds nothing to it."""
    require(principal, "lawyer")
    with write(store) as connection:
        pk, _case_id = find_case(connection, principal, case)
        [current] = repo.load_cases(connection, [pk])
        data = case_to_data(current)
        head = data["case"]
        head["person"] = _person_data(given)
        head["host"] = given.host.strip() or None
        head["origin"] = given.origin.strip() or None
        if head["origin"] is None:
            del head["origin"]
        checked = _checked(data, "case")
        person = checked.person
        born = person.born
        connection.execute(
            update(people)
            .where(people.c.case_pk == pk)
            .values(
                name=person.name,
                aliases=list(person.aliases),
                citizenship=list(person.citizenship),
                born_earliest=born.earliest if born else None,
                born_latest=born.latest if born else None,
                born_text=born.text if born else None,
                review="verified",
                edited=True,
            )
        )
        repo.set_name_keys(connection, pk, person)
        connection.execute(
            update(cases).where(cases.c.pk == pk).values(host=checked.host, origin=checked.origin)
        )
        _reindex(connection, pk)
        record(connection, principal.name, "update", "person", pk, "person edited by hand")
    changed()


def person_input(case: Case) -> PersonInput:
    person = case.person
    born = "" if person.born is None else str(person.born)
    return PersonInput(
        person.name, person.aliases, person.citizenship, born, case.host, case.origin or ""
    )


def _person_data(given: PersonInput) -> dict[str, Any]:
    data: dict[str, Any] = {"name": given.name.strip() or None}
    aliases = [a.strip() for a in given.aliases if a.strip()]
    if aliases:
        data["aliases"] = aliases
    citizenship = [c.strip() for c in given.citizenship if c.strip()]
    if citizenship:
        data["citizenship"] = citizenship
    born = given.born.strip()
    if born:
        first, _, last = born.partition("..")
        data["born"] = {"earliest": first.strip(), "latest": last.strip()} if last else born
    return data


def split_list(text: str) -> list[str]:
    """A list typed in one field: comma- or line-separated."""
    return [p.strip() for p in re.split(r"[,\n]", text) if p.strip()]


# -- complete --------------------------------------------------------------------------------
def set_complete(store: Store, principal: Principal, case: int | str, complete: bool) -> None:
    """A person states that the file records every event (or withdraws it). Lawyers only."""
    require(principal, "lawyer")
    with store.read() as connection:
        _pk, case_id = find_case(connection, principal, case)
    store_service.mark_complete(store, case_id, complete, principal.name)
    changed()


# -- validation ------------------------------------------------------------------------------
def _checked(data: dict[str, Any], prefix: str) -> Case:
    """Read the edited case-file data back; a problem inside ``prefix`` (the edited event or
    the case head) is reported under its field, any other under ``""``."""
    try:
        return case_from_data(data, _WHERE)
    except CaseFileError as exc:
        raise Invalid(_by_field(exc.problems, prefix)) from None


def _by_field(problems: list[str], prefix: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        match = _PROBLEM.match(problem)
        path, message = (match["path"] or "", match["message"]) if match else ("", problem)
        name = ""
        if path.startswith(prefix + "."):
            rest = path[len(prefix) + 1 :]
            rest = rest.removeprefix("person.")
            name = re.split(r"[.\[]", rest, maxsplit=1)[0]
        found.setdefault(name, []).append(message)
    return found


def _reindex(connection: Connection, pk: int) -> None:
    repo.touch_case(connection, pk)
    write_index(connection, pk, alert_rules.index_entry(repo.load_cases(connection, [pk])[0]))
