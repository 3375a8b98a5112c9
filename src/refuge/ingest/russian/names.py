"""Russian person names: found, put back in the nominative, and spelt in Latin letters.

A Russian report writes "задержали Михаила Жилина" (accusative) and later "Жилин заявил"; the
case file needs "Михаил Жилин", and the store must merge him with an English report's
"Mikhail Zhilin". So:

* a name is a capitalised word that pymorphy3's dictionary knows as a first name (``Name``),
  followed by an optional patronymic and a capitalised surname (or an initial: "Низомиддин К.");
* the first name is parsed in the case and gender that agree with the surname's, and both are
  inflected to the nominative (pymorphy3 for known surnames, the regular Russian surname endings
  -ов/-ев/-ин/-ский otherwise);
* two Latin spellings are kept as aliases: ICAO Doc 9303 (the transliteration of Russian
  passports since 2013, GOST R 52535.1-2006: Жилин → Zhilin, Юлия → Iuliia) and the
  simplified BGN/PCGN romanisation most English-language outlets use (Юлия → Yuliya,
  Емельянова → Yemelyanova). ``refuge.storage.resolve`` compares names case- and
  spelling-insensitively, so either alias meets the English report.

pymorphy3 loads its dictionaries (about 0.2 s) on the first Russian report only.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["NameMention", "find_names", "stem", "transliterate"]

_ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "-",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_BGN = _ICAO | {"ё": "yo", "й": "y", "ъ": "-", "ю": "yu", "я": "ya", "е": "e"}
_VOWELS = set("аеёиоуыэюяьъ")


def transliterate(text: str, scheme: str = "icao") -> str:
    """Latin letters for Cyrillic ones: ``icao`` (passports) or ``bgn`` (simplified BGN/PCGN:
    е and ё are ye/yo at the start of a word and after a vowel, ь and ъ are dropped)."""
    table = _ICAO if scheme == "icao" else _BGN
    out: list[str] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        if low not in table:
            out.append(ch)
            continue
        latin = table[low]
        if scheme == "bgn" and low in "её":
            before = text[i - 1].lower() if i else " "
            if not before.isalpha() or before in _VOWELS:
                latin = "ye" if low == "е" else "yo"
        if latin == "-":
            latin = ""
        if ch.isupper():
            latin = latin[:1].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class NameMention:
    """A person named at ``start:end``: ``person`` is the nominative full name; a lone surname
    refers to the full name seen with it (``surname_only``)."""

    person: str
    start: int
    end: int
    surname_only: bool = False


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


_WORD = r"[А-ЯЁ][а-яёА-ЯЁ]+(?:-[А-ЯЁ][а-яё]+)?|[А-ЯЁ]\."
_TOKEN = re.compile(rf"(?<![А-Яа-яЁё])(?:{_WORD})")
#: Masculine surname endings by case (nominative last), for surnames pymorphy3 does not know.
_MASC_ENDINGS = (
    ("ова", "ов"),
    ("ева", "ев"),
    ("ина", "ин"),
    ("ову", "ов"),
    ("еву", "ев"),
    ("ину", "ин"),
    ("овым", "ов"),
    ("евым", "ев"),
    ("иным", "ин"),
    ("ове", "ов"),
    ("еве", "ев"),
    ("ине", "ин"),
    ("ского", "ский"),
    ("скому", "ский"),
    ("ским", "ский"),
)
_FEM_ENDINGS = (
    ("овой", "ова"),
    ("евой", "ева"),
    ("иной", "ина"),
    ("ову", "ова"),
    ("еву", "ева"),
    ("ину", "ина"),
    ("ской", "ская"),
    ("скую", "ская"),
)
_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий|зода|заде|уулу|кызы|енко|ук|юк)(?:а|у|ым|е|ой|ы)?$|"
    r"(?:ова|ева|ина|ская)$|[А-ЯЁ]\.$",
    re.IGNORECASE,
)


def _first_names(word: str) -> list[Any]:
    return [p for p in _morph().parse(word) if "Name" in p.tag and "sing" in p.tag]


def _pairs(first: str, last: str) -> list[tuple[Any, str, str]]:
    """First-name parses that agree in case and gender with a reading of the surname, the most
    plausible first: a masculine name does not end in -а/-я in the nominative, a feminine one
    does (Собира Рустамова is Sobir Rustamov, not a woman called Sobira), and the nominative,
    genitive and accusative are likelier than the dative."""
    parses = _morph().parse(last)
    readings = {(str(p.tag.case), str(p.tag.gender)) for p in parses if "sing" in p.tag}
    if last.endswith(("ову", "еву", "ину")):
        readings.add(("accs", "femn"))  # Емельянову: the dictionary may lack the feminine
    found: list[tuple[int, float, Any, str, str]] = []
    for name in _first_names(first):
        if (str(name.tag.case), str(name.tag.gender)) in readings:
            nominative = str(name.normal_form)
            odd = (name.tag.gender == "femn") != nominative.endswith(("а", "я"))
            case, gender = str(name.tag.case), str(name.tag.gender)
            rank = _CASE_RANK.get(case, 2) + 3 * int(odd)
            found.append((rank, -float(name.score), name, case, gender))
    found.sort(key=lambda f: (f[0], f[1]))
    return [(f[2], f[3], f[4]) for f in found]


#: How often news name a person in each case: "задержали Юлию Емельянову" is the accusative of
#: Юлия, not the dative of Юлий.
_CASE_RANK = {"nomn": 0, "gent": 0, "accs": 0, "ablt": 1, "loct": 1, "datv": 2}


def _pairs_by_patronymic(first: str, middle: str) -> list[tuple[Any, str, str]]:
    """Case and gender from the patronymic when the surname is unknown (Сабир Аминович ...)."""
    for patr in _morph().parse(middle):
        if "Patr" in patr.tag:
            for name in _first_names(first):
                if name.tag.case == patr.tag.case and name.tag.gender == patr.tag.gender:
                    return [(name, str(name.tag.case), str(name.tag.gender))]
    return []


def _nominative_surname(last: str, case: str, gender: str) -> str:
    if case == "nomn" or last.endswith("."):
        return last
    for parse in _morph().parse(last):
        if "Surn" in parse.tag and parse.tag.case == case and parse.tag.gender == gender:
            form = parse.inflect({"nomn"})
            if form is not None:
                return str(form.word).capitalize()
    endings = _FEM_ENDINGS if gender == "femn" else _MASC_ENDINGS
    for ending, nominative in endings:
        if last.endswith(ending):
            return last[: -len(ending)] + nominative
    tail = {"gent": "а", "accs": "а", "datv": "у", "ablt": "ом", "loct": "е"}.get(case)
    if gender == "masc" and tail and last.endswith(tail) and last[-len(tail) - 1] not in _VOWELS:
        return last[: -len(tail)]  # Амону → Амон
    return last


def _guess(first: str, last: str) -> str | None:
    """A name pymorphy3 does not know (Central Asian first names): read the case from the
    surname's ending, take the name as masculine unless both read as feminine nominatives."""
    if not _SURNAME.search(last) or last.endswith("."):
        return None if not last.endswith(".") else f"{first} {last}"
    for ending, nominative in _MASC_ENDINGS:
        if last.endswith(ending):
            case = {"а": "gent", "у": "datv", "м": "ablt", "е": "loct"}[ending[-1]]
            known = [p for p in _first_names(first) if p.tag.case == case]
            surname = last[: -len(ending)] + nominative
            if known:
                form = known[0].inflect({"nomn"})
                return f"{str(form.word if form else known[0].normal_form).capitalize()} {surname}"
            strip = {"а": "а", "у": "у", "м": "ом", "е": "е"}[ending[-1]]
            if first.endswith(strip) and not first.endswith(("ия", "ья")):
                return f"{first[: -len(strip)]} {surname}"
            return None
    if _morph().word_is_known(first.lower()) and not _first_names(first):
        return None  # a common word before a surname-like word ("Двух Членов")
    return f"{first} {last}"  # Уринбой Эргашев: both in the nominative


