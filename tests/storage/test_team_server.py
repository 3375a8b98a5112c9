"""A team server on this machine: PostgreSQL, ``refuge serve`` and two ``refuge worker``
processes, each a process of its own. An upload through the API is stored in the inbox and
read by a worker (the server reads nothing itself); its cases belong to the uploader's team."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest
from jobhelpers import start_worker, stop, worker_env
from sqlalchemy import text

from refuge.auth import tokens
from refuge.auth.users import add_user
from refuge.storage import Store

REPORT = """Kazakhstan Deports Russian Deserter

January 10, 2023

Kazakhstan has deported Ivan Petrov, a Russian citizen who fled mobilization, media reported
Tuesday. Petrov on Sept. 28 requested political asylum in Kazakhstan after being detained by
border guards. His application was refused in November. An appeals court upheld his
deportation on Monday, and migration police handed him to Russia, his lawyer said."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "refuge", "serve", "--port", str(port)],
        env=worker_env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)


@pytest.mark.parametrize("empty_url", ["postgresql"], indirect=True)
def test_an_upload_is_read_by_a_worker_of_the_team_server(store: Store, store_url: str) -> None:
    with store.write() as connection:
        monitor = add_user(connection, "monitor-a", "monitor", "a long enough password 1", "a")
        token = tokens.create(connection, monitor, "write", 30, time.time())
    port = _free_port()
    server = _serve(store_url, port)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            auth = {"Authorization": f"Bearer {token}"}
            sent = http.post("/api/reports", json={"text": REPORT}, headers=auth)
            assert sent.status_code == 202, sent.text
            time.sleep(2)  # no worker yet: the server itself reads nothing
            waiting = http.get(sent.json()["url"], headers=auth).json()
            assert waiting["state"] == "waiting"
            workers = [start_worker(store_url), start_worker(store_url)]
            deadline = time.monotonic() + 180
            while not (found := http.get(sent.json()["url"], headers=auth).json())["finished"]:
                assert time.monotonic() < deadline, found
                time.sleep(0.3)
            assert found["state"] == "done" and found["cases"], found
            case = http.get(f"/api/cases/{found['cases'][0]}", headers=auth)
            assert case.status_code == 200 and "Petrov" in case.text
    finally:
        for process in (*workers, server):
            stop(process)
    with store.read() as connection:
        args = connection.execute(
            text("SELECT args FROM procrastinate_jobs WHERE task_name = 'ingest_report'")
        ).scalar_one()
    assert list(args) == ["report"]  # the inbox key, nothing of the report
