"""Handlers for dates relative to the DCT or to the story: weekdays, "last year", seasons...

Without a DCT a relative date keeps its shape but not its place: "on Wednesday" becomes
``XXXX-WXX-3``, "last year" ``XXXX``, and no interval is given, because any day would be a guess.
"""

from __future__ import annotations

import datetime
import re

from . import granules as G
from .granules import Granule
from .lexicon import ORDINALS, PARTS_OF_DAY, SEASONS, UNITS, WEEKDAYS, number_value
from .normalise import MONTH_SLACK, Context, Reading, dated, mod_of, nearest, vague, word_key

Date = datetime.date
_UNDERSPECIFIED = {"Y": "XXXX", "Q": "XXXX-QX", "H": "XXXX-HX", "M": "XXXX-XX", "W": "XXXX-WXX",
                   "D": "XXXX-XX-XX", "DE": "XXX", "CE": "XX"}  # fmt: skip


def _granule_of(unit: str, d: Date) -> Granule:
    """The granule of kind ``unit`` (Y, Q, M, W, WE, D, DE, CE) that contains day ``d``."""
    maker = {
        "Y": lambda: G.year(d.year),
        "Q": lambda: G.quarter(d.year, (d.month - 1) // 3 + 1),
        "M": lambda: G.month(d.year, d.month),
        "W": lambda: G.week(d),
        "WE": lambda: G.weekend(d),
        "D": lambda: G.day(d),
        "DE": lambda: G.decade(d.year),
        "CE": lambda: G.century(d.year // 100 + 1),
    }
    return maker[unit]()


_UNIT_KIND = {"day": "D", "week": "W", "weekend": "WE", "month": "M", "year": "Y",
              "quarter": "Q", "decade": "DE", "century": "CE", "fiscal year": "Y",
              "financial year": "Y"}  # fmt: skip


def _story_day(ctx: Context) -> Date | None:
    """The day an anaphoric expression counts from: the last day the story gave, else the DCT."""
    last = ctx.narrative.last_day
    return last.first if last else ctx.dct


_TRADING_DAY = re.compile(
    r"\b(?:end|ends|ended|ending|finish|finished|finishing|close|closed|closing|in|during|"
    r"for|of|on)\s+$",
    re.I,
)


def _the_weekend(ctx: Context) -> Reading | None:
    """ "over the weekend": the one just past in a news report, the next one in a future clause."""
    if ctx.dct is None:
        return vague("XXXX-WXX-WE")
    this = G.weekend(ctx.dct)
    if ctx.tense() == "FUTURE":
        return dated(this if ctx.dct <= this.last else G.shift(this, 1))
    return dated(this if ctx.dct >= this.first else G.shift(this, -1))


def relative(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "this week", "last year", "the end of last year", "the following day", "earlier this
    month": a granule of the DCT (or, for "the following day", of the story's last day)."""
    rel, unit, mod = word_key(m["rel"]), _UNIT_KIND[word_key(m["unit"])], mod_of(m["pm"])
    if rel in {"the past", "the last", "the next", "the coming"} and unit != "D":
        period = {"WE": "P1W", "DE": "P10Y", "CE": "P100Y"}.get(unit, f"P1{unit}")
        return vague(period, None, "DURATION")
    if rel == "the" and unit == "D" and _TRADING_DAY.search(ctx.before()):
        rel = "the same"  # "ended the day", "later in the day": the day the story is about
    elif rel in {"the", "this", "last", "past"} and unit == "D":
        return None  # "the day", "last day of ...": not a time expression on their own
    if rel == "the" and unit == "WE" and not mod:
        return _the_weekend(ctx)
    if rel == "the" and not mod:
        return None
    steps = {"last": -1, "past": -1, "previous": -1, "this past": -1, "the previous": -1,
             "next": 1, "coming": 1, "this coming": 1, "the next": 1, "the following": 1,
             "the coming": 1}.get(rel, 0)  # fmt: skip
    story = rel in {"the previous", "the following", "the same", "that", "previous"} or (
        unit == "D" and rel in {"next", "the next"}
    )
    base = _story_day(ctx) if story else ctx.dct
    if base is None:
        return vague(_UNDERSPECIFIED.get(unit, "XXXX-XX-XX"), mod)
    g = G.shift(_granule_of(unit, base), steps)
    if rel.startswith(("earlier", "early")) and ctx.dct:
        return Reading("DATE", g.value, mod or None, g.first, min(ctx.dct, g.last), granule=g)
    if rel.startswith(("later", "late")) and ctx.dct:
        return Reading("DATE", g.value, mod, max(ctx.dct, g.first), g.last, granule=g)
    return dated(g, mod)


def weekday_date(target: int, dct: Date, rel: str, tense: str | None) -> Date:
    # "until Friday", "by Friday": a limit still ahead of the reporter
    """The weekday the reporter means: the nearest past one unless the words point ahead."""
    delta = target - dct.weekday()
    if rel in {"last", "this past"}:
        return dct + datetime.timedelta(days=delta - 7 if delta >= 0 else delta)
    if rel in {"next", "this coming"}:
        return dct + datetime.timedelta(days=delta + 7 if delta <= 0 else delta)
    if delta == 0:
        return dct
    if tense == "FUTURE":
        return dct + datetime.timedelta(days=delta if delta > 0 else delta + 7)
    return dct + datetime.timedelta(days=delta if delta < 0 else delta - 7)


_LIMIT = re.compile(r"\b(?:until|till|by)\s+$", re.I)


def weekday(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "Wednesday", "last Monday", "Friday morning"."""
    if re.match(r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Mail)\b", ctx.after()):
        return None
    target, rel = WEEKDAYS[word_key(m["wd"])], word_key(m["rel"] or "")
    pod = PARTS_OF_DAY.get(word_key(m["pod"] or ""))
    kind = "TIME" if pod else "DATE"
    if ctx.dct is None:
        return vague(f"XXXX-WXX-{target + 1}" + (f"T{pod}" if pod else ""), None, kind)
    tense = "FUTURE" if _LIMIT.search(ctx.before(12)) else ctx.tense()
    d = weekday_date(target, ctx.dct, rel, tense)
    return dated(G.day(d), kind=kind, value=d.isoformat() + (f"T{pod}" if pod else ""))


_DEIXIS = {"today": 0, "earlier today": 0, "later today": 0, "tonight": 0, "yesterday": -1,
           "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip


def deictic(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "today", "yesterday morning", "tonight"."""
    word = word_key(m["deix"])
    pod = PARTS_OF_DAY.get(word_key(m["pod"] or "")) or ("NI" if word == "tonight" else None)
    kind = "TIME" if pod else "DATE"
    suffix = f"T{pod}" if pod else ""
    if ctx.dct is None:
        return vague("XXXX-XX-XX" + suffix, None, kind)
    d = ctx.dct + datetime.timedelta(days=_DEIXIS[word])
    return dated(G.day(d), kind=kind, value=d.isoformat() + suffix)


def part_of_day(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "this morning", "last night"."""
    pod = PARTS_OF_DAY[word_key(m["pod"])]
    if ctx.dct is None:
        return vague(f"XXXX-XX-XXT{pod}", None, "TIME")
    d = ctx.dct - datetime.timedelta(days=word_key(m["rel"]) == "last")
    return dated(G.day(d), kind="TIME", value=f"{d.isoformat()}T{pod}")


def _ago_mod(words: str | None) -> str | None:
    mod = mod_of(words)
    return {"MORE_THAN": "BEFORE", "LESS_THAN": "AFTER", "EQUAL_OR_MORE": "BEFORE"}.get(
        mod or "", mod
    )


def ago(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "two years ago", "three days later", "a week earlier"."""
    direction = word_key(m["dir"])
    if direction in {"before", "after", "prior"} and not re.match(r"\s*(?:[.,;:)]|$)", ctx.after()):
        return None  # "two days before the vote": a duration, left to that rule
    sign = 1 if direction in {"later", "after", "from now"} else -1
    n = number_value(m["num"])
    letter, is_clock, mult = UNITS[word_key(m["unit"])]
    if n is None:
        return vague("FUTURE_REF" if sign > 0 else "PAST_REF")
    if is_clock or n != int(n):
        return None
    base = ctx.dct if direction in {"ago", "from now"} else _story_day(ctx)
    kind = {"Y": "Y", "Q": "Q", "M": "M", "W": "W", "D": "D"}[letter]
    if base is None:
        return vague(_UNDERSPECIFIED[kind])
    g = G.shift(_granule_of(kind, base), sign * int(n) * mult)
    mod = _ago_mod(m["modw"])
    if mod == "BEFORE":
        return Reading("DATE", g.value, mod, None, g.last, granule=g)
    if mod == "AFTER":
        return Reading("DATE", g.value, mod, g.first, base, granule=g)
    return dated(g, mod)


def _quarter_number(ordinal: str, whole: str) -> int:
    n = ORDINALS.get(ordinal, 0)
    top = 4 if whole == "quarter" else 2
    return top if n == -1 else n


def quarter(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "the third quarter of this year", "first-quarter", "the second half of 2009", "Q3"."""
    whole = word_key(m.groupdict().get("qh") or "quarter")
    ordinal = word_key(m.groupdict().get("ord") or "")
    n = int(m["q"][1]) if m.groupdict().get("q") else _quarter_number(ordinal, whole)
    if not 1 <= n <= (4 if whole == "quarter" else 2):
        return None

    def make(y: int) -> Granule:
        return G.quarter(y, n) if whole == "quarter" else G.half(y, n)

    if m["year"]:
        return dated(make(int(m["year"])))
    yrel = word_key(m.groupdict().get("yrel") or "")
    if ctx.dct is None:
        return vague(f"XXXX-{'Q' if whole == 'quarter' else 'H'}{n}")
    if ordinal in {"last", "final"} and not yrel and "year" not in m[0].lower():
        current = G.quarter(ctx.dct.year, (ctx.dct.month - 1) // 3 + 1)
        return dated(G.shift(current, -1))
    if yrel:
        return dated(make(ctx.dct.year + {"last": -1, "the previous": -1, "next": 1}.get(yrel, 0)))
    return dated(nearest(make, ctx, slack=MONTH_SLACK))


def _season_for(code: str, dct: Date, rel: str, tense: str | None) -> Granule:
    """Which occurrence of a season: "last" ended before the DCT, "next" starts after it."""
    this = G.season(dct.year - (code == "WI" and dct.month <= 2), code)
    if rel in {"last", "this past", "past", "the last", "the past", "previous"}:
        return this if this.last < dct else G.season(this.first.year - 1, code)
    if rel in {"next", "this coming", "coming", "the coming", "the next"}:
        return this if this.first > dct else G.season(this.first.year + 1, code)
    if rel == "this":
        return this
    if tense == "FUTURE":
        return this if this.last >= dct else G.season(this.first.year + 1, code)
    return this if this.first <= dct else G.season(this.first.year - 1, code)


_FALL_OK = re.compile(r"\b(?:in|by|until|during|this)\s+(?:the\s+)?$", re.I)


def season(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "this fall", "last summer", "the winter of 2009", "spring"."""
    word, rel, mod = word_key(m["season"]), word_key(m["rel"] or ""), mod_of(m["pm"])
    code = SEASONS[word]
    if rel in {"that", "the same", "the following", "the previous"}:
        return None
    if word == "fall" and not (
        m["year"] or mod or rel not in {"", "the"} or _FALL_OK.search(ctx.before())
    ):
        return None  # "a fall in prices"
    if m["year"]:
        return dated(G.season(int(m["year"]), code), mod)
    if ctx.dct is None:
        return vague(f"XXXX-{code}", mod)
    return dated(_season_for(code, ctx.dct, rel, ctx.tense()), mod)
