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
from zxcvbn import zxcvbn  # type: ignore[import-untyped]
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

from refuge.errors import InputError

MIN_LENGTH = 15
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn's scale 0-4: 3 is "safely unguessable: moderate protection offline"
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide


# At most this many Argon2 computations at once (64 MiB each): a burst of sign-ins must not
# exhaust memory or every worker thread (security.md §4.3).
_SLOTS = threading.BoundedSemaphore(4)


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1, hash_len=32, salt_len=16)


@cache
def _dummy_hash() -> str:
    return hasher().hash("refuge dummy password for unknown users")


def check_policy(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Refuse passwords that are too short or too long, on the list of 30,000 most common
    passwords from breaches that ships with zxcvbn, or guessable by zxcvbn's estimate (under
    score 3: dictionary words, names, keyboard walks, repeats, dates, l33t and their
    combinations, and the user's own name). No composition rules: they make passwords weaker,
    not stronger (NIST SP 800-63B 5.1.1.2)."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(f"the password must have at most {MAX_LENGTH} characters")
    if password.lower() in _breached():
        raise InputError("this password is on a list of breached passwords; choose another")
    estimate = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=list(user_inputs))
    if estimate["score"] < MIN_SCORE:
        hint = (estimate.get("feedback") or {}).get("warning") or "it is too easy to guess"
        raise InputError(
            f"this password is too weak ({hint.rstrip('.').lower()}); "
            "choose a long phrase of several unrelated words"
        )


@cache
def _breached() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def hash_password(password: str, user_inputs: tuple[str, ...] = ()) -> str:
    check_policy(password, user_inputs)
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
