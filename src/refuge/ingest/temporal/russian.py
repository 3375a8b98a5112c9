"""Russian time expressions, normalised the TIMEX3 way against the report's date and the story.

    find_timexes("16 октября его задержали", date(2022, 12, 30), language="ru")
    # [Timex(0, 10, '16 октября', 'DATE', '2022-10-16', None, ...)]

What it reads: days with a genitive month ("16 октября", "1 июн.", "31 августа прошлого года",
"в ночь на 16 апреля"), numeric dates ("26.09.2022"), months ("в ноябре", "в марте 2023 года",
"в конце ноября" with TIMEX3 mod END), years ("в 2021 году"), deictic dates ("вчера", "в прошлом
месяце", "на прошлой неделе", "в прошлом году"), weekdays ("в среду": the last one on or before
the report's day), "N месяцев назад", "полгода назад", and the narrative's "на следующий день".

Why rules and not dateparser: dateparser finds no "в конце ноября" and no "этой осенью" (see
``shared/design/extraction.md`` §1.4), and it gives no offsets. The rules share the calendar
arithmetic (``granules``) and the ``Timex`` value type with the English layer, so the event
extractor reads both alike.

A day or month without a year takes the year of the story (the last year the text named
before it), or the next one when it would otherwise fall before the month the story last told
("в декабре 2021 года ... 10 января" is January 2022), but never after the report; failing a
story year, the report's year, a year earlier if that would fall after the report (news tell
the past).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import granules
from .granules import Granule
from .timex import Timex

__all__ = ["find_russian_timexes"]

_MONTH_STEMS = (
    ("январ", "янв"),
    ("феврал", "февр?"),
    ("март", "мар"),
    ("апрел", "апр"),
    ("ма[йяе]", None),
    ("июн", "июн"),
    ("июл", "июл"),
    ("август", "авг"),
    ("сентябр", "сент?"),
    ("октябр", "окт"),
    ("ноябр", "нояб?"),
    ("декабр", "дек"),
)
_MONTH = "|".join(
    f"{full}{'' if full.endswith(']') else '[ьяеа]?'}" + (f"|{short}\\." if short else "")
    for full, short in _MONTH_STEMS
)
_MON = rf"(?P<mon>{_MONTH})(?![а-яё])"
_YEAR_TAIL = r"(?:\s+(?P<year>\d{4})(?:\s*(?:г\.|года|году|г)(?![а-яё]))?)?"
_LAST_YEAR = r"(?P<last>\s+прошлого\s+года)?"
_WEEKDAYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")
_PARTS = (("начал", "START"), ("середин", "MID"), ("конц", "END"))
_NUMBERS = {
    "один": 1,
    "одну": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
}


@dataclass(frozen=True, slots=True)
class _Reading:
    granule: Granule
    mod: str | None = None
    explicit_year: bool = False


class _Story:
    """What the text has told so far: the report's day and the last year and day it named."""

    def __init__(self, dct: datetime.date | None) -> None:
        self.dct = dct
        self.year: int | None = None
        self.day: datetime.date | None = None
        self.last: datetime.date | None = None  # the start of the last date told

    def year_for(self, month: int, day: int = 1) -> int | None:
        if self.year is not None:
            moved = self.year + 1
            if (
                self.last is not None
                and datetime.date(self.year, month, 1) < self.last.replace(day=1)
                and (self.dct is None or datetime.date(moved, month, 1) <= self.dct)
            ):
                return moved  # "в декабре 2021 года ... 10 января": the story moves on
            return self.year
        if self.dct is None:
            return None
        if (month, day) > (self.dct.month, self.dct.day):
            return self.dct.year - 1  # "в ноябре" in a February report: last November
        return self.dct.year


def _month_number(word: str) -> int:
    low = word.lower()
    for number, (full, short) in enumerate(_MONTH_STEMS, start=1):
        if re.match(full, low) or (short and re.match(short + r"\.", low)):
            return number
    raise ValueError(word)


