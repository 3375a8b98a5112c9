"""Normalisation: from a recognised phrase to a TIMEX3 type, value, mod and day interval.

One handler per grammar rule reads the rule's named groups. A handler returns None to reject a
candidate that is not a time expression after all ("a fall in prices", "may"), so that a shorter
overlapping candidate can still win. Relative expressions are computed from the document creation
time (DCT); without a DCT they get an underspecified value (``XXXX-09``) and no interval.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import granules as G
from .anchoring import Narrative, Tense, tense_at
from .granules import Granule
from .lexicon import MODS, MONTHS, ORDINALS

Date = datetime.date
_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a phrase means; ``trim`` drops leading words that are not part of the extent."""

    type: str
    value: str
    mod: str | None = None
    earliest: Date | None = None
    latest: Date | None = None
    trim: int = 0
    granule: Granule | None = None


@dataclass(slots=True)
class Context:
    """Everything a handler may consult about where the phrase stands."""

    text: str
    dct: Date | None
    narrative: Narrative
    start: int = 0
    end: int = 0
    _tense: list[Tense | None] = field(default_factory=list)

    def at(self, start: int, end: int) -> Context:
        """Point the context at another phrase (and forget the tense read for the last one)."""
        self.start, self.end = start, end
        self._tense.clear()
        return self

    def tense(self) -> Tense | None:
        if not self._tense:
            self._tense.append(tense_at(self.text, self.start, self.end))
        return self._tense[0]

    def before(self, n: int = 30) -> str:
        return self.text[max(0, self.start - n) : self.start]

    def after(self, n: int = 30) -> str:
        return self.text[self.end : self.end + n]


Handler = Callable[[re.Match[str], Context], Reading | None]


def word_key(word: str) -> str:
    """A word or phrase as the lexicon spells it: lower case, single spaces, no final dot."""
    return " ".join(word.lower().replace("-", " ").rstrip(".").split())


def mod_of(words: str | None) -> str | None:
    """The TIMEX3 mod for words such as "late", "the end of", "more than"."""
    return MODS.get(word_key(words)) if words else None


def dated(
    g: Granule,
    mod: str | None = None,
    *,
    kind: str = "DATE",
    value: str | None = None,
) -> Reading:
    """A reading for granule ``g``; START/MID/END narrow the interval to that part of it."""
    first, last = G.part(g, mod) if mod in {"START", "MID", "END"} else (g.first, g.last)
    return Reading(kind, value or g.value, mod, first, last, granule=g)


def vague(value: str, mod: str | None = None, kind: str = "DATE") -> Reading:
    """A reading with no interval: durations, sets, and relative dates without a DCT."""
    return Reading(kind, value, mod)


def nearest(make: Callable[[int], Granule], ctx: Context, *, slack: int = 0) -> Granule:
    """The occurrence of a yearless date that the tense points to, around the DCT.

    Past (the default for news): not after the DCT (``slack`` days of tolerance); future: not
    before it. (Taking the year of the story's last explicit date instead was measured on
    MEANTIME and lost more than it won: reporters mix background years into current news.)
    """
    assert ctx.dct is not None
    g = make(ctx.dct.year)
    if ctx.tense() == "FUTURE":
        return make(ctx.dct.year + 1) if g.last < ctx.dct - datetime.timedelta(slack) else g
    return make(ctx.dct.year - 1) if g.first > ctx.dct + datetime.timedelta(slack) else g


# A month that begins within this many days after the DCT is not sent back a year even in a
# past-tense sentence: it cannot have happened yet, so the tense guess is the likelier error.
MONTH_SLACK = 45


def _month_day(month: int, day: int) -> Callable[[int], Granule]:
    def make(year: int) -> Granule:
        try:
            return G.day(Date(year, month, day))
        except ValueError:  # 29 February outside a leap year
            return G.day(Date(year, month, 28))

    return make


def _valid_day(month: int, day: int) -> bool:
    try:
        Date(2000, month, day)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------- absolute dates


