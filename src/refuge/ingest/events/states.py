"""Host and origin states of a case, scored from the clauses of its events.

The host is where the procedure happens: the agent of a removal or a detention ("Kazakhstan has
deported", "Belarusian authorities detained"), the court's country ("an appeals court in
Kazakhstan"), the country entered, the "from" of a removal. The origin is the state the person
fled or is sent to: the "to" of a removal, "fled Russia", "wanted in", "a request from".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from refuge.ingest.events.arguments import agent_state, destination, source_state
from refuge.ingest.events.geo import code_of, find_places
from refuge.ingest.events.people import citizenship_in
from refuge.ingest.events.triggers import Mention

_HOST_CONTEXT = re.compile(
    r"\b(?:in|into|enter|entering|entered|arrival\s+in|arrived\s+in|asylum\s+in|"
    r"travel(?:l)?ed\s+to|residing\s+in|lived\s+in|living\s+in|court\s+in|courts?\s+of|at)\s+"
    r"(?:the\s+)?$",
    re.I,
)
_ORIGIN_CONTEXT = re.compile(
    r"\b(?:wanted\s+in|request\s+(?:of|from)\s+(?:the\s+)?(?:government\s+of\s+)?|fled|"
    r"request\s+of\s+the\s+(?:[\w-]+\s+){1,5}?of\s+|"
    r"return\s+to|returned\s+to|extradite\s+\w+\s+to|deport\s+\w+\s+to|citizens?\s+of|"
    r"native\s+of\s+[\w-]+,)\s*$",
    re.I,
)
_ASKED_NOT_TO = re.compile(
    r"\b(?:asked|asking|urged|urging|requested|requesting|called\s+on)\s+([A-Z][\w’-]+)\s+not\s+to\b"
)
_HOST_TYPES = frozenset(
    {
        "detention",
        "asylum_application",
        "asylum_decision",
        "appeal_decision",
        "appeal_lodged",
        "expulsion_order",
        "conviction",
        "entry",
        "release",
        "extradition_decision",
        "asylum_registration",
    }
)


_MOVE_NOUN = re.compile(
    r"\b(?:deportation|deported|extradition|extradited|expulsion|expelled|removal|return(?:ed)?)"
    r"\b[^.;]{0,60}?$",
    re.I,
)


_CAME_FROM = re.compile(
    r"\b(?:(?:fled|escaped)\s+(?:[\w-]+\s+){0,3}?(?:from|in)|(?:crossed|crossing|came|"
    r"arrived|smuggled)\s+(?:[\w-]+\s+){0,3}?from)\s+(?:the\s+)?$",
    re.I,
)


#: A court or prosecutor named after a place: "the Tbilisi City Court", "Russia's Supreme
#: Court", "Moscow's Basmanny District Court", "Istanbul Heavy Penal Court".
_COURT_AFTER = re.compile(r"(?:['’]s)?\s+(?:[A-Z][\w-]+\s+){0,3}(?:[Cc]ourt|[Pp]rosecutor)")
_BY_AGENT = re.compile(r"\s+by\s+(?:the\s+)?$")


def _passive_agent(flat: str, start: int, end: int) -> str | None:
    """The state of a passive's agent right after the trigger: "detained by the Ukrainian
    authorities", "arrested by Kazakh police"."""
    for place in find_places(flat, start, min(end, start + 40)):
        if _BY_AGENT.search(flat[start : place.start]) is None:
            return None
        if place.kind == "country":
            return place.code  # "deported by Germany"
        return agent_state(flat, place.start, place.end)
    return None


#: "Uzbekistan's extradition request", "at Tashkent's request": the requesting state.
_REQUEST_AFTER = re.compile(
    r"['’]s\s+(?:formal\s+|official\s+|repeated\s+)?(?:extradition\s+)?request\b", re.I
)
_THIRD_STATE_GRANT = re.compile(
    r"\b(?:received|obtained|was\s+granted|were\s+granted|granted|got)\s+(?:political\s+)?"
    r"(?:asylum|refugee\s+status|protection)\s+in\s+(?:the\s+)?$",
    re.I,
)
#: Words placing a clause after the person's return: its places are in the origin state.
_AFTER_RETURN = re.compile(
    r"\b(?:after|upon|on|following)\s+(?:his\s+|her\s+|their\s+)?(?:being\s+|having\s+been\s+)?"
    r"(?:return|arrival|deport|extradit|expel|expulsion|handed\s+over|forcibly\s+returned)\w*",
    re.I,
)


