"""Bulk exports: beyond the hourly allowance an export needs a step-up (password or one-time
code again) and, when configured, another person's approval (issue 13: 154 exports in 10 s by
one insider, with neither)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from fastapi.testclient import TestClient

from refuge.api.app import create_app

fx: Any = sys.modules["refuge_test_web_fixtures"]


def _export(client: TestClient, world: Any, step_up: str | None = None) -> Any:
    headers = fx.bearer(world.tokens["lawyer-a"])
    if step_up is not None:
        headers["X-Refuge-Step-Up"] = step_up
    return client.get(f"/api/cases/{world.own_ref}/export", headers=headers)


def test_beyond_the_allowance_the_password_is_needed_again(world: Any) -> None:
    app = create_app(fx.settings_for(world, export_free=3))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert [_export(client, world).status_code for _ in range(3)] == [200] * 3
        refused = _export(client, world)
        assert refused.status_code == 403
        assert "X-Refuge-Step-Up" in refused.json()["detail"]
        assert _export(client, world, "not my password at all").status_code == 403
        assert _export(client, world, fx.PASSWORD).status_code == 200


def _approve(world: Any, actor: str, count: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "refuge", "user", "approve-exports", "lawyer-a"),
            *("--count", str(count), "--db", world.url),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "REFUGE_ACTOR": actor},
    )


def test_a_second_approver_is_needed_when_configured(world: Any) -> None:
    app = create_app(fx.settings_for(world, export_free=2, export_approver=True))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert [_export(client, world).status_code for _ in range(2)] == [200] * 2
        waiting = _export(client, world, fx.PASSWORD)
        assert waiting.status_code == 403 and "approval" in waiting.json()["detail"]
        own = _approve(world, "lawyer-a", 5)
        assert own.returncode != 0 and "own exports" in own.stderr
        assert _export(client, world, fx.PASSWORD).status_code == 403
        approved = _approve(world, "admin-a", 2)
        assert approved.returncode == 0, approved.stderr
        assert _export(client, world).status_code == 403  # approval, but no step-up
        assert _export(client, world, fx.PASSWORD).status_code == 200
        assert _export(client, world, fx.PASSWORD).status_code == 200
        assert _export(client, world, fx.PASSWORD).status_code == 403  # approval used up
