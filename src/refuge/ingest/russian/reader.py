"""The Russian reader: a Russian report → dates, quotes and one draft case with evidence.

Pipeline: sentences (razdel) → trigger mentions of ``lexicon`` (dropped when a cue word in the
clause before them says the step is planned, possible, feared or denied) → the person each
mention is about (a name in its sentence, else the person last named; people named only
in other sentences' events are not the case) → dates (the nearest time expression of the
sentence, else "undated": between the story's first date and the report) → one event per type
and date → host and origin by votes of the states the sentences name → the case.

The person is the one the report tells most steps of; their name is put in the nominative and
kept with two Latin spellings as aliases (see ``names``). Every event keeps its trigger words
and the sentence they are in, so a lawyer can see why it was drafted.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from refuge.domain import Case, DateRange, Event, Evidence, Person, Source
from refuge.ingest.article import Article
from refuge.ingest.events import DraftCase
from refuge.ingest.quotes import Quote, find_quotes
from refuge.ingest.readers import Reading
from refuge.ingest.russian import names, states
from refuge.ingest.russian.lexicon import IRREALIS, REPORTING, TRIGGERS, Trigger
from refuge.ingest.temporal import Timex, find_timexes

__all__ = ["READER", "RussianReader"]


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int


@dataclass
class _Mention:
    trigger: Trigger
    start: int
    end: int
    sentence: _Sentence
    type: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RussianReader:
    language: str = "ru"

    def read(
        self,
        article: Article,
        *,
        host_hint: str | None = None,
        report_date: DateRange | None = None,
    ) -> Reading:
        timexes = find_timexes(article.text, article.published, language="ru")
        quotes = _full_speakers(find_quotes(article, nlp=None, use_model=False), article.text)
        report = report_date or (DateRange.day(article.published) if article.published else None)
        draft = _draft(article, timexes, host_hint, report)
        return Reading(timexes, quotes, [draft] if draft is not None else [])


READER = RussianReader()


def _full_speakers(quotes: list[Quote], text: str) -> list[Quote]:
    """ "— сказал Жилин": the speaker is the full name in the nominative (Михаил Жилин)."""
    full = {
        names.stem(n.person.split()[-1]): n.person
        for n in names.find_names(text)
        if not n.surname_only
    }
    out: list[Quote] = []
    for q in quotes:
        if q.speaker and " " not in q.speaker.strip():
            q = dataclasses.replace(q, speaker=full.get(names.stem(q.speaker), q.speaker))
        out.append(q)
    return out


def _sentences(text: str, start: int) -> list[_Sentence]:
    from razdel import sentenize

    out: list[_Sentence] = []
    for part in sentenize(text):
        if part.stop <= start:
            continue
        lo = part.start
        for line in re.split(r"(\n+)", part.text):  # a line break ends a sentence too
            if line.strip() and not line.startswith("\n"):
                out.append(_Sentence(lo, lo + len(line)))
            lo += len(line)
    return out


def _mentions(text: str, sentences: list[_Sentence]) -> list[_Mention]:
    """Trigger mentions that report a step, longest first where two overlap."""
    found: list[_Mention] = []
    for s in sentences:
        chunk = text[s.start : s.end]
        for trigger in TRIGGERS:
            for hit in trigger.pattern.finditer(chunk):
                start, end = s.start + hit.start(), s.start + hit.end()
                if not (trigger.modal or trigger.noun) and _irreal(text, s, start):
                    continue
                if trigger.modal and _generic(text, s, start):
                    continue
                found.append(_Mention(trigger, start, end, s, trigger.type, dict(trigger.attrs)))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[_Mention] = []
    for m in found:
        if any(k.start <= m.start and m.end <= k.end and k.type != m.type for k in kept):
            continue  # "заочно арестовали" is a charge, not also a detention
        kept.append(m)
    return kept


def _irreal(text: str, s: _Sentence, at: int) -> bool:
    """A cue word in the clause before the trigger, within a few words of it."""
    clause_start = max(
        s.start, *(text.rfind(mark, s.start, at) + 1 for mark in (",", ";", ":", " — ", "("))
    )
    window = text[max(clause_start, at - 45) : at]
    return IRREALIS.search(window) is not None


def _generic(text: str, s: _Sentence, at: int) -> bool:
    """ "тех, кому в России грозит преследование": a risk of people in general."""
    return (
        re.search(r"(?<![а-яё])(?:тех|всех|многих|кому)(?![а-яё])", text[s.start : at]) is not None
    )


def _owners(
    text: str, mentions: list[_Mention], found: list[names.NameMention]
) -> tuple[str | None, list[_Mention], dict[str, str]]:
    """The case's person (most steps) and the mentions that are theirs; canonical names."""
    canonical = _canonical(found)
    owner: list[str | None] = []
    for m in mentions:
        inside = [n for n in found if m.sentence.start <= n.start < m.sentence.end]
        if inside:
            nearest = min(inside, key=lambda n: abs(n.start - m.start))
            owner.append(canonical[nearest.person])
        else:
            owner.append(None)  # "его задержали": the report's main person
    counts = Counter(o for o in owner if o is not None)
    if not counts:
        named = Counter(canonical[n.person] for n in found)
        return (named.most_common(1)[0][0] if named else None), mentions, canonical
    person = max(counts, key=lambda p: (counts[p], -owner.index(p)))
    mine = [m for m, o in zip(mentions, owner, strict=True) if o in (person, None)]
    return person, mine, canonical


