"""The case format's ``complete`` flag survives the store, and a person can set it (audited),
on SQLite and PostgreSQL (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from refuge.services import store as svc
from refuge.storage import Store
from refuge.storage.tables import audit


def _complete_copy(zhilin_file: Path, folder: Path) -> Path:
    text = zhilin_file.read_text(encoding="utf-8").replace(
        "  id: zhilin-2022\n", "  id: zhilin-2022\n  complete: true\n", 1
    )
    assert "complete: true" in text
    path = folder / "complete.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_complete_survives_import_and_export(
    store: Store, zhilin_file: Path, tmp_path: Path
) -> None:
    svc.import_cases(store, [_complete_copy(zhilin_file, tmp_path)], actor="test")
    assert svc.load_cases(store, "zhilin-2022")[0].complete is True
    assert "complete: true" in svc.export_cases(store, "yaml", "test", "zhilin-2022")
    svc.import_cases(store, [zhilin_file], actor="test")  # re-imported without the mark
    assert svc.load_cases(store, "zhilin-2022")[0].complete is False


def test_a_person_marks_a_case_complete_and_it_is_audited(store: Store, zhilin_file: Path) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    svc.mark_complete(store, "zhilin-2022", True, "lawyer")
    assert svc.load_cases(store, "zhilin-2022")[0].complete is True
    svc.mark_complete(store, "zhilin-2022", False, "lawyer")
    assert svc.load_cases(store, "zhilin-2022")[0].complete is False
    with store.read() as connection:
        details = (
            connection.execute(
                select(audit.c.detail).where(audit.c.actor == "lawyer", audit.c.action == "review")
            )
            .scalars()
            .all()
        )
    assert details == ["case marked complete", "case marked not complete"]


def test_review_complete_and_case_from_the_command_line(store_url: str, zhilin_file: Path) -> None:
    env = {**os.environ, "REFUGE_DATABASE_URL": store_url, "COLUMNS": "100"}

    def refuge(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "refuge", *args], capture_output=True, text=True, env=env,
            check=False,
        )  # fmt: skip

    assert refuge("import", str(zhilin_file)).returncode == 0
    assert "Complete: no" in refuge("case", "zhilin-2022", "--at", "2023-01-10").stdout
    marked = refuge("review", "complete", "zhilin-2022")
    assert marked.returncode == 0, marked.stderr
    assert "Complete: yes" in refuge("case", "zhilin-2022", "--at", "2023-01-10").stdout
    missing = refuge("review", "complete", "no-such-case")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