def _nominative(words: list[str]) -> str | None:
    """ "Михаила Жилина" → "Михаил Жилин"; None when the words are no person's name."""
    pairs = _pairs(words[0], words[-1])
    if not pairs and len(words) == 3:
        pairs = _pairs_by_patronymic(words[0], words[1])
    if not pairs:
        return _guess(words[0], words[-1]) if len(words) == 2 else None
    parse, case, gender = pairs[0]
    first_form = parse.inflect({"nomn"})
    first = str(first_form.word if first_form else parse.normal_form).capitalize()
    out = [first]
    if len(words) == 3:
        middle = _morph().parse(words[1])
        patr = next((p for p in middle if "Patr" in p.tag and p.tag.case == case), None)
        if patr is None:
            return None
        form = patr.inflect({"nomn"})
        out.append(str(form.word if form else words[1]).capitalize())
    out.append(_nominative_surname(words[-1], case, gender))
    return " ".join(out)


def find_names(text: str) -> list[NameMention]:
    """Every full name in ``text`` and every later lone surname of one (in text order)."""
    tokens = list(_TOKEN.finditer(text))
    full: list[NameMention] = []
    i = 0
    while i < len(tokens) - 1:
        found = _name_at(text, tokens, i)
        if found is None:
            i += 1
            continue
        mention, used = found
        full.append(mention)
        i += used
    surnames = {stem(n.person.split()[-1]) for n in full}
    full = [n for n in full if stem(_title(text[n.start : n.end].split()[0])) not in surnames]
    return sorted(full + _surnames(text, full), key=lambda n: n.start)


