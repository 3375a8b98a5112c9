"""A report in a language refuge does not read: said so in the terminal, in --json, by
`refuge ingest` and on the web, and no case is drafted (real subprocesses, real web client)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

KAZAKH = (
    "Алматы, 2023 жылғы 12 наурыз\n\n"
    "Ресей азаматы Михаил Жилин Қазақстанда ұсталды. Сот оны Ресейге экстрадициялау туралы "
    "шешім шығарды, бұл халықаралық құқыққа қайшы. Ол босқын мәртебесін сұрады, бірақ "
    "көші-қон қызметі бас тартты.\n"
)
WARNING = "language kk is not read yet; no case drafted"


def refuge(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_analyze_says_the_language_is_not_read(tmp_path: Path) -> None:
    report = tmp_path / "kz.txt"
    report.write_text(KAZAKH, encoding="utf-8")
    shown = refuge("analyze", str(report))
    assert shown.returncode == 0, shown.stderr
    assert WARNING in " ".join(shown.stdout.split())
    assert "No case found" not in shown.stdout
    as_json = refuge("analyze", str(report), "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["warnings"] == [WARNING]
    assert data["cases"] == []
    assert data["article"]["language"] == "kk"


def test_an_english_report_has_no_warning(tmp_path: Path) -> None:
    report = tmp_path / "en.txt"
    report.write_text(
        "Mikhail Zhilin was detained in Kazakhstan and deported to Russia on 28 December 2022.\n",
        encoding="utf-8",
    )
    data = json.loads(refuge("analyze", str(report), "--json").stdout)
    assert data["warnings"] == []
    assert data["article"]["language"] == "en"


def test_ingest_reports_the_warning(tmp_path: Path) -> None:
    report = tmp_path / "kz.txt"
    report.write_text(KAZAKH, encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'store.db'}"
    created = refuge("init", "--database", database, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    done = refuge("ingest", str(report), "--json", "--database", database, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["created"] == []
    assert {"path": str(report), "warning": WARNING} in summary["warnings"]
    again = tmp_path / "again"
    again.mkdir()
    (again / "kz.txt").write_text(KAZAKH + "\nЕкінші нұсқа.\n", encoding="utf-8")
    shown = refuge("ingest", str(again), "--database", database, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert WARNING in " ".join(shown.stdout.split())


def test_a_declared_language_is_the_one_read() -> None:
    """A feed's ``--language`` reaches the reader: an English report declared Kazakh is read
    as Kazakh (not read yet: no case), while undeclared it drafts its case."""
    from refuge.services.analysis import analyze_report

    english = (
        "Mikhail Zhilin was detained in Kazakhstan and deported to Russia on 28 December 2022.\n"
    )
    assert analyze_report(english.encode(), name="en.txt").cases
    declared = analyze_report(english.encode(), name="en.txt", language="kk")
    assert declared.article.language == "kk"
    assert declared.cases == [] and declared.warnings == [WARNING]
