"""The deployment files (deploy/) are valid and run commands refuge has: compose.yaml parses
and keeps everything but the TLS proxy off the public network; the systemd units pass
``systemd-analyze verify``. No image is built and no network is used."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from refuge.cli import COMMANDS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _compose() -> dict[str, object]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_compose_has_postgres_web_workers_and_a_tls_proxy() -> None:
    services = _compose()["services"]
    assert isinstance(services, dict)
    assert set(services) == {"db", "migrate", "web", "worker", "proxy"}
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"proxy"}
    assert sorted(services["proxy"]["ports"]) == ["443:443", "80:80"]
    assert services["worker"]["deploy"]["replicas"] == "${REFUGE_WORKERS:-2}"
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    for name in ("migrate", "web", "worker"):
        command = services[name]["command"]
        assert command[0] == "refuge" and command[1] in COMMANDS, name
        assert services[name]["environment"]["REFUGE_DATABASE_URL"].startswith("postgresql://")
    assert _compose()["networks"]["private"]["internal"] is True
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy web:8000" in caddy and "header_up Host" not in caddy
    shared = services["web"]["environment"]  # the Host refuge answers, the proxy it trusts
    assert shared["REFUGE_SERVER_NAME"] == "${REFUGE_DOMAIN:?set REFUGE_DOMAIN}"
    subnet = _compose()["networks"]["private"]["ipam"]["config"][0]["subnet"]
    assert shared["REFUGE_BEHIND_PROXY"] == subnet


def _units() -> list[Path]:
    return sorted((DEPLOY / "systemd").glob("refuge-*"))


def test_units_run_refuge_commands() -> None:
    assert [u.name for u in _units()] == [
        "refuge-feeds.service",
        "refuge-feeds.timer",
        "refuge-web.service",
        "refuge-worker@.service",
    ]
    for unit in _units():
        for line in unit.read_text(encoding="utf-8").splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                argv = shlex.split(line.split("=", 1)[1])
                assert argv[0] == "/opt/refuge/venv/bin/refuge"
                assert argv[1] in COMMANDS, line


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """Verified with ExecStart pointing at this venv's refuge (the unit's path is where a
    server installs it) and without the refuge user, which only a server has."""
    refuge = Path(sys.executable).parent / "refuge"
    for unit in _units():
        text = unit.read_text(encoding="utf-8").replace("/opt/refuge/venv/bin/refuge", str(refuge))
        text = text.replace("User=refuge\n", "").replace("Group=refuge\n", "")
        name = unit.name.replace("@.service", "@1.service")
        (tmp_path / name).write_text(text, encoding="utf-8")
    for unit in sorted(tmp_path.iterdir()):
        done = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(unit)],
            capture_output=True,
            text=True,
        )
        problems = [
            line for line in done.stderr.splitlines() if str(tmp_path) in line or unit.name in line
        ]
        assert done.returncode == 0 and not problems, done.stderr
