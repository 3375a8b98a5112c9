"""``refuge serve`` behind a proxy answers only the Host names it was given
(``REFUGE_SERVER_NAME`` / ``--server-name``, loopback names aside) and trusts forwarded headers
only from ``REFUGE_BEHIND_PROXY``: a real server process, as deploy/ starts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

fx: Any = sys.modules["refuge_test_web_fixtures"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_only_the_configured_host_names_are_answered(world: Any, tmp_path: Path) -> None:
    world.store.close()
    port = _free_port()
    env = dict(
        os.environ,
        REFUGE_SERVER_NAME="refuge.example.org other.example.org",
        REFUGE_BEHIND_PROXY="127.0.0.1",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "refuge", "serve", "--port", str(port), "--db", world.url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"

        def status(host: str) -> int:
            return httpx.get(base + "/login", headers={"Host": host}).status_code

        assert status("refuge.example.org") == 200
        assert status("other.example.org") == 200
        assert status("localhost") == 200
        assert status("evil.example.com") == 400
        assert status("refuge.example.org.evil.example.com") == 400
        forwarded = httpx.get(
            base + "/login",
            headers={"Host": "refuge.example.org", "X-Forwarded-Proto": "https"},
        )  # behind a TLS proxy the app is an HTTPS site: HSTS on every answer
        assert forwarded.status_code == 200
        assert "strict-transport-security" in forwarded.headers
    finally:
        server.terminate()
        server.wait()
