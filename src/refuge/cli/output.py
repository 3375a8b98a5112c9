"""Rendering for the terminal (rich) and for scripts (JSON); nothing else prints."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from refuge.domain import Case
from refuge.rules.results import Evaluation, Finding, VerdictSpan
from refuge.services.today import PersonRow

console = Console()
errors = Console(stderr=True, soft_wrap=True)

STATUS_STYLE = {"certain": "bold red", "possible": "yellow", "unknown": "cyan"}
_KIND_TITLES = {
    "breach": "Breaches of safeguards by past events",
    "protection": "Protections in force",
    "action": "Urgent actions still open",
    "deadline": "Deadlines",
}
_TRI = {True: "[green]lawful[/]", False: "[bold red]not lawful[/]", None: "[yellow]unknown[/]"}


def today() -> date:
    """The default evaluation date. Only front doors read the clock; the engine never does."""
    return datetime.now(UTC).date()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def render_evaluation(case: Case, result: Evaluation) -> None:
    person = case.person
    console.rule(f"[bold]{escape(case.id)}[/] — {escape(person.name)}")
    console.print(
        f"Host {case.host}, origin {case.origin or '?'}; law as evaluated on "
        f"[bold]{result.at.isoformat()}[/]"
    )
    render_law(result)
    render_verdict(result)
    if result.to_find_out:
        console.print()
        console.print("[bold underline]To find out[/]")
        for fact in result.to_find_out:
            console.print(f"  • {escape(fact)}")
    for kind in ("breach", "action", "protection", "deadline"):
        findings = result.of_kind(kind)
        if findings:
            console.print()
            console.print(f"[bold underline]{_KIND_TITLES[kind]}[/]")
            for finding in findings:
                render_finding(finding)


def render_law(result: Evaluation) -> None:
    """Which law judged the case, and what refuge could not judge (party status...)."""
    if result.jurisdiction is not None:
        style = "bold yellow" if result.jurisdiction.international_only else "bold"
        console.print(f"Law applied: [{style}]{escape(result.jurisdiction.statement)}[/]")
    for notice in result.notices:
        console.print(f"  [yellow]notice:[/] {escape(notice)}")


def render_verdict(result: Evaluation) -> None:
    verdict = result.removal
    table = Table(title="Would a removal be lawful on this date?", title_justify="left")
    table.add_column("legal order")
    table.add_column("verdict")
    for order, value in verdict.orders.items():
        table.add_row(order, _TRI[value])
    table.add_row("[bold]overall[/]", _TRI[verdict.lawful])
    console.print(table)
    for bar in verdict.barred_by:
        console.print(f"  barred by {bar.rule} ({bar.instrument} art. {bar.article}, {bar.status})")
    for reason in verdict.reasons:
        console.print(f"  {escape(reason)}")


def render_finding(finding: Finding) -> None:
    style = STATUS_STYLE.get(finding.status, "")
    state = f" — {finding.state}" if finding.state else ""
    console.print(
        f"• [{style}]{finding.status.upper()}[/] {escape(finding.title)}{escape(state)}\n"
        f"  {finding.instrument} art. {escape(finding.article)} · rule {finding.rule} · "
        f"basis {finding.basis} · date {finding.date}"
        + (f" · events {', '.join(finding.events)}" if finding.events else "")
    )
    if finding.explanation:
        console.print(f"  [dim]{escape(finding.explanation)}[/]")


def render_outlook(spans: list[VerdictSpan]) -> None:
    """When the removal verdict changes over the coming year, and what bars removal then."""
    if len(spans) < 2:
        return
    console.print()
    console.print("[bold underline]How the verdict changes over the next year[/]")
    for span in spans:
        bars = ", ".join(b.rule for b in span.verdict.barred_by) or "nothing"
        console.print(
            f"  {span.since} → {span.until}: {_TRI[span.verdict.lawful]}; barred by {escape(bars)}"
        )


def render_person(row: PersonRow) -> None:
    """One person of the Today view; every line wraps (never cuts) at the terminal's width."""
    who = row.who
    origin = f" · origin {who.origin}" if who.origin else ""
    console.print()
    console.print(
        f"[bold]{escape(who.name)}[/] — {escape(row.next.when)} — case {escape(row.case)} · "
        f"host {who.host}{origin}",
        overflow="fold",
    )
    console.print(f"  at stake: {escape(row.stake)}", overflow="fold")
    for s in row.steps:
        style = STATUS_STYLE.get(s.status, "")
        dated = "" if s.when.startswith("as soon") else f" ({s.due.isoformat()})"
        rule = f" · rule {s.rule}" if s.rule else ""
        console.print(
            f"  • [{style}]{escape(s.when)}[/]{dated}: {escape(s.what)}\n"
            f"    {escape(s.todo)}{escape(rule)} · {s.status}",
            overflow="fold",
        )
