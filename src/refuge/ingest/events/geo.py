"""Countries, demonyms and major cities of the region refuge works on (English).

Why a small table and no geocoder: the procedure needs country codes only (host, origin, the
``to`` of a removal), and the states concerned are few. A city resolves to its country so that
"deported from Moscow to Ashgabat" or "the Supreme Court in Belgrade" still name states. The
table is data, not code: Russian names go in a sibling table behind the same functions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# code: (country names, demonyms/adjectives, cities)
_TABLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "RU": (
        ("Russia", "Russian Federation"),
        ("Russian", "Russians"),
        (
            "Moscow",
            "St. Petersburg",
            "Saint Petersburg",
            "Omsk",
            "Novosibirsk",
            "Orenburg",
            "Tyumen",
            "Yekaterinburg",
            "Kazan",
            "Chelyabinsk",
            "Samara",
            "Astrakhan",
            "Grozny",
        ),
    ),
    "KZ": (
        ("Kazakhstan",),
        ("Kazakh", "Kazakhstani", "Kazakhs"),
        (
            "Astana",
            "Almaty",
            "Shymkent",
            "Karaganda",
            "Aktobe",
            "Semey",
            "Oral",
            "Uralsk",
            "Kostanay",
            "Pavlodar",
            "Ust-Kamenogorsk",
            "Taraz",
            "Kyzylorda",
            "Aktau",
            "Atyrau",
        ),
    ),
    "UZ": (
        ("Uzbekistan",),
        ("Uzbek", "Uzbeks"),
        ("Tashkent", "Samarkand", "Bukhara", "Nukus", "Andijan", "Namangan", "Fergana"),
    ),
    "KG": (
        ("Kyrgyzstan", "Kyrgyz Republic"),
        ("Kyrgyz",),
        ("Bishkek", "Osh", "Jalal-Abad"),
    ),
    "TJ": (
        ("Tajikistan",),
        ("Tajik", "Tajiks"),
        ("Dushanbe", "Khujand", "Khorog", "Bokhtar", "Kulob"),
    ),
    "TM": (
        ("Turkmenistan",),
        ("Turkmen",),
        ("Ashgabat", "Dashoguz", "Turkmenabat", "Mary", "Balkanabat", "Turkmenbashi"),
    ),
    "BY": (("Belarus",), ("Belarusian", "Belarusians"), ("Minsk", "Brest", "Grodno", "Gomel")),
    "UA": (("Ukraine",), ("Ukrainian", "Ukrainians"), ("Kyiv", "Kiev", "Kharkiv", "Odesa")),
    "AZ": (("Azerbaijan",), ("Azerbaijani", "Azerbaijanis"), ("Baku", "Ganja")),
    "AM": (("Armenia",), ("Armenian", "Armenians"), ("Yerevan",)),
    "GE": (("Georgia",), ("Georgian", "Georgians"), ("Tbilisi", "Batumi")),
    "TR": (
        ("Turkey", "Türkiye", "Turkiye"),
        ("Turkish", "Turks"),
        ("Istanbul", "Ankara", "Izmir", "Antalya"),
    ),
    "RS": (("Serbia",), ("Serbian", "Serbs"), ("Belgrade", "Novi Sad")),
    "DE": (("Germany",), ("German", "Germans"), ("Berlin", "Munich", "Hamburg", "Frankfurt")),
    "PL": (("Poland",), ("Polish", "Poles"), ("Warsaw",)),
    "LT": (("Lithuania",), ("Lithuanian",), ("Vilnius",)),
    "LV": (("Latvia",), ("Latvian",), ("Riga",)),
    "EE": (("Estonia",), ("Estonian",), ("Tallinn",)),
    "MN": (("Mongolia",), ("Mongolian",), ("Ulaanbaatar",)),
    "CN": (("China",), ("Chinese",), ("Beijing", "Urumqi")),
    "AF": (("Afghanistan",), ("Afghan", "Afghans"), ("Kabul",)),
    "IR": (("Iran",), ("Iranian", "Iranians"), ("Tehran",)),
    "AE": (("United Arab Emirates", "UAE"), ("Emirati",), ("Dubai", "Abu Dhabi")),
    "KE": (("Kenya",), ("Kenyan",), ("Nairobi",)),
    "US": (("United States", "U.S.", "USA"), ("American", "Americans"), ("Washington",)),
    "FR": (("France",), ("French",), ("Paris",)),
    "CZ": (("Czech Republic", "Czechia"), ("Czech",), ("Prague",)),
    "MD": (("Moldova",), ("Moldovan",), ("Chisinau",)),
    "IL": (("Israel",), ("Israeli",), ()),
    "FI": (("Finland",), ("Finnish",), ("Helsinki",)),
    "SE": (("Sweden",), ("Swedish",), ("Stockholm",)),
    "NL": (("Netherlands",), ("Dutch",), ()),
    "GB": (("United Kingdom", "UK", "Britain"), ("British",), ("London",)),
    # Further states, names and demonyms only.
    "SY": (("Syria",), ("Syrian", "Syrians"), ()),
    "IQ": (("Iraq",), ("Iraqi", "Iraqis"), ()),
    "EG": (("Egypt",), ("Egyptian",), ()),
    "SA": (("Saudi Arabia",), ("Saudi",), ()),
    "PK": (("Pakistan",), ("Pakistani",), ()),
    "IN": (("India",), ("Indian",), ()),
    "BD": (("Bangladesh",), ("Bangladeshi",), ()),
    "SD": (("Sudan",), ("Sudanese",), ()),
    "ER": (("Eritrea",), ("Eritrean",), ()),
    "SO": (("Somalia",), ("Somali",), ()),
    "ET": (("Ethiopia",), ("Ethiopian",), ()),
    "LY": (("Libya",), ("Libyan",), ()),
    "TN": (("Tunisia",), ("Tunisian",), ()),
    "MA": (("Morocco",), ("Moroccan",), ()),
    "DZ": (("Algeria",), ("Algerian",), ()),
    "JO": (("Jordan",), ("Jordanian",), ()),
    "LB": (("Lebanon",), ("Lebanese",), ()),
    "YE": (("Yemen",), ("Yemeni",), ()),
    "GR": (("Greece",), ("Greek",), ()),
    "IT": (("Italy",), ("Italian",), ()),
    "ES": (("Spain",), ("Spanish",), ()),
    "AT": (("Austria",), ("Austrian",), ()),
    "BE": (("Belgium",), ("Belgian",), ()),
    "CH": (("Switzerland",), ("Swiss",), ()),
    "NO": (("Norway",), ("Norwegian",), ()),
    "DK": (("Denmark",), ("Danish",), ()),
    "BG": (("Bulgaria",), ("Bulgarian",), ()),
    "RO": (("Romania",), ("Romanian",), ()),
    "HU": (("Hungary",), ("Hungarian",), ()),
    "SK": (("Slovakia",), ("Slovak",), ()),
    "HR": (("Croatia",), ("Croatian",), ()),
    "ME": (("Montenegro",), ("Montenegrin",), ()),
    "BA": (("Bosnia and Herzegovina", "Bosnia"), (), ()),
    "AL": (("Albania",), ("Albanian",), ()),
    "MK": (("North Macedonia",), (), ()),
    "XK": (("Kosovo",), (), ()),
    "CY": (("Cyprus",), ("Cypriot",), ()),
    "TH": (("Thailand",), ("Thai",), ()),
    "VN": (("Vietnam",), ("Vietnamese",), ()),
    "MY": (("Malaysia",), ("Malaysian",), ()),
    "ID": (("Indonesia",), ("Indonesian",), ()),
    "JP": (("Japan",), ("Japanese",), ()),
    "KR": (("South Korea",), ("Korean",), ()),
    "CA": (("Canada",), ("Canadian",), ()),
    "MX": (("Mexico",), ("Mexican",), ()),
    "BR": (("Brazil",), ("Brazilian",), ()),
    "QA": (("Qatar",), ("Qatari",), ()),
    "KW": (("Kuwait",), ("Kuwaiti",), ()),
    "OM": (("Oman",), (), ()),
    "BH": (("Bahrain",), (), ()),
}

#: More places within the states above: regions, provincial capitals, airports and border
#: posts that reports name as where a detention or a court hearing happened ("detained in
#: Nizhny Novgorod", "held at Sheremetyevo"). Names that are also common surnames or given names
#: (Kirov, Engels, Vladimir, Van, Batman) are left out on purpose: a missed city costs a vote,
#: a person read as a place costs a case.
_MORE_PLACES: dict[str, tuple[str, ...]] = {
    "RU": (
        "Nizhny Novgorod",
        "Rostov-on-Don",
        "Krasnodar",
        "Voronezh",
        "Volgograd",
        "Ufa",
        "Perm",
        "Krasnoyarsk",
        "Irkutsk",
        "Vladivostok",
        "Khabarovsk",
        "Saratov",
        "Izhevsk",
        "Barnaul",
        "Tomsk",
        "Kemerovo",
        "Makhachkala",
        "Nalchik",
        "Vladikavkaz",
        "Nazran",
        "Magas",
        "Sochi",
        "Kaliningrad",
        "Murmansk",
        "Arkhangelsk",
        "Petrozavodsk",
        "Pskov",
        "Tver",
        "Yaroslavl",
        "Ryazan",
        "Tula",
        "Kaluga",
        "Smolensk",
        "Bryansk",
        "Kursk",
        "Belgorod",
        "Lipetsk",
        "Tambov",
        "Penza",
        "Ulyanovsk",
        "Cheboksary",
        "Syktyvkar",
        "Surgut",
        "Khanty-Mansiysk",
        "Yakutsk",
        "Chita",
        "Ulan-Ude",
        "Magnitogorsk",
        "Naberezhnye Chelny",
        "Tolyatti",
        "Togliatti",
        "Novokuznetsk",
        "Stavropol",
        "Pyatigorsk",
        "Cherkessk",
        "Elista",
        "Vologda",
        "Kostroma",
        "Ivanovo",
        "Sterlitamak",
        "Nizhnevartovsk",
        "Balashikha",
        "Podolsk",
        "Khimki",
        "Mytishchi",
        "Lyubertsy",
        "Sheremetyevo",
        "Domodedovo",
        "Vnukovo",
        "Pulkovo",
        "Chechnya",
        "Dagestan",
        "Ingushetia",
        "Tatarstan",
        "Bashkortostan",
        "Kabardino-Balkaria",
        "Siberia",
    ),
    "KZ": (
        "Nur-Sultan",
        "Alma-Ata",
        "Petropavl",
        "Petropavlovsk",
        "Kokshetau",
        "Taldykorgan",
        "Zhanaozen",
        "Ekibastuz",
        "Temirtau",
        "Zhezkazgan",
        "Turkistan",
    ),
    "KG": ("Karakol", "Naryn", "Talas", "Batken", "Tokmok", "Kara-Balta", "Uzgen", "Manas"),
    "TJ": (
        "Kurgan-Tyube",
        "Qurghonteppa",
        "Istaravshan",
        "Panjakent",
        "Isfara",
        "Tursunzoda",
        "Vahdat",
        "Khatlon",
        "Sughd",
        "Gorno-Badakhshan",
        "Badakhshan",
    ),
    "UZ": (
        "Karshi",
        "Qarshi",
        "Termez",
        "Navoi",
        "Jizzakh",
        "Kokand",
        "Margilan",
        "Urgench",
        "Khiva",
        "Chirchik",
        "Angren",
        "Karakalpakstan",
    ),
    "TM": ("Lebap",),
    "BY": ("Vitebsk", "Mogilev", "Mahilyow", "Hrodna", "Homel", "Babruysk", "Viciebsk"),
    "UA": (
        "Lviv",
        "Dnipro",
        "Zaporizhzhia",
        "Donetsk",
        "Luhansk",
        "Kherson",
        "Mykolaiv",
        "Chernihiv",
        "Poltava",
        "Vinnytsia",
        "Zhytomyr",
        "Uzhhorod",
        "Chernivtsi",
        "Ivano-Frankivsk",
        "Lutsk",
        "Rivne",
        "Ternopil",
        "Lvov",
        "Dnepropetrovsk",
        "Odessa",
        "Boryspil",
    ),
    "AZ": ("Sumgait", "Lankaran", "Nakhchivan"),
    "AM": ("Gyumri", "Vanadzor", "Zvartnots"),
    "GE": ("Kutaisi", "Rustavi", "Zugdidi", "Abkhazia"),
    "TR": (
        "Bursa",
        "Konya",
        "Adana",
        "Gaziantep",
        "Kayseri",
        "Samsun",
        "Trabzon",
        "Eskisehir",
        "Mersin",
        "Edirne",
        "Kocaeli",
        "Sakarya",
        "Bodrum",
        "Alanya",
    ),
    "DE": (
        "Cologne",
        "Dusseldorf",
        "Düsseldorf",
        "Stuttgart",
        "Leipzig",
        "Dresden",
        "Hanover",
        "Nuremberg",
        "Bremen",
        "Dortmund",
        "Bonn",
    ),
    "PL": (
        "Krakow",
        "Kraków",
        "Gdansk",
        "Wroclaw",
        "Lodz",
        "Poznan",
        "Bialystok",
        "Lublin",
        "Terespol",
    ),
    "LT": ("Kaunas", "Klaipeda"),
    "LV": ("Daugavpils",),
    "EE": ("Narva", "Tartu"),
    "FI": ("Lappeenranta",),
    "MD": ("Tiraspol", "Transnistria"),
    "CN": ("Xinjiang", "Kashgar", "Shanghai", "Guangzhou"),
    "AF": ("Kandahar", "Herat", "Mazar-i-Sharif"),
    "IR": ("Mashhad", "Tabriz"),
    "AE": ("Sharjah",),
    "US": ("New York", "Los Angeles", "Chicago", "Miami"),
    "FR": ("Marseille", "Lyon", "Strasbourg", "Nice"),
    "NL": ("Amsterdam", "The Hague", "Rotterdam"),
    "CZ": ("Brno",),
    "SE": ("Gothenburg", "Malmo", "Malmö"),
    "GB": ("Manchester", "Birmingham"),
    "SY": ("Damascus", "Aleppo"),
    "IQ": ("Baghdad", "Erbil"),
    "EG": ("Cairo",),
    "SA": ("Riyadh", "Jeddah"),
    "PK": ("Islamabad", "Karachi", "Lahore"),
    "IN": ("New Delhi", "Delhi", "Mumbai"),
    "BD": ("Dhaka",),
    "SD": ("Khartoum",),
    "ER": ("Asmara",),
    "SO": ("Mogadishu",),
    "ET": ("Addis Ababa",),
    "LY": ("Tripoli",),
    "TN": ("Tunis",),
    "MA": ("Rabat", "Casablanca"),
    "DZ": ("Algiers",),
    "JO": ("Amman",),
    "LB": ("Beirut",),
    "GR": ("Athens", "Thessaloniki"),
    "IT": ("Rome",),
    "ES": ("Madrid", "Barcelona"),
    "AT": ("Vienna",),
    "BE": ("Brussels",),
    "CH": ("Bern", "Zurich", "Geneva"),
    "NO": ("Oslo",),
    "DK": ("Copenhagen",),
    "RO": ("Bucharest",),
    "HU": ("Budapest",),
    "SK": ("Bratislava",),
    "HR": ("Zagreb",),
    "ME": ("Podgorica",),
    "BA": ("Sarajevo",),
    "AL": ("Tirana",),
    "MK": ("Skopje",),
    "XK": ("Pristina",),
    "CY": ("Nicosia",),
    "TH": ("Bangkok",),
    "VN": ("Hanoi", "Ho Chi Minh City"),
    "MY": ("Kuala Lumpur",),
    "ID": ("Jakarta",),
    "JP": ("Tokyo", "Osaka", "Narita"),
    "KR": ("Seoul", "Incheon"),
    "CA": ("Ottawa", "Toronto"),
    "MX": ("Mexico City",),
    "QA": ("Doha",),
    "KW": ("Kuwait City",),
    "OM": ("Muscat",),
    "BH": ("Manama",),
}
#: States the table above lacks (names, demonyms).
_MORE_STATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "PT": (("Portugal",), ("Portuguese",)),
    "IE": (("Ireland",), ("Irish",)),
    "IS": (("Iceland",), ("Icelandic",)),
    "LU": (("Luxembourg",), ()),
    "SI": (("Slovenia",), ("Slovenian",)),
    "MT": (("Malta",), ("Maltese",)),
    "SG": (("Singapore",), ("Singaporean",)),
    "PH": (("Philippines",), ("Filipino",)),
    "NP": (("Nepal",), ("Nepali", "Nepalese")),
    "LK": (("Sri Lanka",), ("Sri Lankan",)),
    "MM": (("Myanmar", "Burma"), ("Burmese",)),
    "KH": (("Cambodia",), ("Cambodian",)),
    "AU": (("Australia",), ("Australian",)),
    "NZ": (("New Zealand",), ()),
    "ZA": (("South Africa",), ("South African",)),
    "NG": (("Nigeria",), ("Nigerian",)),
    "AR": (("Argentina",), ("Argentine", "Argentinian")),
    "CL": (("Chile",), ("Chilean",)),
    "CO": (("Colombia",), ("Colombian",)),
    "VE": (("Venezuela",), ("Venezuelan",)),
    "CU": (("Cuba",), ("Cuban",)),
    "PS": (("Palestine",), ("Palestinian",)),
    "KP": (("North Korea",), ("North Korean",)),
    "TW": (("Taiwan",), ("Taiwanese",)),
    "HK": (("Hong Kong",), ()),
    "LI": (("Liechtenstein",), ()),
    "MC": (("Monaco",), ()),
}
#: Further demonyms of states in the table ("Kyrgyzstani", "Azeri", "Chechen": citizens of RU).
_MORE_DEMONYMS: dict[str, tuple[str, ...]] = {
    "KG": ("Kyrgyzstani", "Kyrgyzstanis"),
    "TJ": ("Tajikistani",),
    "UZ": ("Uzbekistani",),
    "TM": ("Turkmenistani", "Turkmens"),
    "BY": ("Belarussian", "Byelorussian"),
    "AZ": ("Azeri", "Azeris"),
    "RU": ("Chechen", "Chechens", "Dagestani", "Ingush"),
}


def _merged() -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    table = dict(_TABLE)
    for code, (names, demonyms) in _MORE_STATES.items():
        table.setdefault(code, (names, demonyms, ()))
    for code, places in _MORE_PLACES.items():
        names, demonyms, cities = table[code]
        table[code] = (names, demonyms, cities + places)
    for code, more in _MORE_DEMONYMS.items():
        if code in table:
            names, demonyms, cities = table[code]
            table[code] = (names, demonyms + more, cities)
    return table


_TABLE = _merged()

#: words that look like a place but, here, are part of an organisation's name
_NOT_A_PLACE_AFTER = re.compile(
    r"\s+(?:Helsinki|Foundation|Committee|Group|Watch|Commission|Institute|Initiative|News|"
    r"Times|Post|Bureau)\b"
)


@dataclass(frozen=True, slots=True)
class Place:
    """A mention of a state at ``text[start:end]``; ``kind`` is country, demonym or city."""

    code: str
    start: int
    end: int
    kind: str


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_KIND: dict[str, tuple[str, str]] = {}
for _code, (_names, _demonyms, _cities) in _TABLE.items():
    for _w in _names:
        _KIND[_w.lower()] = (_code, "country")
    for _w in _demonyms:
        _KIND[_w.lower()] = (_code, "demonym")
    for _w in _cities:
        _KIND[_w.lower()] = (_code, "city")
#: A regex alternation of every place word (for the trigger lexicon's ``{PLACE}`` slot).
PLACE_ALTERNATION = _alternation([w for names in _TABLE.values() for part in names for w in part])
_PLACE = re.compile(
    r"(?<![\w-])(?=[A-Z])("
    + _alternation([w for names in _TABLE.values() for part in names for w in part])
    + r")(?![\w-])"
)


def find_places(text: str, start: int = 0, end: int | None = None) -> Iterator[Place]:
    """Every country, demonym or city mention between ``start`` and ``end``.

    Matching is case-sensitive on the first letter (``Mary`` the city, not ``mary``) and skips
    organisation names such as "Turkmenistan Helsinki Foundation" where the state is not a place.
    The whole text is scanned once and remembered: callers ask about many small windows.
    """
    stop = len(text) if end is None else end
    places = _all_places(text)
    first = bisect_left(places, start, key=lambda p: p.start)
    for place in places[first:]:
        if place.start >= stop:
            break
        if place.end <= stop:
            yield place


@lru_cache(maxsize=16)
def _all_places(text: str) -> tuple[Place, ...]:
    return tuple(_scan(text))


def forget() -> None:
    """Drop the remembered scans (called once per report, so a benchmark that reads the same
    report twice measures the scan twice)."""
    _all_places.cache_clear()


def _scan(text: str) -> Iterator[Place]:
    for match in _PLACE.finditer(text):
        word = match.group(1)
        if not word[0].isupper():
            continue
        code, kind = _KIND[word.lower()]
        if kind == "city" and word == "Mary" and not _after_preposition(text, match.start()):
            continue  # the given name, not the city in Turkmenistan
        if kind != "demonym" and _NOT_A_PLACE_AFTER.match(text, match.end()):
            continue
        yield Place(code, match.start(), match.end(), kind)


def _after_preposition(text: str, at: int) -> bool:
    return re.search(r"\b(?:in|to|from|of|near)\s+$", text[max(0, at - 6) : at]) is not None


def code_of(word: str) -> str | None:
    """The country code of a country name, demonym or city, or None."""
    found = _KIND.get(word.strip().lower())
    return found[0] if found else None


def is_country_word(word: str) -> bool:
    """True for any name, demonym or city of the table (used to tell names from places)."""
    return word.strip().lower() in _KIND
