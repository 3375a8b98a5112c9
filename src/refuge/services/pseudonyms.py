"""Pseudonymised exports for research (``refuge export --pseudonymise``).

Names and free text are replaced by pseudonyms that are stable within one export (the same
person or court is the same pseudonym everywhere in it) and unlinkable across exports (each
export draws a fresh HMAC key and forgets it). Dates, states, event types, outcomes and
review states are kept: they are what research needs. Quotes, notes, titles, URLs and the
text of dates are dropped, since free text is where names hide.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import unicodedata

from refuge.domain import Case
from refuge.domain.cases import Person, Source
from refuge.domain.dates import DateRange
from refuge.domain.events import Event, Evidence
from refuge.domain.vocabulary import EVENT_TYPES


class Pseudonyms:
    """One export's pseudonyms: ``name(kind, value)`` is stable for the life of the object."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def name(self, kind: str, value: str) -> str:
        folded = " ".join(unicodedata.normalize("NFKC", value).casefold().split())
        digest = hmac.new(self._key, f"{kind}\0{folded}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:10]}"

    def case(self, case: Case) -> Case:
        person = Person(
            name=self.name("person", case.person.name),
            aliases=tuple(self.name("person", a) for a in case.person.aliases),
            citizenship=case.person.citizenship,
            born=_plain(case.person.born),
        )
        sources = tuple(
            Source(id=self.name("source", s.id), published=_plain(s.published))
            for s in case.sources
        )
        return dataclasses.replace(
            case,
            id=self.name("case", case.id),
            person=person,
            sources=sources,
            events=tuple(self._event(e) for e in case.events),
            tags=(),
        )

    def _event(self, event: Event) -> Event:
        kinds = EVENT_TYPES[event.type].attrs if event.type in EVENT_TYPES else {}
        attrs = {
            k: self.name("text", str(v)) if k not in kinds or kinds[k].kind == "text" else v
            for k, v in event.attrs.items()
        }
        evidence = tuple(Evidence(source=self.name("source", p.source)) for p in event.evidence)
        date = _plain(event.date)
        assert date is not None
        return dataclasses.replace(event, date=date, attrs=attrs, evidence=evidence, note=None)


def _plain(value: DateRange | None) -> DateRange | None:
    """The date range without the reporter's own words for it."""
    return None if value is None else dataclasses.replace(value, text=None)


def pseudonymise(cases: list[Case]) -> list[Case]:
    """The cases with names and free text replaced, under one fresh key."""
    names = Pseudonyms()
    return [names.case(c) for c in cases]
