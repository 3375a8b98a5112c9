"""Group commit for the audit entries of reads.

Every case page and every list writes an audit entry before it answers. One transaction per
entry makes SQLite fsync per request, and under fifty users the fsyncs queue up. Here
concurrent requests hand their entries to whichever of them is writing next; it writes them
all in one transaction and wakes the others. Each request still returns only after its own
entry is durable, so no read goes unrecorded (security.md R21).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from refuge.auth.access import audit_event

Entry = tuple[str, str, str, int | None, str]
Writer = Callable[[], Any]  # returns a context manager yielding a write connection


class GroupCommit:
    """Batches numbered 0, 1, 2 ...; an entry goes into the batch being gathered."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        self._cond = threading.Condition()
        self._pending: list[Entry] = []
        self._gathering = 0  # number of the batch entries are added to
        self._committed = -1  # last batch on disk
        self._failed: dict[int, BaseException] = {}
        self._busy = False

    def record(self, entry: Entry) -> None:
        """Add ``entry`` and return once the batch holding it is committed (or raise)."""
        with self._cond:
            mine = self._gathering
            self._pending.append(entry)
            while self._committed < mine:
                if self._busy:
                    self._cond.wait()
                    continue
                self._flush_locked()
            error = self._failed.get(mine)
        if error is not None:
            raise error

    def _flush_locked(self) -> None:
        batch, number = self._pending, self._gathering
        self._pending, self._gathering, self._busy = [], number + 1, True
        self._cond.release()
        try:
            with self._writer() as connection:
                _write(connection, batch)
        except BaseException as error:  # every waiter of this batch must hear of it
            self._failed[number] = error
        finally:
            self._cond.acquire()
            self._committed, self._busy = number, False
            self._cond.notify_all()


def _write(connection: Connection, batch: list[Entry]) -> None:
    for actor, action, object_type, object_pk, detail in batch:
        audit_event(connection, actor, action, object_type, object_pk, detail)
