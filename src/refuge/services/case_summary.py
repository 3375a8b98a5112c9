"""The ten-second summary at the top of a case page, in words a lawyer reads.

The engine answers with rule ids, event ids and ISO dates (``cat_substantial_grounds``,
``e5``, ``2022-10-03``), which are right for scripts and wrong for a person. This module turns
one evaluation into what the case page shows first: where the removal stands, the deadlines
and actions still open with their dates and the days left, the protections in force, and for
every finding the events it rests on by their number in the case ("the asylum application of
3 Oct 2022 (event 5)"), so the page can link them. The explanations stay with each item, to be
folded open on demand.

The reference day ``at`` is passed in by the caller (the request's "today"); nothing here
reads the clock. Uncertainty is carried unchanged (``certain`` / ``possible`` / ``unknown`` for
findings, ``verified`` / ``secondary`` / ``unverified`` for the law they cite): the summary never
rounds a "possible" up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from refuge.domain import Case, DateRange
from refuge.rules.packs import load_library
from refuge.rules.results import Evaluation, Finding
from refuge.rules.tri import Tri
from refuge.services.today import days_left

# The legend shown beside the summary: every word the page uses for uncertainty, once.
STATUS_WORDS = {
    "certain": "the facts on file establish it",
    "possible": "the facts allow it but leave doubt (a fuzzy date, a missing fact)",
    "unknown": "the file does not say enough to decide",
}
BASIS_WORDS = {
    "verified": "checked against the official text of the law",
    "secondary": "taken from a reliable secondary source, not yet checked against the text",
    "unverified": "not verified: confirm before relying on it",
}
REMOVAL_WORDS: dict[Tri, str] = {
    True: "lawful",
    False: "unlawful",
    None: "undetermined",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    """``3 Oct 2022``: unambiguous in every locale, short enough for a phone."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def range_text(when: DateRange) -> str:
    """A day, or the range it lies in (``21–30 Nov 2022``, ``30 Nov 2022 – 2 Jan 2023``):
    a fuzzy date is never shown as one day."""
    first, last = when.earliest, when.latest
    if first == last:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {_MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {day_text(last)}"
    return f"{day_text(first)} – {day_text(last)}"


def safe_url(url: str | None) -> str | None:
    """``url`` if it may be a link (http or https with a host), else None (shown as text)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@dataclass(frozen=True, slots=True)
class EventRef:
    """An event named in words, with its number in the case (the page's ``#event-N``)."""

    number: int
    words: str  # "the asylum application of 26–27 Sep 2022"

    @property
    def anchor(self) -> str:
        return f"event-{self.number}"


@dataclass(frozen=True, slots=True)
class Item:
    """One finding as the summary shows it."""

    kind: str  # deadline | action | protection | breach
    title: str
    status: str  # certain | possible | unknown
    basis: str  # verified | secondary | unverified
    when: str  # the date (or range) in words
    left: str | None  # "in 3 days", "as soon as possible"; None when nothing is due
    due: date | None
    state: str | None  # deadlines: running | met | expired
    law: str  # "CAT art. 3"
    citation: str
    url: str | None  # only http(s)
    rests_on: tuple[EventRef, ...]
    missing: tuple[str, ...]
    explanation: str
    caveat: str | None


@dataclass(frozen=True, slots=True)
class Summary:
    """What the case page shows first."""

    at: date
    removed: EventRef | None  # the removal, if the file records one
    removal: str  # lawful | unlawful | undetermined
    lawful: Tri
    orders: tuple[tuple[str, str], ...]  # (legal order, word)
    barred_by: tuple[str, ...]  # rule titles
    reasons: tuple[str, ...]
    open: tuple[Item, ...]  # running deadlines and open actions, soonest first
    protections: tuple[Item, ...]
    breaches: tuple[Item, ...]
    closed: tuple[Item, ...]  # deadlines met or past
    to_find_out: tuple[str, ...]

    @property
    def statuses(self) -> dict[str, str]:
        return STATUS_WORDS

    @property
    def bases(self) -> dict[str, str]:
        return BASIS_WORDS


def numbered(case: Case) -> dict[str, EventRef]:
    """Every event of ``case`` by id, named in words with its 1-based number in file order
    (the order the case page lists them in)."""
    return {
        event.id: EventRef(index, f"the {event.type.replace('_', ' ')} of {range_text(event.date)}")
        for index, event in enumerate(case.events, start=1)
    }


def summarise(case: Case, evaluation: Evaluation, at: date) -> Summary:
    """The summary of ``case`` evaluated at ``at`` (the caller's "today")."""
    events = numbered(case)
    items = [_item(f, events, at) for f in evaluation.findings]
    titles = {f.rule: f.title for f in evaluation.findings}
    open_ = [i for i in items if i.kind in ("deadline", "action") and i.state in (None, "running")]
    open_.sort(key=lambda i: (i.due or date.max, i.status != "certain", i.title))
    closed = [i for i in items if i.kind == "deadline" and i.state not in (None, "running")]
    removal = evaluation.removal
    removals = [e for e in case.events if e.type == "removal" and e.date.earliest <= at]
    return Summary(
        at=at,
        removed=events[removals[-1].id] if removals else None,
        removal=REMOVAL_WORDS[removal.lawful],
        lawful=removal.lawful,
        orders=tuple((order_name(o), REMOVAL_WORDS[v]) for o, v in removal.orders.items()),
        barred_by=tuple(
            dict.fromkeys(titles.get(b.rule, _words(b.rule)) for b in removal.barred_by)
        ),
        reasons=tuple(readable(r) for r in removal.reasons),
        open=tuple(open_),
        protections=tuple(i for i in items if i.kind == "protection"),
        breaches=tuple(i for i in items if i.kind == "breach"),
        closed=tuple(closed),
        to_find_out=tuple(_words(f) for f in evaluation.to_find_out),
    )


def _item(finding: Finding, events: dict[str, EventRef], at: date) -> Item:
    due, left = _due(finding, at)
    rests = tuple(events[e] for e in finding.events if e in events)
    return Item(
        kind=finding.kind,
        title=finding.title,
        status=finding.status,
        basis=finding.basis,
        when=_when(finding),
        left=left,
        due=due,
        state=finding.state,
        law=f"{finding.instrument.upper()} art. {finding.article}"
        if finding.article
        else finding.instrument.upper(),
        citation=finding.citation,
        url=safe_url(finding.url),
        rests_on=rests,
        missing=tuple(_words(m) for m in finding.missing_facts),
        explanation=readable(finding.explanation),
        caveat=readable(finding.caveat) if finding.caveat else None,
    )


def _when(finding: Finding) -> str:
    """The date in words; a protection (in force on the reference day) needs none."""
    if finding.kind == "protection":
        return ""
    return "as soon as possible" if finding.date.text == "now" else range_text(finding.date)


def _due(finding: Finding, at: date) -> tuple[date | None, str | None]:
    """The day an open deadline or action is due and the time left; an action the law gives
    no date says so instead of a bare "now"."""
    if finding.kind not in ("deadline", "action") or finding.state not in (None, "running"):
        return None, None
    if finding.date.text == "now":
        return at, "as soon as possible"
    return finding.date.earliest, days_left(finding.date.earliest, at)


def order_name(order: str) -> str:
    """A legal order (a law pack's id, ``refugee-convention``) by its short title."""
    titles = {p.meta.id: p.meta.title for p in load_library().packs}
    title = titles.get(order)
    if title is None:
        return order
    return title.split(" — ")[0].split(" (")[0].split(" and its ")[0]


def _words(name: str) -> str:
    """A fact in words: the law packs' description of a fluent, else its name spelt out
    (``cat_substantial_grounds`` -> ``CAT substantial grounds``)."""
    fluent = load_library().fluents.get(name)
    if fluent is not None and fluent.description:
        return fluent.description
    words = [_ACRONYMS.get(w, w) for w in name.split("_")]
    return " ".join(words).replace("art31", "art. 31")


_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def readable(text: str) -> str:
    """The engine's prose with the identifiers it quotes (fluent names such as
    ``torture_alleged``) put in words."""
    return _IDENTIFIER.sub(lambda m: _words(m.group(0)), text)


_ACRONYMS = {"cat": "CAT", "iccpr": "ICCPR", "echr": "ECHR", "1f": "1F", "un": "UN"}
