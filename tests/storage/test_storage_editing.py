"""Editing cases by hand (services.editing), on SQLite and PostgreSQL: validated by the
case-file rules (problems per field, nothing changed), audited, access-checked, and kept by
later ingests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fakes import report

from refuge.auth.access import grant
from refuge.auth.users import Principal, ensure_team
from refuge.domain import DateRange
from refuge.domain.vocabulary import EVENT_TYPES
from refuge.services import editing
from refuge.services import store as svc
from refuge.services.acting import Forbidden, NotFound, operator
from refuge.storage import Store, repository
from refuge.storage.audit import entries

ANALYZER = "fakes:analyze"
EVENTS = """  - {id: e1, type: asylum_application, date: 2023-03-01, source: s1}
  - {id: e2, type: asylum_decision, outcome: refused, date: 2023-05, source: s1}
"""


def _ingest(store: Store, folder: Path, name: str, events: str, source: str = "s1") -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{source}.md").write_text(
        report("ivanov", name, events, source=source), encoding="utf-8"
    )
    svc.ingest(store, [folder], actor="tester", workers=1, analyzer=ANALYZER)


@pytest.fixture
def case_id(store: Store, tmp_path: Path) -> str:
    _ingest(store, tmp_path / "first", "Ivan Ivanov", EVENTS)
    [found] = svc.load_cases(store)
    return found.id


def _lawyer(store: Store, case: str, team: str = "a") -> Principal:
    with store.write() as connection:
        team_pk = ensure_team(connection, team)
        if team == "a":
            grant(connection, repository.case_pk(connection, case) or 0, team_pk=team_pk)
    return Principal(7, f"lawyer-{team}", "lawyer", (team_pk,))


def test_add_edit_and_delete_an_event(store: Store, case_id: str) -> None:
    who = _lawyer(store, case_id)
    given = editing.EventInput(
        "appeal_lodged",
        "2023-06",
        "2023-07",
        "early summer",
        {"against": "asylum_decision", "level": "first_instance", "suspensive": "yes"},
        "reported",
        "lodged by the lawyer",
    )
    new = editing.save_event(store, who, case_id, None, given)
    [case] = svc.load_cases(store, case_id)
    added = case.event(new)
    assert added.date == DateRange(date(2023, 6, 1), date(2023, 7, 31), "early summer")
    assert dict(added.attrs) == {
        "against": "asylum_decision",
        "level": "first_instance",
        "suspensive": True,
    }
    assert (added.review, added.certainty, added.note) == (
        "verified",
        "reported",
        "lodged by the lawyer",
    )

    changed = editing.EventInput("asylum_decision", "2023-05-17", attrs={"outcome": "granted"})
    editing.save_event(store, who, case_id, "e2", changed)
    [case] = svc.load_cases(store, case_id)
    e2 = case.event("e2")
    assert (e2.date, e2.get("outcome"), e2.review) == (
        DateRange.day(date(2023, 5, 17)),
        "granted",
        "verified",
    )
    assert e2.evidence and e2.evidence[0].source == "s1"  # its sources stay

    editing.delete_event(store, who, case_id, new)
    [case] = svc.load_cases(store, case_id)
    assert new not in {e.id for e in case.events}
    with store.read() as connection:
        details = [(e.actor, e.detail) for e in entries(connection) if e.actor == who.name]
    assert [d for _a, d in details] == [
        "event added by hand",
        "event edited by hand",
        "event deleted by hand",
    ]


def test_a_refused_edit_names_the_field_and_changes_nothing(store: Store, case_id: str) -> None:
    who = _lawyer(store, case_id)
    [before] = svc.load_cases(store, case_id)
    bad = editing.EventInput(
        "asylum_decision", "2023-05-40", attrs={"outcome": "maybe", "authority": "nobody"}
    )
    with pytest.raises(editing.Invalid) as caught:
        editing.save_event(store, who, case_id, "e2", bad)
    fields = caught.value.fields
    assert "'maybe' is not allowed" in " ".join(fields["outcome"])
    assert "'nobody' is not allowed" in " ".join(fields["authority"])
    assert "2023-05-40" in " ".join(fields["date"])
    backwards = editing.EventInput("release", "2023-05-10", "2023-05-01")
    with pytest.raises(editing.Invalid) as caught:
        editing.save_event(store, who, case_id, None, backwards)
    assert "after latest" in " ".join(caught.value.fields["date"])
    with pytest.raises(editing.Invalid) as caught:
        editing.save_person(store, who, case_id, editing.PersonInput("", host="Kazakhstan"))
    assert set(caught.value.fields) >= {"name", "host"}
    [after] = svc.load_cases(store, case_id)
    assert after == before


def test_every_attribute_kind_of_the_vocabulary_is_read_from_text(
    store: Store, case_id: str
) -> None:
    """One value typed as text for every attribute of every event type is accepted and
    stored as the case-file reader reads it."""
    samples = {
        "text": "someone",
        "bool": "no",
        "bool_or_text": "by the embassy",
        "number": "7",
        "country": "RU",
        "date": "2023-02-01..2023-02-10",
    }
    who = operator("tester")
    for kind, spec in EVENT_TYPES.items():
        attrs = {
            name: (
                ", ".join(a.values[:2])
                if a.kind == "enum_list"
                else a.values[0]
                if a.kind == "enum"
                else samples[a.kind]
            )
            for name, a in spec.attrs.items()
        }
        ident = editing.save_event(
            store, who, case_id, None, editing.EventInput(kind, "2023-01", attrs=attrs)
        )
        [case] = svc.load_cases(store, case_id)
        assert set(case.event(ident).attrs) == set(spec.attrs), kind


def test_edits_survive_a_later_ingest(store: Store, case_id: str, tmp_path: Path) -> None:
    who = _lawyer(store, case_id)
    editing.save_event(
        store,
        who,
        case_id,
        "e2",
        editing.EventInput("asylum_decision", "2023-05-17", attrs={"outcome": "refused"}),
    )
    person = editing.PersonInput("Ivan Petrovich Ivanov", ("Иван Иванов",), ("RU",), "1990", "KZ")
    editing.save_person(store, who, case_id, person)
    later = """  - {id: e2, type: asylum_decision, outcome: granted, date: 2023-06, source: s2}