def _day(m: re.Match[str], story: _Story) -> _Reading | None:
    month = _month_number(m["mon"])
    day = int(m["day"])
    if m["year"]:
        year: int | None = int(m["year"])
    elif m["last"] and story.dct is not None:
        year = story.dct.year - 1
    else:
        year = story.year_for(month, day)
    if year is None:
        return None
    return _Reading(granules.day(datetime.date(year, month, day)), None, bool(m["year"]))


def _dotted(m: re.Match[str], story: _Story) -> _Reading | None:
    date = datetime.date(int(m["year"]), int(m["month"]), int(m["day"]))
    return _Reading(granules.day(date), None, True)


def _month(m: re.Match[str], story: _Story) -> _Reading | None:
    month = _month_number(m["mon"])
    if m["year"]:
        year: int | None = int(m["year"])
    elif m["last"] and story.dct is not None:
        year = story.dct.year - 1
    else:
        year = story.year_for(month)
    if year is None:
        return None
    part = (m.groupdict().get("part") or "").lower()
    mod = next((v for k, v in _PARTS if part.startswith(k)), None)
    return _Reading(granules.month(year, month), mod, bool(m["year"]))


def _year(m: re.Match[str], story: _Story) -> _Reading | None:
    return _Reading(granules.year(int(m["year"])), None, True)


def _deictic(m: re.Match[str], story: _Story) -> _Reading | None:
    if story.dct is None:
        return None
    word = (m["word"] or "").lower()
    today = granules.day(story.dct)
    table: dict[str, Callable[[], Granule]] = {
        "позавчера": lambda: granules.shift(today, -2),
        "вчера": lambda: granules.shift(today, -1),
        "сегодня": lambda: today,
        "завтра": lambda: granules.shift(today, 1),
    }
    if word in table:
        return _Reading(table[word]())
    unit = m["unit"].lower() if m["unit"] else ""
    step = -1 if m["which"] and m["which"].lower().startswith("прошл") else 0
    if m["which"] and m["which"].lower().startswith("следующ"):
        step = 1
    if unit.startswith("год"):
        return _Reading(granules.shift(granules.year(story.dct.year), step))
    if unit.startswith("месяц"):
        return _Reading(granules.shift(granules.month(story.dct.year, story.dct.month), step))
    if unit.startswith("недел"):
        return _Reading(granules.shift(granules.week(story.dct), step))
    return None


def _weekday(m: re.Match[str], story: _Story) -> _Reading | None:
    if story.dct is None:
        return None
    low = m["wd"].lower()
    target = next(i for i, stem in enumerate(_WEEKDAYS) if low.startswith(stem))
    back = (story.dct.weekday() - target) % 7
    return _Reading(granules.day(story.dct - datetime.timedelta(days=back)))


def _ago(m: re.Match[str], story: _Story) -> _Reading | None:
    if story.dct is None:
        return None
    unit = m["unit"].lower()
    count_word = (m["count"] or "").lower()
    if unit == "полгода":
        n, unit = 6, "месяц"
    elif count_word.isdigit():
        n = int(count_word)
    else:
        n = _NUMBERS.get(count_word, 1)
    if unit.startswith(("год", "лет")):
        return _Reading(granules.shift(granules.year(story.dct.year), -n))
    if unit.startswith("месяц"):
        return _Reading(granules.shift(granules.month(story.dct.year, story.dct.month), -n))
    if unit.startswith("недел"):
        return _Reading(granules.shift(granules.week(story.dct), -n))
    return _Reading(granules.shift(granules.day(story.dct), -n))


def _next_day(m: re.Match[str], story: _Story) -> _Reading | None:
    anchor = story.day
    if anchor is None:
        return None
    steps = (
        1
        if m["word"].lower().startswith("на следующ")
        else _NUMBERS.get(
            (m["count"] or "один").lower(), int(m["count"]) if (m["count"] or "").isdigit() else 1
        )
    )
    return _Reading(granules.shift(granules.day(anchor), steps))


