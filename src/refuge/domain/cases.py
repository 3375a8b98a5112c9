"""A case: a person at risk, the host and origin states, the sources and the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from refuge.domain.dates import DateRange
from refuge.domain.events import Event


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    citizenship: tuple[str, ...] = ()
    born: DateRange | None = None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: DateRange | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A case file. ``facts`` are a lawyer's findings the events cannot express (e.g. that an
    authority determined the person a danger to national security), keyed by fact name.

    ``complete`` is true only when a person checked that the file records every event that
    happened: only then may the engine rest a certain finding on the absence of an event (no
    decision recorded, so the claim is pending). Drafts from news are never complete."""

    id: str
    person: Person
    host: str
    origin: str | None
    events: tuple[Event, ...]
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    facts: Mapping[str, bool] = field(default_factory=dict)
    complete: bool = False

    def event(self, event_id: str) -> Event:
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(event_id)
