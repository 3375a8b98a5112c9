from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.domain import DateRange


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2022-09-26", date(2022, 9, 26), date(2022, 9, 26)),
        ("2022-11", date(2022, 11, 1), date(2022, 11, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
    ],
)
def test_shorthands_denote_whole_periods(text: str, earliest: date, latest: date) -> None:
    parsed = DateRange.parse_shorthand(text)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)
    assert parsed.to_data() == text


@pytest.mark.parametrize("text", ["2022-13", "2022-02-30", "late November", "22-1-1"])
def test_impossible_dates_are_refused_with_the_allowed_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"YYYY-MM-DD|month 13"):
        DateRange.parse_shorthand(text)


def test_an_interval_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="after latest"):
        DateRange(date(2022, 12, 2), date(2022, 12, 1))


@given(st.dates(), st.integers(0, 400), st.one_of(st.none(), st.text(max_size=20)))
def test_case_file_form_reads_back(start: date, width: int, text: str | None) -> None:
    end = date.fromordinal(min(start.toordinal() + width, date.max.toordinal()))
    value = DateRange(start, end, text)
    data = value.to_data()
    if isinstance(data, str):
        assert DateRange.parse_shorthand(data) == DateRange(start, end)
    else:
        assert data["earliest"] == start.isoformat() and data["latest"] == end.isoformat()
