"""English words for time: months, weekdays, seasons, units, numbers and modifiers.

The tables feed both the recogniser (as regular-expression alternatives) and the normaliser (as
lookups), so a word added here is recognised and understood at once.
"""

from __future__ import annotations

from collections.abc import Iterable

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}  # fmt: skip

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
    "overnight": "NI",
}  # fmt: skip

NUMBERS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a couple of": 2, "a couple": 2, "couple of": 2, "half a": 0.5, "half an": 0.5,
    "a half": 0.5, "a dozen": 12, "dozen": 12,
}  # fmt: skip

# Quantifiers with no number: TIMEX3 writes the count as X ("several years" -> PXY).
VAGUE = frozenset({"several", "a few", "few", "many", "some", "the", "recent", "past", "coming"})

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "final": -1, "last": -1,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}  # fmt: skip

# Unit word -> (TIMEX3 duration letter, is a time-of-day unit, multiplier).
UNITS: dict[str, tuple[str, bool, int]] = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "fortnight": ("W", False, 2), "month": ("M", False, 1), "quarter": ("Q", False, 1),
    "year": ("Y", False, 1), "decade": ("Y", False, 10), "century": ("Y", False, 100),
    "centurie": ("Y", False, 100), "yr": ("Y", False, 1), "hr": ("H", True, 1),
    "min": ("M", True, 1),
}  # fmt: skip

# Words before a duration or date that set its TIMEX3 mod.
MODS: dict[str, str] = {
    "almost": "LESS_THAN", "nearly": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS", "about": "APPROX",
    "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX", "some": "APPROX",
    "early": "START", "the beginning of": "START", "the start of": "START",
    "beginning of": "START", "start of": "START", "the dawn of": "START", "mid": "MID",
    "the middle of": "MID", "middle of": "MID", "late": "END", "the end of": "END",
    "end of": "END", "the close of": "END",
}  # fmt: skip


def alternatives(words: Iterable[str]) -> str:
    """A regex alternation of the given words, longest first so that prefixes never win."""
    items = sorted(words, key=len, reverse=True)
    return "|".join(w.replace(" ", r"\s+").replace(".", r"\.") for w in items)


def number_value(word: str) -> float | None:
    """The number a word or digit string stands for, None for a vague quantifier ("several")."""
    w = " ".join(word.lower().replace("-", " ").split())
    if w in VAGUE:
        return None
    if w.replace(".", "", 1).isdigit():
        return float(w.replace(",", ""))
    if w.replace(",", "").isdigit():
        return float(w.replace(",", ""))
    if w in NUMBERS:
        return NUMBERS[w]
    parts = w.split()
    if len(parts) == 2 and NUMBERS.get(parts[0], 0) >= 20 and NUMBERS.get(parts[1], 99) < 10:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]  # "twenty five"
    return None
