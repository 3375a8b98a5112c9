"""Who acts: the principal every use case of ``services`` takes, and the answers it may get.

The web pages and the REST API pass the signed-in user's ``Principal``; the command line
passes :func:`operator`, the person at the server's console who holds the store's key (so
sees every case) and is audited as ``operator:NAME``. Access is decided here, once, for every
front door: :func:`find_case` selects through ``auth.access.visible`` (need to know) and
answers a hidden case exactly like a missing one; :func:`require` checks the role.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, select

from refuge.auth.access import visible, visible_case
from refuge.auth.users import Principal
from refuge.errors import RefugeError
from refuge.storage import Store
from refuge.storage.tables import cases


class NotFound(RefugeError):
    """The case (or draft) does not exist or is not visible: the same answer for both."""

    exit_code = 4


class Forbidden(RefugeError):
    """The role or token scope does not allow this action."""

    exit_code = 3


def operator(actor: str) -> Principal:
    """The command-line operator ``actor`` (``REFUGE_ACTOR`` or the login name): every role,
    every case; the audit trail names them ``operator:actor``."""
    return Principal(0, f"operator:{actor}", "admin", (), None, operator=True)


def require(principal: Principal, role: str) -> None:
    """Refuse unless ``principal``'s role (and token scope) reaches ``role``."""
    if not principal.can(role):
        raise Forbidden(f"this needs the {role} role and a write scope")


def find_case(connection: Connection, principal: Principal, case: int | str) -> tuple[int, str]:
    """``(pk, id)`` of a visible case, by its opaque reference (pages, API) or its id (CLI)."""
    if isinstance(case, int):
        found = visible_case(connection, principal, case)
    else:
        row = connection.execute(
            select(cases.c.pk, cases.c.id).where(cases.c.id == case, visible(principal))
        ).first()
        found = None if row is None else (int(row.pk), str(row.id))
    if found is None:
        raise NotFound(f"no case {case!r} in the store" if principal.operator else "no such case")
    return found


_writer = threading.Lock()


@contextmanager
def write(store: Store) -> Iterator[Connection]:
    """A write transaction, queued in-process first. SQLite lets one writer in at a time and
    makes the others retry with sleeps of up to 100 ms; queueing the web app's own writers on
    a lock turns that into a short, fair wait."""
    with _writer, store.write() as connection:
        yield connection


_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` after every change made through the services (the web app drops its
    cached lists and alerts)."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed() -> None:
    for listener in list(_listeners):
        listener()
