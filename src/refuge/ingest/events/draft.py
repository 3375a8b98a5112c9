"""From an article and its time expressions to draft cases: the extractor's entry point.

    article = read_article(data, name="report.txt")
    drafts = draft_cases(article, find_timexes(article.text, article.published))
    drafts[0].case          # the person the report is about, events with review="draft"
    drafts[0].triggers      # event id -> the words that triggered it

Pipeline: sentences and clauses → trigger mentions (irreal ones dropped) → the person each
mention is about → attributes → dates from the clause → one event per happening (repeated
mentions merged) → host and origin → origin-state steps retyped → narrative bounds → sequence.
Every step is a rule a reviewer can read; nothing is learned from data.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from refuge.domain import Case, DateRange, Event, Evidence, Person, Source
from refuge.ingest.article import Article
from refuge.ingest.events import arguments, geo, people, states, syntax
from refuge.ingest.events.dates import Dating, date_mentions
from refuge.ingest.events.geo import find_places
from refuge.ingest.events.lexicon import Lexicon, lexicon_for
from refuge.ingest.events.narrative import EventDraft, assign_sequence, began_before, bound_undated
from refuge.ingest.events.people import NameMention, PersonInfo
from refuge.ingest.events.sentences import Sentence, split_sentences
from refuge.ingest.events.triggers import Mention, find_mentions
from refuge.ingest.temporal import Timex

__all__ = ["DraftCase", "draft_cases"]

_GENERIC_SUBJECT = re.compile(
    r"\b(?:Russians|nationals|people|men|women|refugees|migrants|activists|thousands|hundreds|"
    r"some|many|others|asylum\s+seekers|citizens|individuals|persons|figures|defenders|"
    r"opponents|members|families|dissidents|journalists|bloggers)\b(?:\s+who\b)?",
    re.I,
)
_SINGULAR = re.compile(r"\b(?:he|him|his|she|her)\b", re.I)
_RETURN_ANCHOR = re.compile(
    r"\b(?:upon|after|on|following)\s+(?:his|her|their)\s+(?:return|arrival|deportation|"
    r"extradition)\b|\bonce\s+(?:back\s+)?in\b|\bon\s+arrival\s+in\b|"
    r"\b(?:after|upon)\s+(?:being|having\s+been)\s+(?:deported|extradited|expelled|returned|"
    r"handed\s+over)\b",
    re.I,
)
#: A person whose only events are these is prosecuted at home, not a case for this tool.
_DOMESTIC = frozenset({"conviction", "charge", "release"})
_VIA_RANK = {"handover": 3, "extradition": 3, "rendition": 3, "deportation": 1}


@dataclass(frozen=True)
class DraftCase:
    """A draft case for review, with the words behind each event and a confidence."""

    case: Case  # a valid case (events have review="draft")
    triggers: dict[str, list[str]]  # event id -> the words that triggered it (explainability)
    confidence: float  # 0..1, how sure we are this is one person's case


def draft_cases(
    article: Article,
    timexes: list[Timex],
    *,
    host_hint: str | None = None,
    source_id: str | None = None,
    nlp: Any | None = None,
    report_date: DateRange | None = None,
) -> list[DraftCase]:
    """Draft one case per person the report shows going through the procedure, main case first.

    ``report_date`` is the report's date when it is coarser than ``article.published`` (an
    annual report dated by its year). Events the text ties to no date are kept, bounded by "before
    the report", only when the report has a day. ``nlp`` (a loaded spaCy English pipeline) adds
    the parser's check of negation and modality on the sentences with triggers; without it the
    lexicon's window rules decide alone, about ten times faster (see docs/extraction.md).
    """
    geo.forget()
    text = article.text
    flat = text.replace("\n", " ")
    sentences = split_sentences(text, article.body_start)
    lexicon = lexicon_for(article.language)
    if lexicon is None:
        return []  # no lexicon for this language yet (see lexicon.lexicon_for)
    mentions = find_mentions(flat, sentences, lexicon)
    if nlp is not None:
        mentions = syntax.confirm(nlp, flat, mentions)
    names = people.find_names(flat, article.body_start, len(text), text)
    report = report_date or (DateRange.day(article.published) if article.published else None)
    owners = _assign_people(flat, mentions, names)
    datings = date_mentions(flat, mentions, timexes, lexicon)
    reading = _Reading(
        flat,
        article,
        sentences,
        mentions,
        datings,
        names,
        report,
        host_hint,
        _source(article, source_id, report),
        min(
            (t.earliest for t in timexes if t.earliest and t.start >= article.body_start),
            default=None,
        ),
        lexicon,
    )
    out: list[DraftCase] = []
    for person, indexes in _by_person(owners, mentions):
        built = _build(reading, person, indexes)
        if built is not None:
            out.append(built)
    return out


@dataclass(frozen=True)
class _Reading:
    """What one report gave: the text, its sentences, triggers, dates, names and its source."""

    flat: str  # the text with line breaks as spaces (same offsets)
    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    datings: list[Dating]
    names: list[NameMention]
    report: DateRange | None
    host_hint: str | None
    source: Source
    story_start: datetime.date | None  # the earliest date the report mentions
    lexicon: Lexicon


# -- people -------------------------------------------------------------------------------


def _assign_people(
    flat: str, mentions: list[Mention], names: list[NameMention]
) -> list[list[PersonInfo]]:
    """The people each mention is about: a name in its clause, else in its sentence, else the
    report's protagonist (pronouns and descriptions such as "a Russian citizen"). People named
    together ("A, B and C were detained") are separate people who each went through the step:
    one draft case each, never one "person" made of three names."""
    candidates = [n for n in names if not n.role_excluded]
    counts: dict[str, int] = {}
    for n in candidates:
        counts[n.person] = counts.get(n.person, 0) + 1
    most_named = max(counts, key=lambda p: counts[p]) if counts else None
    infos: dict[str, PersonInfo] = {}
    owners: list[list[PersonInfo]] = []
    for m in mentions:
        group = people.group_at(flat, names, m.clause.start, m.clause.end)
        if not group and (antecedent := _relative_antecedent(flat, m, candidates)):
            group = antecedent  # "..., Toremuratov and Zhaksymbetov, who appealed the decision"
        if group:
            owners.append([infos.setdefault(p, PersonInfo(p, [], [], [])) for p in group])
            continue
        name = _nearest_name(m, candidates, flat)
        if name is None and (pair := _recent_group(flat, m, names)):
            owners.append([infos.setdefault(p, PersonInfo(p, [], [], [])) for p in pair])
            continue  # "they were brought from Turkey", "the two activists were charged"
        if name is None and _other_subject(flat, m, names):
            owners.append([])  # "His brother Bobur Karimov was deported": someone else's step
            continue
        clause = flat[m.clause.start : m.clause.end]
        if (
            name is None
            and not _SINGULAR.search(clause)
            and _GENERIC_SUBJECT.search(flat[m.clause.start : min(m.clause.end, m.end + 40)])
        ):
            owners.append([])
            continue
        person = name or _recent_name(m, candidates, flat) or most_named
        if person is None:
            person = "Unnamed person"
        owners.append([infos.setdefault(person, PersonInfo(person, [], [], []))])
    return owners


_RECENT = 600  # characters back to look for the person a pronoun refers to
_WHO = re.compile(r"\s*who\b", re.I)


def _relative_antecedent(flat: str, m: Mention, names: list[NameMention]) -> list[str] | None:
    """The people a "who" clause is about: the name (or names joined by "and") that end just
    before it ("Aziz Karimov, who had applied for asylum, ..."). Its subject is never a name
    further away."""
    if _WHO.match(flat, m.clause.start) is None:
        return None
    head = flat[: m.clause.start].rstrip().rstrip(",").rstrip()
    last = next((n for n in reversed(names) if n.end <= len(head)), None)
    if last is None or len(head) - last.end > 1:
        return None
    lo = max(m.sentence.start, last.start - 120)
    return people.group_at(flat, names, lo, last.end) or [last.person]


def _recent_name(m: Mention, names: list[NameMention], flat: str = "") -> str | None:
    """The person a pronoun refers to: the first person named in the last sentence before the
    mention that names anyone (that sentence's subject, as a reader takes it: "Duboyski ... was
    arrested amid protests demanding Lukashenka's resignation. He was released ...")."""
    before = [n for n in names if m.start - _RECENT <= n.start < m.start]
    if not before:
        return None
    if not flat:
        return before[-1].person
    last = before[-1]
    lo = max(flat.rfind(". ", 0, last.start), flat.rfind("\n", 0, last.start)) + 1
    same = [n for n in before if n.start >= lo]
    return same[0].person if same else last.person


_PLURAL = re.compile(
    r"\b(?:they|them|the\s+(?:two|three|four|five|six)\s+[\w-]+|(?:the|these|both)\s+men|"
    r"(?:each|all|both)\s+of\s+(?:them|the\s+(?:\w+\s+)?(?:men|activists|brothers))|"
    r"the\s+(?:activists|brothers|couple|asylum\s+seekers))\b",
    re.I,
)


def _recent_group(flat: str, m: Mention, names: list[NameMention]) -> list[str] | None:
    """The people a plural subject refers to: the last group named together, when the clause
    says "they" or "the two activists" and names no one itself."""
    if not _PLURAL.search(flat, m.clause.start, m.end):
        return None
    before = [n for n in names if m.start - _RECENT <= n.start < m.start and not n.role_excluded]
    for n in reversed(before):
        lo = max(flat.rfind(". ", 0, n.start) + 1, m.start - _RECENT)
        group = people.group_at(flat, names, lo, n.end + 1)
        if group:
            return group
    return None


_KIN = re.compile(
    r"\b(?:wife|husband|mother|father|son|daughter|brother|sister|uncle|aunt|nephew|niece|"
    r"cousin|relative|colleague|friend)\s*,?\s+$",
    re.I,
)


def _other_subject(flat: str, m: Mention, names: list[NameMention]) -> bool:
    """The clause's subject before the trigger is a relative or friend ("His brother Bobur was
    deported"): the step is theirs, not the protagonist's. (A lawyer's appeal is the client's.)"""
    before = [n for n in names if m.clause.start <= n.start < m.start and n.role_excluded]
    if not before or re.search(r"\b(?:him|her|them)\b", flat[before[-1].end : m.start]):
        return False
    return _KIN.search(flat[max(0, before[-1].start - 25) : before[-1].start]) is not None


#: A name that is the source of a statement ("...," said Laura Mills; according to Ivan
#: Petrov): the one who reports a step is not the one who went through it. ("Feruz told the
#: BBC that he ..." is not this form: there the speaker is the subject.)
_SPEAKER_BEFORE = re.compile(
    r"(?:\b(?:said|says|wrote|added|noted|stated|explained)|\baccording\s+to)\s+$", re.I
)


def _nearest_name(m: Mention, names: list[NameMention], flat: str | None = None) -> str | None:
    """The person named nearest the trigger in its clause, else in its sentence (not the
    sentence's speaker: a statement's source is not its subject)."""
    for lo, hi in ((m.clause.start, m.clause.end), (m.sentence.start, m.sentence.end)):
        inside = [n for n in names if lo <= n.start < hi]
        if flat is not None:
            inside = [n for n in inside if not _speaker(flat, n, m)]
        if inside:
            best = min(inside, key=lambda n: abs(n.start - m.start))
            return best.person
    return None


def _speaker(flat: str, name: NameMention, m: Mention) -> bool:
    before = flat[max(m.sentence.start, name.start - 30) : name.start]
    if _SPEAKER_BEFORE.search(before) is not None:
        return True
    # "X said (at the time) that Uzbekistan's request remained valid": X reports, unless the
    # report speaks of X ("X said he was detained") or X is only part of the subject
    # ("relatives of X said")
    if name.end > m.start or _OF_NAME.search(before):
        return False
    said = _SAID_AFTER.match(flat, name.end)
    return said is not None and not _THIRD_PERSON.search(flat, said.end(), m.start)


_SAID_AFTER = re.compile(
    r"(?:\s*,[^,]{1,80},)?\s+(?:said|says|told|wrote|stated|added|noted)\b", re.I
)
_OF_NAME = re.compile(r"\b(?:of|for|to|with|by)\s+(?:[\w-]+\s+){0,2}$", re.I)
_THIRD_PERSON = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b", re.I)


def _by_person(
    owners: list[list[PersonInfo]], mentions: list[Mention]
) -> list[tuple[PersonInfo, list[int]]]:
    """Mentions grouped by person; the person with most mentions first (ties: first seen)."""
    groups: dict[int, tuple[PersonInfo, list[int]]] = {}
    for i, found in enumerate(owners):
        for owner in found:
            groups.setdefault(id(owner), (owner, []))[1].append(i)
    ordered = sorted(groups.values(), key=lambda g: (-len(g[1]), g[1][0]))
    relevant = [g for g in ordered if any(mentions[i].type not in _DOMESTIC for i in g[1])]
    return [
        g
        for rank, g in enumerate(relevant)
        if rank == 0 or len(g[1]) >= 2 or (" " in g[0].name and g[0].name != "Unnamed person")
    ]


# -- one case -----------------------------------------------------------------------------


def _build(r: _Reading, person: PersonInfo, indexes: list[int]) -> DraftCase | None:
    """One person's case: states, events (merged, retyped, dated, ordered), person details."""
    flat, mentions, names, report = r.flat, r.mentions, r.names, r.report
    mine = [mentions[i] for i in indexes]
    own = [n for n in names if n.person == person.name or n.person in person.members]
    about = {_sentence_of(flat, n.start) for n in own}
    about |= _pronoun_sentences(flat, r.sentences, names, {n.person for n in own})
    host_votes, origin_votes = states.score_states(flat, mine, sorted(about))
    host, origin = states.choose(host_votes, origin_votes, r.host_hint)
    info = _person(flat, r.article, names, person, mine, report)
    if origin is None:  # the state of citizenship, when the text names no other
        origin = next((c for c in info.citizenship if c != host), None)
    if origin is None:  # the nationality the report gives its people ("Turkmen activists")
        origin = _story_nationality(flat, host)
    drafts = [d for i in indexes for d in _drafts(r, i)]
    _resolve_against(flat, mentions, drafts)
    drafts = _origin_steps(flat, mentions, drafts, origin)
    drafts = _moves(drafts, host)
    _third_state_grants(flat, mentions, drafts, host)
    drafts = _merge(drafts)
    drafts = _after_removal(drafts)
    drafts = _third_state_residence(flat, drafts, host)
    drafts = _not_after_report(drafts, report)
    drafts = _before_entry(drafts)
    keep_unanchored = report is not None and report.exact
    drafts = bound_undated(drafts, report, keep_unanchored, r.story_start)
    if not drafts:
        return None
    _fill_destination(drafts, origin)
    assign_sequence(drafts)
    drafts.sort(
        key=lambda d: (
            d.date.earliest if d.date else datetime.date.max,
            d.sequence or 0,
            d.position,
        )
    )
    events, triggers = _events(flat, r.article, mentions, drafts, r.source.id)
    case = Case(
        id=_slug(f"{info.name.split(',')[0]}-{_year(report)}"),
        person=info_to_person(info),
        host=host or "XX",
        origin=origin,
        events=tuple(events),
        sources=(r.source,),
        tags=_tags(flat, mine),
    )
    return DraftCase(case, triggers, _confidence(person, host, drafts, len(mentions)))


def _story_nationality(flat: str, host: str | None) -> str | None:
    """The first citizenship the whole report names ("two Turkmen activists", "citizens of
    Uzbekistan"), other than the host: the origin of a person the text gives none for."""
    codes = [c for c in people.citizenship_in(flat, 0, len(flat)) if c != host]
    return codes[0] if codes else None


def _drafts(r: _Reading, index: int) -> list[EventDraft]:
    """The event a mention announces, and the events its words imply ("upheld his deportation"
    implies an expulsion order, made before that ruling)."""
    main = _draft(r, index)
    implied = [
        EventDraft(
            kind,
            dict(attrs),
            [index],
            list(main.words),
            main.position,
            before_mention=index,
            sentence=main.sentence,
        )
        for kind, attrs in r.mentions[index].trigger.also
    ]
    confirmed = _official_confirmation(r, index, main)
    return [main, *implied, *([confirmed] if confirmed else [])]


#: An official body reporting a step: "Prosecutor-General X told reporters on February 2 that
#: he had been extradited" is itself a step (ANNOTATION.md: `other`, an official statement).
_OFFICIAL_SAID = re.compile(
    r"\b(?:prosecutor[-\s]?general|prosecutor['’]?s?\s+office|ministry|minister|authorities|"
    r"officials?|government|security\s+(?:service|committee))\b"
    r"[^.;]{0,80}?\b(?:confirmed|said|announced|reported|told|stated|acknowledged)\b",
    re.I,
)


def _official_confirmation(r: _Reading, index: int, main: EventDraft) -> EventDraft | None:
    """The dated statement of an official body that a removal took place, as its own step."""
    m, dating = r.mentions[index], r.datings[index]
    if main.type != "removal" or dating.reported_by is None:
        return None
    if not _OFFICIAL_SAID.search(r.flat, m.sentence.start, m.start):
        return None
    return EventDraft(
        "other",
        {},
        [index],
        list(main.words),
        main.position,
        date=DateRange.day(dating.reported_by),
        label="official statement confirming the removal",
        sentence=main.sentence,
    )


_INTERNATIONAL_BODY = re.compile(
    r"\b(?:European\s+Court\s+of\s+Human\s+Rights|ECtHR|ECHR|Strasbourg|"
    r"Committee\s+against\s+Torture|Human\s+Rights\s+Committee)\b",
    re.I,
)


#: A trigger inside an appositive description of a person (", a Russian national granted
#: refugee status in Ukraine,"): what it says is background, not dated by the sentence's date.
_APPOSITIVE = re.compile(r",\s+an?\s+(?:[\w’'-]+\s+){1,4}$")


def _in_appositive(r: _Reading, m: Mention) -> bool:
    """True when the trigger describes a person just named, between commas: "Oleg Petrov, a
    Russian national granted refugee status in Ukraine, was ..."."""
    found = _APPOSITIVE.search(r.flat, max(m.sentence.start, m.start - 60), m.start)
    if found is None or "," not in r.flat[m.end : m.sentence.end]:
        return False
    comma = found.start()
    return any(comma - 2 <= n.end <= comma for n in r.names)


#: Time expressions that point forward from the report ("next month", "in two weeks").
_FUTURE = re.compile(
    r"\b(?:next|coming|tomorrow|upcoming|later\s+this)\b|\bin\s+(?:\w+\s+)?(?:days?|weeks?|"
    r"months?|years?)\b",
    re.I,
)
#: Events that are statements: they happen when they are made ("HRW said on October 27 ...").
_STATEMENTS = frozenset({"risk_allegation", "risk_assessment"})


def _draft(r: _Reading, index: int) -> EventDraft:
    m = r.mentions[index]
    dating = r.datings[index]
    attrs = arguments.attributes(r.flat, m, r.lexicon)
    kind, label = m.type, None
    if kind == "other":
        label = str(attrs.pop("label", "other step"))
    if (
        kind == "appeal_decision"
        and attrs.get("outcome") == "suspended"
        and _INTERNATIONAL_BODY.search(r.flat, m.clause.start, m.end)
    ):
        kind, attrs = "interim_measures", {}  # "the ECHR ruled to suspend his extradition"
    date, report_day = dating.date, dating.reported_by
    if (
        date is not None
        and r.report is not None
        and date.earliest > r.report.latest
        and _FUTURE.search(date.text or "")
    ):
        date = None  # "ordered that he be deported next month": the future dates the order's
        # object, never a step the report tells as done
    if date is not None and kind == "detention":
        date = began_before(r.flat[m.start : m.end], date) or date
    if _in_appositive(r, m):
        date = None  # "X, a Russian national granted refugee status in Ukraine, ...": background
    elif kind in _STATEMENTS and date is None and report_day is not None:
        date = DateRange.day(report_day)  # an allegation happens when it is said
    return EventDraft(
        type=kind,
        label=label,
        attrs=attrs,
        mentions=[index],
        words=[r.flat[m.start : m.end].strip()],
        position=m.start,
        date=date,
        report_day=report_day,
        before_mention=dating.after_mention if dating.shares_date_with is None else None,
        same_date_as=dating.shares_date_with,
        state=m.trigger.state,
        sentence=m.sentence.index,
        lasted=r.flat[m.start : m.end] if kind == "detention" and date is None else None,
    )


def _resolve_against(flat: str, mentions: list[Mention], drafts: list[EventDraft]) -> None:
    """ "Appeal that decision" attacks the last decision told before it."""
    seen: list[str] = []
    for d in drafts:
        if d.type in ("appeal_lodged", "appeal_decision") and "against" not in d.attrs:
            against = arguments.against_from_context(flat, mentions[d.mentions[0]], seen)
            if against:
                d.attrs["against"] = against
        seen.append(d.type)
        if d.type == "appeal_decision" and d.attrs.get("against") == "expulsion_order":
            seen.append("expulsion_order")


def _origin_steps(
    flat: str, mentions: list[Mention], drafts: list[EventDraft], origin: str | None
) -> list[EventDraft]:
    """Steps in the origin state after a return are not host procedure: a sentence there becomes
    ``other``, an arrest there is dropped, a charge stays a charge."""
    out: list[EventDraft] = []
    for d in drafts:
        m = mentions[d.mentions[0]]
        anchored = bool(_RETURN_ANCHOR.search(flat, m.sentence.start, m.end))
        there = anchored or _in_origin(flat, m, origin)
        absentia = re.search(r"\bin\s+absentia\b", flat[m.clause.start : m.clause.end], re.I)
        if d.type == "detention" and there:
            d.type, d.attrs = "other", {}  # custody in the origin is no host detention
            d.after_return = anchored or any(o.type == "removal" for o in drafts)
            d.label = (
                "detained in the origin after return"
                if d.after_return
                else "detained in the origin state"
            )
        if d.type == "entry" and _arrives_in(flat, m, origin):
            continue  # "upon arrival in Tashkent he was arrested": back in the origin
        if d.type == "conviction" and absentia:
            d.type, d.label = "other", "sentenced in absentia in the origin state"
            d.attrs = {}
        elif d.type == "conviction" and there:
            d.type, d.label = "other", "sentenced in the origin state"
            d.attrs = {}
        if there and d.type in ("charge", "other"):
            d.after_return = d.after_return or anchored
        out.append(d)
    return out


def _arrives_in(flat: str, m: Mention, origin: str | None) -> bool:
    """The place an entry trigger names ("arrival in Tashkent") is in the origin state."""
    place = next(find_places(flat, m.start, min(m.clause.end, m.end + 40)), None)
    return origin is not None and place is not None and place.code == origin


def _in_origin(flat: str, m: Mention, origin: str | None) -> bool:
    """The sentence places the step in the origin state ("In Tajikistan, ...", "Once in Omsk,
    Russia", "the court of Dashoguz"), or the clause follows a removal ("deported ... and
    immediately arrested")."""
    if origin is None:
        return False
    if re.match(r"\s*where\b", flat[m.clause.start : m.clause.start + 8]):
        antecedent = list(find_places(flat, m.sentence.start, m.clause.start))
        if antecedent and antecedent[-1].code == origin:
            return True  # "handed him to Uzbekistan, where he was arrested"
    for place in find_places(flat, m.sentence.start, m.clause.end):
        before = flat[max(m.sentence.start, place.start - 14) : place.start]
        if (
            place.code == origin
            and re.search(r"(?:^|\b(?:in|of)\s+)$", before, re.I)
            and (
                place.kind == "city"
                or re.match(r"\s*In\s+(?:the\s+)?$", flat[m.sentence.start : place.start])
            )
        ):
            return True
    for place in find_places(flat, m.clause.start, m.clause.end):
        if place.code == origin and re.search(
            r"\b(?:jail|prison|custody|court|detention)\s+in\s+$",
            flat[max(m.clause.start, place.start - 20) : place.start],
            re.I,
        ):
            return True  # "his release from jail in Uzbekistan ... he was convicted"
    for place in find_places(flat, m.clause.start, m.end):
        if place.kind == "city" and place.code == origin:
            return True  # "a Dushanbe court sentenced him"
    after = re.match(r"\s*in\s+", flat[m.end : m.end + 8])
    if after is not None:
        at = m.end + after.end()
        following = next(find_places(flat, at, min(m.clause.end, at + 40)), None)
        if following is not None and following.start == at and following.code == origin:
            return True  # "convicted in Turkmenistan"
    head = flat[m.clause.start : m.end]
    return re.search(r"\b(?:deported|extradited|returned)\b.*\band\b", head) is not None


def _merge(drafts: list[EventDraft]) -> list[EventDraft]:
    """One event per happening: mentions of the same type whose dates agree are one event."""
    out: list[EventDraft] = []
    for d in drafts:
        twin = next((o for o in out if _same(o, d)), None)
        if twin is None:
            out.append(d)
            continue
        twin.mentions += d.mentions
        twin.words += d.words
        if twin.date is None and d.date is not None:
            twin.date = d.date
        twin.report_day = min(filter(None, (twin.report_day, d.report_day)), default=None)
        for key, value in d.attrs.items():
            if key == "via" and _VIA_RANK.get(value, 0) > _VIA_RANK.get(
                str(twin.attrs.get(key)), 0
            ):
                twin.attrs[key] = value
            twin.attrs.setdefault(key, value)
    return out


def _same(a: EventDraft, b: EventDraft) -> bool:
    if a.type != b.type or (a.type == "other" and (a.sentence, a.label) != (b.sentence, b.label)):
        return False
    if a.type == "charge" and a.sentence == b.sentence:
        return True  # "put on a Red Notice on December 23, 2016 on charges of murder ... ago"
    if a.date is not None and b.date is not None and not a.date.overlaps(b.date):
        return False
    return all(
        a.attrs.get(k) == v
        for k, v in b.attrs.items()
        if k in ("against", "outcome", "to") and k in a.attrs
    )


_CUSTODY = frozenset({"detention", "conviction", "charge", "release"})


def _after_removal(drafts: list[EventDraft]) -> list[EventDraft]:
    """Custody and sentences dated after the person was removed happened in the origin: a
    sentence there is ``other`` and an arrest there is no host detention (issue 10, class 2)."""
    removed = min(
        (d.date.latest for d in drafts if d.type == "removal" and d.date is not None),
        default=None,
    )
    if removed is None:
        return drafts
    out: list[EventDraft] = []
    for d in drafts:
        later = d.date is not None and d.date.earliest > removed
        if later and d.type == "detention":
            continue
        if later and d.type == "conviction":
            d.type, d.attrs, d.label = "other", {}, "sentenced in the origin state"
        out.append(d)
    return out


def _third_state_residence(
    flat: str, drafts: list[EventDraft], host: str | None
) -> list[EventDraft]:
    """ "Resided in Germany since 2015" is an entry only when Germany is the host."""
    out: list[EventDraft] = []
    for d in drafts:
        if d.type == "entry" and host is not None and d.words:
            words = d.words[0]
            if re.search(r"\bsince\b", words):
                place = next(find_places(words, 0, len(words)), None)
                if place is not None and place.code != host:
                    continue
        out.append(d)
    return out


def _not_after_report(drafts: list[EventDraft], report: DateRange | None) -> list[EventDraft]:
    """A step the report tells as done cannot begin after the report: a yearless month read
    into the report's year ("he fled to Russia in mid-October", in a September report) is the
    previous year's. The date layer keeps such months in the report's year on purpose (a tense
    guess is less sure than the step's own reality, which only the event layer knows)."""
    if report is None:
        return drafts
    for d in drafts:
        date = d.date
        if date is None or date.earliest <= report.latest or date.text is None:
            continue
        try:
            earlier = DateRange(
                date.earliest.replace(year=date.earliest.year - 1),
                date.latest.replace(year=date.latest.year - 1),
                date.text,
            )
        except ValueError:  # 29 February
            continue
        if earlier.latest <= report.latest:
            d.date = earlier
    return drafts


def _before_entry(drafts: list[EventDraft]) -> list[EventDraft]:
    """Custody dated before the person entered the host happened in the origin state: keep it
    as one ``other`` step per sentence ("arrested in 2020 ... and sentenced"), and drop the
    undated custody steps of that sentence, which belong to the same story."""
    entry = min((d.date.earliest for d in drafts if d.type == "entry" and d.date), default=None)
    if entry is None:
        return drafts
    before = {
        d.sentence
        for d in drafts
        if d.type in _CUSTODY and d.date is not None and d.date.latest < entry
    }
    out: list[EventDraft] = []
    custody = sorted((d for d in drafts if d.type in _CUSTODY), key=lambda d: d.position)
    for d in drafts:
        told_before = [c for c in custody if c.position < d.position and c.type != "release"]
        if (
            d.type == "release"
            and d.date is None
            and told_before
            and (told_before[-1].sentence in before)
        ):
            continue  # the release ends the earlier, origin-state custody just told
        if d.type in _CUSTODY and d.type != "charge" and d.sentence in before:
            if d.date is None or any(o.type == "other" and o.sentence == d.sentence for o in out):
                continue
            d.type, d.attrs = "other", {}
            d.label = "arrest or sentence in the origin state before the flight"
        out.append(d)
    return out


def _third_state_grants(
    flat: str, mentions: list[Mention], drafts: list[EventDraft], host: str | None
) -> None:
    """Asylum granted by a state other than the host ("the German authorities granted him
    asylum" of a man held in Belarus) is a protection status held, not the host's decision on
    his claim (ANNOTATION.md)."""
    for d in drafts:
        if d.type != "asylum_decision" or d.attrs.get("outcome") != "granted" or host is None:
            continue
        m = mentions[d.mentions[0]]
        granting = arguments.agent_state(flat, m.clause.start, m.start + 1)
        if granting is None:
            place = next(find_places(flat, m.end, min(m.clause.end, m.end + 30)), None)
            if place is not None and re.match(r"\s+in\s+(?:the\s+)?$", flat[m.end : place.start]):
                granting = place.code  # "granted asylum in Germany"
        if granting is not None and granting != host:
            d.type, d.attrs = "status_grant", {"status": "refugee", "by": granting}


def _moves(drafts: list[EventDraft], host: str | None) -> list[EventDraft]:
    """ "Travelled to X" is an entry when X is the host, a departure when it is another state;
    "fled to X" (another state) is the flight from the origin."""
    out: list[EventDraft] = []
    for d in drafts:
        if d.type == "move":
            to = d.attrs.pop("to", None)
            left = _left_state(d)
            if left is not None and (to is None or left != host):
                # "left Russia (for Georgia)": a flight unless the state left is the host
                d.type, d.attrs = ("departure", {}) if left == host else ("flight", {})
                out.append(d)
                continue
            if to is None:
                continue
            if to == host:
                d.type = "entry"
            elif any(w.lower().startswith("fled") for w in d.words):
                d.type, d.attrs = "flight", {}
            else:
                d.type, d.attrs = "departure", {"to": to}
        out.append(d)
    return out


def _left_state(d: EventDraft) -> str | None:
    """The state a "left <state>" move names."""
    words = next((w for w in d.words if re.match(r"(?:left|leav)", w, re.I)), None)
    if words is None:
        return None
    place = next(iter(geo.find_places(words, 0, len(words))), None)
    return place.code if place is not None and place.kind == "country" else None


def _fill_destination(drafts: list[EventDraft], origin: str | None) -> None:
    for d in drafts:
        if d.type == "removal" and "to" not in d.attrs and origin:
            d.attrs["to"] = origin
        if d.type == "charge" and "by" not in d.attrs and origin:
            d.attrs["by"] = origin


# -- output -------------------------------------------------------------------------------


def _events(
    flat: str,
    article: Article,
    mentions: list[Mention],
    drafts: list[EventDraft],
    source_id: str,
) -> tuple[list[Event], dict[str, list[str]]]:
    events: list[Event] = []
    triggers: dict[str, list[str]] = {}
    for number, d in enumerate(drafts, start=1):
        ident = f"e{number}"
        attrs = dict(d.attrs)
        if d.type == "other":
            attrs = {"label": d.label or "other step"}
        evidence = tuple(_evidence(article.text, mentions[i], source_id) for i in d.mentions)
        assert d.date is not None
        events.append(
            Event(ident, d.type, d.date, attrs, evidence, "reported", None, "draft", d.sequence)
        )
        triggers[ident] = list(dict.fromkeys(d.words))
    return events, triggers


def _evidence(text: str, m: Mention, source_id: str) -> Evidence:
    """The trigger's clause, trimmed of joining words and punctuation at its edges."""
    start, end = m.clause.start, m.clause.end
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    lead = re.match(r"(?:and|but|while|which|who)\s+", text[start:end])
    if lead and start + lead.end() < m.start:
        start += lead.end()
    return Evidence(source_id, text[start:end], start, end)


def _person(
    flat: str,
    article: Article,
    names: list[NameMention],
    person: PersonInfo,
    mine: list[Mention],
    report: DateRange | None,
) -> PersonInfo:
    """Citizenship from the sentences about the person; age → year of birth when the report
    has a day."""
    own = [n for n in names if n.person == person.name or n.person in person.members]
    spans = {(m.sentence.start, m.sentence.end) for m in mine}
    spans |= {_sentence_of(flat, n.start) for n in own}
    codes: list[str] = []
    for lo, hi in sorted(spans):
        codes += people.citizenship_in(flat, lo, hi)
    person.citizenship = list(dict.fromkeys(codes))
    if person.members:
        person.aliases = list(person.members)
    else:
        found = [a for n in own for a in people.aliases_at(flat, n)]
        person.aliases = [a for a in dict.fromkeys(found) if a != person.name]
    if report is not None and report.exact:
        for n in own:
            age = people.age_at(flat, n)
            if age is not None:
                person.born = people.born_from_age(age, report.earliest)
                break
    return person


def _pronoun_sentences(
    flat: str, sentences: list[Sentence], names: list[NameMention], persons: set[str]
) -> set[tuple[int, int]]:
    """Sentences whose "he"/"she" refers to the person (the last one named before them)."""
    out: set[tuple[int, int]] = set()
    candidates = [n for n in names if not n.role_excluded]
    for s in sentences:
        if not _SINGULAR.search(flat, s.start, s.end):
            continue
        before = [n for n in candidates if s.start - _RECENT <= n.start < s.start]
        if before and before[-1].person in persons:
            out.add((s.start, s.end))
    return out


def _sentence_of(flat: str, at: int) -> tuple[int, int]:
    lo = max(flat.rfind(". ", 0, at), flat.rfind("\n", 0, at)) + 1
    hi = flat.find(". ", at)
    return lo, (hi if hi >= 0 else len(flat))


def info_to_person(info: PersonInfo) -> Person:
    born = None
    if info.born is not None:
        born = DateRange(info.born[0], info.born[1], info.born[2])
    return Person(info.name, tuple(info.aliases), tuple(info.citizenship), born)


def _tags(flat: str, mine: list[Mention]) -> tuple[str, ...]:
    text = " ".join(flat[m.sentence.start : m.sentence.end] for m in mine[:3]).lower()
    return ("mobilization",) if re.search(r"\bmobili[sz]ation|\bdraft\b", text) else ()


def _confidence(
    person: PersonInfo, host: str | None, drafts: list[EventDraft], total: int
) -> float:
    """How sure we are this is one person's case: a name, a host, dated steps, a share of
    the report's events."""
    score = 0.3 if person.name != "Unnamed person" else 0.0
    score += 0.2 if host else 0.0
    dated = sum(1 for d in drafts if (d.date and d.date.text is None) or (d.date and d.anchored))
    score += 0.3 * min(1.0, dated / 3)
    score += 0.2 * min(1.0, sum(len(d.mentions) for d in drafts) / max(1, total))
    return round(min(1.0, score), 2)


def _source(article: Article, source_id: str | None, report: DateRange | None) -> Source:
    ident = source_id or _slug(f"{article.outlet or 'report'}-{_day_or_year(report)}")
    return Source(ident, article.title, article.outlet, article.url, report)


def _day_or_year(report: DateRange | None) -> str:
    if report is None:
        return "undated"
    return report.earliest.isoformat() if report.exact else str(report.latest.year)


def _year(report: DateRange | None) -> str:
    return str(report.latest.year) if report else "undated"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:100] or "case"
