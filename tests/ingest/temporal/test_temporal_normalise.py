"""Error classes of news date normalisation (extraction.md §1.4), one group of tests each."""

from __future__ import annotations

import datetime

import pytest

from refuge.errors import InputError
from refuge.ingest.temporal import Timex, find_timexes

D = datetime.date
FRIDAY = D(2022, 12, 30)  # the founding article's date, a Friday


def only(text: str, dct: D | None = FRIDAY) -> Timex:
    found = find_timexes(text, dct)
    assert len(found) == 1, found
    assert text[found[0].start : found[0].end] == found[0].text
    return found[0]


# -- weekdays ----------------------------------------------------------------------------------


def test_weekday_in_past_tense_is_the_nearest_past_one() -> None:
    t = only("The court upheld the order on Wednesday.")
    assert (t.text, t.value, t.earliest, t.latest) == (
        "Wednesday",
        "2022-12-28",
        D(2022, 12, 28),
        D(2022, 12, 28),
    )


def test_weekday_equal_to_the_dct_weekday_is_the_dct() -> None:
    assert only("Media reported Friday that he was deported.").value == "2022-12-30"


def test_weekday_in_future_tense_points_ahead() -> None:
    assert only("The court will hear the appeal on Tuesday.").value == "2023-01-03"


def test_weekday_after_until_points_ahead() -> None:
    assert only("Markets stay closed until Monday.").value == "2023-01-02"


# -- month only, month-day without a year ------------------------------------------------------


def test_month_only_is_the_most_recent_one_before_the_dct() -> None:
    t = only("After the war broke out in February, he asked to resign.")
    assert (t.value, t.earliest, t.latest) == ("2022-02", D(2022, 2, 1), D(2022, 2, 28))


def test_month_only_ahead_of_the_dct_in_a_past_report_is_last_year() -> None:
    assert only("He arrived in June.", D(2013, 3, 22)).value == "2012-06"


def test_month_only_in_a_future_sentence_is_next_year() -> None:
    assert only("The trial will open in February.").value == "2023-02"


def test_numeric_dates_iso_us_and_day_first_with_dots() -> None:
    found = find_timexes("Filed 2022-09-26, heard 10/3/2022, decided 28.12.2022. Fine: 3.5.", None)
    assert [(t.text, t.value) for t in found] == [
        ("2022-09-26", "2022-09-26"),
        ("10/3/2022", "2022-10-03"),
        ("28.12.2022", "2022-12-28"),
    ]


def test_month_day_takes_the_year_of_the_dct() -> None:
    t = only("Zhilin on Sept. 26 requested political asylum.")
    assert (t.text, t.value) == ("Sept. 26", "2022-09-26")


def test_month_day_far_after_the_dct_in_past_tense_is_last_year() -> None:
    assert only("He was detained on November 3.", D(2023, 1, 10)).value == "2022-11-03"


def test_may_the_verb_is_not_a_month() -> None:
    assert find_timexes("May I ask? They may appeal.", FRIDAY) == []
    assert only("He was detained in May.").value == "2022-05"


# -- year from context -------------------------------------------------------------------------


def test_last_year_and_this_year() -> None:
    last, this = find_timexes("Last year he fled; this year he was detained.", FRIDAY)
    assert (last.value, last.earliest, last.latest) == ("2021", D(2021, 1, 1), D(2021, 12, 31))
    assert this.value == "2022"


def test_two_days_later_counts_from_the_last_date_given() -> None:
    found = find_timexes("He was detained on Sept. 26. Two days later he was released.", FRIDAY)
    assert [t.value for t in found] == ["2022-09-26", "2022-09-28"]


def test_years_ago() -> None:
    assert only("He left Russia two years ago.").value == "2020"


# -- seasons -----------------------------------------------------------------------------------


def test_this_fall_is_the_season_with_its_interval() -> None:
    t = only("He fled the mobilization drive this fall.")
    assert (t.value, t.earliest, t.latest) == ("2022-FA", D(2022, 9, 1), D(2022, 11, 30))


def test_last_summer_is_the_last_completed_summer() -> None:
    assert only("They met last summer.", D(2013, 3, 22)).value == "2012-SU"


def test_a_fall_in_prices_is_not_a_season() -> None:
    assert find_timexes("Shares saw a fall in value.", FRIDAY) == []


# -- late / early / mid ------------------------------------------------------------------------


def test_late_november() -> None:
    t = only("Authorities refused his claim in late November.")
    assert (t.text, t.value, t.mod) == ("late November", "2022-11", "END")
    assert (t.earliest, t.latest) == (D(2022, 11, 21), D(2022, 11, 30))


def test_early_and_mid_year() -> None:
    early, mid = find_timexes("It began in early 2009 and ended in mid-2011.", FRIDAY)
    assert (early.value, early.mod, early.latest) == ("2009", "START", D(2009, 4, 30))
    assert (mid.text, mid.mod, mid.earliest) == ("mid-2011", "MID", D(2011, 5, 1))


