"""The review queue: drafts one by one, edits that are verified and protected, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import report

from refuge.cli.store import review
from refuge.domain import DateRange
from refuge.errors import CaseFileError
from refuge.services import store as svc
from refuge.services.review import edit_event, pending_drafts, split_event
from refuge.storage import Store, StoreError

ANALYZER = "fakes:analyze"
EVENTS = """  - {id: e1, type: asylum_application, date: 2023-03-01, source: s1}
  - {id: e2, type: asylum_decision, outcome: refused, date: 2023-05, source: s1}
"""


def ingest_one(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(report("ivanov", "Ivan Ivanov", EVENTS), encoding="utf-8")
    svc.ingest(store, [path], actor="tester", workers=1, analyzer=ANALYZER)


def test_ingested_facts_are_drafts_in_the_queue(store: Store, tmp_path: Path) -> None:
    ingest_one(store, tmp_path)
    kinds = [(d.kind, d.event.id if d.event else None) for d in pending_drafts(store)]
    assert ("person", None) in kinds
    assert ("event", "e1") in kinds and ("event", "e2") in kinds


def test_an_edit_is_verified_and_survives_a_later_ingest(store: Store, tmp_path: Path) -> None:
    ingest_one(store, tmp_path)
    [case_id] = [c.id for c in svc.load_cases(store)]
    fixed = DateRange(date(2023, 5, 10), date(2023, 5, 12), "10-12 May")
    edited = edit_event(
        store, case_id, "e2", when=fixed, attrs={"by": "commission"}, actor="lawyer"
    )
    assert (edited.date, edited.review, edited.get("by")) == (fixed, "verified", "commission")
    assert all(d.event is None or d.event.id != "e2" for d in pending_drafts(store))
    again = tmp_path / "again"
    again.mkdir()
    (again / "r2.md").write_text(
        report("ivanov", "Ivan Ivanov", EVENTS, source="s2"), encoding="utf-8"
    )
    svc.ingest(store, [again], actor="tester", workers=1, analyzer=ANALYZER)
    [case] = svc.load_cases(store, case_id)
    assert case.event("e2").date == fixed


def test_an_edit_outside_the_vocabulary_changes_nothing(store: Store, tmp_path: Path) -> None:
    ingest_one(store, tmp_path)
    [case_id] = [c.id for c in svc.load_cases(store)]
    with pytest.raises(CaseFileError, match=r"events\[1\]\.outcome: 'maybe' is not allowed"):
        edit_event(store, case_id, "e2", when=None, attrs={"outcome": "maybe"}, actor="x")
    assert svc.load_cases(store, case_id)[0].event("e2").get("outcome") == "refused"


def test_the_terminal_walk_accepts_edits_and_rejects(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    ingest_one(store, tmp_path)
    # person: accept; e1: edit the date; e2: reject
    keys = "a\ne\n2023-03-02\n\nr\n"
    result = CliRunner().invoke(review, ["--database", store_url], input=keys)
    assert result.exit_code == 0, result.output
    assert "3 decision(s) saved" in result.output
    [case] = svc.load_cases(store)
    assert case.event("e1").date == DateRange.day(date(2023, 3, 2))
    assert case.event("e1").review == "verified"
    assert case.event("e2").review == "rejected"
    assert pending_drafts(store) == []


def test_an_event_of_someone_else_is_split_off_into_its_own_case(
    store: Store, tmp_path: Path
) -> None:
    ingest_one(store, tmp_path)
    [case_id] = [c.id for c in svc.load_cases(store)]
    new_id = split_event(store, case_id, "e2", actor="lawyer")
    old, new = svc.load_cases(store, case_id)[0], svc.load_cases(store, new_id)[0]
    assert [e.id for e in old.events] == ["e1"]
    assert [(e.id, e.review) for e in new.events] == [("e2", "verified")]
    assert new.person.name == old.person.name
    assert {s.id for s in new.sources} == {"s1"}
    with pytest.raises(StoreError, match="no event 'e2'"):
        split_event(store, case_id, "e2", actor="lawyer")
