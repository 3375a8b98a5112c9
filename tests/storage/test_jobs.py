"""Jobs: the same job functions in-process (SQLite) and on procrastinate's queue with real
``refuge worker`` processes (PostgreSQL): stored once, retried, parked with their error."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jobhelpers import (
    ANALYZER,
    fake_report,
    start_worker,
    stop,
    stored_reports,
    wait_until_done,
    worker_env,
)
from sqlalchemy import text

from refuge.jobs import inbox, runs
from refuge.jobs import queue as queue_module
from refuge.jobs.queue import InProcessQueue, open_queue
from refuge.storage import Store


def _defer(store: Store, queue: queue_module.Queue, data: bytes, name: str = "r.txt") -> int:
    """Store the report in the inbox and defer its job; returns the job's id."""
    waiting = inbox.get(store, inbox.submit(store, queue, data, name, analyzer=ANALYZER))
    assert waiting is not None and waiting.job_id is not None
    return waiting.job_id


@pytest.mark.parametrize("empty_url", ["sqlite"], indirect=True)
def test_in_process_jobs_store_a_report_once_and_park_bad_ones(store: Store) -> None:
    queue = InProcessQueue(store, first_wait=0)
    first = _defer(store, queue, fake_report(1))
    again = _defer(store, queue, fake_report(1), name="same-article-other-url.txt")
    broken = _defer(store, queue, b"BROKEN report")
    crash = _defer(store, queue, b"CRASH report")
    assert stored_reports(store) == 1
    rows = {r.id: r for r in runs.list_runs(store)}
    assert rows[first].status == "succeeded" and rows[first].result is not None
    assert rows[first].result["created"] == ["p1"]
    assert rows[again].status == "succeeded" and rows[again].result is not None
    assert rows[again].result["skipped"][0]["reason"] == "already ingested"
    # bad input (or an analyser bug on this input): parked at once, retrying cannot help
    assert (rows[broken].status, rows[broken].attempts) == ("failed", 1)
    assert "could not be read" in (rows[broken].error or "")
    assert (rows[crash].status, rows[crash].attempts) == ("failed", 1)
    assert "ZeroDivisionError" in (rows[crash].error or "")
    assert {r.id for r in runs.list_runs(store, failed_only=True)} == {broken, crash}