def test_the_end_of_last_year() -> None:
    t = only("The law changed at the end of last year.")
    assert (t.value, t.mod, t.earliest, t.latest) == ("2021", "END", D(2021, 9, 1), D(2021, 12, 31))


# -- durations ---------------------------------------------------------------------------------


def test_duration_has_no_interval() -> None:
    t = only("A maximum prison sentence of 15 years.")
    assert (t.type, t.value, t.earliest, t.latest) == ("DURATION", "P15Y", None, None)


def test_a_bare_number_or_an_age_is_not_a_duration() -> None:
    assert find_timexes("Russian authorities sought Zhilin, 36, on charges.", FRIDAY) == []
    assert find_timexes("A 36-year-old man was detained.", FRIDAY) == []


def test_durations_with_modifiers_and_vague_counts() -> None:
    found = find_timexes(
        "For almost seven years, and in recent years, over the past two years.", FRIDAY
    )
    assert [(t.text, t.value, t.mod) for t in found] == [
        ("almost seven years", "P7Y", "LESS_THAN"),
        ("recent years", "PXY", None),
        ("the past two years", "P2Y", None),
    ]


def test_vague_durations_keep_their_determiners_not_their_prepositions() -> None:
    found = find_timexes(
        "In the next few months, over the past few years, in the coming weeks, over the years.",
        FRIDAY,
    )
    assert [(t.text, t.value) for t in found] == [
        ("the next few months", "PXM"),
        ("the past few years", "PXY"),
        ("the coming weeks", "PXW"),
        ("the years", "PXY"),
    ]


def test_over_the_weekend_is_the_weekend_just_past() -> None:
    t = only("Protesters gathered over the weekend.")
    assert (t.value, t.earliest, t.latest) == ("2022-W51-WE", D(2022, 12, 24), D(2022, 12, 25))


def test_rates_are_sets() -> None:
    t = only("Tankers at a rate of 15 a year.")
    assert (t.type, t.value) == ("SET", "P1Y")


# -- "earlier this month", references ---------------------------------------------------------


def test_earlier_this_month_runs_up_to_the_dct() -> None:
    t = only("He was detained earlier this month.")
    assert (t.value, t.earliest, t.latest) == ("2022-12", D(2022, 12, 1), FRIDAY)


def test_now_is_the_present_reference() -> None:
    t = only("He is now in Russia.")
    assert (t.value, t.earliest, t.latest) == ("PRESENT_REF", FRIDAY, FRIDAY)


def test_recently_is_open_towards_the_past() -> None:
    t = only("He recently fled.")
    assert (t.value, t.earliest, t.latest) == ("PAST_REF", None, FRIDAY)


# -- times -------------------------------------------------------------------------------------


def test_clock_time_with_utc_on_a_weekday() -> None:
    t = only("The filing came at 12:00 UTC Monday.", D(2009, 6, 1))
    assert (t.type, t.value) == ("TIME", "2009-06-01T12:00Z")


# -- no DCT ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("on Wednesday", "XXXX-WXX-3"),
        ("in late November", "XXXX-11"),
        ("on Sept. 26", "XXXX-09-26"),
        ("this fall", "XXXX-FA"),
        ("last year", "XXXX"),
        ("yesterday", "XXXX-XX-XX"),
    ],
)
def test_without_dct_relative_dates_stay_underspecified(text: str, value: str) -> None:
    t = only(text, None)
    assert (t.value, t.earliest, t.latest) == (value, None, None)


def test_without_dct_absolute_dates_keep_their_interval() -> None:
    t = only("on December 30, 2022", None)
    assert (t.value, t.earliest, t.latest) == ("2022-12-30", FRIDAY, FRIDAY)


# -- input errors ------------------------------------------------------------------------------


def test_unsupported_language_is_an_input_error() -> None:
    with pytest.raises(InputError, match="'kk'"):
        find_timexes("қарашаның соңында", FRIDAY, language="kk")


def test_bad_arguments_are_input_errors() -> None:
    with pytest.raises(InputError, match="must be a date"):
        find_timexes("on Wednesday", "2022-12-30")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="str"):
        find_timexes(b"on Wednesday", FRIDAY)  # type: ignore[arg-type]


def test_dates_beyond_the_calendar_are_not_normalised() -> None:
    found = find_timexes("It ended 10000 years later, or 99999999999999999999 days ago.", FRIDAY)
    assert all(t.type == "DURATION" for t in found)


def test_a_timestamp_dct_counts_as_its_day() -> None:
    noon = datetime.datetime(2022, 12, 30, 12, 0, tzinfo=datetime.UTC)
    assert [t.value for t in find_timexes("on Wednesday", noon)] == ["2022-12-28"]


def test_offsets_are_python_string_indices_with_non_ascii_text() -> None:
    text = "Жилин — «беглец» — fled in late November 2022 ✓ and on Wednesday."
    for t in find_timexes(text, FRIDAY):
        assert text[t.start : t.end] == t.text
    assert [t.text for t in find_timexes(text, FRIDAY)] == ["late November 2022", "Wednesday"]
