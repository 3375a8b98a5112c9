"""People in a report: names, who each event happened to, citizenship and age.

Why rules on capitalised words and not the statistical NER alone: spaCy's small model tags
outlets ("Novaya Gazeta Europe") and courts as persons, and a missed or invented person is worse
for a lawyer than a missed place. A name here is two to four capitalised words that are not a
place, an organisation word or a title; a lone surname refers to a full name already seen.

The person at risk is the one procedural verbs happen to. Quoted speakers, wives, lawyers and
presidents are mentioned too, but they are the subjects of reporting verbs or sit behind a
relation word ("his wife Yekaterina"), so they are not candidates for an event.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from itertools import pairwise

from refuge.ingest.events.geo import code_of, find_places, is_country_word

#: Latin letters with diacritics count too ("Gültan Kışanak", "Ərşad", "Łukasz"): the first
#: letter upper case (Latin-1 or Latin Extended-A, Ə, Cyrillic), the rest lower case.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſƏА-ЯЁ"
_LOWER = "a-zß-öø-ÿĀ-ſəа-яё"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}’'-]+(?:-[{_UPPER}][{_LOWER}’'-]+)?"
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}(?:\s+[{_UPPER}]\.?(?![\w.]))?")


def _words(text: str) -> list[str]:
    """The words of a text block (tables of words are easier to read as prose)."""
    return text.split()


_NOT_NAME = frozenset(
    _words(
        """
        the a an and of on in at to for from by with after before when once upon while since during
        according but as if it its his her their he she they this that these those there here some
        former presidential president prime minister deputy judge lawyer attorney prosecutor general
        activist activists journalist blogger officer mr mrs ms dr prof human rights court courts
        supreme constitutional city district regional region lake republic federal service guard
        guards border police authorities authority government ministry office department committee
        foundation association international amnesty watch helsinki radio free liberty europe news
        gazeta times chronicles media union party group council agency bureau center centre
        organization nations united convention red notice interpol state national security interior
        affairs migration refugee refugees photo related original url january february march april
        may june july august september october november december monday tuesday wednesday thursday
        friday saturday sunday sept jan feb aug oct nov dec spring summer fall autumn winter islamic
        extremism freedom athletes opposition law enforcement military base penal colony statement
        report reports article ngo un u.s overseas-based turkmen independent kazakh karakalpak
        uyghur uighur chechen ingush tatar bashkir pamiri crimean kurdish hazara pashtun
        reportedly returns who fled faces
        major colonel lieutenant captain sergeant corporal private vice senior junior general
        central asia eurasia caucasus eastern western southern northern middle east far
        civic assistance live tv channel outlet magazine newspaper portal agency service
        arbitrary arrest detention compulsory labor labour see foreign representatives protection
        access refoulement instances repression transnational extraterritorial killing kidnapping
        threats harassment surveillance coercion misuse efforts mobility bilateral pressure
        conditions prison prisons political prisoners detainees disappearance abduction torture
        citizens assembly point return no
        coalition alliance movement network front workers party characteristics criminalization
        children child abuse autonomous oblast nagorno karabakh gorno badakhshon badakhshan
        kurdistan crimea donbas abkhazia ossetia
        other unlawful gender identity expression orientation sexual sex press advertisement board
        golos svobody war crimes airport airports chancellor mayor governor ombudsman
        ombudsperson ombudswoman ambassador senator speaker chairman chairwoman
        """
    )
)
_RELATION = re.compile(
    r"(?:wife|husband|mother|father|son|daughter|brother|sister|lawyer|attorney|"
    r"president|leader|cofounder|co-founder|spokesman|spokeswoman|representative|colleague|"
    r"friend|relative|minister|judge|chancellor|mayor|governor|ambassador|ombuds(?:man|woman|"
    r"person)|senator|chairman|chairwoman|spokesperson|researcher|director)\s*,?\s+$",
    re.IGNORECASE,
)
#: "brother of exiled activist Ilhomjon Kurbonov": the name after is a relation's referent.
_RELATION_OF = re.compile(
    r"\b(?:wife|husband|mother|father|son|daughter|brother|sister|relative|nephew|niece|uncle|"
    r"aunt|cousin)\s+of\s+(?:[\w’'-]+\s+){0,4}$",
    re.IGNORECASE,
)
#: The name is whom people spoke against or about ("insulting Lukashenka", "speaking out
#: against authorities, including Lukashenka"): mentioned, not the one a step happened to.
_TARGET_OF_SPEECH = re.compile(
    r"\b(?:insult(?:ing|ed)|libel(?:l)?(?:ing|ed)|slander(?:ing|ed)|defam(?:ing|ed)|"
    r"criticiz(?:ing|ed)|criticis(?:ing|ed)|prais(?:ing|ed)|opposing|protest(?:ing|ed)\s+against|"
    r"speaking\s+out\s+against|spoke\s+out\s+against)\s+(?:[\w’',-]+\s+){0,3}$",
    re.IGNORECASE,
)
_SPEAKER_AFTER = re.compile(
    r"^(?:['’]s?\s+)?,?\s*(?:\[[^\]]*\]\(#\)\s+)?\[?(?:told|said|says|stated|added|wrote|explained|"
    r"argued|noted|reported|claimed|remarked|declared|announced|commented|insisted)\b",
)
_AGE = re.compile(r",\s+(\d{1,2}),|\s+\((\d{1,2})\)|,\s+aged\s+(\d{1,2})\b")
_AGE_BEFORE = re.compile(r"(\d{1,2})-year-old\s+(?:\w+\s+){0,3}$")
_CITIZEN_NOUNS = (
    r"citizens?|nationals?|journalists?|activists?|refugees?|bloggers?|migrants?|dissidents?|"
    r"officers?|man|woman|opposition|asylum[- ]seekers?|student|businessman|draft\s+dodger|"
    r"deserter|soldier|imam|poet|writer|lawyer|guard"
)


@dataclass(frozen=True, slots=True)
class NameMention:
    """A name at ``start``..``end``; ``person`` is the full name it refers to."""

    person: str
    start: int
    end: int
    role_excluded: bool  # a speaker or a relative of someone: not a candidate for events


@dataclass(slots=True)
class PersonInfo:
    """What the report says about one person (filled while reading)."""

    name: str
    aliases: list[str]
    members: list[str]  # for a group named together ("A, B and C")
    citizenship: list[str]
    born: tuple[datetime.date, datetime.date, str] | None = None


#: Words that end an organisation's name: the capitalised words before them name no person.
_ORG_WORDS = frozenset(
    _words(
        """
        network coalition committee foundation association party movement union council agency
        service office ministry board institute center centre group bureau commission
        organization organisation society fund alliance front assembly tribunal channel
        province region oblast district county village street square prison colony airport
        company corporation holding holdings bank airways airlines textile textiles tekstil
        factory enterprises industries media tv court courts police prosecutor's
        radio radyo televizyon gazete gazeta haber news times post daily journal press welle
        zeitung gazette tribune herald telegraph
        """
    )
)

#: Ranks and honorifics: a lone surname after one of them is a person ("Major Zhilin").
_TITLES = frozenset(
    _words("major colonel lieutenant captain sergeant corporal private general mr mrs ms dr prof")
)


#: Words that open an organisation's or outlet's name ("Media Freedom Rapid Response").
_ORG_LEAD = frozenset(_words("media radio freedom amnesty helsinki watch news gazeta chronicles"))


def _clean_run(run: str) -> list[str]:
    words = run.replace("(", " ").replace(")", " ").split()
    if words and words[0].lower() in _ORG_LEAD:
        return []
    while words and words[0].lower().rstrip("’'s") in _NOT_NAME:
        words.pop(0)
    words = [w for w in words if not w.lower().endswith("-based") and not w.endswith("-")]
    kept: list[str] = []
    for word in words:
        bare = re.sub(r"['’]s?$", "", word)
        if bare.lower() in _ORG_WORDS or bare.lower().removesuffix("s") in _ORG_WORDS:
            return []  # "Rapid Response Network", "Antitorture Coalition": an organisation
        if bare.lower() in _NOT_NAME or is_country_word(bare):
            break
        kept.append(bare)
    return kept


#: The capitalised words before a run that make it the tail of an organisation's or body's
#: name ("Working Group on Enforced or Involuntary Disappearances").
_ORG_HEAD = re.compile(
    r"\b(?:Group|Committee|Commission|Council|Court|Office|Rapporteur|Ministry|Institute|"
    r"Cent(?:er|re)|Foundation|Fund|Union|Bureau|Agency|Service|Movement|Party|Network|"
    r"Coalition|Association|Department|Convention|Law|Act|Code)\s+(?:on|of|for|against|to)\s+"
    r"(?:(?:the\s+)?[A-Z][\w’'-]*\s+(?:and|or|of|on|for|the|in)\s+)*(?:the\s+)?$"
)
#: What follows a company's name ("Levi Strauss and Company", "Acme Ltd").
_ORG_TAIL = re.compile(
    r"\s*(?:(?:and|&)\s+(?:Company|Co\b|Sons\b|Partners\b)|,?\s+(?:Inc|Ltd|LLC|Corp|"
    r"Corporation|GmbH|plc|LLP|JSC)\b)"
)


def _in_org_name(flat: str, start: int, end: int) -> bool:
    """The run belongs to the name of an organisation, a body or a company, not a person's."""
    return bool(_ORG_HEAD.search(flat[max(0, start - 120) : start]) or _ORG_TAIL.match(flat, end))


