"""The pure model of refuge: cases, people, sources, events and fuzzy dates.

Standard library only: no I/O, no frameworks. Everything else (the case-file reader, the law
engine, the readers of news reports, storage) depends on this package, never the reverse.
"""

from refuge.domain.cases import Case, Person, Source
from refuge.domain.dates import DateRange
from refuge.domain.events import Event, Evidence
from refuge.domain.vocabulary import EVENT_TYPES, EventType

__all__ = ["EVENT_TYPES", "Case", "DateRange", "Event", "EventType", "Evidence", "Person", "Source"]
