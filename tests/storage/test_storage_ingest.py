"""Ingesting reports: dedup by content, merging across outlets and scripts, disputes,
proposals, human edits, bad files, and two processes on one store. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fakes import report
from sqlalchemy import func, select, text

from refuge.services import store as svc
from refuge.storage import Store, StoreError
from refuge.storage.tables import audit, events, evidence, merges, reports

ANALYZER = "fakes:analyze"
HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"

APPLIED = "  - {id: a, type: asylum_application, date: 2022-09-26, source: SRC}"
REFUSED = "  - {id: r, type: asylum_decision, outcome: refused, date: 2022-11, source: SRC}"
GRANTED = "  - {id: g, type: asylum_decision, outcome: granted, date: 2022-11-25, source: SRC}"
REMOVED = "  - {id: x, type: removal, to: RU, date: 2022-12-29, source: SRC}"


def _write(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def _events(*lines: str, source: str = "s1") -> str:
    return "\n".join(line.replace("SRC", source) for line in lines)


def _ingest(store: Store, *paths: Path, workers: int = 1) -> svc.IngestSummary:
    return svc.ingest(store, list(paths), actor="tester", workers=workers, analyzer=ANALYZER)


def _count(store: Store, table: str) -> int:
    with store.read() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_one_person_across_outlets_and_scripts_is_one_case(store: Store, tmp_path: Path) -> None:
    """Zhilin (Latin) and Жилин (Cyrillic) merge; the shared event gets two sources."""
    born = "1986"
    _write(
        tmp_path, "a.txt", report("zhilin", "Mikhail Zhilin", _events(APPLIED, REFUSED), born=born)
    )
    _write(
        tmp_path,
        "b.txt",
        report(
            "zh", "Михаил Жилин", _events(APPLIED, REMOVED, source="s2"), born=born, source="s2"
        ),
    )
    summary = _ingest(store, tmp_path)
    assert (summary.created, summary.merged, summary.reports) == (["zhilin"], ["zhilin"], 2)
    (case,) = svc.load_cases(store)
    assert "Михаил Жилин" in case.person.aliases
    assert [e.type for e in case.events] == ["asylum_application", "asylum_decision", "removal"]
    assert {p.source for p in case.events[0].evidence} == {"s1", "s2"}
    assert svc.show_case(store, "zhilin", case.events[0].date.latest).corroboration["a"] == 2
    with store.read() as connection:
        assert connection.execute(select(merges.c.kind, merges.c.review)).all() == [
            ("merged", "draft")
        ]


def test_the_same_report_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    first = _write(tmp_path / "in", "a.txt", report("z", "Zhilin", _events(APPLIED)))
    _write(tmp_path / "copy", "same.txt", first.read_text(encoding="utf-8"))
    _ingest(store, first)
    counts = {t: _count(store, t) for t in ("cases", "events", "evidence", "reports", "audit")}
    summary = _ingest(store, first, tmp_path / "copy")
    assert summary.reports == 0
    assert sorted(r for _, r in summary.skipped) == ["already ingested", f"same content as {first}"]
    assert {t: _count(store, t) for t in counts} == counts


def test_disagreeing_reports_keep_both_and_mark_the_event_disputed(
    store: Store, tmp_path: Path
) -> None:
    _write(tmp_path, "a.txt", report("z", "Zhilin", _events(REFUSED), born="1986"))
    _write(
        tmp_path,
        "b.txt",
        report("z", "Zhilin", _events(GRANTED, source="s2"), born="1986", source="s2"),
    )
    _ingest(store, tmp_path)
    (case,) = svc.load_cases(store)
    assert [(e.attrs["outcome"], e.certainty) for e in case.events] == [
        ("refused", "disputed"),
        ("granted", "disputed"),
    ]


def test_unsure_identity_is_stored_as_a_proposal(store: Store, tmp_path: Path) -> None:
    """Same name, nothing else to compare: no merge, no new case, a proposal to review."""
    _write(tmp_path, "a.txt", report("z", "Zhilin", _events(APPLIED), born="1986"))
    _write(tmp_path, "b.txt", report("z2", "Zhilin", _events(REMOVED), citizenship="[]"))
    summary = _ingest(store, tmp_path)
    assert summary.proposed == ["z"]
    assert len(svc.load_cases(store)) == 1
    with store.read() as connection:
        row = connection.execute(select(merges)).one()
    assert (row.kind, row.review, row.candidate["case"]["id"]) == ("proposal", "draft", "z2")
    assert svc.list_cases(store, date(2022, 12, 1))[0].proposals == 1


def test_different_people_get_different_cases(store: Store, tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", report("z", "Mikhail Zhilin", _events(APPLIED), born="1986"))
    _write(tmp_path, "b.txt", report("s", "Sandzhiev", _events(APPLIED), born="1990"))
    _write(
        tmp_path,
        "c.txt",
        report("s2", "Санджиев", _events(APPLIED, source="s2"), born="1990", source="s2"),
    )
    summary = _ingest(store, tmp_path)
    assert sorted(summary.created) == ["s", "z"]
    assert summary.merged == ["s"]


def test_a_human_edit_is_never_overwritten(store: Store, tmp_path: Path) -> None:
    """An imported (human) event keeps its fields; the report's evidence is attached, and a
    disagreeing report becomes a separate disputed draft."""
    case_file = _write(
        tmp_path / "cases", "z.yaml", report("z", "Zhilin", _events(REFUSED), born="1986")
    )
    svc.import_cases(store, [case_file], "lawyer")
    _write(
        tmp_path / "r",
        "1.txt",
        report("z", "Zhilin", _events(REFUSED, source="s9"), born="1986", source="s9"),
    )
    _write(
        tmp_path / "r",
        "2.txt",
        report("z", "Zhilin", _events(GRANTED, source="s8"), born="1986", source="s8"),
    )
    _ingest(store, tmp_path / "r")
    (case,) = svc.load_cases(store)
    human = case.events[0]
    assert (human.attrs["outcome"], human.certainty) == ("refused", None)
    assert [p.source for p in human.evidence] == ["s1", "s9"]
    assert (case.events[1].certainty, case.events[1].review) == ("disputed", "draft")


def test_bad_reports_are_reported_and_skipped(store: Store, tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "BROKEN report")
    _write(tmp_path, "b.html", "CRASH")
    _write(tmp_path, "c.md", report("z", "Zhilin", _events(APPLIED)))
    _write(tmp_path, "ignored.png", "not a report type")
    summary = _ingest(store, tmp_path, workers=2)
    assert summary.created == ["z"]
    failed = dict((Path(p).name, r) for p, r in summary.failed)
    assert failed == {
        "a.txt": "a.txt: not a report refuge can read",
        "b.html": "analysis failed (ZeroDivisionError)",
    }
    assert _count(store, "reports") == 1


def test_an_interrupted_run_resumes(store: Store, tmp_path: Path) -> None:
    """Reports stored before an interruption are skipped when the run is repeated."""
    for i in range(4):
        _write(
            tmp_path,
            f"{i}.txt",
            report(
                f"p{i}", f"Person{'abcd'[i] * 3} Name{i}", _events(APPLIED), born=str(1980 + i * 5)
            ),
        )
    _ingest(store, tmp_path / "0.txt", tmp_path / "1.txt")
    summary = _ingest(store, tmp_path)
    assert summary.reports == 2
    assert sorted(p for p, r in summary.skipped) == [
        str(tmp_path / "0.txt"),
        str(tmp_path / "1.txt"),
    ]
    assert _count(store, "cases") == 4


def test_two_processes_ingesting_at_once_lose_and_duplicate_nothing(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    """Two ingest processes over the same 24 reports (3 people x 8 outlets), in opposite
    orders: every report stored once, one case per person, every source on every event."""
    names = (("Mikhail Zhilin", "Михаил Жилин"), ("Sandzhiev", "Санджиев"), ("Kaliyev", "Калиев"))
    paths = []
    for p, spellings in enumerate(names):
        for outlet in range(8):
            body = _events(APPLIED, REMOVED, source=f"s{outlet}")
            text_ = report(
                f"p{p}", spellings[outlet % 2], body, born=str(1980 + p * 7), source=f"s{outlet}"
            )
            paths.append(_write(tmp_path, f"p{p}-{outlet}.txt", text_))
    procs = [_spawn(store_url, paths, workers=2), _spawn(store_url, paths[::-1], workers=1)]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    assert _count(store, "reports") == 24
    assert _count(store, "cases") == 3
    with store.read() as connection:
        per_event = (
            connection.execute(
                select(func.count()).select_from(evidence.join(events)).group_by(events.c.pk)
            )
            .scalars()
            .all()
        )
        ingests = connection.execute(
            select(func.count()).where(audit.c.action == "ingest")
        ).scalar()
        hashes = connection.execute(select(func.count(reports.c.sha256.distinct()))).scalar()
    assert sorted(per_event) == [8] * 6
    assert (ingests, hashes) == (24, 24)


def _spawn(url: str, paths: list[Path], workers: int) -> subprocess.Popen[str]:
    code = (
        "import sys; from pathlib import Path; from refuge.services import store as svc; "
        "from refuge.storage import open_store; "
        f"s = open_store({url!r}); "
        f"svc.ingest(s, [Path(p) for p in sys.argv[1:]], actor='p', workers={workers}, "
        f"analyzer={ANALYZER!r})"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    args = [sys.executable, "-c", code, *map(str, paths)]
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_reviewing_a_proposal_applies_it_or_keeps_the_people_apart(
    store: Store, tmp_path: Path
) -> None:
    """Verified: the proposed report is merged; rejected: it becomes its own case. A merge
    is reviewed once; reviews are audited."""
    _write(tmp_path, "a.txt", report("z", "Zhilin", _events(APPLIED), born="1986"))
    _write(tmp_path, "b.txt", report("z2", "Zhilin", _events(REMOVED), citizenship="[]"))
    _write(
        tmp_path,
        "c.txt",
        report("z3", "Zhilin", _events(GRANTED, source="s3"), citizenship="[]", source="s3"),
    )
    _ingest(store, tmp_path)
    first, second = svc.list_merges(store, pending_only=True)
    assert svc.review_merge(store, first.pk, "verified", "lawyer") == "z"
    assert svc.review_merge(store, second.pk, "rejected", "lawyer") == "z3"
    cases_ = {c.id: c for c in svc.load_cases(store)}
    assert [e.type for e in cases_["z"].events] == ["asylum_application", "removal"]
    assert [e.type for e in cases_["z3"].events] == ["asylum_decision"]
    assert svc.list_merges(store, pending_only=True) == []
    with pytest.raises(StoreError, match="already reviewed"):
        svc.review_merge(store, first.pk, "rejected", "lawyer")
    with store.read() as connection:
        reviews = connection.execute(select(audit.c.detail).where(audit.c.action == "review"))
        assert sorted(reviews.scalars()) == ["merge rejected", "merge verified"]


def test_a_verified_event_is_only_corroborated_by_later_reports(
    store: Store, tmp_path: Path
) -> None:
    """After a person verifies an ingested event, a disagreeing report cannot mark it disputed."""
    _write(tmp_path / "1", "a.txt", report("z", "Zhilin", _events(REFUSED), born="1986"))
    _ingest(store, tmp_path / "1")
    svc.review_event(store, "z", "r", "verified", "lawyer")
    _write(
        tmp_path / "2",
        "b.txt",
        report("z", "Zhilin", _events(GRANTED, source="s2"), born="1986", source="s2"),
    )
    _ingest(store, tmp_path / "2")
    (case,) = svc.load_cases(store)
    assert [(e.review, e.certainty) for e in case.events] == [
        ("verified", None),
        ("draft", "disputed"),
    ]
