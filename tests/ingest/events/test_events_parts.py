"""The parts of the extractor: sentences, people, dates and the narrative bounds."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from refuge.casefile import dump_yaml, parse_case
from refuge.domain import DateRange
from refuge.ingest.events import DraftCase
from refuge.ingest.events.geo import find_places
from refuge.ingest.events.people import born_from_age, citizenship_in, find_names
from refuge.ingest.events.sentences import split_sentences

Drafter = Callable[..., list[DraftCase]]
D = datetime.date


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = "Zhilin on Sept. 26 requested asylum. The U.S. embassy said\nnothing.  He left."
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "Zhilin on Sept. 26 requested asylum.",
        "The U.S. embassy said\nnothing.",
        "He left.",
    ]


def test_fronted_subordinate_is_its_own_clause() -> None:
    text = "After a court upheld the order on Wednesday, his wife said it was rushed."
    (sentence,) = split_sentences(text)
    assert [text[c.start : c.end] for c in sentence.clauses] == [
        "After a court upheld the order on Wednesday, ",
        "his wife said it was rushed.",
    ]


def test_names_exclude_places_titles_and_speakers() -> None:
    text = (
        "Former presidential guard Mikhail Zhilin's wife Yekaterina Zhilina told Novaya Gazeta "
        "that Zhilin was in Kazakhstan, prominent activist Yevgeny Zhovtis said."
    )
    names = find_names(text, 0, len(text))
    people = {n.person: n.role_excluded for n in names}
    assert people["Mikhail Zhilin"] is False
    assert people["Yekaterina Zhilina"] is True  # a relative, and the speaker
    assert people["Yevgeny Zhovtis"] is True  # "activist ... said"
    assert "Kazakhstan" not in " ".join(people)
    surname = [n for n in names if text[n.start : n.end] == "Zhilin"]
    assert surname and surname[0].person == "Mikhail Zhilin"


def test_age_gives_a_one_year_interval_of_birth() -> None:
    earliest, latest, _ = born_from_age(36, D(2022, 12, 30))
    assert (earliest, latest) == (D(1985, 12, 31), D(1986, 12, 30))
    earliest, latest, _ = born_from_age(30, D(2024, 2, 29))
    assert (earliest, latest) == (D(1993, 3, 1), D(1994, 2, 28))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("a Russian citizen who fled", ["RU"]),
        ("an Uzbek national", ["UZ"]),
        ("all ethnic Karakalpak citizens of Uzbekistan", ["UZ"]),
        ("a native of Tyumen, Russia, in Astana", ["RU"]),
        ("a self-exiled Azerbaijani journalist", ["AZ"]),
        ("Turkish police detained journalist Yusuf Kaya", []),
        ("Kazakh authorities refused his claim", []),
    ],
)
def test_citizenship_phrases(text: str, codes: list[str]) -> None:
    assert citizenship_in(text, 0, len(text)) == codes


def test_places_resolve_cities_and_skip_organisations() -> None:
    text = "deported from Moscow to Ashgabat, said the Turkmenistan Helsinki Foundation"
    assert [(p.code, p.kind) for p in find_places(text)] == [("RU", "city"), ("TM", "city")]


def test_reporting_date_bounds_the_event_from_above(draft: Drafter) -> None:
    text = (
        "A Russian court ordered the deportation of Ivan Petrov to Turkmenistan on May 19. "
        "On August 31, a rights group reported that Ivan Petrov was deported to Turkmenistan."
    )
    (drafted, *_) = draft(
        text, D(2023, 12, 31), report_date=DateRange(D(2023, 1, 1), D(2023, 12, 31))
    )
    removal = next(e for e in drafted.case.events if e.type == "removal")
    assert (removal.date.earliest, removal.date.latest) == (D(2023, 5, 19), D(2023, 8, 31))
    assert removal.date.text is not None and "not dated" in removal.date.text


def test_undated_events_dropped_when_the_report_has_no_day(draft: Drafter) -> None:
    text = (
        "Ivan Petrov, wanted in Tajikistan on charges of extremism, was detained in Bishkek "
        "on March 3. Rights groups said he faces torture."
    )
    year = DateRange(D(2023, 1, 1), D(2023, 12, 31))
    (coarse, *_) = draft(text, D(2023, 12, 31), report_date=year)
    assert [e.type for e in coarse.case.events] == ["detention"]
    (news, *_) = draft(text, D(2023, 3, 10))
    kinds = {e.type for e in news.case.events}
    assert {"detention", "charge", "risk_allegation"} <= kinds
    for event in news.case.events:
        if event.type != "detention":
            assert event.date.latest == D(2023, 3, 10) and not event.date.exact


def test_participial_after_shares_the_date_and_is_ordered(draft: Drafter) -> None:
    text = (
        "Ivan Petrov on March 2 requested asylum in Kazakhstan after being detained by "
        "border guards for crossing into Kazakhstan illegally."
    )
    (drafted, *_) = draft(text, D(2023, 3, 10))
    events = {e.type: e for e in drafted.case.events}
    assert {"asylum_application", "detention", "entry"} <= set(events)
    for kind in ("asylum_application", "detention", "entry"):
        assert events[kind].date == DateRange(D(2023, 3, 2), D(2023, 3, 2), "March 2")
    detention, application = events["detention"], events["asylum_application"]
    assert detention.sequence is not None and application.sequence is not None
    assert detention.sequence < application.sequence
    assert events["entry"].get("irregular") is True


def test_fronted_date_covers_a_coordinated_clause(draft: Drafter) -> None:
    text = (
        "Turkish police detained Yusuf Kaya on August 2. On August 30, an Istanbul court "
        "annulled the deportation order and he was released."
    )
    (drafted, *_) = draft(text, D(2024, 12, 31))
    release = next(e for e in drafted.case.events if e.type == "release")
    assert release.date.earliest == release.date.latest == D(2024, 8, 30)
    ruling = next(e for e in drafted.case.events if e.type == "appeal_decision")
    assert ruling.get("outcome") == "quashed"


def test_sentences_in_the_origin_state_are_other_events(draft: Drafter) -> None:
    text = (
        "On July 21, Belarusian authorities extradited Ivan Petrov to Tajikistan. "
        "In September, a Dushanbe court sentenced him to 12 years in prison."
    )
    (drafted, *_) = draft(text, D(2023, 12, 31))
    kinds = [e.type for e in drafted.case.events]
    assert kinds == ["removal", "other"]
    assert drafted.case.events[1].get("label") == "sentenced in the origin state"


def test_every_draft_round_trips_and_quotes_point_into_the_text(draft: Drafter) -> None:
    text = (
        "Kazakhstan has deported Ivan Petrov, 41, a Russian citizen, to Russia, media "
        "reported on Friday. A court upheld his expulsion on Wednesday."
    )
    drafts = draft(text, D(2023, 3, 10))
    assert drafts
    for drafted in drafts:
        assert parse_case(dump_yaml(drafted.case)) == drafted.case
        for event in drafted.case.events:
            assert event.review == "draft"
            for evidence in event.evidence:
                assert evidence.quote and evidence.start is not None
    assert drafts[0].case.person.born == DateRange(
        D(1981, 3, 11), D(1982, 3, 10), "41 on 2023-03-10"
    )


def test_aliases_after_a_name(draft: Drafter) -> None:
    text = (
        "Turkish authorities arrested blogger Farkhad Meimankuliev, better known as Durdyev, "
        "on May 18 and deported him to Turkmenistan on May 20."
    )
    (drafted, *_) = draft(text, D(2023, 12, 31))
    assert drafted.case.person.name == "Farkhad Meimankuliev"
    assert drafted.case.person.aliases == ("Durdyev",)
    removal = next(e for e in drafted.case.events if e.type == "removal")
    assert removal.date.earliest == removal.date.latest == D(2023, 5, 20)  # "May" is no modal
    assert (drafted.case.host, drafted.case.origin) == ("TR", "TM")


def test_news_report_with_lawyer_and_quoted_risk(draft: Drafter) -> None:
    text = (
        "Kyrgyz authorities on Tuesday extradited Tajik opposition activist Sukhrob Zafar to "
        "Tajikistan, his relatives said.\n\n"
        "Zafar, 45, had been living in Bishkek since 2015 and was detained on May 3 at the "
        "request of Tajik authorities. A Bishkek court approved his extradition on May 30.\n\n"
        'His lawyer, Nurbek Toktakunov, said they had appealed the decision. "He will be '
        'tortured," Toktakunov told RFE/RL. Zafar faces up to 20 years in prison if convicted.'
    )
    (drafted, *others) = draft(text, D(2023, 6, 9))
    assert not others  # the lawyer is no case
    case = drafted.case
    assert (case.person.name, case.host, case.origin) == ("Sukhrob Zafar", "KG", "TJ")
    kinds = [e.type for e in case.events]
    assert kinds == [
        "entry",
        "risk_allegation",
        "detention",
        "extradition_decision",
        "appeal_lodged",
        "removal",
    ]
    events = {e.type: e for e in case.events}
    assert events["removal"].date.earliest == D(2023, 6, 6)  # "on Tuesday"
    assert events["appeal_lodged"].get("against") == "extradition_decision"
    assert events["risk_allegation"].get("by") == "Toktakunov"
    assert "conviction" not in kinds  # "if convicted"


def test_a_language_without_lexicon_gives_no_draft() -> None:
    from refuge.ingest.article import Article
    from refuge.ingest.events import draft_cases
    from refuge.ingest.events.lexicon import ENGLISH, lexicon_for

    assert lexicon_for(None) is ENGLISH and lexicon_for("en-GB") is ENGLISH
    assert lexicon_for("ru") is None
    text = "Казахстан депортировал Михаила Жилина в Россию 28 декабря."
    article = Article(text, "text", None, None, None, D(2022, 12, 30), "option", "ru", 0)
    assert draft_cases(article, []) == []


def test_drafts_from_news_are_never_complete(draft: Drafter) -> None:
    text = (
        "A Russian court ordered the deportation of Ivan Petrov to Turkmenistan on May 19. "
        "On August 31, a rights group reported that Ivan Petrov was deported to Turkmenistan."
    )
    drafted = draft(text, D(2023, 12, 31))
    assert drafted
    for d in drafted:
        assert d.case.complete is False
        assert "complete" not in dump_yaml(d.case)
