"""Two ways to run the same jobs: procrastinate's queue on PostgreSQL, in-process on SQLite."""

from __future__ import annotations

import logging
import threading
import time
from queue import SimpleQueue
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
        job_id = runs.new_run(self.store, task, args=kwargs)
        self._run(job_id, task, kwargs)
        return job_id

    def retry(self, job_id: int) -> None:
        """Run a parked job again from its first attempt (an admin's retry)."""
        kwargs = runs.args(self.store, job_id)
        job = runs.get(self.store, job_id)
        if kwargs is None or job is None:
            raise StoreError(f"job {job_id} cannot be retried: its arguments were not kept")
        runs.failed(self.store, job_id, job.task, job.error or "", parked=False, attempts=0)
        self._start(job_id, job.task, kwargs)

    def _start(self, job_id: int, task: str, kwargs: dict[str, Any]) -> None:
        self._run(job_id, task, kwargs)

    def _run(self, job_id: int, task: str, kwargs: dict[str, Any]) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                run_attempt(self.store, self, job_id, task, attempt, **kwargs)
                return
            except PermanentJobError:
                return
            except Exception:
                if attempt == MAX_ATTEMPTS:
                    return
                time.sleep(self.first_wait * 2 ** (attempt - 1))

    def close(self) -> None:
        """Nothing to release: the store belongs to the caller."""


class BackgroundQueue(InProcessQueue):
    """The web server on SQLite: the same in-process runs, one at a time on a background
    thread, so the request that defers a job returns at once (the page then shows its
    progress). Jobs that a killed server leaves unfinished are deferred again when it starts
    (``inbox.resume``)."""

    def __init__(self, store: Store, *, first_wait: float = FIRST_WAIT_SECONDS) -> None:
        super().__init__(store, first_wait=first_wait)
        self._todo: SimpleQueue[tuple[int, str, dict[str, Any]] | None] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def defer(self, task: str, **kwargs: Any) -> int:
        _known(task)
        job_id = runs.new_run(self.store, task, args=kwargs)
        self._start(job_id, task, kwargs)
        return job_id

    def _start(self, job_id: int, task: str, kwargs: dict[str, Any]) -> None:
        with self._lock:
            if self._thread is None:  # started on first use: most apps never defer
                self._thread = threading.Thread(target=self._work, name="refuge-jobs", daemon=True)
                self._thread.start()
        self._todo.put((job_id, task, kwargs))

    def _work(self) -> None:
        while (item := self._todo.get()) is not None:
            try:
                self._run(*item)
            except Exception as error:  # a broken store must not kill the thread silently
                log.error("job %s failed outside its run: %s", item[0], type(error).__name__)

    def close(self) -> None:
        """Stop the thread after the jobs already deferred."""
        self._todo.put(None)


class ProcrastinateQueue:
    """PostgreSQL: jobs go on procrastinate's queue, for ``refuge worker`` processes."""

    def __init__(self, url: str) -> None:
        from refuge.jobs.worker import build_app

        self.app = build_app(url).open()

    def defer(self, task: str, **kwargs: Any) -> int:
        _known(task)
        return int(self.app.configure_task(task).defer(**kwargs))

    def retry(self, job_id: int) -> None:
        """Put a parked job back on the queue (an admin's retry): one more attempt."""
        from datetime import UTC, datetime

        self.app.job_manager.retry_job_by_id(job_id, retry_at=datetime.now(UTC))

    def close(self) -> None:
        self.app.close()


Queue = InProcessQueue | ProcrastinateQueue
log = logging.getLogger("refuge.jobs")


def open_queue(store: Store, url: str | None, *, background: bool = False) -> Queue:
    """The queue for ``store``: procrastinate on PostgreSQL, in-process on SQLite (on a
    background thread with ``background``: the web server's)."""
    if store.dialect == "postgresql":
        return ProcrastinateQueue(url or str(store.engine.url.render_as_string(False)))
    return BackgroundQueue(store) if background else InProcessQueue(store)


def _known(task: str) -> None:
    if task not in TASKS:
        raise StoreError(f"no job {task!r}; jobs are {', '.join(sorted(TASKS))}")
