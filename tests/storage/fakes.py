"""A stand-in for ``refuge.services.analysis.analyze_report`` in store tests.

A "report" here is a case file: the fake reads it with ``parse_case``, so each test states
exactly which cases a report yields. A report containing ``BROKEN`` fails like a bad input.
Importable by worker processes (tests/storage is on ``sys.path`` under pytest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from refuge.casefile import parse_case
from refuge.domain import Case
from refuge.errors import InputError


@dataclass(frozen=True)
class FakeAnalysis:
    article: Any
    cases: list[Case]
    warnings: tuple[str, ...] = ()


def analyze(
    data: bytes,
    *,
    name: str | None,
    published: date | None,
    host: str | None,
    language: str | None = None,
) -> FakeAnalysis:
    """``language`` (a feed's) comes back as a warning, so tests see it reached the reader."""
    text = data.decode("utf-8")
    if "BROKEN" in text:
        raise InputError(f"{name}: not a report refuge can read")
    if "CRASH" in text:
        raise ZeroDivisionError("a bug in the analyser")
    documents = [d for d in text.split("\n---\n") if d.strip()]
    said = (f"read as language {language}",) if language else ()
    return FakeAnalysis(None, [parse_case(d, name or "<report>") for d in documents], said)


def report(
    case_id: str,
    name: str,
    events: str,
    *,
    aliases: str = "[]",
    born: str = "null",
    citizenship: str = "[RU]",
    host: str = "KZ",
    source: str = "s1",
    url: str | None = None,
) -> str:
    """The text of a fake report about one person (``events``: YAML list items)."""
    return f"""case:
  id: {case_id}
  person: {{name: {name}, aliases: {aliases}, citizenship: {citizenship}, born: {born}}}
  host: {host}
  origin: RU
sources:
  - {{id: {source}, outlet: Outlet {source}, url: {url or "https://example.org/" + source}}}
events:
{events}
"""