"""
    _ingest(store, tmp_path / "second", "Ivan Ivanov", later, source="s2")
    [case] = svc.load_cases(store, case_id)
    assert case.event("e2").date == DateRange.day(date(2023, 5, 17))
    assert case.event("e2").get("outcome") == "refused"
    assert case.event("e2").certainty is None  # a person's event is not made "disputed"
    assert (case.person.name, case.person.aliases) == ("Ivan Petrovich Ivanov", ("Иван Иванов",))
    assert case.person.born == DateRange(date(1990, 1, 1), date(1990, 12, 31))
    assert len(case.sources) == 2  # the new report's evidence is still attached


def test_access_is_decided_by_the_principal(store: Store, case_id: str) -> None:
    _lawyer(store, case_id)
    outsider = _lawyer(store, case_id, team="b")
    viewer = Principal(8, "viewer-a", "viewer", outsider.teams)
    given = editing.EventInput("other", "2023-01-01", attrs={"label": "x"})
    with pytest.raises(NotFound):
        editing.save_event(store, outsider, case_id, None, given)
    with pytest.raises(NotFound):
        editing.delete_event(store, outsider, case_id, "e1")
    with pytest.raises(Forbidden):
        editing.save_event(store, viewer, case_id, None, given)
    with pytest.raises(NotFound):
        editing.set_complete(store, outsider, case_id, True)
    editing.set_complete(store, operator("tester"), case_id, True)
    [case] = svc.load_cases(store, case_id)
    assert case.complete and len(case.events) == 2
