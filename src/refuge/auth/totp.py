"""The second factor: time-based one-time codes (RFC 6238, through ``pyotp``) and one-time
recovery codes.

A code is accepted for the current 30-second step or the one before or after (clock drift),
and never twice: the last accepted step is stored and older steps are refused (a code seen
over a shoulder or phished cannot be replayed). Recovery codes are 16 base32 characters
(80 random bits) stored as SHA-256 and deleted when used. Enrolment is manual (the secret is
shown as text to type into an authenticator app; no QR code is needed).
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
from sqlalchemy import Connection, delete, insert, select, update

from refuge.auth.tables import recovery_codes, users

STEP = 30
RECOVERY_CODES = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="refuge")


def current_code(secret: str, now: float | None = None) -> str:
    """The code an authenticator shows at ``now`` (used by the CLI's enrolment check)."""
    return pyotp.TOTP(secret).at(int(now if now is not None else time.time()))


def matching_step(secret: str, code: str, now: float, last_step: int) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), if it is later than
    ``last_step``; else None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = int(now) // STEP
    for candidate in (step, step - 1, step + 1):
        if candidate > last_step and secrets.compare_digest(totp.at(candidate * STEP), code):
            return candidate
    return None


def enrol(connection: Connection, user_pk: int, secret: str, now: float) -> list[str]:
    """Store the secret and fresh recovery codes (replacing any old ones); returns the codes
    to show once."""
    connection.execute(
        update(users).where(users.c.pk == user_pk).values(totp_secret=secret, totp_step=0)
    )
    connection.execute(delete(recovery_codes).where(recovery_codes.c.user_pk == user_pk))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    connection.execute(
        insert(recovery_codes),
        [{"code_hash": _digest(c), "user_pk": user_pk, "created_at": int(now)} for c in codes],
    )
    return [f"{c[:4]}-{c[4:8]}-{c[8:12]}-{c[12:]}" for c in codes]


def _digest(code: str) -> str:
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normal.encode()).hexdigest()


def check(connection: Connection, user_pk: int, code: str, now: float) -> bool:
    """Accept a TOTP code (recording its step) or an unused recovery code (deleting it)."""
    row = connection.execute(
        select(users.c.totp_secret, users.c.totp_step).where(users.c.pk == user_pk)
    ).first()
    if row is None or not row.totp_secret or not code:
        return False
    step = matching_step(row.totp_secret, code, now, int(row.totp_step))
    if step is not None:
        accepted = connection.execute(
            update(users)
            .where(users.c.pk == user_pk, users.c.totp_step < step)
            .values(totp_step=step)
        )
        return int(accepted.rowcount) == 1  # a concurrent use of the same code loses
    used = connection.execute(
        delete(recovery_codes).where(
            recovery_codes.c.user_pk == user_pk, recovery_codes.c.code_hash == _digest(code)
        )
    )
    return int(used.rowcount) == 1


def remaining_recovery_codes(connection: Connection, user_pk: int) -> int:
    rows = connection.execute(
        select(recovery_codes.c.code_hash).where(recovery_codes.c.user_pk == user_pk)
    )
    return len(rows.all())