@pytest.mark.parametrize("empty_url", ["sqlite"], indirect=True)
def test_in_process_jobs_retry_transient_errors_then_park(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def flaky(store: Store, queue: object, *, fail: int) -> dict[str, int]:
        calls.append(1)
        if len(calls) <= fail:
            raise OSError("connection reset")
        return {"calls": len(calls)}

    monkeypatch.setitem(queue_module.TASKS, "flaky", flaky)
    queue = InProcessQueue(store, first_wait=0)
    recovers = queue.defer("flaky", fail=2)
    calls.clear()
    never = queue.defer("flaky", fail=99)
    rows = {r.id: r for r in runs.list_runs(store)}
    assert (rows[recovers].status, rows[recovers].attempts) == ("succeeded", 3)
    assert rows[recovers].result == {"calls": 3}
    assert (rows[never].status, rows[never].attempts) == ("failed", queue_module.MAX_ATTEMPTS)
    assert rows[never].error == "OSError"


@pytest.mark.parametrize("empty_url", ["postgresql"], indirect=True)
def test_two_worker_processes_read_queued_reports_once(store: Store, store_url: str) -> None:
    queue = open_queue(store, store_url)
    try:
        for i in range(30):
            _defer(store, queue, fake_report(i))
        _defer(store, queue, fake_report(3), name="duplicate.txt")
        broken = _defer(store, queue, b"BROKEN report")
    finally:
        queue.close()
    workers = [start_worker(store_url), start_worker(store_url, concurrency=2)]
    try:
        counts = wait_until_done(store, 32, timeout=120)
    finally:
        for w in workers:
            stop(w)
    assert counts == {"succeeded": 31, "failed": 1}
    assert stored_reports(store) == 30
    listed = subprocess.run(
        [sys.executable, "-m", "refuge", "jobs", "--failed", "--json"],
        env=worker_env(store_url),
        capture_output=True,
        text=True,
        check=True,
    )
    parked = json.loads(listed.stdout)
    assert [p["id"] for p in parked] == [broken]
    assert "could not be read" in parked[0]["error"]
    every = subprocess.run(
        [sys.executable, "-m", "refuge", "jobs", "--json"],
        env=worker_env(store_url),
        capture_output=True,
        text=True,
        check=True,
    )
    listed_jobs = json.loads(every.stdout)  # the queue's own periodic tasks are not listed
    assert len(listed_jobs) == 32 and {j["task"] for j in listed_jobs} == {"ingest_report"}
    _forget_done_jobs(store_url)  # the hourly task, told to keep nothing
    with store.read() as connection:
        kept = connection.execute(
            text("SELECT id FROM procrastinate_jobs WHERE task_name = 'ingest_report'")
        ).all()
    assert [row.id for row in kept] == [broken]  # no report's bytes left but the parked one's
    assert [(r.id, r.status) for r in runs.list_runs(store)][:2] == [
        (broken, "failed"),
        (broken - 1, "succeeded"),
    ]
    assert len(runs.list_runs(store)) == 32
    queue = open_queue(store, store_url)  # an admin's retry puts the parked job back
    try:
        queue.retry(broken)
    finally:
        queue.close()
    assert runs.get(store, broken).status == "queued"  # type: ignore[union-attr]
    assert runs.list_runs(store, failed_only=True) == []


def _forget_done_jobs(url: str) -> None:
    import asyncio
    import os

    from refuge.jobs import worker

    async def forget() -> None:
        app = worker.build_app(url)
        async with app.open_async():
            await worker.forget_done_jobs(app)

    os.environ["REFUGE_JOBS_KEEP_HOURS"] = "0"
    try:
        asyncio.run(forget())
    finally:
        del os.environ["REFUGE_JOBS_KEEP_HOURS"]


@pytest.mark.parametrize("empty_url", ["postgresql"], indirect=True)
def test_a_worker_polls_a_feed_into_ingest_jobs_and_logs_no_report_text(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    from feedserver import rss, serving, static

    from refuge.services import feeds

    with serving({"/a": static(fake_report(41)), "/b": static(fake_report(42))}) as server:
        server.routes["/rss"] = static(rss(server.url("/a"), server.url("/b")), "text/xml")
        feed = feeds.add_feed(store, server.url("/rss"), "monitors", None)
        queue = open_queue(store, store_url)
        try:
            queue.defer("poll_feed", feed=feed.pk, analyzer=ANALYZER)
        finally:
            queue.close()
        log = tmp_path / "worker.log"
        with log.open("wb") as handle:
            worker = start_worker(store_url, log=handle, REFUGE_LOG_LEVEL="INFO")
            try:
                counts = wait_until_done(store, 2, timeout=90)
            finally:
                stop(worker)
    assert counts == {"succeeded": 2}
    assert stored_reports(store) == 2
    text = log.read_text()
    assert "Starting job ingest_report" in text  # the log is there, and names the job
    assert "report=" in text  # the job's argument is the inbox key, not the report
    assert base64.b64encode(fake_report(41)).decode() not in text and "Number41" not in text


@pytest.mark.parametrize("empty_url", ["postgresql"], indirect=True)
def test_a_queued_report_is_an_inbox_key_and_its_bytes_are_encrypted(
    store: Store, store_url: str
) -> None:
    """On PostgreSQL the queue's arguments (plain JSON) name the inbox row, never the report;
    the row's name and bytes are encrypted, and the bytes are dropped once read."""
    queue = open_queue(store, store_url)
    try:
        job = _defer(store, queue, fake_report(7), name="Ivanov-statement.txt")
    finally:
        queue.close()
    with store.read() as connection:
        args = connection.execute(
            text("SELECT args FROM procrastinate_jobs WHERE id = :id"), {"id": job}
        ).scalar_one()
        raw = connection.execute(text("SELECT name, content FROM inbox")).one()
    assert set(args) == {"report", "analyzer"} and isinstance(args["report"], int)
    assert raw.name.startswith("v1:") and "Ivanov" not in raw.name
    assert raw.content.startswith("v1:")
    worker = start_worker(store_url)
    try:
        assert wait_until_done(store, 1, timeout=90) == {"succeeded": 1}
    finally:
        stop(worker)
    waiting = inbox.get(store, args["report"])
    assert waiting is not None and waiting.data is None
    assert waiting.result is not None and waiting.result["created"] == ["p7"]


@pytest.mark.parametrize("empty_url", ["sqlite"], indirect=True)
def test_the_servers_background_queue_returns_at_once_and_resumes_after_a_crash(
    store: Store,
) -> None:
    """SQLite: the web server's queue runs jobs on a thread (defer returns before the job
    ends); reports whose run died with a killed server are read when it starts again."""
    import time

    from refuge.jobs.queue import BackgroundQueue

    stopped = InProcessQueue(store)  # stands for a server killed before running its jobs
    stopped._run = lambda *args: None  # type: ignore[method-assign]
    left = [
        inbox.submit(store, stopped, fake_report(i), "r.txt", analyzer=ANALYZER) for i in (1, 2)
    ]
    assert stored_reports(store) == 0
    queue = BackgroundQueue(store, first_wait=0)
    try:
        assert inbox.resume(store, queue, in_process=True) == 2
        fresh = inbox.submit(store, queue, fake_report(3), "r.txt", analyzer=ANALYZER)
        deadline = time.monotonic() + 60
        while stored_reports(store) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.close()
    assert stored_reports(store) == 3
    for pk in (*left, fresh):
        waiting = inbox.get(store, pk)
        assert waiting is not None and waiting.data is None and waiting.result is not None
    states = sorted(r.status for r in runs.list_runs(store))
    assert states.count("failed") == 2  # the two interrupted runs, replaced by new ones
    assert all(
        r.error == "interrupted; read again" for r in runs.list_runs(store, failed_only=True)
    )
    assert inbox.resume(store, queue, in_process=True) == 0
