"""Calendar granules: the TIMEX3 value of a year, quarter, season, month, week or day, and its days.

Every normalised DATE is one granule (or a START/MID/END part of one). Keeping the value string and
the inclusive day interval side by side here means the two can never disagree.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

Date = datetime.date

SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True, slots=True)
class Granule:
    """A calendar unit: its TIMEX3 value and the first and last day it covers."""

    value: str
    first: Date
    last: Date
    kind: str  # "Y", "H", "Q", "S", "M", "W", "D", "DE", "CE"


def _month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def year(y: int) -> Granule:
    return Granule(f"{y:04d}", Date(y, 1, 1), Date(y, 12, 31), "Y")


def half(y: int, h: int) -> Granule:
    first = Date(y, 1 + 6 * (h - 1), 1)
    return Granule(f"{y:04d}-H{h}", first, _month_end(y, 6 * h), "H")


def quarter(y: int, q: int) -> Granule:
    first = Date(y, 3 * q - 2, 1)
    return Granule(f"{y:04d}-Q{q}", first, _month_end(y, 3 * q), "Q")


def season(y: int, code: str) -> Granule:
    """Meteorological northern seasons; winter ``y`` runs from December ``y`` to February."""
    start = SEASON_MONTHS[code]
    first = Date(y, start, 1)
    end_year, end_month = (y + 1, 2) if code == "WI" else (y, start + 2)
    return Granule(f"{y:04d}-{code}", first, _month_end(end_year, end_month), "S")


def month(y: int, m: int) -> Granule:
    return Granule(f"{y:04d}-{m:02d}", Date(y, m, 1), _month_end(y, m), "M")


def week(d: Date) -> Granule:
    """The ISO week containing ``d`` (TIMEX3 writes weeks as ISO weeks)."""
    iso_year, iso_week, iso_day = d.isocalendar()
    monday = d - datetime.timedelta(days=iso_day - 1)
    return Granule(
        f"{iso_year:04d}-W{iso_week:02d}", monday, monday + datetime.timedelta(days=6), "W"
    )


def weekend(d: Date) -> Granule:
    w = week(d)
    return Granule(w.value + "-WE", w.first + datetime.timedelta(days=5), w.last, "W")


def day(d: Date) -> Granule:
    return Granule(d.isoformat(), d, d, "D")


def decade(first_year: int) -> Granule:
    y = first_year - first_year % 10
    return Granule(f"{y // 10:03d}", Date(y, 1, 1), Date(y + 9, 12, 31), "DE")


def century(index: int) -> Granule:
    """The ``index``-th century as TIMEX3 writes it: the 20th century is ``19`` (1900-1999)."""
    y = (index - 1) * 100
    return Granule(f"{index - 1:02d}", Date(max(y, 1), 1, 1), Date(y + 99, 12, 31), "CE")


def shift(g: Granule, steps: int) -> Granule:
    """The granule ``steps`` units after ``g`` (negative: before), same kind."""
    if g.kind == "Y":
        return year(g.first.year + steps)
    if g.kind == "Q":
        n = g.first.year * 4 + (g.first.month - 1) // 3 + steps
        return quarter(n // 4, n % 4 + 1)
    if g.kind == "H":
        n = g.first.year * 2 + (g.first.month - 1) // 6 + steps
        return half(n // 2, n % 2 + 1)
    if g.kind == "M":
        n = g.first.year * 12 + g.first.month - 1 + steps
        return month(n // 12, n % 12 + 1)
    if g.kind == "S":
        return season(g.first.year + steps // 4, g.value[-2:]) if steps % 4 == 0 else g
    if g.kind == "W":
        moved = g.first + datetime.timedelta(weeks=steps)
        return weekend(moved) if g.value.endswith("-WE") else week(moved)
    if g.kind == "D":
        return day(g.first + datetime.timedelta(days=steps))
    if g.kind == "DE":
        return decade(g.first.year + 10 * steps)
    return century(int(g.value) + 1 + steps)


def part(g: Granule, mod: str) -> tuple[Date, Date]:
    """Days of the START, MID or END part of ``g``: thirds of it (by month for a year).

    "late November" is 21-30 November and "early 2009" January-April: wide enough to hold what a
    reporter means, narrow enough to order events.
    """
    if g.kind == "Y":
        y = g.first.year
        bounds = {"START": (1, 4), "MID": (5, 8), "END": (9, 12)}.get(mod)
        if bounds is None:
            return g.first, g.last
        return Date(y, bounds[0], 1), _month_end(y, bounds[1])
    if g.kind == "M":
        y, m = g.first.year, g.first.month
        days = {"START": (1, 10), "MID": (11, 20), "END": (21, g.last.day)}.get(mod)
        if days is None:
            return g.first, g.last
        return Date(y, m, days[0]), Date(y, m, days[1])
    length = (g.last - g.first).days + 1
    third = max(length // 3, 1)
    if mod == "START":
        return g.first, g.first + datetime.timedelta(days=third - 1)
    if mod == "MID":
        return g.first + datetime.timedelta(days=third), g.last - datetime.timedelta(days=third)
    if mod == "END":
        return g.last - datetime.timedelta(days=third - 1), g.last
    return g.first, g.last
