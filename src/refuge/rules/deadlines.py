"""Counting legal periods: calendar days, working days, months and years, by named conventions.

Every convention is data (a pack's ``conventions.yaml``): whether a last day that falls on a
day off rolls forward, which holiday calendar applies, and what happens when a month has no such
day. Month arithmetic never clamps silently: a convention must say what it does, or the count
fails loudly.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np

from refuge.errors import LawPackError
from refuge.rules.schema import Calendar, Convention, Period

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class WorkingCalendar:
    """A frozen holiday calendar, valid only for the years it was drawn up for."""

    spec: Calendar

    @cached_property
    def numpy(self) -> np.busdaycalendar:
        mask = [0 if day in self.spec.weekend else 1 for day in _WEEKDAYS]
        holidays = list(self.spec.dates)
        for year in range(self.spec.valid_from.year, self.spec.valid_until.year + 1):
            for md in self.spec.fixed:
                month, day = (int(x) for x in md.split("-"))
                holidays.append(date(year, month, day))
        return np.busdaycalendar(weekmask=mask, holidays=np.array(holidays, dtype="datetime64[D]"))

    def check(self, day: date) -> None:
        if not self.spec.valid_from <= day <= self.spec.valid_until:
            raise LawPackError(
                f"calendar {self.spec.id!r} covers {self.spec.valid_from}..{self.spec.valid_until}"
                f"; {day} is outside it: extend the calendar before counting working days there"
            )

    @cached_property
    def _days_off(self) -> frozenset[date]:
        weekend = {_WEEKDAYS.index(day) for day in self.spec.weekend}
        holidays = {date.fromisoformat(str(d)) for d in self.numpy.holidays}
        first, last = self.spec.valid_from.toordinal(), self.spec.valid_until.toordinal()
        weekends = {
            date.fromordinal(n)
            for n in range(first, last + 1)
            if date.fromordinal(n).weekday() in weekend
        }
        return frozenset(holidays | weekends)

    def is_working(self, day: date) -> bool:
        self.check(day)
        return day not in self._days_off

    def add_working_days(self, start: date, amount: int) -> date:
        # Rolling backward first makes a trigger on a day off count from the next working day.
        self.check(start)
        day = np.busday_offset(
            np.datetime64(start, "D"), amount, roll="backward", busdaycal=self.numpy
        )
        result = date.fromisoformat(str(day))
        self.check(result)
        return result

    def next_working(self, day: date) -> date:
        while not self.is_working(day):
            day += timedelta(days=1)
        return day


def add_months(start: date, months: int, missing_day: str) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    if missing_day == "last_day_of_month":
        return date(year, month, last)
    raise LawPackError(
        f"{start} + {months} month(s) has no day {start.day} in {year}-{month:02d}; "
        "the convention must declare missing_day"
    )


def last_day(
    start: date, period: Period, convention: Convention, calendar: WorkingCalendar | None
) -> tuple[date, bool]:
    """The last day on which the act can still be done, and whether it was rolled forward.

    The trigger day itself is not counted, as in every procedural code we encode.
    """
    if period.unit == "working_days":
        if calendar is None:
            raise LawPackError("working days need a calendar in the convention")
        return calendar.add_working_days(start, period.amount), False
    if period.unit == "calendar_days":
        end = start + timedelta(days=period.amount)
    else:
        months = period.amount * (12 if period.unit == "years" else 1)
        end = add_months(start, months, convention.missing_day)
    if convention.roll == "forward" and calendar is not None:
        rolled = calendar.next_working(end)
        return rolled, rolled != end
    return end, False
