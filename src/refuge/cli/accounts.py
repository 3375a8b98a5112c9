"""``refuge user disable|list|role|team|reset|sessions|totp`` and ``refuge session end``:
administering accounts (through ``services.accounts``, as the operator), ending access at once
(a lost laptop, a colleague who left, a phished password) and enrolling the second factor.

The ``user`` group is the one of ``cli/web.py``; these commands are added to it here so the
lazy command table can point at this module.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import time
from datetime import UTC, datetime

import click
from sqlalchemy import Connection, select

from refuge.api.exports import APPROVAL
from refuge.auth import devices, sessions, totp
from refuge.auth.access import audit_event
from refuge.auth.tables import ROLES, users
from refuge.auth.users import Principal
from refuge.cli.options import db_option
from refuge.cli.web import _read_password, user
from refuge.errors import InputError
from refuge.services import accounts
from refuge.services.acting import operator
from refuge.storage import open_store

_DB = db_option("url")


def _user_pk(connection: Connection, name: str) -> int:
    pk = connection.execute(select(users.c.pk).where(users.c.name == name)).scalar()
    if pk is None:
        raise InputError(f"no user called {name!r}")
    return int(pk)


def _operator() -> Principal:
    return operator(os.environ.get("REFUGE_ACTOR") or getpass.getuser())


@user.command("disable")
@click.argument("name")
@_DB
def user_disable(name: str, url: str | None) -> None:
    """Disable a user: sign-in refused, API tokens revoked, every session ended now."""
    store = open_store(url)
    try:
        ended = accounts.disable_account(store, _operator(), name)
    finally:
        store.close()
    click.echo(f"disabled {name}; {ended} session(s) ended, tokens revoked")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@_DB
def user_list(as_json: bool, url: str | None) -> None:
    """List the users with their role, teams and whether disabled."""
    store = open_store(url)
    try:
        found = accounts.accounts(store, _operator())
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(a) for a in found], indent=2))
        return
    for a in found:
        state = "  (disabled)" if a.disabled else ""
        click.echo(f"{a.name}  {a.role}  {', '.join(a.teams) or '-'}{state}")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@_DB
def user_role(name: str, role: str, url: str | None) -> None:
    """Change NAME's role (audited)."""
    store = open_store(url)
    try:
        accounts.set_role(store, _operator(), name, role)
    finally:
        store.close()
    click.echo(f"{name} is now {role}")


@user.command("team")
@click.argument("name")
@click.argument("team")
@_DB
def user_team(name: str, team: str, url: str | None) -> None:
    """Move NAME to TEAM (created if new; audited)."""
    store = open_store(url)
    try:
        accounts.set_team(store, _operator(), name, team)
    finally:
        store.close()
    click.echo(f"{name} is now in team {team}")


@user.command("reset")
@click.argument("name")
@_DB
def user_reset(name: str, url: str | None) -> None:
    """Set a new password for NAME (asked twice, or one line from a pipe; the same policy as
    `refuge user add`): their sessions, remembered devices and API tokens end."""
    store = open_store(url)
    try:
        accounts.reset_password(store, _operator(), name, _read_password())
    finally:
        store.close()
    click.echo(f"new password set for {name}; their sessions and tokens ended")


@user.command("sessions")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@_DB
def user_sessions(name: str, as_json: bool, url: str | None) -> None:
    """List a user's live sessions (a handle to end each with `refuge session end`)."""
    store = open_store(url)
    try:
        with store.read() as connection:
            found = sessions.list_for(connection, _user_pk(connection, name))
    finally:
        store.close()
    rows = [
        {"handle": s.handle, "created": _iso(s.created_at), "last_seen": _iso(s.last_seen)}
        for s in found
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(f"{name} has no session")
    for row in rows:
        click.echo(f"{row['handle']}  signed in {row['created']}  last seen {row['last_seen']}")


@user.command("totp")
@click.argument("name")
@_DB
def user_totp(name: str, url: str | None) -> None:
    """Enrol (or re-enrol) the TOTP second factor: shows the secret to type into an
    authenticator app, asks for its current code, then prints ten one-time recovery codes."""
    secret = totp.new_secret()
    click.echo(f"secret (type it into the authenticator app): {secret}")
    click.echo(f"or as a link: {totp.provisioning_uri(secret, name)}")
    code = click.prompt("code shown by the app now")
    now = time.time()
    if totp.matching_step(secret, code, now, -1) is None:
        raise InputError("that code does not match the secret; nothing was changed")
    store = open_store(url)
    try:
        with store.write() as connection:
            pk = _user_pk(connection, name)
            codes = totp.enrol(connection, pk, secret, now)
            audit_event(connection, "cli", "user", "user", pk, "second factor enrolled")
    finally:
        store.close()
    click.echo("recovery codes (each works once; keep them offline):")
    for item in codes:
        click.echo(f"  {item}")


@user.command("approve-exports")
@click.argument("name")
@click.option("--count", type=click.IntRange(1, 1000), required=True, help="Exports allowed.")
@_DB
def user_approve_exports(name: str, count: int, url: str | None) -> None:
    """Approve, as a second person, COUNT more exports by NAME within the next hour (needed
    when the server runs with a second approver for bulk exports). The approver is you
    (REFUGE_ACTOR, else your login name), and must not be NAME."""
    actor = os.environ.get("REFUGE_ACTOR") or getpass.getuser()
    if actor == name:
        raise InputError("nobody can approve their own exports")
    store = open_store(url)
    try:
        with store.write() as connection:
            pk = _user_pk(connection, name)
            audit_event(connection, actor, "grant", "user", pk, f"{APPROVAL} {count}")
    finally:
        store.close()
    click.echo(f"approved {count} more export(s) by {name} for the next hour")


@click.group()
def session() -> None:
    """End web sessions."""


@session.command("end")
@click.argument("handle", required=False)
@click.option("--user", "name", default=None, help="End every session of this user.")
@_DB
def session_end(handle: str | None, name: str | None, url: str | None) -> None:
    """End one session (its handle from `refuge user sessions`) or all of a user's."""
    if (handle is None) == (name is None):
        raise InputError("give a session handle, or --user NAME to end all of a user's")
    store = open_store(url)
    try:
        with store.write() as connection:
            if name is not None:
                pk = _user_pk(connection, name)
                count = sessions.end_all(connection, pk)
                devices.forget_all(connection, pk)
            else:
                found = sessions.end_by_handle(connection, (handle or "").lower())
                if found is None:
                    raise InputError(f"no single session has the handle {handle!r}")
                pk, count = found, 1
            audit_event(connection, "cli", "logout", "user", pk, f"{count} sessions ended")
    finally:
        store.close()
    click.echo(f"ended {count} session(s)")


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


__all__ = ["session", "user"]
