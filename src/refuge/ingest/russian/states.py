"""States in Russian text: country names in every case, their adjectives, capitals and cities.

"в Казахстане", "из России", "РФ", "Узбекистана", "казахстанские власти", "в Бишкеке" all name a
state; the reader votes with them for the host (where the person was detained, asked for asylum,
was decided on) and the origin (where the person was sent, who asked for them). Data, not
logic: add a row to add a state or a city.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Place", "find_states", "state_after"]

#: ISO code -> stems of the country's name, adjective, capital and main cities (lower case).
_STEMS: dict[str, tuple[str, ...]] = {
    "RU": (
        r"росси[яиюей]",
        r"рф",
        r"российск\w*\s+федераци\w*",
        r"российск\w*",
        r"россиян\w*",
        r"москв\w*",
        r"московск\w*",
        r"подмосков\w*",
        r"петербург\w*",
        r"нижн\w+\s+новгород\w*",
        r"саратов\w*",
        r"волгоград\w*",
        r"чечн\w+",
        r"калмыки\w+",
        r"башкортостан\w*",
        r"свердловск\w*",
        r"элист\w+",
    ),
    "KZ": (
        r"казахстан\w*",
        r"алмат\w*",
        r"астан\w+",
        r"уральск\w*",
        r"зко",
        r"приозерск\w*",
        r"шымкент\w*",
    ),
    "KG": (
        r"кыргызстан\w*",
        r"киргизи\w+",
        r"киргизск\w*",
        r"бишкек\w*",
        r"баткен\w*",
        r"ош(?:е|а)?",
    ),
    "TJ": (r"таджикистан\w*", r"таджикск\w*", r"душанбе", r"худжанд\w*", r"исфар\w*"),
    "UZ": (r"узбекистан\w*", r"узбекск\w*", r"ташкент\w*", r"самарканд\w*", r"андижан\w*"),
    "TM": (r"туркменистан\w*", r"туркменск\w*", r"ашхабад\w*"),
    "TR": (r"турци\w+", r"турецк\w*", r"стамбул\w*", r"анкар\w+"),
    "UA": (r"украин\w+", r"киев\w*", r"борисполь"),
    "BY": (r"беларус\w*", r"белорусси\w+", r"минск\w*"),
    "GE": (r"грузи[яиюей]", r"тбилиси"),
    "AZ": (r"азербайджан\w*", r"баку"),
    "AM": (r"армени[яиюей]", r"ереван\w*"),
    "DE": (r"германи[яиюей]",),
    "FR": (r"франци[яиюей]",),
}
_ALL = re.compile(
    "|".join(
        rf"(?P<{code}>(?<![а-яё])(?:{'|'.join(stems)})(?![а-яё]))" for code, stems in _STEMS.items()
    ),
    re.IGNORECASE,
)
#: Lowercase words that are adjectives of a state; a capitalised one can also be a person's
#: name ("Ош"), so the short stems only count capitalised.
_SHORT = frozenset({"рф", "зко", "ош", "оше", "оша", "баку"})


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    start: int
    end: int
    word: str


def find_states(text: str, start: int = 0, end: int | None = None) -> Iterator[Place]:
    """Every state named in ``text[start:end]``, in order."""
    for m in _ALL.finditer(text, start, len(text) if end is None else end):
        word = m.group(0)
        if word.lower() in _SHORT and not word[0].isupper():
            continue
        code = m.lastgroup
        if code is not None:
            yield Place(code, m.start(), m.end(), word)


_INTO = re.compile(r"(?:^|\s)(?:в|во|властям|силовикам)\s+(?:\w+\s+)?$")
_ADJECTIVES = ("российск", "таджикск", "узбекск", "киргизск", "турецк", "московск")


def state_after(text: str, at: int, limit: int = 60) -> str | None:
    """The state a verb sends someone to: the first "в <state>" within ``limit`` characters
    ("депортировали в Таджикистан", "передали российской стороне")."""
    window = text[at : at + limit]
    for place in find_states(window):
        before = window[: place.start].lower()
        if re.search(
            r"(?:^|\s)(?:в|во|властям|силовикам)\s+(?:\w+\s+)?$", before
        ) or place.word.lower().startswith(
            ("российск", "таджикск", "узбекск", "киргизск", "турецк", "московск")
        ):
            if re.search(r"(?:^|\s)из\s+$", before):
                continue
            return place.code
    return None