_SEIZED_IN = re.compile(
    r"\b(?:abducted|kidnapped|seized|snatched|detained|arrested|picked\s+up|grabbed|taken)"
    r"\s+(?:[\w-]+\s+){0,4}?(?:in|at|from)\s+(?:the\s+)?$",
    re.I,
)


def _seized_in(flat: str, m: Mention) -> str | None:
    """Where the person was taken before a removal, in the removal's sentence and before its
    destination: the state the removal happened from ("arrested in Dushanbe after being
    deported" is custody after the return, not this)."""
    if _AFTER_RETURN.search(flat, m.sentence.start, m.sentence.end):
        return None
    for place in find_places(flat, m.sentence.start, m.clause.end):
        before = flat[max(m.sentence.start, place.start - 50) : place.start]
        if _SEIZED_IN.search(before):
            return place.code
    return None


_VANISHED_IN = re.compile(
    r"\b(?:disappeared|went\s+missing|vanished|abducted|kidnapped|was\s+last\s+seen)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:in|from)\s+(?:the\s+)?$",
    re.I,
)
_ORGAN_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:migration|immigration|interior|internal\s+affairs|state\s+security|"
    r"national\s+security|intelligence|border|security\s+services?|FSB|GKNB|SBU|KGB|MIA|"
    r"prosecutor|prosecutors|prosecutor['’]s|investigators?|judge|judges|courts?|police|"
    r"authorities|officials|officers)\b",
    re.I,
)


def _organ_state(flat: str, start: int, end: int) -> str | None:
    """The state of an organ named before a host step in its clause: "the Ukrainian migration
    service", "Turkish immigration officers", "Russian FSB officers"."""
    found = None
    for place in find_places(flat, start, end):
        if place.kind == "demonym" and _ORGAN_AFTER.match(flat, place.end):
            found = place.code
    return found


def _entered_from(flat: str, m: Mention) -> str | None:
    """The state an entry came from: "from <place>" right after the trigger."""
    for place in find_places(flat, m.start, min(m.clause.end, m.end + 60)):
        if re.search(r"\bfrom\s+(?:the\s+)?$", flat[max(m.start, place.start - 12) : place.start]):
            return place.code
    return None


def score_states(
    flat: str, mentions: Iterable[Mention], spans: Iterable[tuple[int, int]] = ()
) -> tuple[Counter[str], Counter[str]]:
    """Votes for the host and the origin from the clauses of ``mentions`` and, more weakly,
    from "deportation from X to Y" in the other sentences about the person (``spans``)."""
    host: Counter[str] = Counter()
    origin: Counter[str] = Counter()
    for lo, hi in spans:
        for place in find_places(flat, lo, hi):
            before = flat[max(lo, place.start - 70) : place.start]
            if _CAME_FROM.search(before):
                origin[place.code] += 1  # "crossing the border from China", "fled a camp in
                continue  # Xinjiang": said of the person, the state they came from
            if not _MOVE_NOUN.search(before) and not _REQUEST_AFTER.match(flat, place.end):
                continue
            if _REQUEST_AFTER.match(flat, place.end):
                origin[place.code] += 1  # "at Russia's request", in a sentence about the person
                continue
            if re.search(r"\bfrom\s+$", before):
                host[place.code] += 1
            elif re.search(r"\bto\s+$", before):
                origin[place.code] += 1
    for m in mentions:
        clause = m.clause
        asked = _ASKED_NOT_TO.search(flat, clause.start, clause.end)
        if asked and (code := code_of(asked.group(1))):
            host[code] += 2  # "asked Kazakhstan not to extradite him": the host is asked
        if m.type in ("expulsion_order", "extradition_decision", "risk_allegation") and (
            to := destination(flat, m)
        ):
            origin[to] += 2
        if m.type == "removal":
            if to := destination(flat, m):
                origin[to] += 3
            if frm := source_state(flat, m):
                host[frm] += 3
            if seized := _seized_in(flat, m):
                host[seized] += 3  # "abducted in Istanbul and forcibly returned to Dushanbe"
        if m.type == "flight":
            for place in find_places(flat, m.start, m.end + 40):
                origin[place.code] += 3
                break
        if m.type == "entry" and (came_from := _entered_from(flat, m)):
            origin[came_from] += 2  # "crossed the border from China", "arrived from Tajikistan"
        if agent := agent_state(flat, clause.start, m.start + 1):
            (origin if m.type in ("charge", "extradition_request") else host)[agent] += 2
        elif (m.type in _HOST_TYPES or m.type == "removal") and (
            agent := _passive_agent(flat, m.end, clause.end)
        ):
            host[agent] += 3 if m.type == "removal" else 2  # "detained by the Ukrainian
            # authorities", "deported by Germany"
        elif m.type in _HOST_TYPES and (organ := _organ_state(flat, clause.start, m.start)):
            host[organ] += 2  # "the Ukrainian migration service refused", "Turkish immigration"
        if not _AFTER_RETURN.search(flat, m.sentence.start, m.sentence.end):
            for place in find_places(flat, clause.start, clause.end):
                if _VANISHED_IN.search(flat[max(clause.start, place.start - 40) : place.start]):
                    host[place.code] += 2  # "went missing in Moscow", "abducted in Istanbul"
                    break
        returned = m.type == "detention" and _AFTER_RETURN.search(
            flat, m.sentence.start, m.sentence.end
        )
        for place in find_places(flat, clause.start, clause.end):
            before = flat[max(clause.start, place.start - 45) : place.start]
            if _THIRD_STATE_GRANT.search(before):
                continue  # "received asylum in the United States": a third state, not the host
            if _REQUEST_AFTER.match(flat, place.end):
                origin[place.code] += 2
            elif returned:
                origin[place.code] += 1  # "arrested in Dushanbe after being deported"
            elif m.type in _HOST_TYPES and _COURT_AFTER.match(flat, place.end):
                host[place.code] += 2  # "the Tbilisi City Court found ...", "a Bishkek court"
            elif _ORIGIN_CONTEXT.search(before):
                origin[place.code] += 2
            elif m.type in _HOST_TYPES and _HOST_CONTEXT.search(before):
                host[place.code] += 3 if place.kind == "country" else 1  # beats an agent
    return host, origin


