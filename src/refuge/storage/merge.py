"""Identity resolution: is the person in a new report someone the store already knows, and is
a reported event one the timeline already has?

Names arrive in several scripts and spellings (Zhilin / Жилин, Sandzhiev / Sandzhiyev /
Санджиев). We transliterate Cyrillic with a small table of our own, fold the spelling variants
that transliteration systems disagree on (y/i, kh/h, double letters...), and compare the folded
names with a similarity ratio. A name alone is weak evidence, so birth year, citizenship and
host decide between merging, proposing a merge for a person to review, and a new case.
All functions here are pure: they read domain objects and return decisions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import product

from refuge.domain import Case, Event, Person

# Russian, plus the Kazakh and Ukrainian letters that appear in names of the region.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіїєґ",
        (
            *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n"),
            *("o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "_", "y"),
            *("_", "e", "yu", "ya", "a", "g", "k", "n", "o", "u", "u", "h", "i", "i", "e", "g"),
        ),
        strict=True,
    )
)
# Spelling variants folded to one form, longest first (applied after transliteration).
_FOLDS = (
    ("shch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ks", "x"),
    ("ye", "e"),
    ("yo", "e"),
    ("ya", "ia"),
    ("yu", "iu"),
    ("y", "i"),
    ("w", "v"),
    ("ph", "f"),
)
_NON_LETTERS = re.compile(r"[^a-z ]+")
_REPEATS = re.compile(r"(.)\1+")

#: Same host and at least this similar: merge when birth year or citizenship agree.
MERGE_AT = 0.88
#: At least this similar but not sure enough: store a merge proposal for review.
PROPOSE_AT = 0.75


def fold(name: str) -> str:
    """A spelling-insensitive form of ``name`` (``fold("Санджиев") == fold("Sandzhiyev")``)."""
    lowered = unicodedata.normalize("NFKC", name).lower()
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in lowered).replace("_", "")
    ascii_only = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    folded = _NON_LETTERS.sub(" ", ascii_only)
    for variant, canonical in _FOLDS:
        folded = folded.replace(variant, canonical)
    return " ".join(_REPEATS.sub(r"\1", token) for token in folded.split())


def _spellings(person: Person) -> list[str]:
    return [f for f in (fold(n) for n in (person.name, *person.aliases)) if f]


def name_keys(person: Person) -> set[str]:
    """Index keys for finding candidates: the first three letters of every folded name token."""
    return {token[:3] for spelling in _spellings(person) for token in spelling.split()}


def name_similarity(a: Person, b: Person) -> float:
    """The best similarity between any spelling of ``a`` and any of ``b``, 0..1.

    Token order is ignored (Zhilin Mikhail / Mikhail Zhilin); a surname alone against a full
    name compares the surname with the surname, with a small discount for the missing parts.
    """
    best = 0.0
    for x, y in product(_spellings(a), _spellings(b)):
        best = max(best, _token_similarity(x.split(), y.split()))
    return best


def _token_similarity(x: list[str], y: list[str]) -> float:
    whole = SequenceMatcher(None, " ".join(sorted(x)), " ".join(sorted(y))).ratio()
    shorter, longer = (x, y) if len(x) <= len(y) else (y, x)
    if len(shorter) == len(longer):
        return whole
    # Every token of the shorter name must match some token of the longer one.
    part = min(max(SequenceMatcher(None, s, t).ratio() for t in longer) for s in shorter)
    return max(whole, part * 0.95)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with an incoming case against one existing case."""

    kind: str  # merge | propose | distinct
    score: float
    reasons: tuple[str, ...] = field(default=())


def decide(incoming: Case, existing: Case) -> Decision:
    """Merge, propose or keep apart, with the reasons (kinds of evidence, never names)."""
    score = name_similarity(incoming.person, existing.person)
    if score < PROPOSE_AT:
        return Decision("distinct", score, ("names differ",))
    reasons = [f"name similarity {score:.2f}"]
    conflicts, support = _attribute_evidence(incoming, existing, reasons)
    if conflicts:
        return Decision("distinct", score, tuple(reasons))
    if score >= MERGE_AT and support:
        return Decision("merge", score, tuple(reasons))
    return Decision("propose", score, tuple(reasons))


def _attribute_evidence(incoming: Case, existing: Case, reasons: list[str]) -> tuple[bool, bool]:
    """(a hard conflict, some agreement) from host, birth year and citizenship."""
    conflicts, support = False, False
    if incoming.host != existing.host:
        reasons.append("host differs")
        conflicts = True
    a, b = incoming.person.born, existing.person.born
    if a is not None and b is not None:
        if a.earliest.year - 1 <= b.latest.year and b.earliest.year - 1 <= a.latest.year:
            reasons.append("birth year agrees")
            support = True
        else:
            reasons.append("birth year differs")
            conflicts = True
    ca, cb = set(incoming.person.citizenship), set(existing.person.citizenship)
    if ca and cb:
        if ca & cb:
            reasons.append("citizenship agrees")
            support = True
        else:
            reasons.append("citizenship differs")
            conflicts = True
    return conflicts, support


# -- events ----------------------------------------------------------------------------------
#: Events a person goes through once per procedure: two reports giving different dates or
#: outcomes for them disagree (the event is disputed) rather than describe two events.
SINGULAR = frozenset(
    {
        "entry",
        "asylum_application",
        "asylum_decision",
        "appeal_decision",
        "expulsion_order",
        "extradition_decision",
        "conviction",
        "removal",
        "status_grant",
    }
)
#: Attributes that tell two events of one type apart (an appeal against what, at which level).
_IDENTITY = ("against", "level")
#: Attributes on which two reports of the same event can disagree.
_OUTCOME = ("outcome", "to", "via")


@dataclass(frozen=True, slots=True)
class EventMatch:
    kind: str  # same | disputed | new
    existing: str | None = None  # id of the matching stored event


def match_event(incoming: Event, timeline: list[Event]) -> EventMatch:
    """Is ``incoming`` an event of ``timeline`` (corroboration), a disagreeing report of one
    (disputed), or a new event?"""
    disputed: Event | None = None
    for event in timeline:
        if event.type != incoming.type or not _agree(event, incoming, _IDENTITY):
            continue
        if event.date.overlaps(incoming.date) and _agree(event, incoming, _OUTCOME):
            return EventMatch("same", event.id)
        if incoming.type in SINGULAR and disputed is None:
            disputed = event
    if disputed is not None:
        return EventMatch("disputed", disputed.id)
    return EventMatch("new")


def _agree(a: Event, b: Event, keys: tuple[str, ...]) -> bool:
    """No attribute in ``keys`` is given by both events with different values."""
    return all(a.get(k) is None or b.get(k) is None or a.get(k) == b.get(k) for k in keys)
