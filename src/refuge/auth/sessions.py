"""Server-side sessions (security.md R9): the cookie holds only a random identifier; the row
holds the user, the CSRF secret and the times that decide idle and absolute expiry.

Only the SHA-256 of the identifier is stored, so a copy of the database does not give
working cookies. Signing in always creates a new session (no fixation); signing out deletes
the row, so a replayed cookie is worthless.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from refuge.auth.tables import sessions


@dataclass(frozen=True, slots=True)
class Session:
    user_pk: int
    csrf: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(connection: Connection, user_pk: int, now: float) -> str:
    """A new session for ``user_pk``; returns the identifier for the cookie (shown once)."""
    token = secrets.token_urlsafe(32)
    connection.execute(
        insert(sessions).values(
            id_hash=_digest(token),
            user_pk=user_pk,
            csrf=secrets.token_urlsafe(32),
            created_at=int(now),
            last_seen=int(now),
        )
    )
    return token


def lookup(
    connection: Connection, token: str, now: float, idle: int, absolute: int
) -> tuple[Session | None, str | None]:
    """The live session for ``token`` and what to write back, if anything: ``"delete"`` for an
    expired session, ``"touch"`` when ``last_seen`` is over a minute old (so reading pages does
    not turn every request into a write). Reads only; ``apply`` does the writing."""
    if not token or len(token) > 128:
        return None, None
    row = connection.execute(select(sessions).where(sessions.c.id_hash == _digest(token))).first()
    if row is None:
        return None, None
    if now - row.last_seen > idle or now - row.created_at > absolute:
        return None, "delete"
    return Session(row.user_pk, row.csrf), "touch" if now - row.last_seen > 60 else None


def apply(connection: Connection, token: str, change: str, now: float) -> None:
    key = _digest(token)
    if change == "delete":
        connection.execute(delete(sessions).where(sessions.c.id_hash == key))
    else:
        connection.execute(
            update(sessions).where(sessions.c.id_hash == key).values(last_seen=int(now))
        )


def end(connection: Connection, token: str) -> None:
    connection.execute(delete(sessions).where(sessions.c.id_hash == _digest(token)))


def end_all(connection: Connection, user_pk: int) -> int:
    """End every session of ``user_pk`` (disabled, token revoked, device lost)."""
    result = connection.execute(delete(sessions).where(sessions.c.user_pk == user_pk))
    return int(result.rowcount)


def end_others(connection: Connection, user_pk: int, keep: str) -> int:
    """End every session of ``user_pk`` but the one with identifier ``keep`` (a password
    change: whoever else holds a session of the account is signed out)."""
    result = connection.execute(
        delete(sessions).where(sessions.c.user_pk == user_pk, sessions.c.id_hash != _digest(keep))
    )
    return int(result.rowcount)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What an operator sees of a session: a short handle (the first 12 characters of the
    hash of its identifier: enough to end it, useless as a cookie) and its times."""

    handle: str
    created_at: int
    last_seen: int


def list_for(connection: Connection, user_pk: int) -> list[SessionInfo]:
    rows = connection.execute(
        select(sessions.c.id_hash, sessions.c.created_at, sessions.c.last_seen)
        .where(sessions.c.user_pk == user_pk)
        .order_by(sessions.c.created_at)
    )
    return [SessionInfo(r.id_hash[:12], int(r.created_at), int(r.last_seen)) for r in rows]


def end_by_handle(connection: Connection, handle: str) -> int | None:
    """End the one session whose handle is ``handle``; its user's key, or None if no single
    session matches."""
    if len(handle) < 12 or not all(c in "0123456789abcdef" for c in handle):
        return None
    rows = connection.execute(
        select(sessions.c.id_hash, sessions.c.user_pk).where(sessions.c.id_hash.like(f"{handle}%"))
    ).all()
    if len(rows) != 1:
        return None
    connection.execute(delete(sessions).where(sessions.c.id_hash == rows[0].id_hash))
    return int(rows[0].user_pk)
