"""Password hashing with Argon2id (security.md R6), and the policy a new password must meet.

Parameters follow SecureDrop rather than OWASP's floor: 64 MiB, 3 passes, one lane. A hash
made with older parameters is upgraded at the next successful sign-in. Unknown users are
checked against a dummy hash so that a wrong name and a wrong password cost the same time
(no user enumeration by timing, R8).
"""

from __future__ import annotations

import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from refuge.errors import InputError

MIN_LENGTH = 15
MAX_LENGTH = 256
# A short offline list of the most common passwords long enough to pass the length rule.
COMMON = frozenset(
    {
        "passwordpassword",
        "123456789012345",
        "1234567890123456",
        "qwertyuiopasdfgh",
        "iloveyouiloveyou",
        "correcthorsebatterystaple",
        "aaaaaaaaaaaaaaa",
        "passwordpassword1",
        "qwertyqwertyqwerty",
    }
)


# At most this many Argon2 computations at once (64 MiB each): a burst of sign-ins must not
# exhaust memory or every worker thread (security.md §4.3).
_SLOTS = threading.BoundedSemaphore(4)


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1, hash_len=32, salt_len=16)


@cache
def _dummy_hash() -> str:
    return hasher().hash("refuge dummy password for unknown users")


def check_policy(password: str) -> None:
    """Refuse passwords that are too short, too long or on the common list (no other rules:
    composition rules make passwords weaker, not stronger)."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(f"the password must have at most {MAX_LENGTH} characters")
    if password.lower() in COMMON or len(set(password)) < 4:
        raise InputError("this password is too common; choose a long phrase of your own")


def hash_password(password: str) -> str:
    check_policy(password)
    with _SLOTS:
        return hasher().hash(password)


def verify(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; with ``stored=None`` (unknown user) a dummy
    hash is verified anyway so that the answer takes the same time."""
    target = stored or _dummy_hash()
    try:
        with _SLOTS:
            hasher().verify(target, password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)
