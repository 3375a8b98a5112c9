"""The attributes of an event, read from the words around its trigger.

Each function looks at the trigger's clause (or sentence) only, and fills an attribute only when
the words state it: a lawyer would rather see an empty field than a wrong "to: RU".
"""

from __future__ import annotations

import re
from typing import Any

from refuge.ingest.events.geo import find_places
from refuge.ingest.events.lexicon import ENGLISH, Lexicon
from refuge.ingest.events.triggers import Mention

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_PENALTY = re.compile(
    r"\b(?:maximum|up\s+to|as\s+many\s+as|of\s+up\s+to)\s+(?:\w+\s+){0,3}?"
    r"(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+years?\b",
    re.I,
)
_AGENT_BY = re.compile(
    r"\bby\s+((?:the\s+)?(?:[\w-]+\s+){0,3}?(?:border\s+guards?|police|guards|authorities|"
    r"officers|agents|security\s+service|court|service))\b",
    re.I,
)
_OFFENCE = re.compile(
    r"(?:charges?\s+(?:of|including|for)|charged\s+with|wanted\s+(?:in\s+\w+\s+)?(?:for|on)|"
    r"guilty\s+of|convicted\s+of|against\s+\w+\s+for)\s+(?:alleged\s+)?"
    r"[\"“]?([^,.;\"“”()]{3,80}?)[\"”]?(?=\s+(?:that|which|who|and|or|punishable|charges?)\b|[,.;\"”(]|$)",
    re.I,
)
_QUOTE_SPEAKER = re.compile(
    r"[\"”],?\s+((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)\s+\[?(?:told|said|added|wrote)\b"
)
_COURT_LEVEL = (
    (re.compile(r"\bsupreme\s+court\b", re.I), "supreme_court"),
    (re.compile(r"\bconstitutional\s+court\b", re.I), "constitutional"),
    (re.compile(r"\bcassation\b", re.I), "cassation"),
    (re.compile(r"\bappeals?\s+court\b|\bcourt\s+of\s+appeals?\b|\bappellate\b", re.I), "appeal"),
)
_AGAINST_NOUNS = (
    (re.compile(r"\b(?:deportation|expulsion|removal)\b", re.I), "expulsion_order"),
    (re.compile(r"\bextradition\b", re.I), "extradition_decision"),
    (re.compile(r"\b(?:asylum|refugee|refusal)\b", re.I), "asylum_decision"),
    (re.compile(r"\b(?:conviction|sentence|verdict)\b", re.I), "conviction"),
)


def destination(flat: str, mention: Mention) -> str | None:
    """The state after "to" following the trigger ("extradited X to Tajikistan")."""
    for place in find_places(flat, mention.start, mention.clause.end):
        before = flat[max(mention.start, place.start - 12) : place.start]
        if re.search(r"\b(?:to|into)\s+(?:[\w-]+,\s+)?(?:the\s+)?$", before):
            return place.code
        wider = flat[max(mention.start, place.start - 45) : place.start]
        if place.kind == "country" and _TO_DESCRIBED.search(wider):
            return place.code  # "extradited him to Central Asian neighbour Uzbekistan"
        if place.kind == "country" and re.search(r"\bover\s+to\s+$", before):
            return place.code
    return None


_TO_DESCRIBED = re.compile(
    r"\bto\s+(?:(?:the|its|his|her|their|neighbo(?:u)?r(?:ing)?|native|home|[A-Z][a-z]+)\s+){1,4}$"
)


def source_state(flat: str, mention: Mention) -> str | None:
    """The state after "from" following a removal trigger ("deported from Moscow")."""
    for place in find_places(flat, mention.start, mention.clause.end):
        if re.search(r"\bfrom\s+$", flat[max(mention.start, place.start - 6) : place.start]):
            return place.code
    return None


#: "Kyrgyzstan on Saturday said it had ...", "Kazakhstan's security committee said it ...": the
#: state (or its organ) reports its own act.
_STATE_SAID_IT = re.compile(
    r"(?:['’]s\s+(?:[\w-]+\s+){0,3}?(?:committee|service|ministry|office|court|government|"
    r"prosecutor['’]?s?|police|agency))?(?:\s+on\s+\w+)?\s+(?:said|says|announced|confirmed|"
    r"reported)\s+(?:in\s+a\s+statement\s+)?(?:that\s+)?it\b",
    re.I,
)


def agent_state(flat: str, start: int, end: int) -> str | None:
    """The state of an agent phrase before a trigger: "Kazakh authorities", "Kazakhstan has"."""
    found = None
    for place in find_places(flat, start, end):
        after = flat[place.end : place.end + 40]
        if (
            place.kind == "demonym"
            and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:authorities|police|court|government|officials|guards|"
                r"border\s+guards|law\s+enforcement|security|prosecutors?|judges?)\b",
                after,
                re.I,
            )
        ) or (
            place.kind == "country"
            and (
                re.match(r"(?:['’]s)?\s+(?:has\b|had\b|have\b|\w+ed\b|sought\b)", after)
                or _STATE_SAID_IT.match(flat, place.end)
            )
        ):
            found = place.code
    return found


