"""Administering the people who use refuge: add, disable, reset a password, change role and
team; and a user changing their own password. One set of use cases for the admin pages, the
API and ``refuge user ...`` (the operator).

An admin manages the users of their own teams only (and adds users to those teams only): a
team's admin must not be able to take over another team's accounts. The operator manages
everyone. Changes that hand over an account (a new user, a password reset, a role) need the
admin's own password again (a step-up): a left-open browser must not be enough. Every change
is audited by kind; passwords are hashed with Argon2id after the zxcvbn policy check
(``auth.passwords``), and a changed password ends the account's other sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, delete, select, update

from refuge.auth import devices, passwords, sessions, tokens
from refuge.auth.access import audit_event
from refuge.auth.tables import ROLES, memberships, teams, users
from refuge.auth.users import Principal, add_user, check_password, disable, ensure_team, join_team
from refuge.errors import InputError
from refuge.services.acting import Forbidden, NotFound, require, write
from refuge.storage import Store


class StepUpNeeded(Forbidden):
    """The admin's own password was not given again, or was wrong."""


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: str
    teams: list[str]
    disabled: bool = False


def accounts(store: Store, principal: Principal) -> list[Account]:
    """The users an admin manages (those of their teams; the operator: everyone), with role,
    teams and whether disabled; no password data, no activity."""
    require(principal, "admin")
    with store.read() as connection:
        query = select(users.c.pk, users.c.name, users.c.role, users.c.disabled)
        if not principal.operator:
            query = query.where(users.c.pk.in_(_members(principal)))
        rows = connection.execute(query.order_by(users.c.name)).all()
        member = connection.execute(select(memberships.c.user_pk, teams.c.name).join(teams)).all()
    shown = set(team_names(store, principal)) if not principal.operator else None
    names: dict[int, list[str]] = {}
    for user_pk, team in member:
        if shown is None or team in shown:
            names.setdefault(user_pk, []).append(team)
    return [Account(r.name, r.role, sorted(names.get(r.pk, [])), bool(r.disabled)) for r in rows]


def add_account(
    store: Store,
    principal: Principal,
    name: str,
    role: str,
    password: str,
    team: str | None,
    step_up: str = "",
) -> None:
    """Add a user with a role, in a team (an admin: one of their own teams)."""
    require(principal, "admin")
    _check_role(role)
    if not principal.operator and team not in team_names(store, principal):
        raise InputError("choose one of your own teams for the new user")
    _step_up(store, principal, step_up)
    with write(store) as connection:
        pk = add_user(connection, name, role, password, team)
        audit_event(connection, principal.name, "user", "user", pk, f"user added, role {role}")


def disable_account(store: Store, principal: Principal, name: str) -> int:
    """Disable a user: sign-in refused, tokens revoked, every session ended. Returns how many
    sessions ended."""
    require(principal, "admin")
    with write(store) as connection:
        pk = _managed(connection, principal, name)
        if pk == principal.pk:
            raise InputError("you cannot disable your own account")
        ended = len(sessions.list_for(connection, pk))
        disable(connection, pk)
        detail = f"user disabled, {ended} sessions"
        audit_event(connection, principal.name, "user", "user", pk, detail)
    return ended


def reset_password(
    store: Store, principal: Principal, name: str, password: str, step_up: str = ""
) -> None:
    """Set a new password for a user who lost theirs; their sessions, remembered devices and
    tokens end (whoever had the old one is out)."""
    require(principal, "admin")
    _step_up(store, principal, step_up)
    digest = passwords.hash_password(password, (name,))
    with write(store) as connection:
        pk = _managed(connection, principal, name)
        connection.execute(update(users).where(users.c.pk == pk).values(password_hash=digest))
        sessions.end_all(connection, pk)
        devices.forget_all(connection, pk)
        tokens.revoke_all(connection, pk)
        audit_event(connection, principal.name, "user", "user", pk, "password reset")


def set_role(store: Store, principal: Principal, name: str, role: str, step_up: str = "") -> None:
    """Change a user's role (not one's own: an admin must not lock themselves out)."""
    require(principal, "admin")
    _check_role(role)
    _step_up(store, principal, step_up)
    with write(store) as connection:
        pk = _managed(connection, principal, name)
        if pk == principal.pk:
            raise InputError("you cannot change your own role")
        connection.execute(update(users).where(users.c.pk == pk).values(role=role))
        audit_event(connection, principal.name, "user", "user", pk, f"role changed to {role}")


def set_team(store: Store, principal: Principal, name: str, team: str) -> None:
    """Move a user to one team (an admin: one of their own; the operator: any, created if
    new). The user's cases follow the team's grants."""
    require(principal, "admin")
    if not principal.operator and team not in team_names(store, principal):
        raise InputError("choose one of your own teams")
    with write(store) as connection:
        pk = _managed(connection, principal, name)
        team_pk = ensure_team(connection, team)
        leaving = delete(memberships).where(memberships.c.user_pk == pk)
        if not principal.operator:  # an admin's move leaves the user's other teams alone
            leaving = leaving.where(memberships.c.team_pk.in_(principal.teams))
        connection.execute(leaving)
        join_team(connection, pk, team_pk)
        audit_event(connection, principal.name, "user", "user", pk, f"team changed to {team_pk}")


def change_password(
    store: Store, principal: Principal, old: str, new: str, keep_session: str
) -> int:
    """A user changes their own password: the old one first, then the policy check; every
    other session of theirs ends (the current one, ``keep_session``, stays). Returns how many
    sessions ended."""
    if principal.operator or principal.pk == 0:
        raise InputError("the operator has no password here; use `refuge user reset NAME`")
    with store.read() as connection:
        ok = check_password(connection, principal.name, old).ok
    if not ok:
        raise InputError("the current password is not right; nothing was changed")
    if new == old:
        raise InputError("the new password is the old one; choose another")
    digest = passwords.hash_password(new, (principal.name,))
    with write(store) as connection:
        connection.execute(
            update(users).where(users.c.pk == principal.pk).values(password_hash=digest)
        )
        ended = sessions.end_others(connection, principal.pk, keep_session)
        detail = f"password changed, {ended} other sessions ended"
        audit_event(connection, principal.name, "user", "user", principal.pk, detail)
    return ended


# -- helpers ---------------------------------------------------------------------------------
def _members(principal: Principal) -> Select[Any]:
    return select(memberships.c.user_pk).where(memberships.c.team_pk.in_(principal.teams))


def team_names(store: Store, principal: Principal) -> list[str]:
    """The names of ``principal``'s teams (where an admin may add and move users)."""
    with store.read() as connection:
        found = connection.execute(select(teams.c.name).where(teams.c.pk.in_(principal.teams)))
        return sorted(found.scalars())


def _managed(connection: Connection, principal: Principal, name: str) -> int:
    """The key of user ``name`` if ``principal`` manages them (else: no such user)."""
    query = select(users.c.pk).where(users.c.name == name[:64])
    if not principal.operator:
        query = query.where(users.c.pk.in_(_members(principal)))
    pk = connection.execute(query).scalar()
    if pk is None:
        raise NotFound(f"no user called {name!r}" if principal.operator else "no such user")
    return int(pk)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")


def _step_up(store: Store, principal: Principal, password: str) -> None:
    """The admin's own password again (not for the operator, who holds the store's key)."""
    if principal.operator:
        return
    with store.read() as connection:
        ok = bool(password) and check_password(connection, principal.name, password).ok
    if not ok:
        raise StepUpNeeded("confirm with your own password to make this change")
