"""Reports waiting to be read: the ``inbox`` table, written before a job is deferred.

A job's argument is the key of an inbox row, never the report: procrastinate's ``args``
column is plain JSON that the database administrator reads and the queue logs, while the
inbox row's name and bytes are encrypted on PostgreSQL like every personal column. The bytes
are dropped once the report is read; the row then keeps the reading's result (counts and
case ids), which is what an upload's progress page shows.

    pk = submit(store, queue, data, "report.html", user_pk=7)   # stored, then deferred
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, insert, select, update

from refuge.jobs import runs
from refuge.storage import Store
from refuge.storage.tables import inbox, job_runs


class Deferrer(Protocol):
    def defer(self, task: str, **kwargs: Any) -> int: ...


@dataclass(frozen=True, slots=True)
class Waiting:
    """One inbox row."""

    pk: int
    name: str
    data: bytes | None  # None once read
    host: str | None
    language: str | None
    team: str | None
    user_pk: int | None
    job_id: int | None
    result: dict[str, Any] | None


def put(
    store: Store,
    data: bytes,
    name: str,
    *,
    host: str | None = None,
    language: str | None = None,
    team: str | None = None,
    user_pk: int | None = None,
) -> int:
    """Store a report to be read; its key is the job's argument."""
    values = {
        "name": name, "content": base64.b64encode(data).decode("ascii"), "host": host,
        "language": language, "team": team, "user_pk": user_pk, "created_at": _now(),
    }  # fmt: skip
    with store.write() as connection:
        return int(
            connection.execute(insert(inbox).values(values).returning(inbox.c.pk)).scalar_one()
        )


def submit(
    store: Store, queue: Deferrer, data: bytes, name: str, *, analyzer: str | None = None,
    **where: Any,
) -> int:  # fmt: skip
    """Store the report, then defer its ``ingest_report`` job; returns the inbox key. A crash
    between the two leaves a row with no job, which ``resume`` defers again."""
    pk = put(store, data, name, **where)
    defer(store, queue, pk, analyzer)
    return pk


def defer(store: Store, queue: Deferrer, pk: int, analyzer: str | None = None) -> int:
    """Defer (again) the job reading inbox row ``pk`` and remember its id."""
    extra = {"analyzer": analyzer} if analyzer else {}
    job_id = queue.defer("ingest_report", report=pk, **extra)
    with store.write() as connection:
        connection.execute(update(inbox).where(inbox.c.pk == pk).values(job_id=job_id))
    return job_id


def get(store: Store, pk: int) -> Waiting | None:
    with store.read() as connection:
        row = connection.execute(select(inbox).where(inbox.c.pk == pk)).first()
    if row is None:
        return None
    data = base64.b64decode(row.content) if row.content is not None else None
    return Waiting(
        int(row.pk), row.name, data, row.host, row.language, row.team, row.user_pk,
        row.job_id, row.result,
    )  # fmt: skip


def by_job(store: Store, job_id: int) -> int | None:
    """The inbox row a job reads, if any."""
    with store.read() as connection:
        return connection.execute(select(inbox.c.pk).where(inbox.c.job_id == job_id)).scalar()


def mark_read(store: Store, pk: int, result: dict[str, Any]) -> None:
    """Drop the bytes and keep the result (what the upload page shows). The first reading
    wins: a second job on the same row (deferred twice) finds its report already stored."""
    with store.write() as connection:
        connection.execute(
            update(inbox)
            .where(inbox.c.pk == pk, inbox.c.read_at.is_(None))
            .values(content=None, result=result, read_at=_now())
        )


def discard(store: Store, pk: int) -> None:
    """Drop a parked report's bytes for good (an admin gave up on it)."""
    with store.write() as connection:
        connection.execute(
            update(inbox)
            .where(inbox.c.pk == pk, inbox.c.read_at.is_(None))
            .values(content=None, read_at=_now(), result={"discarded": True})
        )


def unread(store: Store, *, in_process: bool) -> list[Any]:
    """``(pk, job_id)`` of the reports a stopped process left unread: rows whose job was never
    deferred (a crash between storing and deferring) and, in-process (SQLite: the jobs died
    with the process), rows whose job had not finished. Parked jobs are not among them."""
    unfinished = select(job_runs.c.job_id).where(job_runs.c.status.in_(("queued", "doing")))
    orphan: ColumnElement[bool] = inbox.c.job_id.is_(None)
    if in_process:
        orphan = orphan | inbox.c.job_id.in_(unfinished)
    with store.read() as connection:
        return list(
            connection.execute(
                select(inbox.c.pk, inbox.c.job_id)
                .where(inbox.c.read_at.is_(None), inbox.c.content.is_not(None), orphan)
                .order_by(inbox.c.pk)
            ).all()
        )


def resume(store: Store, queue: Deferrer, *, in_process: bool) -> int:
    """Defer again the reports that a stopped process left unread (``unread``)."""
    rows = unread(store, in_process=in_process)
    for row in rows:
        analyzer = None
        if row.job_id is not None:  # its run died with the process that ran it
            analyzer = (runs.args(store, row.job_id) or {}).get("analyzer")
            with store.write() as connection:
                connection.execute(
                    update(job_runs)
                    .where(job_runs.c.job_id == row.job_id)
                    .values(status="failed", error="interrupted; read again", updated_at=_now())
                )
        defer(store, queue, int(row.pk), analyzer)
    return len(rows)


def _now() -> datetime:
    return datetime.now(UTC)
