"""Host, origin and person on made-up reports (no real people): the state where the person is
and from which removal happens, the state of citizenship or return, the main person.

Written for session 3 (issue 10, error classes 2 and 6) with sentences of our own, in the
styles the reader meets: news with a dateline, court summaries, NGO statements."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from refuge.ingest.events import DraftCase
from refuge.ingest.events.geo import code_of, find_places
from refuge.ingest.events.people import find_names

Drafter = Callable[..., list[DraftCase]]
NOW = datetime.date(2023, 9, 10)

PLACES = [
    (
        (
            "Aziz Karimov, a citizen of Tajikistan, was detained on April 18 in Nizhny Novgorod "
            "at the request of the Ministry of Internal Affairs of Tajikistan."
        ),
        "Aziz Karimov",
        "RU",
        "TJ",
    ),
    (
        (
            "Aziz Karimov was arrested on April 18 immediately upon arrival in Russia at the "
            "request of Tajikistan."
        ),
        "Aziz Karimov",
        "RU",
        "TJ",
    ),
    (
        (
            "Authorities in Tajikistan have lodged a formal request for Turkey to extradite "
            "opposition politician Aziz Karimov, who was detained in Istanbul on March 19."
        ),
        "Aziz Karimov",
        "TR",
        "TJ",
    ),
    (
        (
            "Aziz Karimov, a Tajik national, was detained in Vilnius on March 3. A Lithuanian "
            "court later ordered his expulsion."
        ),
        "Aziz Karimov",
        "LT",
        "TJ",
    ),
    (
        (
            "Police in Yekaterinburg detained Uzbek blogger Bekzod Rakhimov on May 5. He was "
            "deported to Uzbekistan on May 20, where he was placed in pretrial detention in "
            "Tashkent."
        ),
        "Bekzod Rakhimov",
        "RU",
        "UZ",
    ),
    (
        (
            "Bekzod Rakhimov fled Uzbekistan in 2019 and settled in Germany. In March, German "
            "authorities rejected his asylum claim."
        ),
        "Bekzod Rakhimov",
        "DE",
        "UZ",
    ),
    (
        (
            "Kazakh activist Dana Serikova, who fled to Kyrgyzstan, was detained in Bishkek on "
            "June 2 and handed over to Kazakhstan two days later."
        ),
        "Dana Serikova",
        "KG",
        "KZ",
    ),
    (
        (
            "The Turkmen opposition blogger Merdan Atayev was deported from Turkey to Ashgabat "
            "on 12 May. Upon arrival he was arrested."
        ),
        "Merdan Atayev",
        "TR",
        "TM",
    ),
    (
        (
            "A court in Warsaw on Monday refused to extradite Belarusian journalist Ales Krupko "
            "to Minsk."
        ),
        "Ales Krupko",
        "PL",
        "BY",
    ),
    (
        (
            "Ukrainian border guards detained Russian deserter Pavel Smirnov as he crossed into "
            "Ukraine. He has applied for asylum."
        ),
        "Pavel Smirnov",
        "UA",
        "RU",
    ),
    (
        (
            "Georgian police arrested Russian citizen Ivan Petrov in Batumi on an Interpol "
            "warrant issued by Moscow."
        ),
        "Ivan Petrov",
        "GE",
        "RU",
    ),
    (
        (
            "Tajik opposition activist Rustam Nazarov was abducted in Istanbul and forcibly "
            "returned to Dushanbe, where a court sentenced him to 15 years."
        ),
        "Rustam Nazarov",
        "TR",
        "TJ",
    ),
    (
        (
            "Armenian authorities detained Russian anti-war activist Oleg Volkov at Yerevan "
            "airport on 3 June at Russia's request. He was released two days later."
        ),
        "Oleg Volkov",
        "AM",
        "RU",
    ),
    (
        (
            "Kyrgyz citizen Aibek Toktorov was detained in Antalya by Turkish police on March 3 "
            "and deported to Bishkek."
        ),
        "Aibek Toktorov",
        "TR",
        "KG",
    ),
    (
        (
            "Jamshid Aliev, an Uzbek refugee living in Sweden, was arrested in Stockholm. The "
            "Swedish Migration Agency had refused his asylum application in 2021."
        ),
        "Jamshid Aliev",
        "SE",
        "UZ",
    ),
    (
        (
            "Russia extradited Tajik citizen Firuz Sharipov to Tajikistan on Tuesday despite a "
            "ruling of the European Court of Human Rights."
        ),
        "Firuz Sharipov",
        "RU",
        "TJ",
    ),
    (
        (
            "The Kazakh Interior Ministry said it had detained Uzbek citizen Olim Nazarov in "
            "Almaty on an Uzbek warrant."
        ),
        "Olim Nazarov",
        "KZ",
        "UZ",
    ),
    (
        (
            "Islam Umarov, a Chechen who fled Russia in 2020, was detained in Nice, France on 4 "
            "May. French authorities ordered his expulsion to Russia."
        ),
        "Islam Umarov",
        "FR",
        "RU",
    ),
    (
        (
            "Belarusian activist Siarhei Hurko was detained in Vietnam at the request of Minsk "
            "and extradited to Belarus in September."
        ),
        "Siarhei Hurko",
        "VN",
        "BY",
    ),
    (
        (
            "RFE/RL reported that Uzbek national Sardor Yusupov was detained in Novosibirsk on "
            "May 4. Radio Ozodlik said he faces extradition."
        ),
        "Sardor Yusupov",
        "RU",
        "UZ",
    ),
    (
        (
            "Dilshod Karimov was arrested in Dubai on an Interpol red notice issued by "
            "Tajikistan and handed over to Tajik authorities."
        ),
        "Dilshod Karimov",
        "AE",
        "TJ",
    ),
    (
        (
            "Timur Aliyev, a journalist from Azerbaijan, was detained at Tbilisi airport on May "
            "3 and deported to Baku."
        ),
        "Timur Aliyev",
        "GE",
        "AZ",
    ),
    (
        (
            "Kazakhstan deported Russian journalist Andrei Orlov, who had fled mobilization, to "
            "Russia on November 30."
        ),
        "Andrei Orlov",
        "KZ",
        "RU",
    ),
    (
        (
            "Pakistani blogger Imran Shah was detained in Bangkok on 5 March. Thai immigration "
            "police said he would be deported to Pakistan."
        ),
        "Imran Shah",
        "TH",
        "PK",
    ),
    (
        (
            "KYIV -- Ukraine's Prosecutor-General's Office has decided to extradite Uzbek "
            "citizen Rustam Ergashev to Uzbekistan, human rights groups said on "
            "Tuesday.\n\nErgashev, 34, was detained in Kharkiv in March on an Uzbek warrant. He is "
            "accused in Uzbekistan of membership of a banned religious group. His lawyer, Olena "
            "Kovalenko, said he had applied for refugee status in Ukraine but the migration "
            'service refused it in June.\n\n"If he is returned to Uzbekistan he faces torture," '
            "Kovalenko said."
        ),
        "Rustam Ergashev",
        "UA",
        "UZ",
    ),
    (
        (
            "The applicant, Mr Botir Nazarov, is an Uzbek national who was born in 1975 and "
            "lives in Moscow. On 5 May 2010 he was arrested in Moscow pursuant to an "
            "international search warrant issued by the Uzbek authorities. On 20 July 2010 the "
            "Prosecutor General's Office of the Russian Federation granted the extradition "
            "request. The applicant's appeal was dismissed by the Moscow City Court."
        ),
        "Botir Nazarov",
        "RU",
        "UZ",
    ),
    (
        (
            "TOKYO - A Tajik man who has sought asylum in Japan for six years was detained by "
            "immigration authorities on Monday, his supporters said. Davlat Yusufov, 41, fled "
            "Tajikistan in 2016 after police questioned him over his links to an opposition "
            "party. The Immigration Services Agency rejected his third application in November."
        ),
        "Davlat Yusufov",
        "JP",
        "TJ",
    ),
    (
        (
            "Turkmen activist Dursun Annaev, who lives in Istanbul, was detained by Turkish "
            "police on 3 October and taken to a deportation centre, Turkmen.news reported. "
            "Annaev had criticised the government of Turkmenistan on social media. His relatives "
            "in Ashgabat were summoned by the police."
        ),
        "Dursun Annaev",
        "TR",
        "TM",
    ),
    (
        (
            "Almaty, Kazakhstan - A Kazakh court on Thursday sentenced Chinese-born ethnic "
            "Kazakh Serikzhan Zhakypov to a suspended term for illegally crossing the border "
            "from China, but refused to deport him. Zhakypov, who fled a camp in Xinjiang, had "
            "asked for asylum in Kazakhstan."
        ),
        "Serikzhan Zhakypov",
        "KZ",
        "CN",
    ),
    (
        (
            "Police in Moscow detained Tajik migrant Sulaymon Davlatov on June 2. A district "
            "court ordered his expulsion from Russia, and he was deported to Dushanbe on June "
            "20, where he was immediately detained by the State Committee for National Security."
        ),
        "Sulaymon Davlatov",
        "RU",
        "TJ",
    ),
    (
        (
            "Lithuania has refused to extradite Belarusian opposition activist Natallia Hershe "
            "to Minsk. Hershe, who holds Swiss citizenship, was detained at Vilnius airport in "
            "August at the request of Belarus, which accuses her of assaulting a police officer."
        ),
        "Natallia Hershe",
        "LT",
        "BY",
    ),
    (
        (
            "A Russian man who fled mobilisation was handed over to Russian border guards by "
            "Kazakh authorities on Saturday, his lawyer said. Anton Zhukov, 27, had crossed into "
            "Kazakhstan in September 2022. He was detained in Astana in January on a Russian "
            "warrant for desertion."
        ),
        "Anton Zhukov",
        "KZ",
        "RU",
    ),
    (
        "Aziz Karimov was arrested in Dushanbe after being deported from Russia on May 3.",
        "Aziz Karimov",
        "RU",
        "TJ",
    ),
    (
        (
            "Tajik opposition activist Sharof Gafurov went missing in Moscow on February 5. Ten "
            "days later he turned up in a detention centre of the State Committee for National "
            "Security in Dushanbe."
        ),
        "Sharof Gafurov",
        "RU",
        "TJ",
    ),
    (
        (
            "The Ukrainian migration service refused to grant refugee status to Uzbek citizen "
            "Anvar Yuldashev on March 3."
        ),
        "Anvar Yuldashev",
        "UA",
        "UZ",
    ),
    (
        (
            "Turkish immigration officers detained Uzbek blogger Nodir Ahmedov on 2 May and "
            "placed him in a removal centre."
        ),
        "Nodir Ahmedov",
        "TR",
        "UZ",
    ),
    (
        (
            "Russia's Supreme Court on Tuesday upheld a ruling to extradite Uzbek citizen Jasur "
            "Nematov, his lawyer said."
        ),
        "Jasur Nematov",
        "RU",
        "UZ",
    ),
    (
        (
            "Moscow's Basmanny District Court ordered the expulsion of Tajik citizen Komil "
            "Saidov on 4 April."
        ),
        "Komil Saidov",
        "RU",
        "TJ",
    ),
    (
        "Police in Istanbul detained Olim Rasulov, a 35-year-old Uzbek, on 3 May.",
        "Olim Rasulov",
        "TR",
        "UZ",
    ),
    (
        "Olim Rasulov, a blogger from Tajikistan, was detained in Istanbul on 3 May.",
        "Olim Rasulov",
        "TR",
        "TJ",
    ),
    (
        "Olim Rasulov, who hails from Uzbekistan, was detained in Istanbul on 3 May.",
        "Olim Rasulov",
        "TR",
        "UZ",
    ),
]


@pytest.mark.parametrize(("text", "person", "host", "origin"), PLACES)
def test_host_origin_and_person(
    draft: Drafter, text: str, person: str, host: str, origin: str
) -> None:
    drafts = draft(text, NOW)
    assert drafts, "no case drafted"
    case = drafts[0].case
    assert (case.person.name, case.host, case.origin) == (person, host, origin)


def test_a_place_of_several_words_is_a_place_and_no_name() -> None:
    text = "He was detained in Nizhny Novgorod and flown to Rostov-on-Don."
    assert [p.code for p in find_places(text)] == ["RU", "RU"]
    assert find_names(text, 0, len(text)) == []


def test_a_country_before_a_name_is_dropped_a_city_before_a_court_keeps_no_name() -> None:
    text = "a citizen of Kyrgyzstan Esen Temirov. The Istanbul Heavy Criminal Court ruled."
    assert [n.person for n in find_names(text, 0, len(text))] == ["Esen Temirov"]


def test_names_with_diacritics_are_names() -> None:
    text = "Police detained Gülşen Yıldırım and Łukasz Wójcik on Monday."
    assert [n.person for n in find_names(text, 0, len(text))] == [
        "Gülşen Yıldırım",
        "Łukasz Wójcik",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the UN Working Group on Enforced or Involuntary Disappearances said",
        "the Committee to Protect Journalists said",
        "made jeans for Levi Strauss and Company, fired workers",
        "the factory of Ozak Tekstil fired workers",
        "journalists of Açık Radyo were detained",
    ],
)
def test_organisations_companies_and_outlets_are_no_names(text: str) -> None:
    assert find_names(text, 0, len(text)) == []


def test_a_heading_wrapped_onto_two_lines_is_no_name() -> None:
    text = (
        "The report ended here.\n"
        "c. War Crimes, Crimes against Humanity, and Evidence of\n"
        "Acts that May Constitute Genocide, or Conflict-Related\n"
        "Abuses\n"
    )
    assert find_names(text.replace("\n", " "), 0, len(text), text) == []


def test_a_title_before_a_name_marks_no_candidate() -> None:
    text = "a meeting with German Chancellor Karl Baumann on Monday"
    names = find_names(text, 0, len(text))
    assert [(n.person, n.role_excluded) for n in names] == [("Karl Baumann", True)]


def test_the_gazetteer_names_the_report_folders() -> None:
    folders = ["kyrgyzstan", "turkey", "belarus", "azerbaijan", "uzbekistan", "tajikistan"]
    assert [code_of(f) for f in folders] == ["KG", "TR", "BY", "AZ", "UZ", "TJ"]


def test_the_dateline_and_where_the_person_lives_give_a_host_no_step_names(
    draft: Drafter,
) -> None:
    case = draft(
        "ISTANBUL -- Turkmen migrant Serdar Gurbanov was arrested last week. He had "
        "criticised the Turkmen government online, his friends said.",
        NOW,
    )[0].case
    assert (case.host, case.origin) == ("TR", "TM")
    assert "host-uncertain" in case.tags  # read from the dateline, not from the arrest


def test_a_host_read_from_the_steps_is_not_marked_uncertain(draft: Drafter) -> None:
    case = draft(
        "Kyrgyz citizen Aibek Toktorov was detained in Antalya by Turkish police on March 3 "
        "and deported to Bishkek.",
        NOW,
    )[0].case
    assert (case.host, case.origin) == ("TR", "KG")
    assert "host-uncertain" not in case.tags and "origin-uncertain" not in case.tags


def test_a_report_that_names_no_state_says_so(draft: Drafter) -> None:
    case = draft("Aziz Karimov was detained on May 3 and released on May 5.", NOW)[0].case
    assert case.host == "XX"
    assert {"host-uncertain", "origin-uncertain"} <= set(case.tags)


def test_a_dateline_in_the_persons_own_state_is_no_host(draft: Drafter) -> None:
    case = draft(
        "DUSHANBE -- Tajik opposition activist Rustam Karimov was arrested last week, his "
        "relatives said.",
        NOW,
    )[0].case
    assert (case.host, case.origin) == ("XX", "TJ")
    assert "host-uncertain" in case.tags


def test_an_annual_report_keeps_a_person_whose_removal_it_does_not_date() -> None:
    from refuge.domain import DateRange
    from refuge.services.analysis import analyze_report

    text = (
        "Country Report\n\nAziz Karimov and Bahrom Nazarov, members of a banned group, "
        "disappeared abroad earlier in the year. Officials later said they had been brought "
        "from Turkey to the country.\n"
    )
    result = analyze_report(
        text.encode(), name="2024.txt", published=DateRange.parse_shorthand("2024"), host="TJ"
    )
    undated = [c for c in result.cases if "undated-steps" in c.tags]
    assert sorted(c.person.name for c in undated) == ["Aziz Karimov", "Bahrom Nazarov"]
    assert all(c.events == () and (c.host, c.origin) == ("TR", "TJ") for c in undated)


def test_the_same_report_with_a_day_dates_the_step_and_needs_no_tag() -> None:
    from refuge.services.analysis import analyze_report

    text = (
        "Aziz Karimov and Bahrom Nazarov were brought from Turkey to Tajikistan, the "
        "prosecutor said.\n"
    )
    result = analyze_report(text.encode(), name="a.txt", published=NOW)
    assert result.cases and all("undated-steps" not in c.tags for c in result.cases)
    assert all(c.events for c in result.cases)


@pytest.mark.parametrize("text", ["the German broadcaster Deutsche Welle reported", "Trade Unions"])
def test_outlets_and_plural_organisations_are_no_names(text: str) -> None:
    assert find_names(text, 0, len(text)) == []


def test_in_a_report_on_many_people_a_step_of_nobody_named_is_nobodys(draft: Drafter) -> None:
    names = [
        "Aziz Karimov",
        "Bahrom Nazarov",
        "Dilshod Aliev",
        "Farrukh Saidov",
        "Gulnora Rahimova",
        "Jamshid Tursunov",
        "Komil Yusupov",
        "Murod Ergashev",
    ]
    praise = " ".join(f"Activist {n} spoke at a conference in Vienna." for n in names)
    text = f"{praise} Authorities detained thousands of protesters on May 3."
    assert draft(text, NOW) == []
    one_story = "Activist Aziz Karimov spoke in Vienna. Police detained the activist on May 3."
    assert [d.case.person.name for d in draft(one_story, NOW)] == ["Aziz Karimov"]
