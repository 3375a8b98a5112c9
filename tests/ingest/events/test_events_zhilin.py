"""The founding article must come out right: Mikhail Zhilin, Kazakhstan → Russia, 2022."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from refuge.casefile import dump_yaml, parse_case
from refuge.domain import Case, Event
from refuge.ingest.article import read_article
from refuge.ingest.events import DraftCase, draft_cases
from refuge.ingest.temporal import find_timexes

# The founding article, in the repository (examples/), so these tests never skip.
SEED = Path(__file__).resolve().parents[3] / "examples" / "zhilin-moscow-times-2022-12-30.txt"
D = datetime.date


@pytest.fixture(scope="module")
def drafts() -> list[DraftCase]:
    article = read_article(SEED.read_bytes(), name=SEED.name)
    return draft_cases(article, find_timexes(article.text, article.published))


@pytest.fixture(scope="module")
def case(drafts: list[DraftCase]) -> Case:
    return drafts[0].case


def only(case: Case, kind: str) -> Event:
    found = [e for e in case.events if e.type == kind]
    assert len(found) == 1, f"{kind}: {[(e.id, str(e.date)) for e in found]}"
    return found[0]


def test_person_host_origin(case: Case) -> None:
    assert case.person.name == "Mikhail Zhilin"
    assert case.person.citizenship == ("RU",)
    assert case.person.born is not None
    assert (case.person.born.earliest, case.person.born.latest) == (
        D(1985, 12, 31),
        D(1986, 12, 30),
    )
    assert (case.host, case.origin) == ("KZ", "RU")
    assert "mobilization" in case.tags


def test_source(case: Case) -> None:
    (source,) = case.sources
    assert source.id == "the-moscow-times-2022-12-30"
    assert source.published is not None and source.published.earliest == D(2022, 12, 30)


def test_border_detention_and_asylum_request_on_sept_26(case: Case) -> None:
    detention = only(case, "detention")
    assert detention.get("by") == "border guards" and detention.get("grounds") == "border"
    application = only(case, "asylum_application")
    entry = only(case, "entry")
    assert entry.get("irregular") is True
    for event in (detention, application, entry):
        assert (event.date.earliest, event.date.latest) == (D(2022, 9, 26), D(2022, 9, 26))
    assert entry.sequence is not None and detention.sequence is not None
    assert application.sequence is not None
    assert entry.sequence < detention.sequence < application.sequence


def test_charge(case: Case) -> None:
    charge = only(case, "charge")
    assert charge.get("by") == "RU"
    assert charge.get("offence") == "desertion"
    assert charge.get("max_penalty_years") == 15


def test_refusal_in_late_november(case: Case) -> None:
    refusal = only(case, "asylum_decision")
    assert refusal.get("outcome") == "refused"
    assert (refusal.date.earliest, refusal.date.latest) == (D(2022, 11, 21), D(2022, 11, 30))
    assert refusal.date.text == "late November"


def test_appeal_lodged_between_refusal_and_report(case: Case) -> None:
    lodged = only(case, "appeal_lodged")
    assert lodged.get("against") == "asylum_decision"
    assert lodged.date.earliest >= D(2022, 11, 21)
    assert lodged.date.latest <= D(2022, 12, 30)
    assert not lodged.date.exact


def test_appeal_upheld_on_wednesday(case: Case) -> None:
    ruling = only(case, "appeal_decision")
    assert ruling.get("against") in ("expulsion_order", "conviction")
    assert ruling.get("outcome") == "upheld"
    assert (ruling.date.earliest, ruling.date.latest) == (D(2022, 12, 28), D(2022, 12, 28))
    order = only(case, "expulsion_order")
    assert order.date.latest <= D(2022, 12, 28)


def test_removal_between_ruling_and_report(case: Case) -> None:
    removal = only(case, "removal")
    assert removal.get("to") == "RU"
    assert removal.get("via") in ("handover", "deportation")
    assert (removal.date.earliest, removal.date.latest) == (D(2022, 12, 28), D(2022, 12, 30))
    ruling = only(case, "appeal_decision")
    assert ruling.sequence is not None and removal.sequence is not None
    assert ruling.sequence < removal.sequence


def test_torture_risk_alleged_by_family(case: Case) -> None:
    risk = only(case, "risk_allegation")
    assert risk.get("harm") == "torture"
    assert "family" in str(risk.get("by"))


def test_no_event_from_the_pledge_or_the_resignation(case: Case) -> None:
    for event in case.events:
        for evidence in event.evidence:
            assert evidence.quote is not None
            assert "pledged" not in evidence.quote
            assert "resign" not in evidence.quote or event.type == "other"
    assert [e.type for e in case.events].count("removal") == 1
    assert "extradition_decision" not in {e.type for e in case.events}


def test_evidence_offsets_and_round_trip(drafts: list[DraftCase]) -> None:
    text = read_article(SEED.read_bytes(), name=SEED.name).text
    for draft in drafts:
        for event in draft.case.events:
            assert event.review == "draft"
            assert event.evidence, event.id
            for evidence in event.evidence:
                assert evidence.start is not None and evidence.end is not None
                assert text[evidence.start : evidence.end] == evidence.quote
            assert draft.triggers[event.id]
        assert parse_case(dump_yaml(draft.case)) == draft.case
        assert 0.0 <= draft.confidence <= 1.0
