"""The case page's summary: words instead of ids, events by number, days left from the day the
caller gives, uncertainty carried unchanged, only web addresses become links."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

from refuge.domain import DateRange
from refuge.services.case_summary import range_text, safe_url, summarise
from refuge.services.evaluation import evaluate_case_file

EXAMPLE = Path(str(resources.files("refuge") / "examples" / "zhilin-2022.yaml"))


def test_the_founding_case_reads_in_words() -> None:
    at = date(2023, 1, 10)
    case, evaluation, _spans = evaluate_case_file(EXAMPLE, at)
    summary = summarise(case, evaluation, at)
    assert summary.removed is not None and summary.removed.words.startswith("the removal of")
    assert summary.removed.anchor == f"event-{summary.removed.number}"
    assert case.events[summary.removed.number - 1].type == "removal"
    assert summary.removal in ("lawful", "unlawful", "undetermined")
    named = {f.title for f in evaluation.findings}
    assert set(summary.barred_by) <= named  # rule titles, never rule ids
    assert all("_" not in word for word in summary.to_find_out)
    assert all(order != "refugee-convention" for order, _word in summary.orders)
    items = summary.open + summary.protections + summary.breaches + summary.closed
    assert len(items) == len(evaluation.findings)
    by_title = {(f.kind, f.title, f.status, f.basis) for f in evaluation.findings}
    assert {(i.kind, i.title, i.status, i.basis) for i in items} == by_title  # never rounded
    for item in items:
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", item.explanation), item.explanation
        for ref in item.rests_on:
            event = case.events[ref.number - 1]
            assert ref.words == f"the {event.type.replace('_', ' ')} of {range_text(event.date)}"


def test_days_left_count_from_the_day_given() -> None:
    """The reference day is the caller's: the same case read on two days says two things."""
    early, late = date(2022, 12, 1), date(2022, 12, 10)
    results = []
    for at in (early, late):
        case, evaluation, _spans = evaluate_case_file(EXAMPLE, at)
        results.append(summarise(case, evaluation, at))
    dated = [[i for i in s.open if i.due and i.left != "as soon as possible"] for s in results]
    assert dated[0], "a deadline runs on 1 Dec 2022"
    first = dated[0][0]
    assert first.left == f"in {(first.due - early).days} days" or first.left in (
        "today",
        "tomorrow",
    )
    assert results[0].at == early and results[1].at == late
    assert [i.left for i in dated[0]] != [i.left for i in dated[1]]


def test_only_web_addresses_become_links() -> None:
    assert safe_url("https://adilet.zan.kz/rus/docs/K1400000231") is not None
    assert safe_url("http://example.org/a") == "http://example.org/a"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//x.org",
                "vbscript:x", "https://", "file:///etc/passwd", "", None):  # fmt: skip
        assert safe_url(bad) is None, bad


def test_a_fuzzy_date_stays_a_range() -> None:
    assert range_text(DateRange(date(2022, 11, 21), date(2022, 11, 30))) == "21–30 Nov 2022"
    assert range_text(DateRange(date(2022, 11, 30), date(2023, 1, 2))) == (
        "30 Nov 2022 – 2 Jan 2023"
    )
    assert range_text(DateRange(date(2022, 9, 26), date(2022, 10, 1))) == "26 Sep – 1 Oct 2022"
    assert range_text(DateRange.day(date(2022, 10, 3))) == "3 Oct 2022"
