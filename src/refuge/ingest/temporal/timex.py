"""The `Timex` value: one time expression found in a text, normalised the TIMEX3 way.

A lawyer's timeline must never show a day the source did not give. So a `Timex` carries both the
TIMEX3 `value` (whose granularity says how precise the source was: ``2022-11`` is a month, not the
first of November) and the inclusive interval ``earliest``..``latest`` of days it may denote, which
downstream code can compare and sort without re-parsing TIMEX3 strings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

TYPES = frozenset({"DATE", "TIME", "DURATION", "SET"})


@dataclass(frozen=True, slots=True)
class Timex:
    """A time expression at ``text[start:end]`` with its TIMEX3 type, value and mod.

    ``earliest``/``latest`` bound the days a DATE or TIME may denote (inclusive); they are None
    for durations and sets, for references such as ``PAST_REF`` on their open side, and for
    anything relative when the document date is unknown.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    earliest: datetime.date | None
    latest: datetime.date | None

    def to_json(self) -> dict[str, object]:
        """A plain dict with ISO dates, the shape of the CLI's ``--json`` output."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
            "mod": self.mod,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
        }
