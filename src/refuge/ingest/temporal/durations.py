"""Handlers for durations, sets, present/past/future references and clock times.

A duration is a length, not a place in time: "15 years" is ``P15Y`` with no interval, whatever
the DCT. A bare number is never a duration by itself; it needs its unit ("36 months").
"""

from __future__ import annotations

import datetime
import re

from . import granules as G
from .lexicon import UNITS, WEEKDAYS, number_value
from .normalise import Context, Reading, dated, mod_of, vague, word_key
from .relative import weekday_date

_NUMBER_BEFORE = re.compile(
    r"(?:\d|\b(?:twice|times|once|thrice|\w+teen|\w+ty|ten|hundred))\s+$", re.I
)


def _amount(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _period(n: float | None, unit: str) -> str:
    """The TIMEX3 duration value for ``n`` units (None: an unspecified number, X)."""
    letter, is_clock, mult = UNITS[unit]
    if n is None:
        code = {10: "DE", 100: "CE"}.get(mult, letter)
        return f"PTX{code}" if is_clock else f"PX{code}"
    amount = _amount(n * mult)
    return f"PT{amount}{letter}" if is_clock else f"P{amount}{letter}"


_SPAN_BEFORE = re.compile(r"\b(?:in|for|over|within|than|per|each|every|after)\s+$", re.I)


def duration(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "15 years", "the past two years", "almost seven years", "12-year", "a decade"."""
    unit, num = word_key(m["unit"]), word_key(m["num"])
    if unit == "second" and num in {"a", "an"} and re.match(r"\s+\w", ctx.after()):
        return None  # "a second consecutive day": an ordinal
    if unit == "quarter" and num in {"a", "an", "one"} and not _SPAN_BEFORE.search(ctx.before()):
        return None  # "about a quarter of its dealers": a fraction
    if num in {"a", "an"} and unit in {"min", "yr", "hr"}:
        return None
    n = number_value(num)
    if n is None:
        return None
    if m["half"] or m["half2"]:
        n += 0.5
    value = _period(n, unit)
    if num in {"a", "an", "one"} and _NUMBER_BEFORE.search(ctx.before()):
        return vague(value, None, "SET")  # "15 a year", "twice a day"
    if m["dir"] and word_key(m["modw"] or "") in {"over", "under"}:
        # "over the past two years": "over" is the preposition here, not "more than"
        return Reading("DURATION", value, None, trim=m.start("dir") - m.start())
    return vague(value, mod_of(m["modw"]), "DURATION")


def vague_duration(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "recent years", "(for) years", "the past few months", "(over) the years": the extent
    leaves the preposition out, as TIMEX3 extents do."""
    lead, q = m["lead"], word_key(m["q"] or "")
    if not lead and (not q or q == "the"):
        return None
    trim = len(lead) if lead else 0
    return Reading("DURATION", _period(None, word_key(m["unit"])), None, trim=trim)


_ADVERB_SETS = {"annually": "P1Y", "annual": "P1Y", "yearly": "P1Y", "monthly": "P1M",
                "weekly": "P1W", "daily": "P1D", "nightly": "P1D", "hourly": "PT1H",
                "quarterly": "P3M"}  # fmt: skip


def recurrence(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "every year", "each month", "per day", "annually", "weekly"."""
    if m["adv"]:
        return vague(_ADVERB_SETS[word_key(m["adv"])], None, "SET")
    n = number_value(m["num"]) if m["num"] else 1.0
    if n is None:
        return None
    return vague(_period(n, word_key(m["unit"])), None, "SET")


_REFS = {"now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
         "at present": "PRESENT_REF", "presently": "PRESENT_REF",
         "at the moment": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
         "recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
         "recent": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
         "soon": "FUTURE_REF", "the near term": "FUTURE_REF", "the long term": "FUTURE_REF",
         "the short term": "FUTURE_REF", "the time being": "PRESENT_REF"}  # fmt: skip


def reference(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "now", "currently", "recently", "the past", "the future": TIMEX3 *_REF values."""
    word = word_key(m["ref"])
    value = _REFS[word]
    if word == "recent" and not re.match(
        r"\s+(?:weeks|months|years|days|decades|times)\b", ctx.after()
    ):
        return None
    if word == "now" and re.match(r"-|\s+that\b", ctx.after()):
        return None  # "now-defunct", "now that ...": not a reference to the DCT
    dct = ctx.dct
    if dct is None:
        return vague(value)
    bounds = {"PRESENT_REF": (dct, dct), "PAST_REF": (None, dct), "FUTURE_REF": (dct, None)}
    first, last = bounds[value]
    return Reading("DATE", value, None, first, last)


def _clock(m: re.Match[str]) -> tuple[int, int] | None:
    """Hour and minute of a clock phrase, None when it is not a valid time of day."""
    if m["noon"]:
        return (0, 0) if word_key(m["noon"]) == "midnight" else (12, 0)
    hour = int(m["h1"] or m["h2"] or m["h3"])
    minute = int(m["mi1"] or m["mi2"] or m["mi3"] or 0)
    ampm = word_key(m["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return hour, minute


def clock_time(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "10:30 a.m.", "18:00 UTC Monday", "noon"; the day comes from the phrase or the DCT."""
    if (
        m["h2"]
        and not (m["tz"] or m["dayref"])
        and not re.search(
            r"\b(?:at|by|from|until|till|before|after|around|about)\s+$", ctx.before(), re.I
        )
    ):
        return None  # "3:16" alone may be a score or a verse
    if m["noon"] and not (
        m["dayref"] or re.search(r"\b(?:at|by|until|before|after)\s+$", ctx.before(), re.I)
    ):
        return None
    hm = _clock(m)
    if hm is None:
        return None
    zone = "Z" if m["tz"] in {"UTC", "GMT"} else ""
    clock = f"T{hm[0]:02d}:{hm[1]:02d}{zone}"
    if ctx.dct is None:
        return vague("XXXX-XX-XX" + clock, None, "TIME")
    ref = word_key(m["dayref"] or "")
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
    story = ctx.narrative.last_day
    if not ref:  # a bare clock time belongs to the day the story is telling
        day = story.first if story else ctx.dct
    elif ref in offsets:
        day = ctx.dct + datetime.timedelta(days=offsets[ref])
    else:
        day = weekday_date(WEEKDAYS[ref], ctx.dct, "", ctx.tense())
    return dated(G.day(day), kind="TIME", value=day.isoformat() + clock)