_I = re.IGNORECASE
_NOT_AFTER_WORD = r"(?<![а-яё])"
_NOT_BEFORE_WORD = r"(?![а-яё])"
_DAY = (
    r"(?:в\s+ночь\s+(?:на|с\s+\d{1,2}\s+на)\s+)?(?<!\d)(?P<day>\d{1,2})\s+"
    + _MON
    + _YEAR_TAIL
    + _LAST_YEAR
)
_DOTTED = r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?![\d.])"
_PART = r"(?:(?:в|с)\s+)?(?P<part>начал[еа]|середин[еуы]|конц[еа])\s+" + _MON + _YEAR_TAIL
_BARE_MONTH = _NOT_AFTER_WORD + r"(?:(?:в|с)\s+)?" + _MON + _YEAR_TAIL + _LAST_YEAR
_YEAR = (
    _NOT_AFTER_WORD
    + r"(?:в\s+|с\s+)?(?P<year>(?:19|20)\d{2})\s*(?:г\.|году|года|год)"
    + _NOT_BEFORE_WORD
)
_DEICTIC = (
    _NOT_AFTER_WORD
    + r"(?P<word>(?:поза)?вчера|сегодня|завтра)"
    + _NOT_BEFORE_WORD
    + "|"
    + _NOT_AFTER_WORD
    + r"(?:в|на|с)?\s*(?P<which>прошл\w+|эт\w+|следующ\w+|текущ\w+)\s+"
    + r"(?P<unit>год\w*|месяц\w*|недел\w*)"
)
_WEEKDAY = _NOT_AFTER_WORD + r"в(?:о)?\s+(?P<wd>" + "|".join(_WEEKDAYS) + r")\w*"
_AGO = (
    _NOT_AFTER_WORD
    + r"(?:(?P<count>\d+|[а-яё]+)\s+)?"
    + r"(?P<unit>полгода|дн(?:я|ей)|день|недел[июь]|месяц(?:а|ев)?|год(?:а)?|лет)\s+назад"
    + _NOT_BEFORE_WORD
)
_NEXT_DAY = (
    _NOT_AFTER_WORD
    + r"(?P<word>на\s+следующий\s+день|через\s+(?P<count>\d+|[а-яё]+)\s+(?:дня|дней|день))"
    + _NOT_BEFORE_WORD
)
_Handler = Callable[[re.Match[str], _Story], _Reading | None]
_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (re.compile(_DAY, _I), _day),
    (re.compile(_DOTTED), _dotted),
    (re.compile(_PART + _LAST_YEAR, _I), _month),
    (re.compile(_BARE_MONTH, _I), _month),
    (re.compile(_YEAR, _I), _year),
    (re.compile(_DEICTIC, _I), _deictic),
    (re.compile(_WEEKDAY, _I), _weekday),
    (re.compile(_AGO, _I), _ago),
    (re.compile(_NEXT_DAY, _I), _next_day),
)


def _candidates(text: str) -> Iterator[tuple[int, int, int]]:
    for index, (pattern, _) in enumerate(_RULES):
        for m in pattern.finditer(text):
            if m.end() > m.start() and m.group(0).strip():
                start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
                yield start, m.end(), index


def _select(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Longest first, then earliest rule; no overlaps; in text order."""
    chosen: list[tuple[int, int, int]] = []
    for start, end, rule in sorted(found, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, rule))
    return sorted(chosen)


def find_russian_timexes(text: str, dct: datetime.date | None) -> list[Timex]:
    """The DATE expressions of a Russian text, in order, with their TIMEX3 values."""
    story = _Story(dct)
    out: list[Timex] = []
    for start, end, rule in _select(list(_candidates(text))):
        pattern, handler = _RULES[rule]
        m = pattern.match(text, start, end) or pattern.search(text, max(0, start - 3), end)
        if m is None:
            continue
        try:
            reading = handler(m, story)
        except (ValueError, OverflowError, StopIteration):
            continue  # 31.02.2020, a year beyond the calendar: no reading
        if reading is None:
            continue
        g = reading.granule
        earliest, latest = granules.part(g, reading.mod) if reading.mod else (g.first, g.last)
        out.append(
            Timex(start, end, text[start:end], "DATE", g.value, reading.mod, earliest, latest)
        )
        if reading.explicit_year:
            story.year = g.first.year
        if g.kind in ("D", "M"):
            story.last = g.first
            story.year = g.first.year if story.year is not None else None
        if g.kind == "D":
            story.day = g.first
    return out