def _before_place(flat: str, start: int, end: int) -> str:
    """The run's words before the first place it holds, as ``_clean_run`` stops at a place
    word (a place of several words, "Nizhny Novgorod", shows in no single word). A place that
    opens the run is dropped ("citizen of Kyrgyzstan Esen Mazhitov"), and with it anything of
    the place's ("Kyiv's Zhulyany Airport")."""
    place = next(find_places(flat, start, end), None)
    while place is not None and place.start <= start:
        if place.kind == "city" or re.match(r"['’]s?\b", flat[place.end : end]):
            return ""  # "Kyiv's Zhulyany Airport", "Istanbul Heavy Criminal Court"
        start = place.end  # "a citizen of Kyrgyzstan Esen Mazhitov": the name follows
        place = next(find_places(flat, start, end), None)
    return flat[start:end] if place is None else flat[start : place.start]


def find_names(flat: str, start: int, end: int, text: str | None = None) -> list[NameMention]:
    """Names in ``flat[start:end]``: full names first seen, then surnames resolved to them.
    ``text`` (the same text with its line breaks) lets headings be told from prose."""
    full: dict[str, str] = {}  # single word -> full name
    raw: list[tuple[list[str], int, int]] = []
    for match in _NAME_RUN.finditer(flat, start, end):
        words = _clean_run(_before_place(flat, match.start(), match.end()))
        if not words or _common(words) or (text and _in_heading(text, match.start())):
            continue
        if _in_org_name(flat, match.start(), match.end()):
            continue
        first = match.group(0).split()[0].lower()
        if len(words) == 1 and first in _TITLES and first != words[0].lower():
            full.setdefault(words[0], words[0])  # "Major Zhilin": a person named by surname
        offset = flat.find(words[0], match.start(), match.end())
        stop = flat.find(words[-1], offset) + len(words[-1])
        raw.append((words, offset, stop))
        if len(words) >= 2:
            name = " ".join(w for w in words[:3])
            for word in words:
                full.setdefault(word, name)
    out: list[NameMention] = []
    for words, offset, stop in raw:
        person = " ".join(words[:3]) if len(words) >= 2 else full.get(words[0])
        if person is None:
            continue
        excluded = bool(
            _TARGET_OF_SPEECH.search(flat[max(0, offset - 50) : offset])
            or _RELATION.search(flat[max(0, offset - 20) : offset])
            or _RELATION_OF.search(flat[max(0, offset - 60) : offset])
            or _SPEAKER_AFTER.match(flat[stop : stop + 30].lstrip())
        )
        out.append(NameMention(person, offset, stop, excluded))
    return out