def _canonical(found: list[names.NameMention]) -> dict[str, str]:
    """One name per surname: the fullest form (with the patronymic), else the most frequent."""
    groups: dict[str, list[str]] = {}
    for n in found:
        groups.setdefault(names.stem(n.person.split()[-1]), []).append(n.person)
    out: dict[str, str] = {}
    for forms in groups.values():
        counts = Counter(forms)
        best = max(counts, key=lambda f: (len(f.split()), counts[f], -forms.index(f)))
        for form in counts:
            out[form] = best
    return out


def _date(
    text: str, m: _Mention, timexes: list[Timex], undated: DateRange | None
) -> DateRange | None:
    """The nearest dated expression of the sentence (not one that dates the reporting)."""
    lo, hi = _relative_clause(text, m)
    inside = [
        t
        for t in timexes
        if lo <= t.start < hi
        and t.earliest
        and t.latest
        and (undated is None or t.earliest <= undated.latest)  # not a hearing still to come
        and not REPORTING.search(text, t.end, min(t.end + 25, m.sentence.end))
    ]
    if inside:
        best = min(inside, key=lambda t: abs(t.start - m.start))
        assert best.earliest is not None and best.latest is not None
        return DateRange(best.earliest, best.latest, best.text)
    return undated


def _relative_clause(text: str, m: _Mention) -> tuple[int, int]:
    """A trigger in a relative clause ("ФСБ, которая искала его") is dated only inside it."""
    s = m.sentence
    start = max(s.start, *(text.rfind(mark, s.start, m.start) + 1 for mark in (",", ";", ":")))
    if not re.match(r"\s*(?:котор\w+|где)(?![а-яё])", text[start : m.start], re.IGNORECASE):
        return s.start, s.end
    ends = [i for i in (text.find(mark, m.end, s.end) for mark in (",", ";")) if i >= 0]
    return start, min(ends, default=s.end)


def _undated(timexes: list[Timex], report: DateRange | None) -> DateRange | None:
    """An undated step lies between the story's first date and the report."""
    if report is None or not report.exact:
        return None
    starts = [t.earliest for t in timexes if t.earliest and t.earliest <= report.latest]
    first = min(starts, default=datetime.date(report.latest.year, 1, 1))
    first = min(first, datetime.date(report.latest.year, 1, 1))
    return DateRange(first, report.latest, "undated")


def _draft(
    article: Article, timexes: list[Timex], host_hint: str | None, report: DateRange | None
) -> DraftCase | None:
    text = article.text
    sentences = _sentences(text, 0)  # the headline states steps too ("похищен и вывезен")
    found = names.find_names(text)
    person, mine, canonical = _owners(text, _mentions(text, sentences), found)
    if not mine:
        return None
    undated = _undated(timexes, report)
    if any(m.type in ("expulsion_order", "removal") for m in mine):
        for m in mine:  # "покинули Россию в тот же день": the expelled leave, they do not flee
            if m.trigger.name == "left the country":
                m.type, m.attrs = "removal", {"via": "deportation"}
    host, origin = _states(text, mine, host_hint)
    events: list[tuple[str, DateRange, dict[str, Any], list[_Mention]]] = []
    for m in mine:
        date = _date(text, m, timexes, undated)
        if date is None:
            continue
        _attributes(text, m, origin)
        for kind, attrs in ((m.type, m.attrs), *m.trigger.also):
            if kind == "removal" and "to" not in attrs and origin:
                attrs = {**attrs, "to": origin}
            _merge(events, kind, date, dict(attrs), m)
    if not events:
        return None
    events.sort(key=lambda e: (e[1].earliest, e[3][0].start))
    return _case(article, person, found, canonical, host, origin, events, report)


def _merge(
    events: list[tuple[str, DateRange, dict[str, Any], list[_Mention]]],
    kind: str,
    date: DateRange,
    attrs: dict[str, Any],
    m: _Mention,
) -> None:
    """One event per happening: same type and overlapping dates are one event."""
    for i, (k, d, a, ms) in enumerate(events):
        if k == kind and d.overlaps(date) and a.get("label") == attrs.get("label"):
            narrower = date if (date.latest - date.earliest) < (d.latest - d.earliest) else d
            events[i] = (k, narrower, {**attrs, **a}, [*ms, m])
            return
    events.append((kind, date, attrs, [m]))


def _attributes(text: str, m: _Mention, origin: str | None) -> None:
    sentence = text[m.sentence.start : m.sentence.end]
    if m.type == "removal":
        to = states.state_after(text, m.start, 80)
        if to:
            m.attrs["to"] = to
    if m.type in ("charge", "extradition_request") and origin:
        m.attrs.setdefault("by", origin)
    if m.type == "entry" and re.search(r"незаконно", sentence, re.IGNORECASE):
        m.attrs["irregular"] = True
    if m.type == "detention" and re.search(r"по\s+(?:запросу|требованию)", sentence, re.I):
        m.attrs.setdefault("grounds", "extradition")


