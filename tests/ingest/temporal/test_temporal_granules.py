"""Calendar arithmetic behind every value and interval."""

from __future__ import annotations

import datetime

from refuge.ingest.temporal import granules as G

D = datetime.date


def test_iso_week_across_the_new_year() -> None:
    w = G.week(D(2021, 1, 1))  # a Friday in ISO week 53 of 2020
    assert (w.value, w.first, w.last) == ("2020-W53", D(2020, 12, 28), D(2021, 1, 3))


def test_winter_runs_into_the_next_year_and_feb_29_is_kept() -> None:
    w = G.season(2023, "WI")
    assert (w.value, w.first, w.last) == ("2023-WI", D(2023, 12, 1), D(2024, 2, 29))


def test_shift_crosses_year_boundaries() -> None:
    assert G.shift(G.month(2022, 1), -1).value == "2021-12"
    assert G.shift(G.quarter(2022, 4), 1).value == "2023-Q1"
    assert G.shift(G.half(2022, 1), -1).value == "2021-H2"
    assert G.shift(G.day(D(2022, 12, 31)), 1).value == "2023-01-01"
    assert G.shift(G.weekend(D(2022, 12, 30)), -1).value == "2022-W51-WE"


def test_parts_of_a_month_and_a_year() -> None:
    nov = G.month(2022, 11)
    assert G.part(nov, "START") == (D(2022, 11, 1), D(2022, 11, 10))
    assert G.part(nov, "MID") == (D(2022, 11, 11), D(2022, 11, 20))
    assert G.part(nov, "END") == (D(2022, 11, 21), D(2022, 11, 30))
    assert G.part(G.year(2009), "END") == (D(2009, 9, 1), D(2009, 12, 31))


def test_parts_of_other_granules_stay_inside_them() -> None:
    for g in (G.quarter(2022, 1), G.season(2022, "FA"), G.week(D(2022, 6, 1)), G.decade(1990)):
        for mod in ("START", "MID", "END"):
            first, last = G.part(g, mod)
            assert g.first <= first <= last <= g.last


def test_decade_and_century_values() -> None:
    assert G.decade(1987).value == "198"
    c = G.century(20)
    assert (c.value, c.first, c.last) == ("19", D(1900, 1, 1), D(1999, 12, 31))
