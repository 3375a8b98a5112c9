"""Issue 10, second round: rules written to generalise (made-up reports, no real people)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from refuge.domain import Case
from refuge.ingest.events import DraftCase

Drafter = Callable[..., list[DraftCase]]

NOW = datetime.date(2023, 9, 10)


def one(draft: Drafter, text: str) -> Case:
    drafts = draft(text, NOW)
    assert drafts, "no case drafted"
    return drafts[0].case


def types(case: Case) -> list[str]:
    return [e.type for e in case.events]


def test_a_disappearance_is_kept_as_other(draft: Drafter) -> None:
    case = one(
        draft,
        "Police detained Aziz Karimov in Moscow on September 1. His whereabouts are unknown.",
    )
    assert types(case) == ["detention", "other"]
    assert case.events[1].attrs["label"] == "disappearance or whereabouts unknown"


def test_asylum_granted_by_a_third_state_is_a_status_grant(draft: Drafter) -> None:
    case = one(
        draft,
        "Belarusian authorities detained Aziz Karimov in Minsk on March 3 at Tajikistan's "
        "request. The German authorities had granted him asylum in 2019.",
    )
    assert case.host == "BY" and case.origin == "TJ"
    grant = next(e for e in case.events if e.type == "status_grant")
    assert grant.attrs["by"] == "DE"
    assert "asylum_decision" not in types(case)


def test_the_deporting_state_is_the_host_and_custody_there_after_is_other(
    draft: Drafter,
) -> None:
    case = one(
        draft,
        "Aziz Karimov was taken into custody in Dushanbe on March 7 after being deported by "
        "Germany.",
    )
    assert (case.host, case.origin) == ("DE", "TJ")
    assert "detention" not in types(case) and "other" in types(case)


def test_urging_a_court_to_halt_a_removal_is_no_ruling(draft: Drafter) -> None:
    case = one(
        draft,
        "Police detained Aziz Karimov in Almaty on May 2. His lawyers called on the court to "
        "halt the deportation.",
    )
    assert types(case) == ["detention"]


def test_an_extradition_ordered_is_a_decision_not_a_removal(draft: Drafter) -> None:
    case = one(
        draft,
        "A Russian court has ordered Aziz Karimov extradited to Minsk. He was detained in "
        "Moscow on April 2.",
    )
    assert "removal" not in types(case)
    assert "extradition_decision" in types(case)


def test_a_month_told_as_past_is_not_after_the_report(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov fled to Russia in mid-October. Russian border guards detained him in "
        "Belgorod in April this year.",
    )
    entry = next(e for e in case.events if e.type == "entry")
    assert entry.date.earliest.year == 2022
    assert "detention" in types(case)


def test_refused_entry_is_other_and_the_main_clause_negation_stays_there(draft: Drafter) -> None:
    refused = one(
        draft,
        "On August 2 Turkish authorities did not allow the journalist, Aziz Karimov, to enter "
        "Turkey.",
    )
    assert types(refused) == ["other"]
    assert refused.events[0].attrs["label"] == "refused entry"


def test_an_extradition_sought_is_a_request(draft: Drafter) -> None:
    case = one(
        draft,
        "Police detained Aziz Karimov in Bishkek on August 9. While Uzbekistan confirmed that it "
        "was seeking Karimov's extradition, it has not specified the charges.",
    )
    assert "extradition_request" in types(case)


def test_crossing_the_border_into_the_host_is_an_entry_and_a_charge_stays_a_charge(
    draft: Drafter,
) -> None:
    case = one(
        draft,
        "Aziz Karimov was put on the international wanted list on December 23, 2022 at "
        "Russia's request. He was detained on January 15 immediately after crossing the border "
        "into Ukraine.",
    )
    assert "entry" in types(case) and "charge" in types(case)
    assert case.origin == "RU"
