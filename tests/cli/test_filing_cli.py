"""``refuge dossier`` and ``refuge request`` as a user runs them: files written where asked,
refusals and bad paths as one clear line and an exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"


def refuge(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args], capture_output=True, text=True, cwd=cwd,
        check=False,
    )  # fmt: skip


def test_dossier_and_request_write_their_files(tmp_path: Path) -> None:
    result = refuge("dossier", str(EXAMPLE), "--at", "2022-12-27", "--format", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "zhilin-2022-dossier.docx").read_bytes()[:2] == b"PK"
    args = ("request", str(EXAMPLE), "--to", "hrc", "--at", "2022-12-27", "--format", "md")
    result = refuge(*args, "-o", "req.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "rule 94" in (tmp_path / "req.md").read_text(encoding="utf-8")


def test_refusal_is_one_clear_line(tmp_path: Path) -> None:
    result = refuge("request", str(EXAMPLE), "--to", "echr", "--at", "2022-12-27", cwd=tmp_path)
    assert result.returncode == 2
    assert "Kazakhstan is not a party to the ECHR" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_case_file_is_named(tmp_path: Path) -> None:
    result = refuge("dossier", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "no case file nowhere.yaml" in result.stderr
