"""The date of each event: from the time expressions of its clause, else from the narrative.

Three rules, in order, and never an invented day:

1. A time expression in the event's clause dates it, when the event's trigger is the nearest
   one. "Between February and April" is one interval; "held from April to August" starts in
   April. A date next to a reporting verb ("media reported Friday", "On August 31, the NGO
   reported that ...") dates the report, so it only bounds the event from above.
2. An event in an "after ..." clause happened before the main clause's date: "extradited on
   July 21 after he lost his appeal" bounds the appeal by July 21. A participial "after being
   detained" describes the step just before and shares the main clause's date.
3. Otherwise the procedure bounds it: an appeal decision comes after the detention it
   follows, a removal after the ruling it executes and no later than the report. The
   precedence table below says which event types come before which.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from refuge.domain import DateRange
from refuge.ingest.events.lexicon import ENGLISH, Lexicon
from refuge.ingest.events.triggers import Mention
from refuge.ingest.temporal import Timex

#: type -> the types that, in one case, happen before it (the procedure's order).
_HOST_STEPS = (
    "entry",
    "detention",
    "asylum_application",
    "asylum_decision",
    "appeal_lodged",
    "appeal_decision",
    "expulsion_order",
    "extradition_request",
    "extradition_decision",
    "conviction",
)
PRECEDES: dict[str, frozenset[str]] = {
    "entry": frozenset({"flight"}),
    "detention": frozenset({"flight", "entry"}),
    "asylum_application": frozenset({"flight", "entry"}),
    "asylum_decision": frozenset({"flight", "entry", "asylum_application"}),
    "appeal_lodged": frozenset(
        {"asylum_decision", "expulsion_order", "extradition_decision", "conviction", "detention"}
    ),
    "appeal_decision": frozenset(
        {
            "appeal_lodged",
            "asylum_decision",
            "expulsion_order",
            "extradition_decision",
            "conviction",
            "detention",
        }
    ),
    "expulsion_order": frozenset({"detention", "entry", "conviction"}),
    "conviction": frozenset({"detention", "entry"}),
    "extradition_decision": frozenset({"extradition_request", "detention"}),
    "release": frozenset({"detention"}),
    "removal": frozenset(_HOST_STEPS),
    "departure": frozenset({"detention", "release", "entry"}),
    "status_grant": frozenset({"asylum_application", "asylum_decision"}),
}
#: Types that are bounded from above by the report only, never by other events.
_GERUND_AFTER = re.compile(r"\b(?:after|following)\s+(?:being|having|\w+ing)\b", re.I)
_FINITE_AFTER = re.compile(r"\b(?:after|following|once|when)\b", re.I)
_RANGE_BETWEEN = re.compile(r"^\s*(?:and|to|until|through|-|–)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Dating:
    """What the clause says about one mention's date."""

    date: DateRange | None  # from its own time expression
    reported_by: datetime.date | None  # a report date in the sentence: the event is no later
    before: datetime.date | None  # the main clause's date, for an "after ..." clause
    after_mention: int | None  # index of the mention this one comes before (for sequence)
    shares_date_with: int | None  # participial "after being ...": same date as that mention


def _dated(timexes: Iterable[Timex]) -> list[Timex]:
    return [t for t in timexes if t.type in ("DATE", "TIME") and t.earliest and t.latest]


def _is_report_date(
    flat: str, timex: Timex, clause_start: int, trigger_start: int, reporting: re.Pattern[str]
) -> bool:
    """True for "reported Friday", "reported on October 12", "On August 31, X reported that"."""
    before = flat[max(clause_start, timex.start - 25) : timex.start]
    if reporting.search(before) and re.search(r"\]?(?:\(#\))?\s*(?:on\s+)?$", before):
        return True
    wider = flat[max(clause_start, timex.start - 45) : timex.start]
    if re.search(r"\b(?:told|said|wrote)\s+(?:\w+\s+){1,4}?on\s+$", wider):
        return True  # "told reporters in Dushanbe on February 2 that ..."
    if timex.end <= trigger_start:
        between = flat[timex.end : trigger_start]
        return reporting.search(between) is not None
    return False


