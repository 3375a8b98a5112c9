"""Small, dependency-free helpers that find an article's metadata in plain text and URLs.

Why hand-written patterns rather than ``dateparser``: the publication date decides which law was
in force and when a deadline started, so it must come from a line that *is* a date, parsed the
same way on every machine, and never from a guess inside a sentence. Everything here is pure,
bounded (regular expressions without nested quantifiers, inputs cut to a few hundred
characters) and safe on hostile text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

__all__ = [
    "OUTLETS_BY_HOST",
    "clean_url",
    "date_from_url",
    "detect_language",
    "find_date_line",
    "find_source_url",
    "outlet_for_url",
    "parse_date",
]

# Host (registrable part) → outlet name as lawyers cite it. Data, not logic: add a row to add an
# outlet. A host matches itself and any of its subdomains ("rus.azattyq.org" → Azattyq).
OUTLETS_BY_HOST: Mapping[str, str] = {
    "themoscowtimes.com": "The Moscow Times",
    "novayagazeta.eu": "Novaya Gazeta Europe",
    "novayagazeta.ru": "Novaya Gazeta",
    "rferl.org": "RFE/RL",
    "azattyq.org": "Radio Azattyq (RFE/RL)",
    "rus.azattyq.org": "Radio Azattyq (RFE/RL)",
    "currenttime.tv": "Current Time",
    "meduza.io": "Meduza",
    "zona.media": "Mediazona",
    "exclusive.kz": "Exclusive.kz",
    "vlast.kz": "Vlast.kz",
    "kloop.kg": "Kloop",
    "eurasianet.org": "Eurasianet",
    "hrw.org": "Human Rights Watch",
    "amnesty.org": "Amnesty International",
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "theguardian.com": "The Guardian",
    "nytimes.com": "The New York Times",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "interfax.ru": "Interfax",
    "kommersant.ru": "Kommersant",
}

_MONTHS: Mapping[str, int] = {
    **{
        name: i
        for i, name in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            start=1,
        )
    },
    "sept": 9,
    # Russian genitive ("30 декабря 2022") and nominative forms, as Russian-language outlets print.
    **{
        name: i
        for i, name in enumerate(
            [
                "января",
                "февраля",
                "марта",
                "апреля",
                "мая",
                "июня",
                "июля",
                "августа",
                "сентября",
                "октября",
                "ноября",
                "декабря",
            ],
            start=1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            [
                "январь",
                "февраль",
                "март",
                "апрель",
                "май",
                "июнь",
                "июль",
                "август",
                "сентябрь",
                "октябрь",
                "ноябрь",
                "декабрь",
            ],
            start=1,
        )
    },
}
_MONTH = r"(?P<month>[^\W\d_]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:[^\W\d_]{3,11}\.?,?\s+)?"
_PREFIX = r"(?:(?:published|posted|updated|date|опубликовано|дата)\s*(?:on|:)?\s*)?"
_TIME_TAIL = r"(?:\s*(?:,|at|в|-|—|\|)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?"

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(r"^\s*" + _PREFIX + _WEEKDAY + body + _TIME_TAIL + r"\s*\.?\s*$", re.IGNORECASE)
    for body in (
        _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR,  # December 30, 2022 / Dec. 30, 2022
        _DAY + r"\.?\s+" + _MONTH + r",?\s+" + _YEAR + r"(?:\s*(?:г\.|года))?",  # 30 December 2022
        _YEAR + r"-(?P<nmonth>\d\d)-" + r"(?P<day>\d\d)(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?",  # ISO
        r"(?P<day>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<year>(?:19|20)\d\d)",  # 30.12.2022
    )
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|-|$)")
_ISO_PREFIX = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")


def _make_date(year: str, month: int, day: str) -> datetime.date | None:
    """Build a date, or ``None`` for impossible ones (30 February) rather than raising."""
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


def parse_date(line: str) -> datetime.date | None:
    """Parse a line that consists of a date and nothing else (weekday, "Published", time allowed).

    A sentence that merely *contains* a date returns ``None``: only a date line can be a dateline.
    """
    line = line.strip().strip("*_").strip()
    if len(line) > 80:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("nmonth"):
            month = int(groups["nmonth"])
        else:
            found = _MONTHS.get(groups["month"].lower())
            if found is None:
                continue
            month = found
        return _make_date(groups["year"], month, groups["day"])
    return None


def parse_iso_prefix(value: str) -> datetime.date | None:
    """Read the date part of an ISO 8601 timestamp (``2022-12-30T09:00:00+03:00``) from metadata.

    The calendar date as the outlet wrote it is kept (no conversion to UTC), because that is the
    date printed on the article a lawyer will cite.
    """
    match = _ISO_PREFIX.match(value[:64])
    if match is None:
        return None
    return _make_date(match.group(1), int(match.group(2)), match.group(3))


def clean_url(url: str | None) -> str | None:
    """``url`` if it is a well-formed absolute http(s) URL with a host, else ``None``.

    Pages and text files may carry malformed URLs (``http://[::1``); they are dropped here
    rather than raising later, deep inside metadata code.
    """
    if not url or len(url) > 2048:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    return url.strip()


def date_from_url(url: str | None) -> datetime.date | None:
    """The date many outlets put in their paths (``/2022/12/30/``), or ``None``."""
    url = clean_url(url)
    if url is None:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    return _make_date(match.group(1), int(match.group(2)), match.group(3))


def find_date_line(
    text: str, start: int = 0, max_lines: int = 8
) -> tuple[datetime.date, int, int] | None:
    """Find the first date line among the first ``max_lines`` non-empty lines after ``start``.

    Returns the date and the line's ``(start, end)`` offsets, so the body can begin after it.
    """
    seen = 0
    for match in re.finditer(r"[^\n]*", text[start : start + 4000]):
        line = match.group(0)
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        found = parse_date(line)
        if found is not None:
            return found, start + match.start(), start + match.end()
    return None


_URL_IN_LINE = re.compile(r"<?(https?://[^\s<>\"')\]]{1,2000})>?")
_URL_LABEL = re.compile(
    r"^\s*(?:original\s+url|source\s+url|url|canonical(?:\s+url)?|source|link|источник)\s*:\s*(.*)$",
    re.IGNORECASE,
)


def find_source_url(text: str) -> str | None:
    """The article's own URL from a labelled line (``Original url:``, ``URL:``, ``Canonical:``).

    The label may stand alone with the URL on the next non-empty line (``<https://...>``), as in
    saved copies of articles. Only the last 3,000 and the first 3,000 characters are read: the
    label sits at either end, and a huge text must not cost a full scan.
    """
    for chunk in (text[-3000:], text[:3000]):
        lines = chunk.split("\n")
        for index in range(len(lines) - 1, -1, -1):
            label = _URL_LABEL.match(lines[index])
            if label is None:
                continue
            candidates = [label.group(1), *lines[index + 1 : index + 4]]
            for candidate in candidates:
                if not candidate.strip():
                    continue
                url = _URL_IN_LINE.search(candidate)
                if url is not None and clean_url(url.group(1)):
                    return url.group(1)
                break
    return None


def outlet_for_url(url: str | None) -> str | None:
    """Map a URL's host to an outlet name with :data:`OUTLETS_BY_HOST`, or ``None`` if unknown."""
    url = clean_url(url)
    if url is None:
        return None
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    while host:
        if host in OUTLETS_BY_HOST:
            return OUTLETS_BY_HOST[host]
        _, dot, rest = host.partition(".")
        host = rest if dot else ""
    return None


def _words(text: str) -> frozenset[str]:
    """A word set from a space-separated literal, which reads better than a list of strings."""
    return frozenset(text.split())


_STOPWORDS: Mapping[str, frozenset[str]] = {
    "en": _words("the and of to in is that was for on with he she said by has from"),
    "de": _words("der die und das ist nicht mit ein eine sich auch auf für von dem"),
    "fr": _words("le la les et des est une dans pour que qui pas sur du au avec"),
    "es": _words("el la los las y de que en un una por con para del se es"),
    "tr": _words("ve bir bu da de için ile olarak olan gibi daha çok ama"),
    "uz": _words("va bilan uchun bu bir edi ham esa deb qilib emas yil shu kabi"),
    "az": _words("və bir bu ilə üçün olan da də ki isə kimi daha"),
}
#: Letters that only some Cyrillic alphabets have, by language. A text is read as one of these
#: languages when its letters make up at least _DISTINCT_SHARE of its Cyrillic letters, so a
#: Russian report quoting one Kazakh name («Қасым») stays Russian.
_CYRILLIC_LETTERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("tg", frozenset("ӣӯҷ")),  # Tajik (ҳ, қ, ғ are shared with Uzbek and Kazakh)
    ("uz", frozenset("ў")),  # Uzbek Cyrillic (Belarusian ў is told apart by і, below)
    ("kk", frozenset("әұһ")),  # Kazakh (ғ қ ң ө ү і are shared)
    ("ky", frozenset("ңөү")),  # Kyrgyz: the shared letters without the Kazakh ones
    ("uk", frozenset("їєґ")),
)
_DISTINCT_SHARE = 0.004


def detect_language(text: str) -> str | None:
    """Guess the language from the script, the letters only one alphabet has, and stopwords.

    Cheap, offline and deterministic. Why not a statistical detector such as lingua: none on
    PyPI covers Uzbek, Tajik and Kyrgyz, the languages a Central Asian report is most likely to
    be in besides Russian, and a detector that does not know them calls them something else.
    Letters decide between Cyrillic alphabets (Kazakh ә ұ һ, Tajik ӣ ӯ ҷ, Uzbek ў, Kyrgyz ң ө ү,
    Ukrainian ї є ґ, else Russian); stopwords between Latin-script languages. The answer picks
    the reader (``readers.reader_for``); reads at most the first 20,000 characters.
    """
    sample = text[:20000].lower()
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 20:
        return None
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if len(cyrillic) * 2 > len(letters):
        return _cyrillic_language(cyrillic)
    words = re.findall(r"[^\W\d_]+(?:[ʻ'’][^\W\d_]+)?", sample)
    if sum(1 for w in words if re.search(r"[og][ʻ'’]", w)) >= 3:
        return "uz"  # oʻ, gʻ: the Uzbek Latin letters
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < 3:
        return None
    return best


def _cyrillic_language(letters: list[str]) -> str:
    counts: dict[str, int] = {}
    for ch in letters:
        counts[ch] = counts.get(ch, 0) + 1
    floor = max(1, int(len(letters) * _DISTINCT_SHARE))
    for language, distinct in _CYRILLIC_LETTERS:
        if sum(counts.get(ch, 0) for ch in distinct) >= floor:
            if language == "uz" and counts.get("і", 0) >= floor:
                return "be"  # Belarusian: ў together with і
            if language == "ky" and counts.get("ғ", 0) + counts.get("қ", 0) >= floor:
                return "kk"
            return language
    if counts.get("і", 0) >= floor and counts.get("ы", 0) < floor:
        return "uk"
    if sum(counts.get(ch, 0) for ch in "ғқ") >= max(2, len(letters) // 100):
        return "kk"  # Kazakh without its own letters in a short text
    return "ru"
