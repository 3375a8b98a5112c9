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

    @classmethod
    def from_data(cls, value: object) -> DateRange:
        """Read the case-file form back: a day, a shorthand, or ``{earliest, latest, text}``.

        YAML gives a ``date`` for an ISO day and an ``int`` for a bare year; both are accepted.
        """
        if isinstance(value, date):
            return cls.day(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls.parse_shorthand(str(value))
        if isinstance(value, str):
            return cls.parse_shorthand(value)
        if isinstance(value, dict):
            if unknown := sorted(set(map(str, value)) - {"earliest", "latest", "text"}):
                raise ValueError(f"unknown key {unknown[0]!r} in a date (earliest, latest, text)")
            if "earliest" not in value or "latest" not in value:
                raise ValueError("an interval needs both earliest and latest")
            earliest = cls.from_data(value["earliest"]).earliest
            latest = cls.from_data(value["latest"]).latest
            text = value.get("text")
            return cls(earliest, latest, None if text is None else str(text))
        raise ValueError("is not a date: use YYYY-MM-DD, YYYY-MM, YYYY or {earliest, latest, text}")

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
