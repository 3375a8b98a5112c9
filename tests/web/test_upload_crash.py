"""Killing the server during uploads leaves nothing half-done: each report, its cases and the
uploader team's grants are committed in one transaction, so after every ``kill -9`` each case
in the store is visible to its team (before the fix 15 of 26 kills left cases nobody could
see, and their report could never be uploaded again). Reports are read by a job on the
server's background thread (SQLite): the uploads a kill left unread are read when the server
starts again."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from refuge.auth.tables import case_access
from refuge.storage import open_store
from refuge.storage.tables import cases, inbox

fx: Any = sys.modules["refuge_test_web_fixtures"]
NAMES = ["Ivan Petrov", "Pavel Sidorov", "Oleg Ivanov", "Artem Volkov", "Denis Smirnov"]
REPORT = """Kazakhstan Deports Russian Deserter

January 10, 2023

Kazakhstan has deported {name}, a Russian citizen who fled mobilization, media reported
Tuesday. {surname} on Sept. 28 requested political asylum in Kazakhstan after being detained
by border guards. His application was refused in November. Report {n}."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "refuge", "serve", "--port", str(port), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)


def test_every_case_stays_visible_to_its_team_across_kills(tmp_path: Path) -> None:
    world = fx.build_world(tmp_path, with_cases=False)
    world.store.close()
    token = world.tokens["monitor-a"]
    rng = random.Random(13)
    sent = 0
    for _round in range(4):
        port = _free_port()
        server = _start(world.url, port)

        def upload(port: int = port) -> None:
            nonlocal sent
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
                while True:
                    sent += 1
                    name = NAMES[sent % len(NAMES)]
                    text = REPORT.format(name=name, surname=name.split()[1], n=sent)
                    try:
                        sent_to = http.post(
                            "/api/reports", json={"text": text}, headers=fx.bearer(token)
                        )
                        if sent_to.status_code != 202:  # turned away (429): try again later
                            time.sleep(0.5)
                            continue
                        _follow(http, sent_to.json()["url"], token)
                    except httpx.HTTPError:
                        return

        threads = [threading.Thread(target=upload) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(8.0, 14.0))  # the first report loads the reader
        burst = _burst(port, token, sent)  # queued faster than one reader thread reads them
        os.kill(server.pid, signal.SIGKILL)
        assert burst, "no upload of the burst was queued: the kill would prove nothing"
        server.wait()
        for t in threads:
            t.join()
    store = open_store(world.url)
    with store.read() as connection:
        all_cases = set(connection.execute(select(cases.c.pk)).scalars())
        granted = set(connection.execute(select(case_access.c.case_pk)).scalars())
        left = connection.execute(select(inbox.c.pk).where(inbox.c.read_at.is_(None))).all()
    assert all_cases, "no upload completed: the test proved nothing"
    assert all_cases <= granted
    assert left, "no kill interrupted a job: the restart below proves nothing"
    server = _start(world.url, _free_port())  # a restarted server reads what the kills left
    try:
        deadline = time.monotonic() + 240
        while _unread(store) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait()
    assert _unread(store) == 0
    with store.read() as connection:
        all_cases = set(connection.execute(select(cases.c.pk)).scalars())
        granted = set(connection.execute(select(case_access.c.case_pk)).scalars())
    store.close()
    assert all_cases <= granted


def _burst(port: int, token: str, sent: int, size: int = 6) -> int:
    """Queue ``size`` uploads at once, from another loopback address (its own client limit),
    without waiting for them: some are still unread when the server is killed right after."""
    queued = 0
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", transport=transport) as http:
        for n in range(size):
            name = NAMES[n % len(NAMES)]
            text = REPORT.format(name=name, surname=name.split()[1], n=f"burst-{sent}-{n}")
            answer = http.post("/api/reports", json={"text": text}, headers=fx.bearer(token))
            queued += answer.status_code == 202
    return queued


def _follow(http: httpx.Client, url: str, token: str) -> None:
    """Follow an upload until it is read, as a user on its progress page would."""
    while True:
        progress = http.get(url, headers=fx.bearer(token))
        if progress.status_code == 200 and progress.json()["finished"]:
            return
        time.sleep(0.2 if progress.status_code == 200 else 0.5)  # 429: the client's limit


def _unread(store: Any) -> int:
    with store.read() as connection:
        return len(connection.execute(select(inbox.c.pk).where(inbox.c.read_at.is_(None))).all())
