"""kill -9 of workers mid-run loses nothing: every report is stored exactly once and the cases
equal those of a clean in-process run of the same reports."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from jobhelpers import (
    ANALYZER,
    fake_report,
    queue_counts,
    start_worker,
    stop,
    stored_reports,
    wait_until_done,
)
from sqlalchemy import select

from refuge.jobs import inbox
from refuge.jobs.queue import InProcessQueue, open_queue
from refuge.services.keys import ensure_key
from refuge.storage import Store, open_store
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import upgrade
from refuge.storage.tables import cases, events, people
from refuge.storage.tables import inbox as inbox_table

# bench/kill_loop.py runs this test at the scale (2,000 reports, 20 kills)
REPORTS = int(os.environ.get("REFUGE_KILL_REPORTS", "240"))
KILLS = int(os.environ.get("REFUGE_KILL_KILLS", "5"))


def _cases(store: Store) -> list[tuple[str, str, int]]:
    with store.read() as connection:
        rows = connection.execute(
            select(cases.c.id, people.c.name, cases.c.pk).join(people).order_by(cases.c.id)
        ).all()
        counts = {
            pk: len(connection.execute(select(events.c.pk).where(events.c.case_pk == pk)).all())
            for _id, _name, pk in rows
        }
    return [(r.id, r.name, counts[r.pk]) for r in rows]


def _clean_run(tmp_path: Path) -> list[tuple[str, str, int]]:
    url = f"sqlite:///{tmp_path / 'clean.db'}"
    ensure_key(url)  # `refuge init`'s first step: the encrypted store's key file
    engine = create_store_engine(url)
    upgrade(engine)
    engine.dispose()
    store = open_store(url)
    queue = InProcessQueue(store)
    for i in range(REPORTS):
        inbox.submit(store, queue, fake_report(i), "r.txt", analyzer=ANALYZER)
    found = _cases(store)
    store.close()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("empty_url", ["postgresql"], indirect=True)
def test_killed_workers_lose_nothing(store: Store, store_url: str, tmp_path: Path) -> None:
    queue = open_queue(store, store_url)
    try:
        for i in range(REPORTS):
            inbox.submit(store, queue, fake_report(i), "r.txt", analyzer=ANALYZER)
    finally:
        queue.close()
    chance = random.Random(14)
    workers = [start_worker(store_url), start_worker(store_url)]
    kills = 0
    try:
        while kills < KILLS and stored_reports(store) < REPORTS:
            time.sleep(chance.uniform(0.5, 1.5))
            victim = chance.randrange(len(workers))
            if queue_counts(store).get("doing", 0) == 0:
                continue  # only a kill mid-job tests anything
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait()
            kills += 1
            workers[victim] = start_worker(store_url)
        counts = wait_until_done(store, REPORTS, timeout=max(300, REPORTS / 2))
    finally:
        for worker in workers:
            stop(worker)
    assert kills == KILLS
    assert counts == {"succeeded": REPORTS}
    assert stored_reports(store) == REPORTS
    with store.read() as connection:  # every waiting report was read, and its bytes dropped
        assert (
            connection.execute(
                select(inbox_table.c.pk).where(inbox_table.c.content.is_not(None))
            ).all()
            == []
        )
    assert _cases(store) == _clean_run(tmp_path)
    print(f"{REPORTS} reports, {kills} kills: every report stored once, cases as a clean run")