_HOST_TYPES = frozenset(
    {
        "detention",
        "asylum_application",
        "asylum_decision",
        "asylum_registration",
        "extradition_decision",
        "appeal_decision",
        "appeal_lodged",
        "expulsion_order",
        "entry",
        "release",
        "other",
    }
)
#: Who asks for the person: "запрос России", "по требованию Таджикистана", "узбекские власти".
_REQUESTER = re.compile(
    r"(?:запрос\w*|требовани\w+|требуют|добивается)\s+(?:\w+\s+)?(?P<who>\w+)|"
    r"(?P<who2>\w+)\s+(?:власти|властей|сторона|стороны)\s+(?:\w+\s+)?(?:требуют|настаивают)",
    re.IGNORECASE,
)
_CITIZEN = re.compile(r"(?:гражданин\w*|уроженец|уроженк\w+|граждан\w+)\s+(\w+)", re.IGNORECASE)


def _states(text: str, mine: list[_Mention], hint: str | None) -> tuple[str, str | None]:
    """Origin: where the removal sent the person, who asked for them, their citizenship.
    Host: the state most named in the sentences of host-side steps, other than the origin."""
    origin_votes: Counter[str] = Counter()
    for m in mine:
        kinds = {m.type, *(k for k, _ in m.trigger.also)}
        if m.type == "removal" and m.trigger.name != "left the country":
            to = states.state_after(text, m.start, 80)
            if to:
                origin_votes[to] += 3
        if kinds & {"extradition_request", "charge"}:
            for requester in _REQUESTER.finditer(text, m.sentence.start, m.sentence.end):
                for place in states.find_states(requester["who"] or requester["who2"] or ""):
                    origin_votes[place.code] += 2
    for cm in _CITIZEN.finditer(text):
        for place in states.find_states(cm.group(1)):
            origin_votes[place.code] += 2
    if re.search(r"россиян\w*|чеченск\w+|петербургск\w+", text, re.IGNORECASE):
        origin_votes["RU"] += 1
    host_votes: Counter[str] = Counter()
    for m in mine:
        if m.type in _HOST_TYPES or m.trigger.name == "left the country":
            for place in states.find_states(text, m.sentence.start, m.sentence.end):
                host_votes[place.code] += 1
    origin = max(origin_votes, key=lambda c: origin_votes[c]) if origin_votes else None
    candidates = [c for c in host_votes if c != origin]
    host = max(candidates, key=lambda c: host_votes[c]) if candidates else None
    if host is None:
        every = Counter(p.code for p in states.find_states(text) if p.code != origin)
        host = hint or (every.most_common(1)[0][0] if every else None)
    if origin is None:
        every = Counter(p.code for p in states.find_states(text) if p.code != host)
        origin = every.most_common(1)[0][0] if every else None
    return host or hint or "XX", origin


def _case(
    article: Article,
    person: str | None,
    found: list[names.NameMention],
    canonical: dict[str, str],
    host: str,
    origin: str | None,
    events: list[tuple[str, DateRange, dict[str, Any], list[_Mention]]],
    report: DateRange | None,
) -> DraftCase:
    text = article.text
    name = person or "Неизвестное лицо"
    forms = [f for f, c in canonical.items() if c == name and f != name]
    aliases = list(dict.fromkeys([*forms, *_latin(name)]))
    source_id = _slug(f"{article.outlet or 'report'}-{report.earliest if report else 'undated'}")
    out: list[Event] = []
    triggers: dict[str, list[str]] = {}
    for number, (kind, date, attrs, ms) in enumerate(events, start=1):
        ident = f"e{number}"
        evidence = tuple(
            Evidence(
                source_id, text[m.sentence.start : m.sentence.end], m.sentence.start, m.sentence.end
            )
            for m in ms
        )
        out.append(Event(ident, kind, date, attrs, evidence, "reported", None, "draft", None))
        triggers[ident] = list(dict.fromkeys(text[m.start : m.end] for m in ms))
    latin = _latin(name)
    case = Case(
        id=_slug(f"{latin[0] if latin else name}-{report.latest.year if report else 'undated'}"),
        person=Person(name, tuple(aliases), (origin,) if origin and origin != host else (), None),
        host=host,
        origin=origin,
        events=tuple(out),
        sources=(Source(source_id, article.title, article.outlet, article.url, report),),
        tags=(),
    )
    named = 0.3 if person else 0.0
    confidence = round(min(1.0, named + (0.2 if host != "XX" else 0.0) + 0.1 * len(out)), 2)
    return DraftCase(case, triggers, confidence)


def _latin(name: str) -> list[str]:
    if not re.search(r"[А-Яа-яЁё]", name):
        return []
    return list(dict.fromkeys([names.transliterate(name), names.transliterate(name, "bgn")]))


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", names.transliterate(text).lower()).strip("-")
    return slug[:100] or "case"
