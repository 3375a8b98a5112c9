"""Golden requests: for the founding case and three decided cases, the draft request holds every
date, source, quote and finding of the case file and of the engine, and no date that is not in
them. Checked in the Markdown, DOCX and PDF outputs, each read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import pytest

from refuge.domain import Case
from refuge.rules.engine import Engine
from refuge.rules.parties import load_party_table
from refuge.services.filing import BODIES, gather_request, render_request

from .conftest import GENERATED, ISO, docx_text, example_case, pdf_text, scenario_case, squeeze


@dataclass(frozen=True)
class Golden:
    name: str
    body: str
    at: date


GOLDEN = {
    "zhilin-2022": Golden("k01", "cat", date(2022, 12, 30)),
    "abdussamatov-2011": Golden("k02-abdussamatov-2011", "cat", date(2012, 6, 1)),
    "nasirov-2011": Golden("k04-nasirov-2011", "cat", date(2011, 9, 1)),
    "movlaev-2026": Golden("k11-movlaev-2026", "hrc", date(2026, 3, 31)),
}


def _case(case_id: str) -> Case:
    if case_id == "zhilin-2022":
        return example_case()
    return scenario_case(GOLDEN[case_id].name)


@cache
def _documents(case_id: str) -> dict[str, str]:
    golden = GOLDEN[case_id]
    made = gather_request(_case(case_id), golden.body, golden.at, GENERATED)
    return {
        "md": render_request(made, "md").decode(),
        "docx": docx_text(render_request(made, "docx")),
        "pdf": pdf_text(render_request(made, "pdf")),
    }


def _contains(fmt: str, document: str, piece: str) -> bool:
    piece = " ".join(piece.split())
    if fmt == "pdf":
        return squeeze(piece) in squeeze(document)
    if fmt == "md":  # Markdown escapes the characters that would be markup
        document = re.sub(r"\\([\\`*_\[\]<>#|~])", r"\1", document)
    return piece in " ".join(document.split())


def _expected_pieces(case: Case, at: date) -> list[str]:
    """What the file and the engine say that the request must carry, field by field."""
    pieces: list[str] = [case.id, case.person.name]
    for event in case.events:
        if event.date.earliest > at:
            continue
        pieces += [event.id, event.date.earliest.isoformat(), event.date.latest.isoformat()]
        pieces += [event.date.text] if event.date.text else []
        pieces += [p.quote for p in event.evidence if p.quote]
        pieces += [p.source for p in event.evidence]
    for source in case.sources:
        pieces += [source.id] + [v for v in (source.url, source.title, source.outlet) if v]
    for finding in Engine.default().evaluate(case, at).findings:
        pieces += [finding.title, finding.citation, finding.explanation]
    return pieces


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
@pytest.mark.parametrize("case_id", sorted(GOLDEN))
def test_request_carries_every_fact_and_finding(case_id: str, fmt: str) -> None:
    """Every date, source, quote and finding of the case is in the request."""
    case, document = _case(case_id), _documents(case_id)[fmt]
    missing = [
        p for p in _expected_pieces(case, GOLDEN[case_id].at) if not _contains(fmt, document, p)
    ]
    assert missing == []


def _allowed_dates(case: Case, at: date, body: str) -> set[str]:
    """Dates the case file, the engine and the party table can vouch for."""
    engine = Engine.default()
    evaluation = engine.evaluate(case, at)
    texts = [str(evaluation.to_json())]
    texts += [
        str(span.to_json()) for span in engine.outlook(case, at, at.replace(year=at.year + 1))
    ]
    texts += [load_party_table().binding(i, case.host, at).reason for i in BODIES[body].instruments]
    allowed = {at.isoformat(), GENERATED.isoformat()}
    for event in case.events:
        allowed |= {event.date.earliest.isoformat(), event.date.latest.isoformat()}
        texts += [str(v) for v in event.attrs.values()]
    for source in case.sources:
        if source.published:
            allowed |= {source.published.earliest.isoformat(), source.published.latest.isoformat()}
    if case.person.born:
        allowed |= {case.person.born.earliest.isoformat(), case.person.born.latest.isoformat()}
    for text in texts:
        allowed |= set(ISO.findall(text))
    return allowed


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
@pytest.mark.parametrize("case_id", sorted(GOLDEN))
def test_request_holds_no_date_from_elsewhere(case_id: str, fmt: str) -> None:
    """Every date written in the request is one of the case's, the engine's or the party
    table's: nothing is invented."""
    golden, case = GOLDEN[case_id], _case(case_id)
    document = _documents(case_id)[fmt]
    written = set(ISO.findall(document if fmt != "pdf" else squeeze(document)))
    assert written - _allowed_dates(case, golden.at, golden.body) == set()


def test_fuzzy_dates_are_written_as_ranges() -> None:
    """ "Late November" stays 21 to 30 November: the request never picks a day of a range."""
    document = " ".join(_documents("zhilin-2022")["docx"].split())
    assert "2022-11-21 to 2022-11-30 (“late November”)" in document


def test_other_cases_people_do_not_appear() -> None:
    """A request names only its own person."""
    names = {case_id: _case(case_id).person.name for case_id in GOLDEN}
    for case_id, documents in ((c, _documents(c)) for c in GOLDEN):
        others = [n for c, n in names.items() if c != case_id and n in documents["docx"]]
        assert others == []