def _title(word: str) -> str:
    return word.capitalize() if word.isupper() and len(word) > 2 else word


def _name_at(text: str, tokens: list[re.Match[str]], i: int) -> tuple[NameMention, int] | None:
    """A two- or three-word name starting at token ``i`` (adjacent words only)."""
    for size in (3, 2):
        group = tokens[i : i + size]
        if len(group) < size or any(
            text[a.end() : b.start()].strip() for a, b in itertools.pairwise(group)
        ):
            continue
        words = [_title(t.group(0)) for t in group]
        if words[0].endswith(".") or (size == 3 and words[1].endswith(".")):
            continue
        person = _nominative(words)
        if person is not None and _plausible_surname(words[-1]) and _plausible_first(words[0]):
            return NameMention(person, group[0].start(), group[-1].end()), size
    return None


def _plausible_first(word: str) -> bool:
    parses = _morph().parse(word)
    if any("Name" in p.tag for p in parses):
        return True
    return not any({"Geox", "Orgn", "Abbr"} & set(p.tag.grammemes) for p in parses[:2]) and not any(
        "UNKN" not in p.tag and p.score > 0.4 for p in parses
    )


def _plausible_surname(word: str) -> bool:
    if word.endswith("."):
        return True  # an initial
    if not _morph().word_is_known(word.lower()):
        return True
    parses = _morph().parse(word)
    return not any("Geox" in p.tag or "Orgn" in p.tag for p in parses[:1])


def _surnames(text: str, full: list[NameMention]) -> list[NameMention]:
    """Lone surnames ("Жилин заявил", "адвокат Вохидова") of the full names already found."""
    stems: dict[str, str] = {}
    for n in full:
        surname = n.person.split()[-1]
        if not surname.endswith("."):
            stems.setdefault(stem(surname), n.person)
    if not stems:
        return []
    taken = [(n.start, n.end) for n in full]
    out: list[NameMention] = []
    for m in _TOKEN.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        person = stems.get(stem(_title(m.group(0))))
        if person is not None:
            out.append(NameMention(person, m.start(), m.end(), surname_only=True))
    return out


def stem(word: str) -> str:
    """A surname without its case and gender ending: Жилина, Жилину, Жилин → жилин."""
    low = word.lower()
    for ending in ("ыми", "ими", "ому", "ого", "ой", "ым", "им", "ом", "ая", "ую", "у", "а", "е"):
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            return low[: -len(ending)]
    return low
