"""Slowing password guessing without handing anyone a way to lock the owner out (R8).

Failures are counted under several keys at once, each with its own exponential back-off:

- ``p:`` the account *and* where the attempt comes from (the known device if the browser
  holds one, else the client address): a guesser is slowed to one try per 15 minutes there;
- ``c:`` the client address, across accounts: a guesser trying many names is slowed too;
- ``a:`` the account, across addresses: a botnet is slowed, but this delay is capped at
  ``ACCOUNT_MAX_DELAY`` (one minute), and a browser the owner signed in from before (a known
  device cookie) is exempt from it and from the client key.

So slow guessing from elsewhere never keeps the owner out for more than a minute, and never
at all on a device they have used; their own address is slowed only by their own mistakes.
Keys hold a hash of the account name (unknown names are counted like known ones, so the
counters do not reveal who exists). The design follows OWASP's "device cookies" proposal:
https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies

Counting is atomic: one ``UPDATE ... SET failures = failures + 1 ... RETURNING`` per key, so 32
concurrent wrong guesses count as 32 (they counted as 2 when each wrote back what it read).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from refuge.auth.tables import sign_in_failures


@dataclass(frozen=True, slots=True)
class Rule:
    free: int  # failures allowed before any delay
    max_delay: int  # seconds


PAIR = Rule(free=5, max_delay=15 * 60)
CLIENT = Rule(free=20, max_delay=15 * 60)
ACCOUNT = Rule(free=10, max_delay=60)
ACCOUNT_MAX_DELAY = ACCOUNT.max_delay


def name_key(name: str) -> str:
    return hashlib.sha256(name.strip().lower().encode()).hexdigest()[:32]


def keys(name: str, client: str, device: str | None) -> dict[str, Rule]:
    """The keys an attempt is counted under. With a known ``device`` (a hash), only the pair
    key of that device applies: the owner's browser is not slowed by guesses from elsewhere."""
    account = name_key(name)
    if device is not None:
        return {f"p:{account}:d:{device[:32]}": PAIR}
    return {
        f"p:{account}:c:{client[:64]}": PAIR,
        f"c:{client[:64]}": CLIENT,
        f"a:{account}": ACCOUNT,
    }


def wait(connection: Connection, rules: dict[str, Rule], now: float) -> int:
    """Seconds before another attempt under these keys is looked at (0: go ahead)."""
    rows = connection.execute(
        select(sign_in_failures.c.until).where(sign_in_failures.c.key.in_(list(rules)))
    ).scalars()
    return max((int(until - now) for until in rows if until > now), default=0)


def delay(rule: Rule, failures: int) -> int:
    """No delay for the first ``free`` failures, then 2, 4, 8 ... seconds up to the cap."""
    if failures <= rule.free:
        return 0
    return int(min(2 ** min(failures - rule.free, 30), rule.max_delay))


def fail(connection: Connection, rules: dict[str, Rule], now: float) -> None:
    """Count one failure under every key, atomically, and set each key's back-off."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    for key, rule in rules.items():
        statement = insert(sign_in_failures).values(
            key=key, failures=1, until=0, updated_at=int(now)
        )
        failures = connection.execute(
            statement.on_conflict_do_update(
                index_elements=[sign_in_failures.c.key],
                set_={
                    "failures": sign_in_failures.c.failures + 1,
                    "updated_at": int(now),
                },
            ).returning(sign_in_failures.c.failures)
        ).scalar_one()
        pause = delay(rule, int(failures))
        if pause:
            connection.execute(
                update(sign_in_failures)
                .where(sign_in_failures.c.key == key, sign_in_failures.c.until < int(now) + pause)
                .values(until=int(now) + pause)
            )


def succeed(connection: Connection, rules: dict[str, Rule]) -> None:
    """A right password (and second factor) clears the keys of this attempt."""
    connection.execute(delete(sign_in_failures).where(sign_in_failures.c.key.in_(list(rules))))


def forget_older_than(connection: Connection, cutoff: float) -> int:
    """Drop counters untouched since ``cutoff`` (a day of quiet forgives old mistakes)."""
    result = connection.execute(
        delete(sign_in_failures).where(sign_in_failures.c.updated_at < int(cutoff))
    )
    return int(result.rowcount)