def attributes(flat: str, mention: Mention, lexicon: Lexicon = ENGLISH) -> dict[str, Any]:
    """The attributes the trigger's words and clause state, by event type."""
    attrs: dict[str, Any] = dict(mention.trigger.attrs)
    clause = flat[mention.clause.start : mention.clause.end]
    sentence = flat[mention.sentence.start : mention.sentence.end]
    kind = mention.type
    if kind in ("removal", "move") and (to := destination(flat, mention)):
        attrs["to"] = to
    elif kind == "detention":
        attrs.update(_detention(clause, sentence))
    elif kind in ("appeal_decision", "appeal_lodged"):
        attrs.update(_appeal(flat, mention))
    elif kind == "charge":
        attrs.update(_charge(flat, mention, sentence))
    elif kind == "extradition_request" and (
        by := agent_state(flat, mention.clause.start, mention.end)
    ):
        attrs["by"] = by  # "Russia has requested his extradition"
    elif kind == "entry" and re.search(
        r"\b(?:illegal(?:ly)?|irregular(?:ly)?|unlawful(?:ly)?|"
        r"without\s+(?:a\s+)?(?:visa|documents))\b",
        clause,
        re.I,
    ):
        attrs["irregular"] = True
    elif kind == "risk_allegation":
        attrs.update(_risk(flat, mention, lexicon.harms))
    elif kind in ("interim_measures", "interim_measures_request"):
        for words, body in lexicon.bodies:
            if words.lower() in sentence.lower():
                attrs["body"] = body
                break
    elif kind == "conviction":
        attrs.update(_conviction(clause, sentence))
    elif kind == "expulsion_order" and re.search(r"\bcourt\b", clause, re.I):
        attrs["by"] = "court"
    elif kind == "flight" and (
        places := list(find_places(flat, mention.start, mention.clause.end))
    ):
        attrs["from"] = places[0].code
    return attrs


def _detention(clause: str, sentence: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if by := _AGENT_BY.search(clause):
        attrs["by"] = re.sub(r"^the\s+", "", by.group(1), flags=re.I)
    if re.search(
        r"\bborder\b|\billegal(?:ly)?\s+(?:entry|crossing|entering)|entering\s+\w+\s+"
        r"illegally",
        clause,
        re.I,
    ):
        attrs["grounds"] = "border"
    elif re.search(
        r"\brequest\s+(?:of|from)\b|['’]s\s+request\b|\bred\s+notice\b|\binterpol\b|"
        r"\bextradit",
        sentence,
        re.I,
    ):
        attrs["grounds"] = "extradition"
    elif re.search(r"\bdeportation\s+cent|\bmigration\b|\bimmigration\b", clause, re.I):
        attrs["grounds"] = "immigration"
    return attrs


def _appeal(flat: str, mention: Mention) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    words = flat[mention.start : min(mention.clause.end, mention.end + 30)]
    if "against" not in attrs:
        for rx, against in _AGAINST_NOUNS:
            if rx.search(words):
                attrs["against"] = against
                break
    clause = flat[mention.clause.start : mention.clause.end]
    for rx, level in _COURT_LEVEL:
        if rx.search(clause):
            attrs["level"] = level
            break
    return attrs


def _charge(flat: str, mention: Mention, sentence: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    offence = _OFFENCE.search(flat, mention.start, mention.clause.end)
    if offence:
        attrs["offence"] = offence.group(1).strip()
    penalty = _PENALTY.search(sentence)
    if penalty:
        value = penalty.group(1).lower()
        attrs["max_penalty_years"] = int(value) if value.isdigit() else _NUMBERS[value]
    if re.search(r"\binterpol\b|\bred\s+notice\b", sentence, re.I):
        attrs["wanted"] = "interpol"
    return attrs


def _risk(flat: str, mention: Mention, harms: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    tail = flat[mention.start : mention.sentence.end].lower()
    for words, harm in harms:
        if words in tail:
            attrs["harm"] = harm
            break
    head = flat[mention.sentence.start : mention.end]
    speaker = re.search(
        r"((?:his|her|their)\s+(?:family|wife|husband|lawyers?|relatives|mother|father)|"
        r"family|[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,3})\W{0,3}\s*(?:\[)?(?:publicly\s+)?"
        r"(?:said|says|stated|urged|warned|believes?|argued|fears?)\b[^.]*$",
        head,
    )
    if speaker:
        who = speaker.group(1)
        attrs["by"] = "his family" if who.lower() == "family" else who
    elif quoted := _QUOTE_SPEAKER.search(flat, mention.end, mention.sentence.end):
        attrs["by"] = quoted.group(1)  # '"He will be tortured," Toktakunov told RFE/RL.'
    return attrs


def _conviction(clause: str, sentence: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    offence = re.search(
        r"\b(?:guilty|convicted)\s+of\s+([^,.;]{3,80}?)(?=,|\.|;|\s+and\b|$)", clause, re.I
    )
    if offence:
        attrs["offence"] = offence.group(1).strip()
    sentence_words = re.search(
        r"\bsentenced\s+(?:\w+\s+)?to\s+([^,.;]{3,60}?)(?=,|\.|;|\s+for\b|$)", clause, re.I
    )
    if sentence_words:
        attrs["sentence"] = sentence_words.group(1).strip()
    if re.search(r"\bdeport|\bexpel|\bexpulsion", sentence, re.I):
        attrs["expulsion"] = True
    return attrs


def against_from_context(flat: str, mention: Mention, previous_types: list[str]) -> str | None:
    """What "that decision" refers to: the latest decision mentioned before this trigger."""
    if not re.search(
        r"\b(?:that|the|this)\s+(?:decision|ruling|refusal)\b",
        flat[mention.start : mention.end + 20],
        re.I,
    ):
        return None
    for kind in reversed(previous_types):
        if kind in ("asylum_decision", "expulsion_order", "extradition_decision", "conviction"):
            return kind
    return None
