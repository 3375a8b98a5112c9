"""Write a ``Case`` back out in the case-file format (YAML or JSON), loss-free."""

from __future__ import annotations

import json
from typing import Any

import yaml

from refuge.domain import Case, DateRange, Event, Evidence


def case_to_data(case: Case) -> dict[str, Any]:
    """The case-file mapping for ``case``; ``parse_case`` reads it back to an equal ``Case``."""
    person: dict[str, Any] = {"name": case.person.name}
    if case.person.aliases:
        person["aliases"] = list(case.person.aliases)
    if case.person.citizenship:
        person["citizenship"] = list(case.person.citizenship)
    if case.person.born is not None:
        person["born"] = case.person.born.to_data()
    head: dict[str, Any] = {"id": case.id, "person": person, "host": case.host}
    if case.origin is not None:
        head["origin"] = case.origin
    if case.tags:
        head["tags"] = list(case.tags)
    if case.complete:
        head["complete"] = True
    data: dict[str, Any] = {"case": head}
    if case.sources:
        data["sources"] = [
            _drop_none(
                {
                    "id": s.id,
                    "title": s.title,
                    "outlet": s.outlet,
                    "url": s.url,
                    "published": s.published.to_data() if s.published else None,
                }
            )
            for s in case.sources
        ]
    data["events"] = [_event(e) for e in case.events]
    if case.facts:
        data["facts"] = dict(case.facts)
    return data


def _event(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {"id": event.id, "type": event.type, "date": event.date.to_data()}
    for key, value in event.attrs.items():
        data[key] = value.to_data() if isinstance(value, DateRange) else value
    if event.evidence:
        data["source"] = [_evidence(e) for e in event.evidence]
    data.update(
        _drop_none(
            {
                "certainty": event.certainty,
                "note": event.note,
                "review": event.review,
                "sequence": event.sequence,
            }
        )
    )
    return data


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return _drop_none(
        {
            "id": evidence.source,
            "quote": evidence.quote,
            "start": evidence.start,
            "end": evidence.end,
        }
    )


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def dump_yaml(case: Case) -> str:
    return yaml.safe_dump(case_to_data(case), sort_keys=False, allow_unicode=True, width=100)


def dump_json(case: Case) -> str:
    return json.dumps(case_to_data(case), ensure_ascii=False, indent=2)