_COMMON_SUFFIX = re.compile(
    r"(?:ed|ing|tion|tions|sions|ment|ments|ness|ity|ities|ous|ive|"
    r"ons|ists|ers|ance|ence|ships?)$"
)


_SMALL_WORDS = frozenset(
    _words("of and or the in on to for a an with by from at as see that than into under against")
)


def _in_heading(text: str, at: int) -> bool:
    """The name run sits in a section heading ("Arbitrary Arrest", "Sexual Orientation, Gender
    Identity or Expression, or Sex Characteristics"): a line of capitalised words with no
    full stop, as the annual reports print them. Prose lines have lower-case words. A heading
    may wrap onto a second line ("c. War Crimes, Crimes against Humanity, and Evidence of" /
    "Acts that May Constitute Genocide, or Conflict-Related")."""
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    words = _heading_words(text[lo : hi if hi >= 0 else len(text)])
    if words is None or len(words) < 2 or words[-1].lower() in ("and", "or"):
        return False  # prose, or a list of names wrapped onto its own line
    previous = text[text.rfind("\n", 0, max(0, lo - 1)) + 1 : max(0, lo - 1)]
    last = previous.split()[-1] if previous.split() else ""
    runs_on = last and (last[-1] == "," or (last[-1].isalnum() and last[0].islower()))
    # the sentence of the line before runs on into this one, unless that line is a heading
    # too (a heading may also follow another: "... Human Rights Report" / "Executive Summary")
    return not runs_on or _heading_words(previous) is not None


def _heading_words(line: str) -> list[str] | None:
    """The words of a line that reads as a heading (all capitalised but small words, no full
    stop, at most 12 words), else None."""
    line = re.sub(r"^(?:[a-z]|\d{1,2})\.\s+", "", line.strip())  # "d. Acts of ..."
    words = [w for w in (w.strip(",;:()") for w in line.split()) if w]
    if not words or line.endswith((".", ",")) or len(words) > 12:
        return None
    ok = all(w[0].isupper() or w.lower() in _SMALL_WORDS or not w[0].isalpha() for w in words)
    return words if ok else None


