"""Benchmark: reports read by ``refuge worker`` processes from the PostgreSQL queue, against
``refuge ingest`` of the same reports in the same run.

    PYTHONPATH=src .venv/bin/python bench/workers.py [--reports 10000] [--pg URL]

The reports are those of bench/ingest.py (public passages from ../shared, each numbered so its
content is distinct). Each mode gets a fresh database on the same PostgreSQL server (started
here with initdb unless ``--pg`` names one), is warmed up (the language model loaded) with a
few reports that are not timed, then reads the same N reports:

- ``ingest``: ``svc.ingest`` in this process, one process (what ``refuge ingest`` does);
- ``queue, 1 worker`` and ``queue, 2 workers``: N ``ingest_report`` jobs deferred, read by
  ``refuge worker`` processes; timed from the first defer to the last job's end.

Prints reports/s per mode and per worker, the 1 -> 2 scaling (target >= 1.7x), and the queue's
own cost per job: (queue, 1 worker) - (ingest) per report (target < 5 ms and < 10% of the
reading time), with the load average: this machine is shared, so figures move with it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import write_reports

ROOT = Path(__file__).resolve().parents[1]
WARMUP = 4


@contextmanager
def postgres(configured: str | None) -> Iterator[str]:
    """A PostgreSQL server: ``configured``, else a throwaway cluster (the test fixture's)."""
    if configured:
        yield configured
        return
    sys.path.insert(0, str(ROOT / "tests" / "storage"))
    fixtures = importlib.import_module("conftest")  # tests/storage: the PostgreSQL fixture's

    bindir = fixtures._pg_bin()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries (initdb, pg_ctl) not found; give --pg URL")
    cluster = fixtures._Cluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def fresh_store(server: str) -> str:
    from refuge.services import store as svc

    name = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = server.rsplit("/", 1)[0] + "/" + name
    svc.init_store(url)
    return url


def run_ingest(url: str, warm: list[Path], paths: list[Path]) -> float:
    from refuge.services import store as svc
    from refuge.storage import open_store

    store = open_store(url)
    try:
        svc.ingest(store, warm, actor="bench")
        started = time.perf_counter()
        summary = svc.ingest(store, paths, actor="bench")
        seconds = time.perf_counter() - started
    finally:
        store.close()
    assert summary.reports == len(paths), summary.failed[:3]
    return seconds


def run_queue(
    url: str, warm: list[Path], paths: list[Path], workers: int
) -> tuple[float, float, float]:
    """Seconds from the first defer to the last job's end, seconds spent deferring, and the
    seconds the timed jobs spent running (procrastinate's started -> succeeded events)."""
    from refuge.jobs import inbox
    from refuge.jobs.queue import ProcrastinateQueue
    from refuge.storage import open_store

    env = dict(os.environ, REFUGE_DATABASE_URL=url, PYTHONPATH=str(ROOT / "src"))
    processes = [
        subprocess.Popen([sys.executable, "-m", "refuge", "worker"], env=env)
        for _ in range(workers)
    ]
    queue = ProcrastinateQueue(url)
    store = open_store(url)
    try:
        for path in warm * workers:  # every worker loads its model before the clock starts
            inbox.submit(store, queue, path.read_bytes(), path.name)
        wait_done(url, len(warm) * workers)
        started = time.perf_counter()
        for path in paths:  # stored (encrypted) in the inbox, then deferred: as the web does
            inbox.submit(store, queue, path.read_bytes(), path.name)
        deferring = time.perf_counter() - started
        wait_done(url, len(warm) * workers + len(paths))
        seconds = time.perf_counter() - started
    finally:
        queue.close()
        store.close()
        for process in processes:
            process.terminate()
            process.wait()
    return seconds, deferring, inside_jobs(url, len(warm) * workers)


def inside_jobs(url: str, skip: int) -> float:
    """Total seconds between each timed job's start and end (the warm-up jobs skipped)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    query = text(
        "SELECT sum(extract(epoch FROM e2.at - e1.at)) FROM procrastinate_events e1 "
        "JOIN procrastinate_events e2 ON e2.job_id = e1.job_id AND e2.type = 'succeeded' "
        "JOIN procrastinate_jobs j ON j.id = e1.job_id "
        "WHERE e1.type = 'started' AND j.task_name = 'ingest_report' AND j.id > "
        "(SELECT min(id) FROM procrastinate_jobs WHERE task_name = 'ingest_report') + :skip - 1"
    )
    try:
        with engine.connect() as connection:
            return float(connection.execute(query, {"skip": skip}).scalar_one() or 0.0)
    finally:
        engine.dispose()


def wait_done(url: str, total: int) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    query = text(
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'ingest_report' "
        "AND status IN ('succeeded', 'failed')"
    )
    try:
        while True:
            with engine.connect() as connection:
                if connection.execute(query).scalar_one() >= total:
                    return
            time.sleep(0.05)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000, help="N (default 10,000)")
    parser.add_argument("--pg", default=None, help="a PostgreSQL server URL (its maintenance DB)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="refuge-bench-"))
    every = write_reports(folder, args.reports + WARMUP)
    warm, paths = every[:WARMUP], every[WARMUP:]
    load_before = os.getloadavg()
    with postgres(args.pg) as server:
        ingest_s = run_ingest(fresh_store(server), warm, paths)
        one_s, defer_s, inside_s = run_queue(fresh_store(server), warm[:2], paths, 1)
        two_s, _, _ = run_queue(fresh_store(server), warm[:2], paths, 2)
    n = args.reports
    print(f"{n} reports; load average before {load_before}, after {os.getloadavg()}")
    print(f"refuge ingest (1 process):  {n / ingest_s:6.1f} reports/s ({ingest_s:.1f} s)")
    print(f"queue, 1 worker:            {n / one_s:6.1f} reports/s ({one_s:.1f} s)")
    print(
        f"queue, 2 workers:           {n / two_s:6.1f} reports/s ({two_s:.1f} s), "
        f"{n / two_s / 2:.1f} per worker"
    )
    print(f"scaling 1 -> 2 workers: {one_s / two_s:.2f}x (target >= 1.7x)")
    reading_ms = ingest_s / n * 1000
    cost_ms = (one_s - ingest_s) / n * 1000
    inside_ms = inside_s / n * 1000
    print(
        f"1 worker, per job: {one_s / n * 1000:.1f} ms wall, {inside_ms:.1f} ms inside the job "
        f"(reading + refuge's job records), {one_s / n * 1000 - inside_ms:.1f} ms between jobs "
        "(the queue: fetch, finish, notify)"
    )
    print(
        f"queue cost per job: {cost_ms:+.1f} ms ({cost_ms / reading_ms:+.1%} of "
        f"{reading_ms:.0f} ms reading; target < 5 ms and < 10%); "
        f"deferring alone {defer_s / n * 1000:.1f} ms per job"
    )


if __name__ == "__main__":
    main()
