"""Russian time expressions: the forms reports use, normalised against the report's day."""

from __future__ import annotations

import datetime

import pytest

from refuge.errors import InputError
from refuge.ingest.temporal import find_timexes

DCT = datetime.date(2022, 12, 30)  # a Friday


@pytest.mark.parametrize(
    ("text", "value", "mod"),
    [
        ("16 октября его задержали", "2022-10-16", None),
        ("Его задержали 1 июн. в Алматы", "2022-06-01", None),
        ("в конце ноября суд отказал", "2022-11", "END"),
        ("решение от 26.09.2022 вступило в силу", "2022-09-26", None),
        ("в среду его выслали", "2022-12-28", None),
        ("в пятницу его выслали", "2022-12-30", None),
        ("в прошлом месяце его задержали", "2022-11", None),
        ("на прошлой неделе", "2022-W51", None),
        ("вчера вечером", "2022-12-29", None),
        ("в ночь на 16 апреля он пропал", "2022-04-16", None),
        ("31 августа прошлого года", "2021-08-31", None),
        ("в марте 2023 года он пересёк границу", "2023-03", None),
        ("в 2021 году возбудили дело", "2021", None),
        ("полгода назад", "2022-06", None),
        ("два года назад", "2020", None),
    ],
)
def test_one_expression(text: str, value: str, mod: str | None) -> None:
    found = find_timexes(text, DCT, language="ru")
    assert [(t.value, t.mod) for t in found] == [(value, mod)]
    assert text[found[0].start : found[0].end] == found[0].text


def test_a_month_without_year_after_the_report_is_last_year() -> None:
    found = find_timexes("в ноябре", datetime.date(2023, 2, 10), language="ru")
    assert found[0].value == "2022-11"


def test_the_story_year_and_day_carry_over() -> None:
    text = "Его задержали 9 декабря 2004 года, освободили 4 апреля, а на следующий день выслали."
    values = [t.value for t in find_timexes(text, datetime.date(2005, 4, 27), language="ru")]
    assert values == ["2004-12-09", "2005-04-04", "2005-04-05"]


def test_a_story_across_new_year() -> None:
    text = (
        "В декабре 2021 года возбудили дело. 10 января его объявили в розыск, в феврале он уехал."
    )
    values = [t.value for t in find_timexes(text, datetime.date(2023, 6, 9), language="ru")]
    assert values == ["2021-12", "2022-01-10", "2022-02"]


def test_impossible_dates_are_skipped_and_unknown_languages_refused() -> None:
    assert find_timexes("решение от 31.02.2020", DCT, language="ru") == []
    with pytest.raises(InputError, match="not supported"):
        find_timexes("text", DCT, language="kk")
