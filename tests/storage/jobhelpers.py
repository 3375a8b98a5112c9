"""Helpers for the job tests: fake reports, worker processes, waiting for the queue."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fakes import report
from sqlalchemy import func, select, text

from refuge.storage import Store
from refuge.storage.tables import reports

ANALYZER = "fakes:analyze"
HERE = Path(__file__).resolve().parent


def fake_report(i: int) -> bytes:
    """A fake report about one person of its own (distinct name and birth date, so identity
    resolution never joins two of them and a run's cases do not depend on its order)."""
    events = f"  - {{id: e1, type: detention, date: 2024-01-{1 + i % 28:02d}, source: s1}}"
    born = (date(1940, 1, 1) + timedelta(days=97 * i)).isoformat()
    return report(f"p{i}", f"{_word(i, 0)} {_word(i, 1)}", events, born=born).encode()


def _word(n: int, salt: int) -> str:
    """A made-up name of three syllables, far from the others (hash-spread)."""
    digest = hashlib.sha256(f"{salt}:{n}".encode()).digest()
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    return "".join(
        consonants[digest[2 * k] % 14] + vowels[digest[2 * k + 1] % 5] for k in range(3)
    ).capitalize()


def worker_env(url: str, stalled_seconds: float = 2.0, **extra: str) -> dict[str, str]:
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    env["REFUGE_DATABASE_URL"] = url
    env["REFUGE_JOBS_STALLED_SECONDS"] = str(stalled_seconds)
    return env


def start_worker(
    url: str, concurrency: int = 1, log: Any = subprocess.DEVNULL, **kw: Any
) -> subprocess.Popen[bytes]:
    """``refuge worker`` as a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "refuge", "worker", "--concurrency", str(concurrency)],
        env=worker_env(url, **kw),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def queue_counts(store: Store) -> dict[str, int]:
    with store.read() as connection:
        rows = connection.execute(
            text(
                "SELECT status::text, count(*) FROM procrastinate_jobs "
                "WHERE task_name = 'ingest_report' GROUP BY status"
            )
        ).all()
    return {str(r[0]): int(r[1]) for r in rows}


def wait_until_done(store: Store, total: int, timeout: float) -> dict[str, int]:
    """Wait until ``total`` jobs have finished (succeeded or failed); return the counts."""
    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = queue_counts(store)
        if counts.get("succeeded", 0) + counts.get("failed", 0) >= total:
            return counts
        time.sleep(0.2)
    raise AssertionError(f"jobs not done after {timeout}s: {counts}")


def stored_reports(store: Store) -> int:
    with store.read() as connection:
        return int(connection.execute(select(func.count()).select_from(reports)).scalar_one())
