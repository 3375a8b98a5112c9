"""Date arithmetic of legal periods, as a table a lawyer can check line by line."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from refuge.errors import LawPackError
from refuge.rules.deadlines import add_months, last_day
from refuge.rules.packs import load_library
from refuge.rules.schema import Period

TABLE = Path(__file__).parent / "data" / "deadlines.csv"


def rows() -> list[list[str]]:
    with TABLE.open() as handle:
        return [row for row in csv.reader(handle) if row and not row[0].startswith("#")]


@pytest.mark.parametrize("row", rows(), ids=lambda r: "-".join(r[:4]))
def test_date_table(row: list[str]) -> None:
    start, amount, unit, name, expected = row
    library = load_library()
    conv = library.conventions[name]
    calendar = library.calendars[conv.calendar] if conv.calendar else None
    period = Period.model_validate({"amount": int(amount), "unit": unit})
    if expected == "error":
        with pytest.raises(LawPackError, match="outside it"):
            last_day(date.fromisoformat(start), period, conv, calendar)
        return
    result, _ = last_day(date.fromisoformat(start), period, conv, calendar)
    assert result == date.fromisoformat(expected)


def test_month_arithmetic_never_clamps_silently() -> None:
    with pytest.raises(LawPackError, match="has no day 31"):
        add_months(date(2023, 1, 31), 1, "error")
    assert add_months(date(2023, 1, 31), 1, "last_day_of_month") == date(2023, 2, 28)
