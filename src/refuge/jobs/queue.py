"""Two ways to run the same jobs: procrastinate's queue on PostgreSQL, in-process on SQLite."""

from __future__ import annotations

import time
from typing import Any

from refuge.jobs import runs
from refuge.jobs.tasks import TASKS, PermanentJobError
from refuge.storage import Store, StoreError

#: attempts before a job is parked, and the first back-off (doubled at each retry)
MAX_ATTEMPTS = 4
FIRST_WAIT_SECONDS = 2.0


def run_attempt(
    store: Store,
    queue: Any,
    job_id: int,
    task: str,
    attempt: int,
    *,
    record_start: bool = True,
    **kwargs: Any,
) -> None:
    """Run one attempt of a job, recording it; re-raise its error for the caller to retry.
    ``record_start``: write "doing" first (in-process; a queue records that itself)."""
    if record_start:
        runs.started(store, job_id, task, attempt)
    try:
        result = TASKS[task](store, queue, **kwargs)
    except PermanentJobError as error:
        runs.failed(store, job_id, task, runs.describe(error), parked=True, attempts=attempt)
        raise
    except Exception as error:
        parked = attempt >= MAX_ATTEMPTS
        runs.failed(store, job_id, task, runs.describe(error), parked=parked, attempts=attempt)
        raise
    runs.finished(store, job_id, task, result, attempts=attempt)


class InProcessQueue:
    """SQLite: no queue and no worker; a deferred job runs at once, in this process, with the
    same retries and back-off a worker gives it."""

    def __init__(self, store: Store, *, first_wait: float = FIRST_WAIT_SECONDS) -> None:
        self.store = store
        self.first_wait = first_wait

    def defer(self, task: str, **kwargs: Any) -> int:
        _known(task)
        job_id = runs.new_run(self.store, task)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                run_attempt(self.store, self, job_id, task, attempt, **kwargs)
                return job_id
            except PermanentJobError:
                return job_id
            except Exception:
                if attempt == MAX_ATTEMPTS:
                    return job_id
                time.sleep(self.first_wait * 2 ** (attempt - 1))
        return job_id

    def close(self) -> None:
        """Nothing to release: the store belongs to the caller."""


class ProcrastinateQueue:
    """PostgreSQL: jobs go on procrastinate's queue, for ``refuge worker`` processes."""

    def __init__(self, url: str) -> None:
        from refuge.jobs.worker import build_app

        self.app = build_app(url).open()

    def defer(self, task: str, **kwargs: Any) -> int:
        _known(task)
        return int(self.app.configure_task(task).defer(**kwargs))

    def close(self) -> None:
        self.app.close()


Queue = InProcessQueue | ProcrastinateQueue


def open_queue(store: Store, url: str | None) -> Queue:
    """The queue for ``store``: procrastinate on PostgreSQL, in-process on SQLite."""
    if store.dialect == "postgresql":
        return ProcrastinateQueue(url or str(store.engine.url.render_as_string(False)))
    return InProcessQueue(store)


def _known(task: str) -> None:
    if task not in TASKS:
        raise StoreError(f"no job {task!r}; jobs are {', '.join(sorted(TASKS))}")
