"""Fuzzy dates: a day we know, or a range of days one of which it was.

A reported date is often fuzzy ("late November", "this fall"). refuge keeps it as the inclusive
interval of days it may denote and never silently collapses it to one day: the law engine reasons
over the whole interval and answers "possible" where it straddles a legal boundary.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True)
class DateRange:
    """Some day between ``earliest`` and ``latest``, both inclusive; ``text`` is the wording."""

    earliest: date
    latest: date
    text: str | None = None

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ValueError(
                f"earliest {self.earliest.isoformat()} is after latest {self.latest.isoformat()}"
            )

    @classmethod
    def day(cls, day: date, text: str | None = None) -> DateRange:
        return cls(day, day, text)

    @classmethod
    def parse_shorthand(cls, value: str) -> DateRange:
        """Read ``2022-09-26``, ``2022-11`` (the whole month) or ``2022`` (the whole year)."""
        value = value.strip()
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise ValueError(f"month {month} does not exist in {value!r}")
            last = calendar.monthrange(year, month)[1]
            return cls(date(year, month, 1), date(year, month, last))
        if m := _YEAR.match(value):
            year = int(m[1])
            return cls(date(year, 1, 1), date(year, 12, 31))
        try:
            return cls.day(date.fromisoformat(value))
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY "
                "or {earliest: YYYY-MM-DD, latest: YYYY-MM-DD}"
            ) from None

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def overlaps(self, other: DateRange) -> bool:
        return self.earliest <= other.latest and other.earliest <= self.latest

    def to_data(self) -> str | dict[str, str]:
        """The case-file form: an ISO day when exact, else ``{earliest, latest, text?}``."""
        if self.text is None:
            if self.exact:
                return self.earliest.isoformat()
            if (shorthand := self._shorthand()) is not None:
                return shorthand
        data = {"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat()}
        if self.text is not None:
            data["text"] = self.text
        return data

    def _shorthand(self) -> str | None:
        """``YYYY`` or ``YYYY-MM`` when the range is exactly a whole year or month."""
        first, last = self.earliest, self.latest
        if first.day != 1 or first.year != last.year:
            return None
        if first.month == 1 and (last.month, last.day) == (12, 31):
            return f"{first.year:04d}"
        month_end = calendar.monthrange(last.year, last.month)[1]
        if first.month == last.month and last.day == month_end:
            return f"{first.year:04d}-{first.month:02d}"
        return None

    def __str__(self) -> str:
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"
