"""What refuge records of each job: state, attempts, the error that parked it, a small result.

Never report text or names: a result holds counts and case ids, an error the exception's
type and refuge's own message (which never quotes a report).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text, update

from refuge.storage import Store
from refuge.storage.tables import job_runs

STATES = ("queued", "doing", "succeeded", "failed", "dismissed")


@dataclass(frozen=True, slots=True)
class JobRow:
    """One line of ``refuge jobs``."""

    id: int
    task: str
    status: str
    attempts: int
    error: str | None
    result: dict[str, Any] | None
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def new_run(
    store: Store, task: str, job_id: int | None = None, args: dict[str, Any] | None = None
) -> int:
    """Record a queued job (``job_id``: the queue's id, or None to number it here; ``args``:
    its arguments, ids only, to retry it in-process)."""
    values: dict[str, Any] = {"task": task, "status": "queued", "attempts": 0, "args": args}
    if job_id is not None:
        values["job_id"] = job_id
    with store.write() as connection:
        return int(
            connection.execute(
                insert(job_runs).values(**values, updated_at=_now()).returning(job_runs.c.job_id)
            ).scalar_one()
        )


def started(store: Store, job_id: int, task: str, attempt: int) -> None:
    """Mark ``job_id`` as running its ``attempt``-th time (created here if the queue made it)."""
    with store.write() as connection:
        known = connection.execute(
            select(job_runs.c.job_id).where(job_runs.c.job_id == job_id)
        ).first()
        values = {"status": "doing", "attempts": attempt, "updated_at": _now()}
        if known is None:
            connection.execute(insert(job_runs).values(job_id=job_id, task=task, **values))
        else:
            connection.execute(update(job_runs).where(job_runs.c.job_id == job_id).values(values))


def finished(
    store: Store, job_id: int, task: str, result: dict[str, Any], *, attempts: int
) -> None:
    _set(store, job_id, task, status="succeeded", result=result, error=None, attempts=attempts)


def failed(
    store: Store, job_id: int, task: str, error: str, *, parked: bool, attempts: int
) -> None:
    """Record the error; ``parked``: no attempt is left (else the queue retries it)."""
    status = "failed" if parked else "queued"
    _set(store, job_id, task, status=status, error=error, attempts=attempts)


def _set(store: Store, job_id: int, task: str, **values: Any) -> None:
    """Update the job's record, creating it if its start was not recorded (a worker records
    only the end: the queue itself knows what runs)."""
    with store.write() as connection:
        done = connection.execute(
            update(job_runs)
            .where(job_runs.c.job_id == job_id)
            .values(**values, updated_at=_now())
            .returning(job_runs.c.job_id)
        ).first()
        if done is None:
            connection.execute(
                insert(job_runs).values(
                    job_id=job_id, task=task, **values, updated_at=_now(),
                )
            )  # fmt: skip


def get(store: Store, job_id: int) -> JobRow | None:
    """One job as ``refuge jobs`` lists it (on PostgreSQL, with the queue's state)."""
    if store.dialect == "postgresql":
        found = _queue_jobs(store, False, 1, job_id)
        return found[0] if found else None
    with store.read() as connection:
        row = connection.execute(select(job_runs).where(job_runs.c.job_id == job_id)).first()
    return None if row is None else _row(row)


def args(store: Store, job_id: int) -> dict[str, Any] | None:
    """The arguments an in-process job was deferred with (None if unknown)."""
    with store.read() as connection:
        found = connection.execute(
            select(job_runs.c.args).where(job_runs.c.job_id == job_id)
        ).scalar()
    return dict(found) if found is not None else None


def dismiss(store: Store, job_id: int) -> None:
    """An admin gave up on a parked job: it leaves the failed list, its record stays."""
    with store.write() as connection:
        done = connection.execute(
            update(job_runs)
            .where(job_runs.c.job_id == job_id)
            .values(status="dismissed", updated_at=_now())
            .returning(job_runs.c.job_id)
        ).first()
        if done is None:  # a queue job that never ran refuge's code
            connection.execute(
                insert(job_runs).values(
                    job_id=job_id, task="ingest_report", status="dismissed", attempts=0,
                    updated_at=_now(),
                )
            )  # fmt: skip


def list_runs(store: Store, *, failed_only: bool = False, limit: int = 200) -> list[JobRow]:
    """The newest jobs first (only the parked ones with ``failed_only``). On PostgreSQL the
    queue's own table is the truth for state and attempts (a job no worker took yet is there
    only); refuge's record adds the error and the result. The queue's housekeeping tasks
    (``retry_stalled``, ``poll_feeds``) are not listed."""
    if store.dialect == "postgresql":
        return _queue_jobs(store, failed_only, limit)
    query = select(job_runs).order_by(job_runs.c.job_id.desc()).limit(limit)
    if failed_only:
        query = query.where(job_runs.c.status == "failed")
    with store.read() as connection:
        return [_row(r) for r in connection.execute(query).all()]


_QUEUE_JOBS = """
SELECT COALESCE(p.id, r.job_id) AS job_id, COALESCE(p.task_name, r.task) AS task,
       COALESCE(p.attempts, r.attempts) AS attempts,
       CASE WHEN p.id IS NULL OR r.status = 'dismissed' THEN r.status
            WHEN p.status::text = 'todo' THEN 'queued' ELSE p.status::text END AS status,
       r.error AS error, r.result AS result, COALESCE(r.updated_at, p.scheduled_at) AS updated_at
FROM procrastinate_jobs p FULL OUTER JOIN job_runs r ON r.job_id = p.id
WHERE COALESCE(p.task_name, r.task) IN ('ingest_report', 'poll_feed')
  AND (NOT :failed_only OR (p.status::text = 'failed' AND r.status IS DISTINCT FROM
       'dismissed') OR (p.id IS NULL AND r.status = 'failed'))
  AND (CAST(:job_id AS integer) IS NULL OR COALESCE(p.id, r.job_id) = :job_id)
ORDER BY 1 DESC LIMIT :limit
"""


def _queue_jobs(
    store: Store, failed_only: bool, limit: int, job_id: int | None = None
) -> list[JobRow]:
    with store.read() as connection:
        rows = connection.execute(
            text(_QUEUE_JOBS), {"failed_only": failed_only, "limit": limit, "job_id": job_id}
        ).all()
    return [_row(r) for r in rows]


def _row(row: Any) -> JobRow:
    return JobRow(
        int(row.job_id), row.task, row.status, int(row.attempts), row.error, row.result,
        row.updated_at.isoformat() if row.updated_at is not None else "",
    )  # fmt: skip


def describe(error: BaseException) -> str:
    """An error fit to keep: refuge's own message (first line), else the exception's type."""
    from refuge.errors import RefugeError

    if isinstance(error, RefugeError):
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return type(error).__name__


def _now() -> datetime:
    return datetime.now(UTC)