def _joined(flat: str, times: list[Timex], trigger: str) -> list[DateRange]:
    """Time expressions as ranges; "between X and Y" is one range, "from X to Y" starts at X
    for states that last (a detention) and spans X..Y otherwise."""
    out: list[DateRange] = []
    i = 0
    while i < len(times):
        t = times[i]
        assert t.earliest is not None and t.latest is not None
        nxt = times[i + 1] if i + 1 < len(times) else None
        if nxt is not None and nxt.latest and _RANGE_BETWEEN.match(flat[t.end : nxt.start]):
            lead = flat[max(0, t.start - 9) : t.start].lower()
            text = flat[t.start : nxt.end]
            if "from" in lead and trigger == "detention":
                out.append(DateRange(t.earliest, t.latest, text))
            else:
                out.append(DateRange(t.earliest, max(nxt.latest, t.latest), text))
            i += 2
            continue
        out.append(DateRange(t.earliest, t.latest, t.text))
        i += 1
    return out


def date_mentions(
    flat: str, mentions: Sequence[Mention], timexes: list[Timex], lexicon: Lexicon = ENGLISH
) -> list[Dating]:
    """The :class:`Dating` of every mention (same order).

    Each mention is dated from its own sentence only, so the mentions and dates of a sentence
    are gathered once and each mention looks at those, not at the whole article (looking at
    the whole article made reading quadratic: 1 MB of repeated dates took minutes)."""
    dated = sorted(_dated(timexes), key=lambda t: t.start)
    starts = [t.start for t in dated]
    groups: dict[tuple[int, int], list[int]] = {}
    for index, mention in enumerate(mentions):
        groups.setdefault((mention.sentence.start, mention.sentence.end), []).append(index)
    out: list[Dating | None] = [None] * len(mentions)
    for (start, end), members in groups.items():
        local = [mentions[i] for i in members]
        near = dated[bisect_left(starts, start) : bisect_right(starts, end)]
        for j, index in enumerate(members):
            dating = _date_one(flat, local, j, near, lexicon.reporting)
            out[index] = replace(
                dating,
                after_mention=_global(members, dating.after_mention),
                shares_date_with=_global(members, dating.shares_date_with),
            )
    return [d for d in out if d is not None]


def _global(members: list[int], local: int | None) -> int | None:
    return None if local is None else members[local]


def _date_one(
    flat: str,
    mentions: Sequence[Mention],
    index: int,
    dated: list[Timex],
    reporting: re.Pattern[str],
) -> Dating:
    mention = mentions[index]
    sentence = mention.sentence
    in_sentence = [t for t in dated if sentence.start <= t.start and t.end <= sentence.end]
    reported = [
        t for t in in_sentence if _is_report_date(flat, t, sentence.start, mention.start, reporting)
    ]
    report_day = min((t.latest for t in reported if t.latest), default=None)
    clause = mention.clause
    own = [
        t
        for t in in_sentence
        if t not in reported
        and not _UNTIL.search(flat, max(0, t.start - 12), t.start)
        and clause.start <= t.start < clause.end
        and _nearest(flat, mentions, t, clause.start, clause.end) == index
    ]
    sub = _subordinate(flat, mentions, index)
    if not own and (partner := _simultaneous(flat, mentions, index)) is not None:
        return Dating(None, report_day, None, None, partner)
    if own:
        own = _closest_bound(flat, mention, own)
        first = _joined(flat, own, mention.type)[0]
        return Dating(first, report_day, None, None, None)
    if sub is not None:
        main_index, gerund = sub
        return Dating(None, report_day, None, main_index, main_index if gerund else None)
    fronted = _fronted(flat, mention, in_sentence, reported)
    if fronted is not None and fronted.earliest and fronted.latest:
        return Dating(
            DateRange(fronted.earliest, fronted.latest, fronted.text), report_day, None, None, None
        )
    return Dating(None, report_day, None, None, None)


#: "valid until December", "held until September 8": an end, never the event's own date.
_UNTIL = re.compile(r"\b(?:until|till|through)\s+(?:the\s+)?$", re.I)
_OTHER_VERB = re.compile(r"[,;]|\b(?:that|to\s+be|be|which|who|until|till)\b", re.I)