def full_date(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "December 30, 2022", "Sept. 26", "30 December", "Friday, Dec. 30"."""
    month, day = MONTHS[word_key(m["month"])], int(m["day"])
    if not _valid_day(month, day):
        return None
    if m["year"]:
        return dated(G.day(Date(int(m["year"]), month, day)))
    if m["month"] in {"May", "March"} and not m["wd"] and re.search(r"\d\s*$", m["day"]) is None:
        return None
    if ctx.dct is None:
        return vague(f"XXXX-{month:02d}-{day:02d}")
    return dated(nearest(_month_day(month, day), ctx, slack=7))


def numeric_date(m: re.Match[str], ctx: Context) -> Reading | None:
    """ISO "2022-12-30", US "12/30/2022" or "7/8/07", and day-first "26.09.2022" dates."""
    year = int(m["year"])
    if year < 100:
        year += 2000 if year <= (ctx.dct.year % 100 if ctx.dct else 30) + 5 else 1900
    try:
        return dated(G.day(Date(year, int(m["mnum"]), int(m["day"]))))
    except ValueError:
        return None


def month_year(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "September 2006", "late September 2006"."""
    g = G.month(int(m["year"]), MONTHS[word_key(m["month"])])
    return dated(g, mod_of(m["pm"]))


_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|to|through|of|during|before|after|between|and|or|"
    r"on|early|late|mid|last|next|this|around|for|that|until|end)\s+|[-(])$",
    re.I,
)


def bare_month(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "February", "late last July", "next March", "September last year"."""
    month, rel = MONTHS[word_key(m["month"])], word_key(m["rel"] or "")
    mod = mod_of(m["pm"])
    if rel in {"the", "that", "the same", "past", "coming", "previous"}:
        return None
    ambiguous = word_key(m["month"]) in {"may", "march", "mar", "jan", "dec"}
    if ambiguous and not (rel or mod or m["yrel"] or _PREP_BEFORE.search(ctx.before())):
        return None
    if ctx.dct is None:
        return vague(f"XXXX-{month:02d}", mod)
    yrel = word_key(m["yrel"] or "")
    if yrel:
        offset = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(yrel, 0)
        return dated(G.month(ctx.dct.year + offset, month), mod)
    if rel in {"last", "this past", "the last", "the past"}:
        year = ctx.dct.year - (month >= ctx.dct.month)
    elif rel in {"next", "this coming", "the next", "the following", "the coming"}:
        year = ctx.dct.year + (month <= ctx.dct.month)
    elif rel == "this":
        year = ctx.dct.year
    else:
        return dated(nearest(lambda y: G.month(y, month), ctx, slack=MONTH_SLACK), mod)
    return dated(G.month(year, month), mod)


def year(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "2008", "mid-2011", "fiscal 2009", "the end of 2022"."""
    if re.match(r"\s*(?:Avenue|Street|St\.|Road|Rd\.|Boulevard|Blvd|Index|index)", ctx.after()):
        return None
    return dated(G.year(int(m["year"])), mod_of(m["pm"]))


def short_year(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "'82" (a two-digit year with an apostrophe)."""
    yy = int(m["yy"])
    pivot = ctx.dct.year % 100 + 5 if ctx.dct else 30
    return dated(G.year((2000 if yy <= pivot else 1900) + yy))


def decade(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "the 1990s", "the '80s", "the early 2000s"."""
    if re.search(r"\b(?:their|his|her|its|low|high|mid|upper)\s+$", ctx.before(), re.I):
        return None  # "in their 60s": an age or a temperature
    first = int(m["dec4"]) if m["dec4"] else 1900 + int(m["dec2"])
    return dated(G.decade(first), mod_of(m["pm"]))


def century(m: re.Match[str], ctx: Context) -> Reading | None:
    """ "the 20th century" -> 19."""
    raw = word_key(m["cent"])
    index = ORDINALS.get(raw) or (int(raw[:-2]) if raw[:-2].isdigit() else 0)
    if raw == "twenty first":
        index = 21
    if index < 1:
        return None
    return dated(G.century(index))
