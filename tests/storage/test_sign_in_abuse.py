"""Sign-in abuse against the real app and the real database (SQLite and PostgreSQL).

- 32 concurrent wrong guesses count as 32 (they counted as 2 when each request wrote back the
  count it had read);
- a guesser who keeps guessing as fast as the throttle allows cannot keep the owner out: from
  a browser the owner signed in from before there is no wait at all, and from a new one at
  most the account-wide cap of one minute.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from refuge.api.app import create_app
from refuge.api.settings import WebSettings
from refuge.auth import throttle
from refuge.auth.tables import sign_in_failures
from refuge.auth.users import add_user
from refuge.storage import Store

PASSWORD = "a long test passphrase for refuge"


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def owner(store: Store) -> Store:
    with store.write() as connection:
        add_user(connection, "owner", "viewer", PASSWORD, "a")
    return store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(owner: Store, store_url: str) -> Iterator[str]:
    app = create_app(WebSettings(database_url=store_url, mfa_roles=(), sign_in_burst=1000))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def _failures(store: Store) -> dict[str, int]:
    with store.read() as connection:
        rows = connection.execute(select(sign_in_failures.c.key, sign_in_failures.c.failures))
        return {str(r.key)[:2]: int(r.failures) for r in rows}


def test_32_concurrent_wrong_guesses_count_as_32(owner: Store, live_server: str) -> None:
    barrier = threading.Barrier(32)
    codes: list[int] = []

    def guess(i: int) -> None:
        with httpx.Client(base_url=live_server, timeout=120) as http:
            barrier.wait()
            answer = http.post("/login", data={"name": "owner", "password": f"wrong guess {i}"})
            codes.append(answer.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [401] * 32
    assert _failures(owner) == {"p:": 32, "c:": 32, "a:": 32}


def test_slow_guessing_never_keeps_the_owner_out(owner: Store, store_url: str) -> None:
    clock = Clock()
    app = create_app(
        WebSettings(database_url=store_url, clock=clock, mfa_roles=(), sign_in_burst=1000)
    )
    right = {"name": "owner", "password": PASSWORD}
    with (
        TestClient(app, base_url="http://127.0.0.1", client=("10.0.0.2", 1)) as laptop,
        TestClient(app, base_url="http://127.0.0.1", client=("10.0.0.3", 1)) as new_phone,
        TestClient(app, base_url="http://127.0.0.1", client=("10.6.6.6", 1)) as guesser,
    ):
        assert laptop.post("/login", data=right, follow_redirects=False).status_code == 303
        longest_account_wait = 0
        pauses = []
        for i in range(18):  # hours of guessing as fast as the throttle allows
            answer = guesser.post("/login", data={"name": "owner", "password": f"guess {i}"})
            assert answer.status_code == 401
            with owner.read() as connection:
                account = throttle.wait(
                    connection, {f"a:{throttle.name_key('owner')}": throttle.ACCOUNT}, clock.now
                )
                longest_account_wait = max(longest_account_wait, account)
                pause = throttle.wait(
                    connection, throttle.keys("owner", "10.6.6.6", None), clock.now
                )
            # The owner's known browser gets in at once, whatever the guesser did.
            laptop.cookies.delete("refuge_session")
            assert laptop.post("/login", data=right, follow_redirects=False).status_code == 303
            pauses.append(pause)
            clock.now += max(pause, 1)
        assert longest_account_wait <= throttle.ACCOUNT_MAX_DELAY
        # The guesser is slowed to the pair key's cap: one try per 15 minutes.
        assert max(pauses) == throttle.PAIR.max_delay
        # A browser the owner never used waits at most the account-wide minute.
        first = new_phone.post("/login", data=right, follow_redirects=False)
        if first.status_code != 303:
            clock.now += throttle.ACCOUNT_MAX_DELAY
            assert new_phone.post("/login", data=right, follow_redirects=False).status_code == 303
