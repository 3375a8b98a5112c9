from __future__ import annotations

import sys

from fastapi.testclient import TestClient

fx = sys.modules["refuge_test_web_fixtures"]


def test_sign_in_and_read_pages(client: TestClient, world: object) -> None:
    sign_in = fx.sign_in
    sign_in(client, "lawyer-a")
    for path in ("/", "/cases", "/review", "/law", "/reports/new", f"/cases/{world.own_ref}"):  # type: ignore[attr-defined]
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:2000])
    assert "Mikhail Zhilin" in client.get(f"/cases/{world.own_ref}").text  # type: ignore[attr-defined]
