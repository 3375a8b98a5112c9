"""Sessions, sign-in throttling, CSRF, headers and error bodies (security.md R8-R10, R13, R14)."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from refuge.api.app import CSP, create_app, route_table
from refuge.auth import passwords
from refuge.auth.tables import sessions, users
from refuge.errors import InputError
from refuge.storage.tables import audit
from refuge.web.pages import ENV

fx = sys.modules["refuge_test_web_fixtures"]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocked(world: Any) -> Any:
    clock = Clock()
    app = create_app(fx.settings_for(world, clock=clock, idle_minutes=30, absolute_hours=12))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, clock


# -- passwords and signing in ------------------------------------------------------------------
def test_password_policy_and_argon2id_parameters() -> None:
    for bad in ("short", "passwordpassword", "a" * 20, "x" * 300):
        with pytest.raises(InputError):
            passwords.check_policy(bad)
    stored = passwords.hash_password("a sufficiently long phrase")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=1$")
    assert passwords.verify(stored, "a sufficiently long phrase")
    assert not passwords.verify(stored, "another long phrase here")


def test_unknown_user_and_wrong_password_look_the_same(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = passwords.hasher()

    class Spy:
        def verify(self, stored: str, password: str) -> bool:
            calls.append(stored)
            return real.verify(stored, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(passwords, "hasher", Spy)
    unknown = client.post("/login", data={"name": "nobody", "password": "x" * 20})
    wrong = client.post("/login", data={"name": "viewer-a", "password": "x" * 20})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.text == wrong.text
    assert len(calls) == 2  # exactly one Argon2 verification each


def test_sixth_failure_is_throttled_without_locking_others(clocked: Any) -> None:
    client, clock = clocked
    for _ in range(6):
        client.post("/login", data={"name": "viewer-a", "password": "wrong" * 4})
    right = {"name": "viewer-a", "password": fx.PASSWORD}
    assert client.post("/login", data=right, follow_redirects=False).status_code == 401
    other = {"name": "monitor-a", "password": fx.PASSWORD}
    assert client.post("/login", data=other, follow_redirects=False).status_code == 303
    clock.now += 60
    assert client.post("/login", data=right, follow_redirects=False).status_code == 303


# -- sessions --------------------------------------------------------------------------------
def test_cookie_attributes_and_no_user_data(client: TestClient) -> None:
    response = client.post(
        "/login", data={"name": "viewer-a", "password": fx.PASSWORD}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("refuge_session=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/"):
        assert attribute.lower() in cookie.lower()
    assert "viewer" not in cookie


def test_https_uses_a_host_prefixed_secure_cookie(world: Any) -> None:
    app = create_app(fx.settings_for(world, https=True))
    with TestClient(app, base_url="https://127.0.0.1") as client:
        response = client.post(
            "/login", data={"name": "viewer-a", "password": fx.PASSWORD}, follow_redirects=False
        )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-refuge=") and "secure" in cookie.lower()
    assert "domain" not in cookie.lower()
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_sign_in_rotates_the_session_and_sign_out_kills_it(client: TestClient, world: Any) -> None:
    def page_with(cookie: str) -> int:
        with TestClient(client.app, base_url="http://127.0.0.1") as other:
            headers = {"Cookie": f"refuge_session={cookie}"}
            return other.get("/", headers=headers, follow_redirects=False).status_code

    fx.sign_in(client, "viewer-a")
    first = client.cookies["refuge_session"]
    assert page_with(first) == 200
    csrf = fx.sign_in(client, "viewer-a")
    current = client.cookies["refuge_session"]
    assert current != first
    assert page_with(first) == 303  # the pre-sign-in session died (no fixation)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert page_with(current) == 303  # replay after sign-out
    with world.store.read() as connection:
        assert connection.execute(select(func.count()).select_from(sessions)).scalar() == 0


def test_idle_and_absolute_expiry(clocked: Any) -> None:
    client, clock = clocked
    fx.sign_in(client, "viewer-a")
    clock.now += 29 * 60
    assert client.get("/", follow_redirects=False).status_code == 200
    clock.now += 31 * 60
    assert client.get("/", follow_redirects=False).status_code == 303  # idle
    fx.sign_in(client, "viewer-a")
    for _ in range(26):
        clock.now += 29 * 60
        client.get("/law")
    assert client.get("/", follow_redirects=False).status_code == 303  # absolute


# -- CSRF ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("headers", "with_token", "allowed"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, True, True),
        ({"Sec-Fetch-Site": "none"}, True, True),
        ({"Sec-Fetch-Site": "cross-site"}, True, False),
        ({"Sec-Fetch-Site": "same-site"}, True, False),
        ({"Origin": "http://127.0.0.1"}, True, True),
        ({"Origin": "http://evil.example"}, True, False),
        ({"Origin": "null"}, True, False),
        ({}, True, True),
        ({"Sec-Fetch-Site": "same-origin"}, False, False),
        ({}, False, False),
    ],
)
def test_csrf_matrix(
    client: TestClient, headers: dict[str, str], with_token: bool, allowed: bool
) -> None:
    csrf = fx.sign_in(client, "viewer-a")
    data = {"csrf": csrf if with_token else "forged", "q": ""}
    response = client.post("/cases", data=data, headers=headers, follow_redirects=False)
    assert (response.status_code == 200) is allowed, response.status_code


def test_get_routes_change_nothing(client: TestClient, world: Any) -> None:
    fx.sign_in(client, "lawyer-a")

    def state() -> Any:
        with world.store.read() as connection:
            rows = connection.execute(select(audit.c.action)).scalars().all()
            hashes = connection.execute(select(users.c.password_hash)).scalars().all()
        return [a for a in rows if a not in ("read", "search", "export")], hashes

    before = state()
    for method, path in route_table(client.app):  # type: ignore[arg-type]
        if method == "GET":
            url = path.replace("{ref}", str(world.own_ref))
            client.get(url, headers=fx.bearer(world.tokens["lawyer-a"]))
    assert state() == before


# -- headers, limits, errors -----------------------------------------------------------------
def test_security_headers_on_every_route(client: TestClient, world: Any) -> None:
    fx.sign_in(client, "viewer-a")
    paths = [p for m, p in route_table(client.app) if m == "GET"]  # type: ignore[arg-type]
    for path in [*paths, "/no/such/page", "/static/refuge.css"]:
        response = client.get(path.replace("{ref}", str(world.own_ref)))
        assert response.headers["content-security-policy"] == CSP, path
        assert "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "camera=()" in response.headers["permissions-policy"]
        if not path.startswith("/static/"):
            assert response.headers["cache-control"] == "no-store"


def test_body_cap(client: TestClient) -> None:
    response = client.post("/api/reports", content=b"x" * (11 * 1024 * 1024))
    assert response.status_code == 413


def test_errors_are_generic(world: Any) -> None:
    app = create_app(fx.settings_for(world))

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail Mikhail Zhilin")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500
    assert "Zhilin" not in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"] == CSP


def test_openapi_needs_a_token(client: TestClient, world: Any) -> None:
    assert client.get("/api/openapi.json").status_code == 401
    assert client.get("/docs").status_code == 404
    spec = client.get("/api/openapi.json", headers=fx.bearer(world.read_tokens["viewer-a"]))
    assert spec.status_code == 200 and "/api/cases/{ref}" in spec.json()["paths"]


def test_untrusted_host_is_refused(client: TestClient) -> None:
    response = client.get("/login", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["content-security-policy"] == CSP


def test_templates_autoescape() -> None:
    assert ENV.autoescape is True or ENV.autoescape("x.html")
    rendered = ENV.from_string("{{ v }}").render(v="<script>x</script>")
    assert rendered == "&lt;script&gt;x&lt;/script&gt;"


def test_case_reads_are_audited_without_content(client: TestClient, world: Any) -> None:
    fx.sign_in(client, "viewer-a")
    client.get(f"/cases/{world.own_ref}")
    client.get(f"/api/cases/{world.own_ref}", headers=fx.bearer(world.tokens["viewer-a"]))
    with world.store.read() as connection:
        rows = connection.execute(select(audit).where(audit.c.action == "read")).all()
    assert [(r.actor, r.object_pk) for r in rows] == [("viewer-a", world.own_ref)] * 2
    assert all("Zhilin" not in r.detail for r in rows)


def test_templates_and_static_files_stay_inside_the_csp() -> None:
    """No inline script, inline style, event handler, unescaped output or external URL in
    anything the app ships to the browser (checked statically, on top of the CSP)."""
    import re
    from importlib import resources

    root = resources.files("refuge.web")
    shipped = [*(root / "templates").iterdir(), *(root / "static").iterdir()]
    assert len(shipped) >= 10
    for item in shipped:
        text = item.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), item.name
        assert not re.search(r"\sstyle=|<style", text), item.name
        assert not re.search(r"\son[a-z]+=", text), item.name
        assert "|safe" not in text and "Markup(" not in text, item.name
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), item.name
