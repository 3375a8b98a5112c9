"""Known devices: a random cookie given to a browser at each successful sign-in, so that the
owner's own browser is exempt from the account-wide throttle (``auth/throttle.py``).

Only the SHA-256 of the cookie is stored. The cookie proves nothing by itself (a password,
and a second factor where enrolled, are still needed); it only says "this browser signed in
as this user before", and is dropped when the user is disabled or their sessions are ended.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Connection, delete, insert, select

from refuge.auth.tables import known_devices, users

COOKIE = "refuge_device"
MAX_AGE_DAYS = 180


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember(connection: Connection, user_pk: int, now: float) -> str:
    """A new device cookie for ``user_pk``; returns the value for the cookie."""
    token = secrets.token_urlsafe(32)
    connection.execute(
        insert(known_devices).values(token_hash=digest(token), user_pk=user_pk, created_at=int(now))
    )
    return token


def recognise(connection: Connection, token: str, name: str, now: float) -> str | None:
    """The hash of ``token`` if it is a live device cookie of the user called ``name``."""
    if not token or len(token) > 128:
        return None
    key = digest(token)
    row = connection.execute(
        select(known_devices.c.created_at)
        .join(users, users.c.pk == known_devices.c.user_pk)
        .where(known_devices.c.token_hash == key, users.c.name == name[:64])
    ).first()
    if row is None or now - row.created_at > MAX_AGE_DAYS * 86400:
        return None
    return key


def forget_all(connection: Connection, user_pk: int) -> int:
    result = connection.execute(delete(known_devices).where(known_devices.c.user_pk == user_pk))
    return int(result.rowcount)
