"""Procedural events: what happened to the person, when, and who says so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from refuge.domain.dates import DateRange


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact comes from: a source id, optionally the quote and its character offsets."""

    source: str
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None  # the PDF page the quote is on, when the source is a PDF


@dataclass(frozen=True, slots=True)
class Event:
    """One dated procedural event of a timeline.

    ``attrs`` holds the type-specific attributes of ``vocabulary.EVENT_TYPES`` (outcome, against,
    to, via...). ``sequence`` states the order of events whose dates overlap (the same day, or
    fuzzy ranges) when the author knows it; without it the engine treats such events as
    unordered and answers "unknown" where their order matters.
    """

    id: str
    type: str
    date: DateRange
    attrs: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    certainty: str | None = None
    note: str | None = None
    review: str | None = None
    sequence: int | None = None

    def get(self, name: str, default: Any = None) -> Any:
        return self.attrs.get(name, default)
