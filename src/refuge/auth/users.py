"""Users, teams and signing in: who someone is, what their role lets them do, and the
per-account throttle that slows password guessing without locking anyone out.

Roles are ordered: a viewer reads; a monitor also adds reports (and so drafts); a lawyer also
reviews (accept, edit, reject, merge drafts) and exports; an admin also manages users and teams.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from refuge.auth import devices, passwords, sessions, throttle, tokens, totp
from refuge.auth.tables import ROLES, memberships, teams, users
from refuge.errors import InputError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Principal:
    """The person behind a request: from a session (scope None) or an API token."""

    pk: int
    name: str
    role: str
    teams: tuple[int, ...]
    scope: str | None = None
    #: The operator at the server's command line (``services.acting.operator``): holds the
    #: store's key, so sees every case; never made from a session or a token.
    operator: bool = False

    def can(self, needed: str) -> bool:
        """Whether the role reaches ``needed`` and, for tokens, the scope allows writing."""
        if self.scope == "read" and needed != "viewer":
            return False
        return ROLES.index(self.role) >= ROLES.index(needed)


def check_name(name: str, what: str = "user") -> str:
    if not _NAME.match(name):
        raise InputError(
            f"a {what} name is 1-64 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit"
        )
    return name


def ensure_team(connection: Connection, name: str) -> int:
    """The key of team ``name``, creating it if needed."""
    check_name(name, "team")
    pk = connection.execute(select(teams.c.pk).where(teams.c.name == name)).scalar()
    if pk is None:
        pk = connection.execute(insert(teams).values(name=name).returning(teams.c.pk)).scalar_one()
    return int(pk)


def add_user(
    connection: Connection, name: str, role: str, password: str, team: str | None = None
) -> int:
    """Create a user (and their team, if new); the password is checked and hashed here."""
    check_name(name)
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if connection.execute(select(users.c.pk).where(users.c.name == name)).first():
        raise InputError(f"there is already a user called {name!r}")
    pk = connection.execute(
        insert(users)
        .values(
            name=name,
            password_hash=passwords.hash_password(password, (name,)),
            role=role,
            created_at=int(time.time()),
            failures=0,
            throttled_until=0,
            disabled=False,
            totp_step=0,
        )
        .returning(users.c.pk)
    ).scalar_one()
    if team is not None:
        join_team(connection, int(pk), ensure_team(connection, team))
    return int(pk)


def join_team(connection: Connection, user_pk: int, team_pk: int) -> None:
    exists = connection.execute(
        select(memberships.c.user_pk).where(
            memberships.c.user_pk == user_pk, memberships.c.team_pk == team_pk
        )
    ).first()
    if not exists:
        connection.execute(insert(memberships).values(user_pk=user_pk, team_pk=team_pk))


def principal(connection: Connection, user_pk: int, scope: str | None = None) -> Principal | None:
    """The active user ``user_pk`` with their teams, or None if unknown or disabled."""
    row = connection.execute(
        select(users.c.pk, users.c.name, users.c.role).where(
            users.c.pk == user_pk, users.c.disabled.is_(False)
        )
    ).first()
    if row is None:
        return None
    team_pks = connection.execute(
        select(memberships.c.team_pk).where(memberships.c.user_pk == user_pk)
    ).scalars()
    return Principal(row.pk, row.name, row.role, tuple(sorted(team_pks)), scope)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A sign-in attempt after the password check: the account (None if unknown) and whether
    the password matched. The check runs outside any write transaction (it takes ~0.1 s)."""

    pk: int | None
    role: str | None
    has_totp: bool
    needs_rehash: bool
    ok: bool


def check_password(connection: Connection, name: str, password: str) -> Attempt:
    """Exactly one Argon2 verification whatever happens (unknown name, throttled account,
    wrong or right password), so neither the answer nor its timing tells who exists."""
    row = connection.execute(
        select(users).where(users.c.name == name[:64], users.c.disabled.is_(False))
    ).first()
    ok = passwords.verify(row.password_hash if row is not None else None, password)
    if row is None:
        return Attempt(None, None, False, False, False)
    rehash = ok and passwords.needs_rehash(row.password_hash)
    return Attempt(row.pk, row.role, bool(row.totp_secret), rehash, ok)


@dataclass(frozen=True, slots=True)
class SignIn:
    """The outcome: the user's key if they may sign in, else how long to wait (0: just wrong).
    The page says the same thing for every failure, so nothing tells who exists."""

    user_pk: int | None
    wait: int = 0


def settle(
    connection: Connection,
    attempt: Attempt,
    password: str,
    now: float,
    *,
    rules: dict[str, throttle.Rule],
    code: str = "",
    mfa_roles: tuple[str, ...] = (),
) -> SignIn:
    """Decide the attempt inside the write transaction: refused while any of its throttle
    keys waits; else the password, then the second factor (required for ``mfa_roles``) must
    be right. Failures are counted under every key; success clears them."""
    waiting = throttle.wait(connection, rules, now)
    if waiting:
        if not attempt.ok:
            throttle.fail(connection, rules, now)
        return SignIn(None, waiting)
    if attempt.pk is None or not attempt.ok:
        throttle.fail(connection, rules, now)
        return SignIn(None)
    if attempt.has_totp:
        if not totp.check(connection, attempt.pk, code, now):
            throttle.fail(connection, rules, now)
            return SignIn(None)
    elif attempt.role in mfa_roles:
        return SignIn(None)  # must enrol first (refuge user totp NAME); not a guess
    throttle.succeed(connection, rules)
    if attempt.needs_rehash:
        connection.execute(
            update(users)
            .where(users.c.pk == attempt.pk)
            .values(password_hash=passwords.hasher().hash(password))
        )
    return SignIn(attempt.pk)


def disable(connection: Connection, user_pk: int) -> None:
    """Disable a user: no sign-in, no token, and every session and device cookie ends now."""
    connection.execute(update(users).where(users.c.pk == user_pk).values(disabled=True))
    sessions.end_all(connection, user_pk)
    devices.forget_all(connection, user_pk)
    tokens.revoke_all(connection, user_pk)
