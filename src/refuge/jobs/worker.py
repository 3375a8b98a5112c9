"""procrastinate's app and worker for refuge's jobs (PostgreSQL only).

Each job function is registered as a procrastinate task with retries and exponential back-off;
after the last attempt the job stays ``failed`` in the queue (parked) with its error in
``job_runs``. A worker that dies mid-job (SIGKILL, a lost machine) stops its heartbeat; the
periodic ``retry_stalled`` task puts its jobs back on the queue, and the report's SHA-256 makes
the second run store nothing twice.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import Any

import procrastinate
from procrastinate import JobContext, RetryStrategy

from refuge.jobs import queue as queue_module
from refuge.jobs.tasks import TASKS
from refuge.storage import Store, open_store
from refuge.storage.database import normalise_url

#: seconds without a heartbeat after which a worker's jobs count as stalled
STALLED_SECONDS = float(os.environ.get("REFUGE_JOBS_STALLED_SECONDS", "30"))
HEARTBEAT_SECONDS = max(0.5, STALLED_SECONDS / 3)


def conninfo(url: str) -> str:
    """libpq's form of a store URL (procrastinate talks to psycopg directly)."""
    parsed = normalise_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def build_app(url: str) -> procrastinate.App:
    """An app on the store's database with every refuge job registered."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    retry = RetryStrategy(
        max_attempts=queue_module.MAX_ATTEMPTS - 1,  # procrastinate counts retries
        exponential_wait=int(queue_module.FIRST_WAIT_SECONDS),
        retry_exceptions=None,
    )
    for name in TASKS:
        runner = functools.partial(_run, url, name)
        functools.update_wrapper(runner, _run)
        app.task(name=name, pass_context=True, retry=_Retry(retry))(runner)
    every = max(1, int(STALLED_SECONDS / 2))
    app.periodic(cron=f"* * * * * */{every}", periodic_id="retry_stalled")(
        app.task(name="retry_stalled", queueing_lock="retry_stalled", pass_context=True)(
            functools.partial(_retry_stalled, app)
        )
    )
    app.periodic(cron="17 * * * *", periodic_id="forget_done_jobs")(
        app.task(name="forget_done_jobs", queueing_lock="forget_done_jobs", pass_context=True)(
            _forget_done_jobs
        )
    )
    feeds_cron = os.environ.get("REFUGE_FEEDS_CRON", "*/30 * * * *")
    app.periodic(cron=feeds_cron, periodic_id="poll_feeds")(
        app.task(name="poll_feeds", queueing_lock="poll_feeds", pass_context=True)(
            functools.partial(_poll_feeds, url)
        )
    )
    return app


def _poll_feeds(url: str, context: JobContext, timestamp: int) -> None:
    """The schedule: one ``poll_feed`` job per watched feed (each retried on its own)."""
    from refuge.services.feeds import list_feeds

    deferrer = _Deferrer(context.app)
    for feed in list_feeds(_store(url)):
        deferrer.defer("poll_feed", feed=feed.pk)


async def _forget_done_jobs(context: JobContext, timestamp: int) -> None:
    """A job's arguments hold the report's bytes: drop the queue's rows of jobs that succeeded
    more than ``REFUGE_JOBS_KEEP_HOURS`` (default 24) ago. Parked jobs stay, to be seen and
    retried; refuge's ``job_runs`` keeps the outcome of every job (no report text)."""
    await forget_done_jobs(context.app)


async def forget_done_jobs(app: procrastinate.App) -> None:
    hours = int(os.environ.get("REFUGE_JOBS_KEEP_HOURS", "24"))
    await app.job_manager.delete_old_jobs(nb_hours=hours)


class _Retry(procrastinate.BaseRetryStrategy):
    """Retry with back-off, except a ``PermanentJobError`` (bad input: park it at once)."""

    def __init__(self, inner: RetryStrategy) -> None:
        self.inner = inner

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        from refuge.jobs.tasks import PermanentJobError

        if isinstance(exception, PermanentJobError):
            return None
        return self.inner.get_retry_decision(exception=exception, job=job)


_CONTENT = re.compile(r"content='[^']*'")


def _redact(record: logging.LogRecord) -> bool:
    """procrastinate logs a job's arguments; a report's bytes are personal data (never log
    report text): replace them before any handler writes the line."""
    message = record.getMessage()
    if "content='" in message:
        record.msg, record.args = _CONTENT.sub("content=<report>", message), None
    return True


@functools.cache
def _store(url: str) -> Store:
    return open_store(url)


def _run(url: str, task: str, context: JobContext, /, **kwargs: Any) -> dict[str, Any]:
    job = context.job
    assert job.id is not None
    store = _store(url)
    deferrer = _Deferrer(context.app)
    queue_module.run_attempt(
        store, deferrer, job.id, task, job.attempts + 1, record_start=False, **kwargs
    )
    return {}


class _Deferrer:
    """Defers follow-up jobs from inside a job, on the worker's own app."""

    def __init__(self, app: procrastinate.App) -> None:
        self.app = app

    def defer(self, task: str, **kwargs: Any) -> int:
        return int(self.app.configure_task(task).defer(**kwargs))


async def _retry_stalled(app: procrastinate.App, context: JobContext, timestamp: int) -> None:
    """Put the jobs of workers that stopped beating back on the queue."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS)
    for job in stalled:
        await app.job_manager.retry_job(job)


def run_worker(url: str, concurrency: int) -> None:
    """Run a worker until SIGINT/SIGTERM (a clean stop lets running jobs finish)."""
    logging.basicConfig(
        level=os.environ.get("REFUGE_LOG_LEVEL", "WARNING"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(_redact)
    app = build_app(url)
    app.run_worker(
        concurrency=concurrency,
        update_heartbeat_interval=HEARTBEAT_SECONDS,
        stalled_worker_timeout=STALLED_SECONDS,
    )