def _closest_bound(flat: str, mention: Mention, own: list[Timex]) -> list[Timex]:
    """Of the dates a mention got, those bound to its verb: right after it with no comma
    between ("was detained by the Ukrainian authorities on January 15") or fronted to it. A
    date that only fell to it by default ("a veteran of 1992-1993 wars, was detained ...")
    loses to them."""

    def bound(t: Timex) -> bool:
        if t.start >= mention.end:  # not past another verb: "ordered that he be deported next
            head = re.match(r"\S+", flat[mention.start : mention.end])  # month" dates no order
            between = flat[mention.start + (head.end() if head else 0) : t.start]
            return _OTHER_VERB.search(between) is None
        return _fronted_to(flat[t.end : mention.start])

    after = [t for t in own if t.start >= mention.end and bound(t)]
    strong = {id(t) for t in (after or [t for t in own if bound(t)])}
    for a, b in pairwise(own):  # "Between February and April, ..."
        if _RANGE_BETWEEN.match(flat[a.end : b.start]) and (id(a) in strong or id(b) in strong):
            strong |= {id(a), id(b)}
    return [t for t in own if id(t) in strong] or own


def _nearest(
    flat: str, mentions: Sequence[Mention], timex: Timex, start: int, end: int
) -> int | None:
    """The mention of the clause a time expression dates.

    English puts the date after its verb ("detained ... on January 8", "fled Uzbekistan in
    2019, applied ...") or fronts it ("On July 21, X extradited", "Zhilin on Sept. 26
    requested"). So: the nearest trigger before the date with no comma in between; else the
    trigger after it if the date is fronted to it; else the nearest before; else the one after.
    Background states ("wanted for") lose to any other trigger."""
    inside = [(i, m) for i, m in enumerate(mentions) if start <= m.start < end]
    events = [(i, m) for i, m in inside if not m.trigger.state] or inside
    before = [(i, m) for i, m in events if m.end <= timex.start]
    after = [(i, m) for i, m in events if m.start >= timex.end]
    if before and not re.search(r"[,;]", flat[before[-1][1].end : timex.start]):
        return before[-1][0]
    if after and _fronted_to(flat[timex.end : after[0][1].start]):
        return after[0][0]
    if before:
        return before[-1][0]
    if after:
        return after[0][0]
    overlapping = [i for i, m in events if m.start < timex.end and timex.start < m.end]
    return overlapping[0] if overlapping else None


def _fronted_to(between: str) -> bool:
    """Is a date fronted to the verb after it? "On July 21, X extradited", "Zhilin on Sept. 26
    requested"; not "on May 18 and deported him" (that date belongs to the verb before)."""
    if re.search(r"\band\b", between):
        return False
    return between.lstrip().startswith(",") or len(between.split()) <= 4


def _fronted(
    flat: str, mention: Mention, dated: list[Timex], reported: list[Timex]
) -> Timex | None:
    """A date fronted at the start of the sentence ("On August 30, a court annulled the order
    and he was released") also dates the coordinated clauses that have none of their own."""
    sentence = mention.sentence
    first = next((t for t in dated if sentence.start <= t.start < sentence.end), None)
    if first is None or first in reported:
        return None
    lead = flat[sentence.start : first.start]
    if not re.fullmatch(r"\s*(?:On|In|By|At|Since|During)?\s*", lead):
        return None
    clause_head = flat[mention.clause.start : mention.clause.start + 6]
    first_clause = mention.clause.start == sentence.clauses[0].start
    return first if first_clause or re.match(r"\s*(?:and|but)\b", clause_head) else None


_AT_THE_TIME = re.compile(r"\b(?:upon|while|as\s+soon\s+as|on\s+arrival)\b", re.I)


def _simultaneous(flat: str, mentions: Sequence[Mention], index: int) -> int | None:
    """A mention joined to another of its clause by "upon" or "while" ("detained upon arrival
    in Serbia in October 2023", "detained on January 8 while attempting to enter") happened at
    the same time: the index of that other mention."""
    mention = mentions[index]
    for i, other in enumerate(mentions):
        if i == index or not (mention.clause.start <= other.start < mention.clause.end):
            continue
        a, b = sorted((mention, other), key=lambda m: m.start)
        if _AT_THE_TIME.search(flat[a.end : b.start]):
            return i
    return None


def _subordinate(flat: str, mentions: Sequence[Mention], index: int) -> tuple[int, bool] | None:
    """If the mention sits in an "after ..." part of its clause, the main mention it precedes
    and whether the "after" is participial ("after being detained")."""
    mention = mentions[index]
    clause = mention.clause
    head = flat[clause.start : mention.start]
    after = None
    for match in _FINITE_AFTER.finditer(head):
        after = match
    if after is None:
        return None
    mains = [
        i
        for i, m in enumerate(mentions)
        if i != index and clause.start <= m.start < clause.start + after.start()
    ]
    if not mains:
        return None
    gerund = _GERUND_AFTER.match(head, after.start()) is not None
    return mains[-1], gerund
