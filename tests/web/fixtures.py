"""Shared fixtures of the web and API tests: a store with two teams, a user of every role in
team A, a lawyer in team B, one case per team, and an API token per user.

Loaded by ``tests/web/conftest.py`` and ``tests/api/conftest.py``.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.api.settings import WebSettings
from refuge.auth import tokens
from refuge.auth.access import grant
from refuge.auth.users import add_user, ensure_team
from refuge.services.store import import_cases, init_store
from refuge.storage import Store, open_store
from refuge.storage import repository as repo

PASSWORD = "a long test passphrase for refuge"
ROLES = ("viewer", "monitor", "lawyer", "admin")
TODAY = date(2023, 1, 10)
CANARY = "Canary Foreign Person"


@dataclass
class World:
    url: str
    store: Store
    own_ref: int
    foreign_ref: int
    tokens: dict[str, str] = field(default_factory=dict)  # user name -> write token
    read_tokens: dict[str, str] = field(default_factory=dict)


def example_case() -> Path:
    return Path(str(resources.files("refuge") / "examples" / "zhilin-2022.yaml"))


def build_world(folder: Path, *, with_cases: bool = True) -> World:
    url = f"sqlite:///{folder / 'store.db'}"
    init_store(url)
    store = open_store(url)
    foreign = folder / "foreign.yaml"
    text = example_case().read_text(encoding="utf-8")
    foreign.write_text(
        text.replace("id: zhilin-2022", "id: foreign-2022").replace("Mikhail Zhilin", CANARY),
        encoding="utf-8",
    )
    if with_cases:
        import_cases(store, [example_case(), foreign], actor="test")
    world = World(url, store, 0, 0)
    with store.write() as connection:
        team_a, team_b = ensure_team(connection, "a"), ensure_team(connection, "b")
        world.own_ref = repo.case_pk(connection, "zhilin-2022") or 0
        world.foreign_ref = repo.case_pk(connection, "foreign-2022") or 0
        if with_cases:
            grant(connection, world.own_ref, team_pk=team_a)
            grant(connection, world.foreign_ref, team_pk=team_b)
        users = [(f"{role}-a", role, "a") for role in ROLES] + [("lawyer-b", "lawyer", "b")]
        for name, role, team in users:
            pk = add_user(connection, name, role, PASSWORD, team)
            world.tokens[name] = tokens.create(connection, pk, "write", 30, time.time())
            world.read_tokens[name] = tokens.create(connection, pk, "read", 30, time.time())
    return world


def settings_for(world: World, **overrides: object) -> WebSettings:
    """The world's settings. The second factor is not required here (``mfa_roles=()``), so
    that the other tests sign in with a password; tests/web/test_accounts.py requires it.
    The per-client limits are raised: every test client shares one address
    (tests/web/test_rate_limit.py checks the real limits)."""
    overrides.setdefault("mfa_roles", ())
    overrides.setdefault("request_burst", 100_000)
    overrides.setdefault("sign_in_burst", 100_000)
    return WebSettings(database_url=world.url, today=lambda: TODAY, **overrides)  # type: ignore[arg-type]


_TEMPLATE: dict[str, tuple[Path, World]] = {}


def copied_world(folder: Path, tmp_factory: pytest.TempPathFactory) -> World:
    """A private copy of one world built once per session (Argon2 and indexing are slow)."""
    if "world" not in _TEMPLATE:
        source = tmp_factory.mktemp("world-template")
        built = build_world(source)
        built.store.close()
        _TEMPLATE["world"] = (source / "store.db", built)
    path, template = _TEMPLATE["world"]
    shutil.copy(path, folder / "store.db")
    shutil.copy(path.with_name("store.db.key"), folder / "store.db.key")  # its wrapped key
    url = f"sqlite:///{folder / 'store.db'}"
    return dataclasses.replace(template, url=url, store=open_store(url))


@pytest.fixture
def world(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    found = copied_world(tmp_path, tmp_path_factory)
    yield found
    found.store.close()


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(world)), base_url="http://127.0.0.1") as found:
        yield found


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in through the form; return the CSRF token of the new session."""
    response = client.post(
        "/login", data={"name": name, "password": password}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    page = client.get("/reports/new")
    marker = 'name="csrf" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def uploaded(client: TestClient, token: str, response: Any, timeout: float = 120) -> Any:
    """An API upload (202) followed until its job has finished: its progress as JSON."""
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + timeout
    while True:
        found = client.get(response.json()["url"], headers=bearer(token))
        assert found.status_code == 200, found.text
        if found.json()["finished"] or time.monotonic() > deadline:
            return found.json()
        time.sleep(0.1)


def uploaded_page(client: TestClient, response: Any, timeout: float = 120) -> Any:
    """A page upload (redirected to its progress page) followed, as the page's own refresh
    does, until the report is read: the final page."""
    assert response.status_code == 200 and "/reports/" in str(response.url), response.text
    deadline = time.monotonic() + timeout
    page = response
    while 'data-state="waiting"' in page.text or 'data-state="reading"' in page.text:
        assert page.headers.get("refresh") and 'http-equiv="refresh"' in page.text
        assert time.monotonic() < deadline, "the upload was not read in time"
        time.sleep(0.1)
        page = client.get(str(response.url))
    assert "refresh" not in page.headers
    return page
