"""`find_timexes`: recognise candidates, keep the plausible longest ones, normalise in order.

Candidates are first checked on their own (a handler may reject one) and only then chosen, so
that a rejected long reading ("a fall in prices" as a season) leaves room for a shorter one.
The chosen ones are then normalised from left to right so that each can lean on the dates the
article has already given.
"""

from __future__ import annotations

import datetime

from ...errors import InputError
from . import durations, normalise, relative
from .anchoring import Narrative
from .grammar import Candidate, candidates, select
from .normalise import Context, Handler, Reading
from .russian import find_russian_timexes
from .timex import Timex

HANDLERS: dict[str, Handler] = {
    "date_mdy": normalise.full_date,
    "date_dmy": normalise.full_date,
    "date_iso": normalise.numeric_date,
    "date_slash": normalise.numeric_date,
    "date_dotted": normalise.numeric_date,
    "month_year": normalise.month_year,
    "month": normalise.bare_month,
    "year": normalise.year,
    "year_short": normalise.short_year,
    "decade": normalise.decade,
    "century": normalise.century,
    "quarter": relative.quarter,
    "qnum": relative.quarter,
    "season": relative.season,
    "relative": relative.relative,
    "ago": relative.ago,
    "weekday": relative.weekday,
    "deictic": relative.deictic,
    "part_of_day": relative.part_of_day,
    "ref": durations.reference,
    "duration": durations.duration,
    "vague_duration": durations.vague_duration,
    "set": durations.recurrence,
    "time": durations.clock_time,
}


def _read(c: Candidate, ctx: Context) -> Reading | None:
    """The handler's reading; a date beyond the calendar ("10000 years later") is no reading."""
    try:
        return HANDLERS[c.rule](c.match, ctx.at(c.start, c.end))
    except (ValueError, OverflowError):
        return None  # datetime.date covers years 1-9999 only


def find_timexes(text: str, dct: datetime.date | None, *, language: str = "en") -> list[Timex]:
    """All time expressions in ``text``, in order, normalised against the document date ``dct``.

    Offsets are Python string indices into ``text``. English and Russian (``russian``) are
    supported; another ``language`` is an InputError rather than a silently empty answer.
    """
    if language == "ru" and isinstance(text, str):
        if dct is not None and not isinstance(dct, datetime.date):
            raise InputError(f"temporal layer: the document date must be a date, got {dct!r}")
        return find_russian_timexes(text, dct)
    if language != "en":
        raise InputError(
            f"temporal layer: language {language!r} is not supported (only 'en' and 'ru')"
        )
    if not isinstance(text, str):
        raise InputError(f"temporal layer: expected text as str, got {type(text).__name__}")
    if dct is not None and not isinstance(dct, datetime.date):
        raise InputError(f"temporal layer: the document date must be a date, got {dct!r}")
    if isinstance(dct, datetime.datetime):
        dct = dct.date()  # a timestamp's day is the document date
    probe = Context(text, dct, Narrative())
    plausible = [c for c in candidates(text) if _read(c, probe) is not None]
    ctx = Context(text, dct, Narrative())
    found: list[Timex] = []
    for c in select(plausible):
        reading = _read(c, ctx)
        if reading is None:
            continue
        start = c.start + reading.trim
        found.append(
            Timex(
                start,
                c.end,
                text[start : c.end],
                reading.type,
                reading.value,
                reading.mod,
                reading.earliest,
                reading.latest,
            )
        )
        if reading.granule is not None:
            ctx.narrative.note(reading.granule)
    return found
