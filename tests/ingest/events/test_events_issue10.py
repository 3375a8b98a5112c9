"""The error classes of issue 10, one test each, on short made-up reports (no real people)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from refuge.domain import Case
from refuge.ingest.events import DraftCase

Drafter = Callable[..., list[DraftCase]]

D = datetime.date
NOW = D(2023, 6, 30)


def one(draft: Drafter, text: str) -> Case:
    drafts = draft(text, NOW)
    assert drafts, "no case drafted"
    return drafts[0].case


def kinds(case: Case) -> list[tuple[str, str]]:
    return [(e.type, str(e.date)) for e in case.events]


def test_passive_and_idiomatic_removals(draft: Drafter) -> None:
    flown = one(
        draft,
        "Aziz Karimov was detained in Moscow on March 3. On March 10 he was flown to Tashkent.",
    )
    assert ("removal", "2023-03-10") in kinds(flown)
    plane = one(
        draft,
        "Police detained Aziz Karimov in Istanbul on May 2 and put him on a plane to Tashkent "
        "on May 9.",
    )
    assert ("removal", "2023-05-09") in kinds(plane) and plane.host == "TR"
    handed = one(
        draft, "On June 27, Kyrgyz security officers handed Aziz Karimov over to Kazakh officials."
    )
    removal = handed.events[0]
    assert removal.type == "removal" and removal.get("via") == "handover"
    assert (handed.host, handed.origin) == ("KG", "KZ")


def test_a_court_suspending_a_removal_and_interim_measures(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was detained in Istanbul on March 19. On March 23 the Constitutional Court "
        "suspended his deportation. On March 25 the European Court of Human Rights applied "
        "Rule 39.",
    )
    ruling = next(e for e in case.events if e.type == "appeal_decision")
    assert ruling.get("outcome") == "suspended" and str(ruling.date) == "2023-03-23"
    assert [e.type for e in case.events if e.type.startswith("interim")] == ["interim_measures"]


def test_an_asylum_claim_in_a_subordinate_clause(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov, who had applied for asylum in Russia in 2021, was detained in Moscow on "
        "March 2.",
    )
    assert [e.type for e in case.events] == ["asylum_application", "detention"]
    assert case.host == "RU"


def test_custody_in_the_origin_after_a_removal_is_no_host_detention(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was deported from Russia to Uzbekistan on May 5. Upon arrival in Tashkent he "
        "was arrested by the security service.",
    )
    # ANNOTATION.md: custody in the origin after a removal is kept as ``other``, never as a
    # host detention
    assert [e.type for e in case.events] == ["removal", "other"]
    assert case.events[1].attrs["label"] == "detained in the origin after return"
    assert (case.host, case.origin) == ("RU", "UZ")


def test_ordered_and_other_peoples_steps_are_not_drafted_as_happened(draft: Drafter) -> None:
    ordered = one(
        draft,
        "Aziz Karimov was detained in Almaty on May 2. On May 20 the court ordered that he be "
        "deported next month.",
    )
    assert kinds(ordered) == [("detention", "2023-05-02"), ("expulsion_order", "2023-05-20")]
    brother = one(
        draft,
        "Aziz Karimov was detained in Almaty on May 2. His brother Bobur Karimov was deported to "
        "Uzbekistan in 2019.",
    )
    assert [e.type for e in brother.events] == ["detention"]


def test_relative_dates_follow_the_narrative(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was detained in Almaty on May 2, 2023. He was deported to Uzbekistan the "
        "following day.",
    )
    assert kinds(case) == [("detention", "2023-05-02"), ("removal", "2023-05-03")]
    month = one(
        draft,
        "On March 3, 2023, Aziz Karimov arrived in Kazakhstan. He was detained later that month.",
    )
    detention = next(e for e in month.events if e.type == "detention")
    assert (detention.date.earliest, detention.date.latest) == (D(2023, 3, 1), D(2023, 3, 31))


def test_asylum_seeker_status_is_registration_not_a_grant(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was registered as an asylum seeker in Kazakhstan on June 1. He was granted "
        "asylum-seeker status until December.",
    )
    assert {e.type for e in case.events} == {"asylum_registration"}
    assert case.host == "KZ"
    assert all(e.date.earliest >= D(2023, 6, 1) for e in case.events)  # "until" is no date


def test_an_arrest_on_an_extradition_request_is_a_detention_too(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was arrested in Bishkek on May 3 in connection with an extradition request "
        "from Uzbekistan.",
    )
    detention = next(e for e in case.events if e.type == "detention")
    assert detention.get("grounds") == "extradition" and str(detention.date) == "2023-05-03"
    assert "extradition_request" in [e.type for e in case.events]


def test_headings_and_organisations_are_not_people(draft: Drafter) -> None:
    text = (
        "Arbitrary Arrest\n"
        "On May 3, Media Freedom Rapid Response reported that police detained journalist "
        "Aziz Karimov, who was deported to Uzbekistan on May 9. The Antitorture Coalition "
        "was detained in April.\n"
    )
    names = {d.case.person.name for d in draft(text, NOW)}
    assert names == {"Aziz Karimov"}


def test_a_sentence_after_the_removal_is_the_origins(draft: Drafter) -> None:
    case = one(
        draft,
        "On February 5, Russia extradited Aziz Karimov to Kyrgyzstan. In August, the Supreme "
        "Court rejected his appeal and sentenced him to 42 months in prison.",
    )
    assert "conviction" not in [e.type for e in case.events]
    assert (case.host, case.origin) == ("RU", "KG")


def test_a_refusal_says_there_was_an_application(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was detained in Almaty on May 2. Kazakhstan has denied his request for "
        "refugee status.",
    )
    assert {"asylum_application", "asylum_decision"} <= {e.type for e in case.events}


def test_red_notice_and_an_ended_detention(draft: Drafter) -> None:
    case = one(
        draft,
        "Aziz Karimov was put on Interpol's Red Notice by the Russian authorities on December "
        "23, 2022 on charges of murder committed ten years ago. He was detained in Kyiv on "
        "January 15. The prosecutor terminated on January 26 the pre-trial detention of Aziz "
        "Karimov.",
    )
    assert kinds(case) == [
        ("charge", "2022-12-23"),
        ("detention", "2023-01-15"),
        ("release", "2023-01-26"),
    ]
