"""Reads from the command line are audited like reads on the web, and the trail they extend
still verifies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from refuge.storage import open_store
from refuge.storage.audit import entries

EXAMPLE = Path(__file__).parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"


def refuge(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFUGE_ACTOR": "cli-reader", "REFUGE_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_case_cases_alerts_and_export_leave_audit_entries(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    for args in (("init",), ("import", str(EXAMPLE))):
        assert refuge(*args, "--database", url, data=tmp_path).returncode == 0
    store = open_store(url)
    with store.read() as connection:
        before = len(entries(connection))
    for args in (("case", "zhilin-2022"), ("cases",), ("alerts",), ("export", "--plaintext")):
        done = (
            refuge(*args, "--database", url, "--at", "2023-01-10", data=tmp_path)
            if args[0] in ("cases", "alerts", "case")
            else refuge(*args, "--database", url, data=tmp_path)
        )
        assert done.returncode == 0, done.stderr
    with store.read() as connection:
        new = entries(connection)[before:]
    store.close()
    assert [(e.actor, e.action, e.object_type) for e in new] == [
        ("cli-reader", "read", "case"),
        ("cli-reader", "search", "store"),
        ("cli-reader", "search", "store"),
        ("cli-reader", "export", "store"),
    ]
    assert new[0].object_pk is not None and new[0].detail == "case viewed"
    verified = refuge("audit", "verify", "--db", url, data=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "audit trail intact" in verified.stdout