def _common(words: list[str]) -> bool:
    """Runs of capitalised common words ("Internally Displaced Persons", "Working Conditions"):
    two thirds of the words look like English derivations. Names such as "Umed Karimov" or
    "Ahmed Salimov" have one such word at most."""
    common = sum(1 for w in words if _COMMON_SUFFIX.search(w.lower()))
    return common >= 1 and common * 3 >= len(words) * 2


def group_at(flat: str, mentions: list[NameMention], start: int, end: int) -> list[str] | None:
    """Full names coordinated in ``start``..``end`` ("A (B), C, and D"): a group of people."""
    inside = [m for m in mentions if start <= m.start < end and not m.role_excluded]
    names: list[str] = []
    for a, b in pairwise(inside):
        between = flat[a.end : b.start]
        if re.fullmatch(r"\s*(?:\([^)]{1,40}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+)", between):
            for m in (a, b):
                if m.person not in names:
                    names.append(m.person)
        elif names:
            break
    return names if len(names) >= 2 else None


_ALIAS_AFTER = re.compile(
    rf"\s*\(({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\)"
    rf"|,?\s+(?:better|also)\s+known\s+as\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)


def aliases_at(flat: str, mention: NameMention) -> list[str]:
    """Other names given right after a name: "Akylbek Muratbay (Muratov)" → "Akylbek Muratov"
    (a lone word replaces the surname), "Farkhad Meimankuliev, better known as Durdyev"."""
    match = _ALIAS_AFTER.match(flat, mention.end)
    if match is None:
        return []
    alias = match.group(1) or match.group(2)
    words = mention.person.split()
    if " " not in alias and len(words) >= 2 and match.group(1):
        return [" ".join([*words[:-1], alias])]
    return [alias]


def age_at(flat: str, mention: NameMention) -> int | None:
    """The age given right after a name ("Zhilin, 36,") or before it ("the 36-year-old ...")."""
    after = _AGE.match(flat, mention.end)
    if after:
        return int(next(g for g in after.groups() if g))
    before = _AGE_BEFORE.search(flat[max(0, mention.start - 60) : mention.start])
    return int(before.group(1)) if before else None


def born_from_age(age: int, on: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """The birth dates compatible with being ``age`` on ``on`` (an interval of one year)."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + datetime.timedelta(days=1)
    return earliest, latest, f"{age} on {on.isoformat()}"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def citizenship_in(flat: str, start: int, end: int) -> list[str]:
    """Country codes of demonym phrases in ``start``..``end`` ("a Russian citizen",
    "citizens of Uzbekistan", "a native of Tyumen, Russia")."""
    codes: list[str] = []
    for place in find_places(flat, start, end):
        word = flat[place.start : place.end]
        after = flat[place.end : min(end, place.end + 40)]
        before = flat[max(start, place.start - 40) : place.start]
        if (
            (
                place.kind == "demonym"
                and re.match(
                    rf"\s+(?!(?:police|authorities|court|government|officials|border|security)\b)"
                    rf"(?:[\w-]+\s+)?(?:{_CITIZEN_NOUNS})\b",
                    after,
                    re.I,
                )
            )
            or (
                place.kind == "country"
                and re.search(
                    r"(?:citizens?|nationals?|native|subject)\s+of\s+(?:[\w-]+,\s+)?$", before, re.I
                )
            )
            or (code_of(word) and re.search(r"\bnative\s+of\s+[\w-]+,\s+$", before, re.I))
            or (
                place.kind == "demonym"
                and _DEMONYM_NOUN_BEFORE.search(before)
                and _DEMONYM_NOUN_AFTER.match(after)
            )
            or (place.kind == "country" and _FROM_COUNTRY.search(before))
        ):
            codes.append(place.code)
    return list(dict.fromkeys(codes))


#: A demonym used as a noun for the person: "a 35-year-old Uzbek,", "the Tajik was".
_DEMONYM_NOUN_BEFORE = re.compile(r"\b(?:a|an|the)\s+(?:[\w-]+\s+){0,2}$", re.I)
_DEMONYM_NOUN_AFTER = re.compile(r"\s*(?:[,.;)]|\s(?:who|was|is|had|has)\b)")
#: "a blogger from Tajikistan", "who hails from Uzbekistan", "originally from Kyrgyzstan".
_FROM_COUNTRY = re.compile(
    r"(?:\b(?:a|an)\s+(?:[\w-]+\s+){1,2}|\bhails?\s+|\boriginally\s+|\bcomes?\s+)from\s+$",
    re.I,
)
