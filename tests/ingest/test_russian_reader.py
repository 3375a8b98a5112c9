"""The Russian reader on short reports written for these tests: names in the nominative with
Latin aliases, states in every case, the event lexicon, negation and modality, dates relative to
the report, quotes in «ёлочки» and „лапки“ with their speakers."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from refuge.domain import Case
from refuge.ingest.russian.names import find_names, transliterate
from refuge.ingest.russian.states import find_states
from refuge.services.analysis import Analysis, analyze_report

REPORT = """Казахстан выдворил в Россию активиста

16 октября 2023 года

Активиста Михаила Жилина задержали в Алматы в среду по запросу России. «Я не вернусь в Россию, \
там меня ждут пытки», — сказал Жилин журналистам. Его адвокат Мурат Адам заявил: „Решение суда \
незаконно, мы его обжалуем“.
В прошлом месяце миграционная служба отказала Жилину в статусе беженца. Суд оставил решение \
без удовлетворения в конце сентября.
"""


def _read(text: str, published: datetime.date | None = None) -> Analysis:
    return analyze_report(text.encode(), name="report.txt", published=published)


def _main(text: str, published: datetime.date | None = None) -> Case:
    result = _read(text, published)
    assert result.cases, "no case drafted"
    return result.cases[0]


def test_the_person_state_and_steps() -> None:
    case = _main(REPORT)
    assert case.person.name == "Михаил Жилин"
    assert "Mikhail Zhilin" in case.person.aliases
    assert (case.host, case.origin) == ("KZ", "RU")
    by_type = {e.type: e for e in case.events}
    assert by_type["detention"].date.earliest == datetime.date(2023, 10, 11)  # the Wednesday
    assert by_type["asylum_decision"].attrs["outcome"] == "refused"
    assert by_type["asylum_decision"].date.earliest == datetime.date(2023, 9, 1)  # last month
    assert by_type["removal"].attrs == {"via": "deportation", "to": "RU"}
    assert "extradition_request" in by_type
    for event in case.events:
        for e in event.evidence:
            assert e.start is not None and REPORT[e.start : e.end] == e.quote


def test_quotes_and_speakers() -> None:
    quotes = _read(REPORT).quotes
    said = {q.speaker: q.text for q in quotes}
    assert said["Михаил Жилин"] == "Я не вернусь в Россию, там меня ждут пытки"
    assert said["Мурат Адам"] == "Решение суда незаконно, мы его обжалуем"


@pytest.mark.parametrize(
    "sentence",
    [
        "Активист Иван Петров не был задержан в Казахстане 3 марта 2023 года.",
        "Активисту Ивану Петрову грозит экстрадиция из Казахстана в Россию.",
        "Прокуратура Казахстана планирует выдать Ивана Петрова России в апреле 2023 года.",
        "Ивана Петрова могут депортировать из Казахстана в Россию.",
    ],
)
def test_denied_planned_and_feared_steps_are_not_drafted(sentence: str) -> None:
    result = _read("Новости\n\n" + sentence + "\n", datetime.date(2023, 3, 20))
    types = {e.type for c in result.cases for e in c.events}
    assert not types & {"detention", "removal", "extradition_decision"}


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Ивана Петрова экстрадировали из Казахстана в Россию 5 марта 2023 года.", "removal"),
        ("5 марта 2023 года Ивана Петрова депортировали в Узбекистан.", "removal"),
        ("Ивана Петрова передали российским силовикам 5 марта 2023 года.", "removal"),
        (
            "Генпрокуратура удовлетворила запрос России о выдаче Ивана Петрова.",
            "extradition_decision",
        ),
        ("Иван Петров попросил убежища в Казахстане 5 марта 2023 года.", "asylum_application"),
        ("Иван Петров обжаловал решение о выдворении.", "appeal_lodged"),
        ("Ивана Петрова объявили в международный розыск.", "charge"),
        ("ЕСПЧ применил правило 39 в деле Ивана Петрова.", "interim_measures"),
    ],
)
def test_the_event_lexicon(sentence: str, kind: str) -> None:
    case = _main("Новости\n\n" + sentence + "\n", datetime.date(2023, 3, 20))
    assert kind in {e.type for e in case.events}
    assert case.person.name == "Иван Петров"


def test_names_in_every_case_and_their_latin_spellings() -> None:
    text = "Задержали Юлию Емельянову. Юлии Емельяновой отказали. С Юлией Емельяновой говорили."
    assert {n.person for n in find_names(text)} == {"Юлия Емельянова"}
    assert transliterate("Юлия Емельянова") == "Iuliia Emelianova"  # ICAO 9303 (passports)
    assert transliterate("Юлия Емельянова", "bgn") == "Yuliya Yemelyanova"  # BGN/PCGN
    assert transliterate("Семён Бажуков", "bgn") == "Semyon Bazhukov"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("в Казахстане", "KZ"),
        ("из России", "RU"),
        ("власти РФ", "RU"),
        ("гражданин Узбекистана", "UZ"),
        ("в Бишкеке", "KG"),
        ("таджикские власти", "TJ"),
    ],
)
def test_states_in_every_form(text: str, code: str) -> None:
    assert [p.code for p in find_states(text)] == [code]


def test_refuge_analyze_reads_russian_in_a_fresh_process(tmp_path: object) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "refuge", "analyze", "-", "--json"],
        input=REPORT.encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b'"language": "ru"' in done.stdout
    assert "Михаил Жилин".encode() in done.stdout
