"""API tokens (security.md R9): random 32 bytes shown once, stored as SHA-256, scoped to read or
write, and expiring. A token acts as its user, never with more rights than the user's role.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Connection, insert, select, update

from refuge.auth import sessions
from refuge.auth.tables import SCOPES, api_tokens
from refuge.errors import InputError

PREFIX = "rfg_"
MAX_DAYS = 366


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(connection: Connection, user_pk: int, scope: str, days: int, now: float) -> str:
    """A new token for ``user_pk``; the caller prints it once, it is never retrievable again."""
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r}; use read or write")
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"a token lives 1 to {MAX_DAYS} days")
    token = PREFIX + secrets.token_urlsafe(32)
    connection.execute(
        insert(api_tokens).values(
            token_hash=_digest(token),
            user_pk=user_pk,
            scope=scope,
            created_at=int(now),
            expires_at=int(now) + days * 86400,
            revoked=False,
        )
    )
    return token


def lookup(connection: Connection, token: str, now: float) -> tuple[int, str] | None:
    """``(user_pk, scope)`` for a live token, else None."""
    if not token.startswith(PREFIX) or len(token) > 128:
        return None
    row = connection.execute(
        select(api_tokens.c.user_pk, api_tokens.c.scope, api_tokens.c.expires_at).where(
            api_tokens.c.token_hash == _digest(token), api_tokens.c.revoked.is_(False)
        )
    ).first()
    if row is None or row.expires_at <= now:
        return None
    return int(row.user_pk), str(row.scope)


def revoke_all(connection: Connection, user_pk: int) -> int:
    """Revoke every live token of ``user_pk`` (a lost laptop, a leaving colleague) and end
    their web sessions too: whoever holds the laptop must not keep a signed-in browser."""
    sessions.end_all(connection, user_pk)
    result = connection.execute(
        update(api_tokens)
        .where(api_tokens.c.user_pk == user_pk, api_tokens.c.revoked.is_(False))
        .values(revoked=True)
    )
    return int(result.rowcount)
