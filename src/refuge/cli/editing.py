"""``refuge event add|edit|delete`` and ``refuge person``: editing a stored case by hand, as
the operator, through the same use cases as the web pages and the API (``services.editing``):
validated by the case-file rules of ``refuge check``, audited, never overwritten by a later
ingest. Options not given keep their current value."""

from __future__ import annotations

import dataclasses
import getpass
import os
from typing import Any

import click

from refuge.auth.users import Principal
from refuge.cli.options import db_option
from refuge.domain.vocabulary import CERTAINTIES, EVENT_TYPES
from refuge.errors import InputError
from refuge.services import editing
from refuge.services import store as svc
from refuge.services.acting import operator
from refuge.storage import open_store

_DB = db_option("url")


def _operator() -> Principal:
    return operator(os.environ.get("REFUGE_ACTOR") or getpass.getuser())


def _event_options(command: Any) -> Any:
    for option in reversed(
        (
            click.option("--type", "kind", type=click.Choice(sorted(EVENT_TYPES))),
            click.option("--date", "earliest", help="The day: YYYY-MM-DD, YYYY-MM or YYYY."),
            click.option("--to", "latest", help="For a range: the last possible day."),
            click.option("--as-written", "text", help='The date\'s wording ("late November").'),
            click.option(
                "--attr",
                "attrs",
                multiple=True,
                metavar="NAME=VALUE",
                help="An attribute of the type (repeatable; an empty VALUE removes it).",
            ),
            click.option("--certainty", type=click.Choice(CERTAINTIES)),
            click.option("--note"),
            _DB,
        )
    ):
        command = option(command)
    return command


def _pairs(items: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--attr {item!r}: write NAME=VALUE, e.g. --attr outcome=refused")
        found[name.strip()] = value
    return found


@click.group()
def event() -> None:
    """Add, change or delete an event of a stored case."""


@event.command("add")
@click.argument("case_id")
@_event_options
def event_add(case_id: str, kind: str | None, earliest: str | None, **rest: Any) -> None:
    """Add an event to CASE_ID (needs --type and --date)."""
    if kind is None or earliest is None:
        raise InputError("a new event needs --type and --date")
    given = editing.EventInput(kind, earliest)
    _save(case_id, None, _merged(given, rest), rest["url"])


@event.command("edit")
@click.argument("case_id")
@click.argument("event_id")
@_event_options
def event_edit(
    case_id: str, event_id: str, kind: str | None, earliest: str | None, **rest: Any
) -> None:
    """Change event EVENT_ID of CASE_ID; what is not given stays as it is (a new --type drops
    the attributes the new type does not have)."""
    store = open_store(rest["url"])
    try:
        [case] = svc.load_cases(store, case_id)  # a clear error for an unknown case
    finally:
        store.close()
    found = next((e for e in case.events if e.id == event_id), None)
    if found is None:
        raise InputError(f"case {case_id!r} has no event {event_id!r}")
    given = editing.event_input(found)
    if kind is not None and kind != given.type:
        keep = EVENT_TYPES[kind].attrs
        attrs = {k: v for k, v in given.attrs.items() if k in keep}
        given = dataclasses.replace(given, type=kind, attrs=attrs)
    if earliest is not None:
        given = dataclasses.replace(given, earliest=earliest, latest="")
    _save(case_id, event_id, _merged(given, rest), rest["url"])


def _merged(given: editing.EventInput, rest: dict[str, Any]) -> editing.EventInput:
    attrs = {**given.attrs, **_pairs(rest["attrs"])}
    return editing.EventInput(
        given.type,
        given.earliest,
        rest["latest"] if rest["latest"] is not None else given.latest,
        rest["text"] if rest["text"] is not None else given.text,
        {k: v for k, v in attrs.items() if v != ""},
        rest["certainty"] if rest["certainty"] is not None else given.certainty,
        rest["note"] if rest["note"] is not None else given.note,
    )


def _save(case_id: str, event_id: str | None, given: editing.EventInput, url: str | None) -> None:
    store = open_store(url)
    try:
        saved = editing.save_event(store, _operator(), case_id, event_id, given)
    finally:
        store.close()
    click.echo(
        f"{case_id}/{saved} {'changed' if event_id else 'added'} (verified; later ingests keep it)"
    )


@event.command("delete")
@click.argument("case_id")
@click.argument("event_id")
@click.confirmation_option(prompt="Delete this event?")
@_DB
def event_delete(case_id: str, event_id: str, url: str | None) -> None:
    """Delete event EVENT_ID of CASE_ID (audited)."""
    store = open_store(url)
    try:
        editing.delete_event(store, _operator(), case_id, event_id)
    finally:
        store.close()
    click.echo(f"{case_id}/{event_id} deleted")


@click.command()
@click.argument("case_id")
@click.option("--name")
@click.option("--alias", "aliases", multiple=True, help="Every other spelling (repeatable).")
@click.option("--citizenship", multiple=True, help="A country code (repeatable).")
@click.option("--born", help="YYYY-MM-DD, YYYY-MM, YYYY or FROM..TO.")
@click.option("--host", help="The host state's code.")
@click.option("--origin", help="The origin state's code ('' for unknown).")
@_DB
def person(
    case_id: str,
    name: str | None,
    aliases: tuple[str, ...],
    citizenship: tuple[str, ...],
    born: str | None,
    host: str | None,
    origin: str | None,
    url: str | None,
) -> None:
    """Correct the person of CASE_ID (name, spellings, citizenship, birth), the host and the
    origin; what is not given stays. The person is then verified: later ingests keep it."""
    store = open_store(url)
    try:
        [case] = svc.load_cases(store, case_id)
        now = editing.person_input(case)
        given = editing.PersonInput(
            name if name is not None else now.name,
            aliases or now.aliases,
            citizenship or now.citizenship,
            born if born is not None else now.born,
            host if host is not None else now.host,
            origin if origin is not None else now.origin,
        )
        editing.save_person(store, _operator(), case_id, given)
    finally:
        store.close()
    click.echo(f"{case_id}: person saved (verified; later ingests keep it)")
