"""Accounts: password strength, the TOTP second factor and recovery codes, and ending access
(disable a user, revoke tokens, end sessions) — through the real app and the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from refuge.api.app import create_app
from refuge.auth import passwords, sessions, tokens, totp
from refuge.auth.tables import users
from refuge.errors import InputError

fx: Any = sys.modules["refuge_test_web_fixtures"]


def refuge(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "weak",
    [
        "Password1234567",
        "passwordpassword",
        "qwertyuiopasdfghjkl",
        "iloveyou19871987",
        "viewer-aviewer-a",
        "1qaz2wsx3edc4rfv",
    ],
)
def test_common_and_guessable_passwords_are_refused(weak: str) -> None:
    with pytest.raises(InputError):
        passwords.check_policy(weak, ("viewer-a",))


def test_a_long_phrase_passes() -> None:
    passwords.check_policy("quiet orchard lamp under seventeen rivers")


def _user_pk(world: Any, name: str) -> int:
    with world.store.read() as connection:
        return int(connection.execute(select(users.c.pk).where(users.c.name == name)).scalar_one())


def _enrol(world: Any, name: str) -> tuple[str, list[str]]:
    secret = totp.new_secret()
    with world.store.write() as connection:
        codes = totp.enrol(connection, _user_pk(world, name), secret, time.time())
    return secret, codes


def _post(client: TestClient, name: str, code: str = "") -> int:
    data = {"name": name, "password": fx.PASSWORD, "code": code}
    return int(client.post("/login", data=data, follow_redirects=False).status_code)


def test_lawyers_need_a_second_factor_and_codes_work_once(world: Any) -> None:
    app = create_app(fx.settings_for(world, mfa_roles=("lawyer", "admin")))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        refused = client.post("/login", data={"name": "lawyer-a", "password": fx.PASSWORD})
        wrong = client.post("/login", data={"name": "lawyer-a", "password": "wrong" * 5})
        assert refused.status_code == wrong.status_code == 401
        assert refused.text == wrong.text  # a right password alone reveals nothing
        assert _post(client, "viewer-a") == 303  # not a role that needs it
        secret, recovery = _enrol(world, "lawyer-a")
        assert _post(client, "lawyer-a") == 401
        assert (
            _post(
                client, "lawyer-a", "000000" if totp.current_code(secret) != "000000" else "111111"
            )
            == 401
        )
        code = totp.current_code(secret)
        client.cookies.clear()
        assert _post(client, "lawyer-a", code) == 303
        client.cookies.clear()
        assert _post(client, "lawyer-a", code) == 401  # the same code never twice
        client.cookies.clear()
        assert _post(client, "lawyer-a", recovery[0].lower()) == 303
        client.cookies.clear()
        assert _post(client, "lawyer-a", recovery[0]) == 401  # a recovery code works once
        with world.store.read() as connection:
            left = totp.remaining_recovery_codes(connection, _user_pk(world, "lawyer-a"))
        assert left == totp.RECOVERY_CODES - 1


def test_disabling_a_user_ends_their_sessions_at_once(world: Any) -> None:
    with TestClient(create_app(fx.settings_for(world)), base_url="http://127.0.0.1") as client:
        fx.sign_in(client, "monitor-a")
        assert client.get("/cases", follow_redirects=False).status_code == 200
        listed = refuge("user", "sessions", "monitor-a", "--json", "--db", world.url)
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 1
        done = refuge("user", "disable", "monitor-a", "--db", world.url)
        assert done.returncode == 0, done.stderr
        assert client.get("/cases", follow_redirects=False).status_code == 303
        api = client.get("/api/cases", headers=fx.bearer(world.tokens["monitor-a"]))
        assert api.status_code == 401
        assert _post(client, "monitor-a") == 401
    with world.store.read() as connection:
        assert sessions.list_for(connection, _user_pk(world, "monitor-a")) == []


def test_revoking_tokens_ends_sessions_too(world: Any) -> None:
    with TestClient(create_app(fx.settings_for(world)), base_url="http://127.0.0.1") as client:
        fx.sign_in(client, "viewer-a")
        with world.store.write() as connection:
            tokens.revoke_all(connection, _user_pk(world, "viewer-a"))
        assert client.get("/cases", follow_redirects=False).status_code == 303


def test_session_end_by_handle(world: Any) -> None:
    with TestClient(create_app(fx.settings_for(world)), base_url="http://127.0.0.1") as client:
        fx.sign_in(client, "viewer-a")
        listed = json.loads(
            refuge("user", "sessions", "viewer-a", "--json", "--db", world.url).stdout
        )
        unknown = refuge("session", "end", "0" * 12, "--db", world.url)
        assert unknown.returncode != 0 and "no single session" in unknown.stderr
        assert client.get("/cases", follow_redirects=False).status_code == 200
        ended = refuge("session", "end", listed[0]["handle"], "--db", world.url)
        assert ended.returncode == 0, ended.stderr
        assert client.get("/cases", follow_redirects=False).status_code == 303