_DATELINE = re.compile(
    r"\s*([A-Z][A-Z.' -]{2,30}?|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)(?:,\s*[A-Z][\w ]{2,30}?)?"
    r"\s*(?:\([^)]{1,40}\)\s*)?(?:--|—|–|-)\s"
)


def fallback_host(flat: str, spans: list[tuple[int, int]], body_start: int) -> Counter[str]:
    """Weaker evidence of the host when no step's own words place it (its trigger was missed,
    or its clause names no state): a place where the sentences about the person put them or a
    court ("lives in Istanbul", "a Bishkek court"), and, weakest, the dateline's city ("KYIV
    --"), which is where the story was reported from. The person's own state (their
    citizenship) is no host candidate here: a story told from Dushanbe about a Tajik abroad."""
    host: Counter[str] = Counter()
    own = {code for lo, hi in spans for code in citizenship_in(flat, lo, hi)}
    for lo, hi in spans:
        for place in find_places(flat, lo, hi):
            before = flat[max(lo, place.start - 45) : place.start]
            if _THIRD_STATE_GRANT.search(before) or _ORIGIN_CONTEXT.search(before):
                continue
            if _AFTER_RETURN.search(flat, lo, hi) or _REQUEST_AFTER.match(flat, place.end):
                continue
            if _COURT_AFTER.match(flat, place.end) or _HOST_CONTEXT.search(before):
                host[place.code] += 2 if place.kind == "country" else 1
    dateline = _DATELINE.match(flat, body_start)
    if dateline and (code := code_of(dateline.group(1).strip().title())):
        host[code] += 1
    for code in own:  # "DUSHANBE -- ... Tajik opposition politician": the person's own state
        host.pop(code, None)  # is where the story is told from, not where it happens
    return host


def doubts(
    host_votes: Counter[str],
    origin_votes: Counter[str],
    host: str | None,
    origin: str | None,
    weak: bool,
) -> tuple[str, ...]:
    """Tags that tell a reviewer a state was not read from the steps' own words: the host
    from weaker evidence or the user's ``--host`` only, or disputed (the two best within one
    vote); the origin assumed or taken from citizenship alone. A guess is marked, not hidden."""
    out: list[str] = []
    top = [votes for _, votes in host_votes.most_common(2)]
    if host is None or weak or (len(top) == 2 and top[0] - top[1] <= 1):
        out.append("host-uncertain")
    if origin is None or origin_votes.get(origin, 0) == 0:
        out.append("origin-uncertain")
    return tuple(out)


def choose(
    host: Counter[str], origin: Counter[str], hint: str | None
) -> tuple[str | None, str | None]:
    """The best-scored host and a different best-scored origin (the hint breaks no tie: it is
    used only when the text names no host)."""
    host_code = None
    for code, _ in host.most_common():
        if origin.get(code, 0) > host[code]:
            continue
        host_code = code
        break
    if host_code is None:
        host_code = hint
    origin_code = next((c for c, _ in origin.most_common() if c != host_code), None)
    if origin_code is None and hint is not None and hint != host_code:
        origin_code = hint  # a report on Kyrgyzstan telling an extradition from Russia
    return host_code, origin_code
