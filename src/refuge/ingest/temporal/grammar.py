"""Recognition: compiled regular expressions that find candidate time expressions in English.

Each rule is a name and a pattern with named groups; the normaliser gives every name a meaning.
Capitalised month and weekday names are matched case-sensitively ("May" the month, not "may" the
verb); the other words are matched case-insensitively. Overlapping candidates are settled by
`select`: the longest wins, then the earlier rule, which is how "late November" beats "November".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lexicon import NUMBERS, UNITS, alternatives

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.(?=\s)"
)
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?<![\d$£€.,:/])(?P<year>(?:1[6-9]|20)\d\d)(?![\d%])(?!\s*(?i:percent|per\s+cent))"
_PM = (
    r"(?:(?P<pm>(?i:early|late|mid|the\s+(?:end|beginning|start|middle|close|dawn)\s+of"
    r"|(?:end|beginning|start|middle)\s+of))[\s-]+)?"
)
_REL = (
    r"(?P<rel>(?i:this\s+past|this\s+coming|earlier\s+this|later\s+this|early\s+this|"
    r"late\s+this|the\s+previous|the\s+following|the\s+next|the\s+last|the\s+past|"
    r"the\s+coming|the\s+same|this|last|next|past|coming|previous|that|the))"
)
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMWORD = (
    rf"(?:\d+(?:\.\d+)?|(?i:(?:{_TENS})[\s-](?:one|two|three|four|five|six|seven|eight|nine)|"
    + alternatives([w for w in NUMBERS if w not in {"a half", "hundred"}])
    + r"))"
)
_VAGUE = r"(?i:several|a\s+few|few|many|a\s+couple\s+of|some|recent|the\s+past|the\s+last)"
_UNIT = r"(?i:" + alternatives(UNITS) + r")"
_TZ = r"(?:UTC|GMT|EST|EDT|CST|CDT|PST|PDT|BST|CET|CEST|MSK|ET|PT)\b"
_MODW = (
    r"(?P<modw>(?i:almost|nearly|less\s+than|more\s+than|at\s+least|up\s+to|roughly|"
    r"approximately|over|under))"
)


def _year(name: str) -> str:
    return _YEAR.replace("(?P<year>", f"(?P<{name}>")


_TIME_CLOCK = (
    r"(?:(?P<h1>[01]?\d|2[0-3])(?::(?P<mi1>[0-5]\d))?\s*"
    r"(?P<ampm>(?i:a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b))"
    r"|(?<![\d:.])(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])"
    r"|(?<![\d:.])(?P<h3>[01]\d|2[0-3])(?P<mi3>[0-5]\d)(?=\s+(?:UTC|GMT|hours\b|hrs\b))"
    r"|(?P<noon>(?i:noon|midday|midnight)))"
)

RULES: list[tuple[str, str]] = [
    (
        "date_mdy",
        rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<month>{_MONTH})\s+{_DAY}(?:\s*,?\s*{_YEAR})?",
    ),
    (
        "date_dmy",
        rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:(?i:the)\s+)?{_DAY}(?:\s+(?i:of))?\s+"
        rf"(?P<month>{_MONTH})(?:\s*,?\s*{_YEAR})?",
    ),
    (
        "date_iso",
        r"(?<![\d-])(?P<year>(?:1[6-9]|20)\d\d)-(?P<mnum>0[1-9]|1[0-2])-"
        r"(?P<day>0[1-9]|[12]\d|3[01])(?![\d-])",
    ),
    (
        # 26.09.2022: the day-first numeric form of court papers from the former Soviet Union
        "date_dotted",
        r"(?<![\d.])(?P<day>0?[1-9]|[12]\d|3[01])\.(?P<mnum>0?[1-9]|1[0-2])\."
        r"(?P<year>(?:1[6-9]|20)\d\d)(?![\d]|\.\d)",
    ),
    (
        "date_slash",
        r"(?<![\d/])(?P<mnum>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])/"
        r"(?P<year>\d{4}|\d{2})(?![\d/])",
    ),
    (
        "time",
        rf"{_TIME_CLOCK}(?:\s*\(?(?P<tz>{_TZ})\)?)?(?:,?\s+(?:(?i:on)\s+)?"
        rf"(?P<dayref>(?i:today|yesterday|tomorrow|tonight)|{_WEEKDAY}))?",
    ),
    ("month_year", rf"{_PM}(?P<month>{_MONTH})(?:\s+(?i:of))?\s*,?\s*{_YEAR}"),
    (
        "month",
        rf"{_PM}(?:{_REL}\s+)?(?P<month>{_MONTH})(?:\s+(?:(?i:of)\s+)?"
        r"(?P<yrel>(?i:last|this|next|the\s+previous|the\s+following))\s+(?i:year))?",
    ),
    (
        "quarter",
        r"(?:(?i:the)\s+)?(?P<ord>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))"
        r"[\s-]+(?P<qh>(?i:quarter|half))(?:\s+(?i:of)\s+(?:"
        + _year("year")
        + r"|(?P<yrel>(?i:this|last|next|the\s+previous|the))\s+(?i:year)"
        r"|(?i:the\s+(?:fiscal\s+|financial\s+)?year)))?",
    ),
    ("qnum", r"\b(?P<q>Q[1-4])(?:\s+" + _year("year") + r")?\b"),
    (
        "season",
        rf"{_PM}(?:{_REL}\s+)?(?P<season>(?i:spring|summer|autumn|fall|winter))"
        rf"(?:\s+(?:(?i:of)\s+)?{_YEAR})?(?![\w-])",
    ),
    (
        "decade",
        rf"(?:(?i:the)\s+)?{_PM}(?:(?P<dec4>(?:1[6-9]|20)\d0)['’]?s"
        r"|['’]?(?P<dec2>[2-9]0)['’]?s)\b",
    ),
    (
        "century",
        r"(?:(?i:the)\s+)?(?P<cent>\d{1,2}(?:st|nd|rd|th)|(?i:eighteenth|nineteenth|"
        r"twentieth|twenty-first))[\s-]+(?i:century)",
    ),
    (
        "year",
        rf"{_PM}(?:(?P<fiscal>(?i:fiscal(?:\s+year)?|the\s+year|FY)\s*)|(?i:the\s+year\s+))?"
        + _YEAR,
    ),
    ("year_short", r"(?<![\w'’])['’](?P<yy>\d\d)(?![\w'’])"),
    (
        "relative",
        rf"{_PM}{_REL}\s+(?P<unit>(?i:day|week|weekend|month|year|quarter|decade|century|"
        r"(?:fiscal|financial)\s+year))\b(?![-’'])",
    ),
    (
        "ago",
        rf"(?:{_MODW}\s+)?(?P<num>{_NUMWORD}|{_VAGUE})\s+(?P<unit>{_UNIT})(?P<pl>s)?\s+"
        r"(?P<dir>(?i:ago|earlier|later|before|after|previously|from\s+now|prior))\b",
    ),
    (
        "weekday",
        r"(?:(?P<rel>(?i:last|next|this\s+past|this\s+coming|this))\s+)?"
        rf"(?P<wd>{_WEEKDAY})(?:\s+(?P<pod>(?i:morning|afternoon|evening|night)))?",
    ),
    (
        "deictic",
        r"(?P<deix>(?i:(?:earlier|later)\s+today|today|yesterday|tomorrow|tonight|"
        r"the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow))"
        r"(?:\s+(?P<pod>(?i:morning|afternoon|evening|night)))?",
    ),
    ("part_of_day", r"(?P<rel>(?i:this|last))\s+(?P<pod>(?i:morning|afternoon|evening|night))"),
    (
        "ref",
        r"(?P<ref>(?i:right\s+now|now|currently|at\s+present|presently|at\s+the\s+moment|"
        r"nowadays|these\s+days|recently|lately|the\s+past|the\s+future|the\s+near\s+future|"
        r"soon|recent|the\s+(?:near|long|short)\s+term|the\s+time\s+being))\b(?![-’'])",
    ),
    (
        "duration",
        rf"(?:{_MODW}\s+)?(?:(?P<dir>(?i:the\s+(?:past|last|next|previous|first|coming|"
        r"following|final|remaining)|past|last|next|previous|first|coming|following))\s+)?"
        rf"(?P<num>{_NUMWORD})(?P<half>\s+(?i:and\s+a\s+half))?"
        r"(?:\s+(?i:straight|consecutive|full|long|more|additional|trading|business|"
        r"calendar|successive|whole|separate))?[\s-]+"
        rf"(?P<unit>{_UNIT})(?P<pl>s)?(?P<half2>\s+(?i:and\s+a\s+half))?"
        r"(?![\w’']|-old|\s+old\b)(?:-(?P<long>long))?",
    ),
    (
        "vague_duration",
        rf"(?P<lead>(?i:for|over|in|through)\s+)?(?:(?P<q>(?i:the\s+(?:next|past|last|coming|"
        rf"following|previous)(?:\s+(?:several|few|couple\s+of))?)|{_VAGUE}|(?i:the))\s+)?"
        rf"(?P<unit>{_UNIT})s\b"
        r"(?![-’'])",
    ),
    (
        "set",
        rf"(?P<every>(?i:every|each|per))\s+(?:(?P<num>{_NUMWORD})\s+)?(?P<unit>{_UNIT})s?\b"
        r"|(?P<adv>(?i:annually|annual|yearly|monthly|weekly|daily|nightly|hourly|quarterly))\b",
    ),
]

# Every expression starts at the start of a word; saying so first lets the engine skip the
# positions inside words at once, which makes the whole scan several times faster.
COMPILED: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(r"(?<!\w)(?:" + p + ")")) for name, p in RULES
]
PRIORITY = {name: i for i, (name, _) in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span one rule matched, with the match for the normaliser to read groups from."""

    start: int
    end: int
    rule: str
    match: re.Match[str]


def candidates(text: str) -> Iterator[Candidate]:
    """Every match of every rule (overlaps included); `select` picks among them."""
    for name, pattern in COMPILED:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                yield Candidate(m.start(), m.end(), name, m)


def select(found: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates in text order: longest first, then by rule order.

    The chosen spans are kept sorted by start, so checking a candidate against its two
    neighbours is enough: the choice stays O(n log n) even for a text full of dates.
    """
    ranked = sorted(found, key=lambda c: (c.start - c.end, PRIORITY[c.rule], c.start))
    starts: list[int] = []
    taken: list[Candidate] = []
    for c in ranked:
        i = bisect.bisect_left(starts, c.start)
        if i > 0 and taken[i - 1].end > c.start:
            continue
        if i < len(taken) and taken[i].start < c.end:
            continue
        starts.insert(i, c.start)
        taken.insert(i, c)
    return taken
