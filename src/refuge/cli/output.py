"""Rendering for the terminal (rich) and for scripts (JSON); nothing else prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from refuge.domain import Case
from refuge.rules.results import Evaluation, Finding, VerdictSpan

if TYPE_CHECKING:
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


def whole_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    lines: Collection[str] = (),
) -> Table:
    """A table that wraps and never cuts: every column folds, and a column is never narrower
    than its longest unbreakable word (an id, a date), or, for the ``lines`` columns (names),
    than its longest line, so those stay whole on one line, as far as the terminal's width
    allows (beyond it, the widest columns give way and fold: still nothing is cut)."""
    table = Table(title=title, title_justify="left")
    widths = []
    for index, column in enumerate(columns):
        plain = [Text.from_markup(row[index]).plain for row in rows]
        pieces = [line for cell in plain for line in cell.splitlines()]
        if column not in lines:
            pieces = [word for piece in pieces for word in piece.split()]
        widths.append(max((len(piece) for piece in [column, *pieces]), default=1))
    room = console.width - 3 * len(columns) - 1
    while sum(widths) > room and max(widths) > _NARROWEST:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    for column, width in zip(columns, widths, strict=True):  # rich's min_width holds padding
        table.add_column(column, overflow="fold", min_width=width + 2)
    for row in rows:
        table.add_row(*row)
    return table


_NARROWEST = 6


def date_cell(text: str) -> str:
    """A date range breaks after its ``..`` (each date stays whole)."""
    return text.replace("..", "..\n")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def render_evaluation(case: Case, result: Evaluation, *, explain: bool = False) -> None:
    """What the law says about ``case``: by default a summary that fits one screen (verdict,
    law applied, deadlines and actions with dates and days left, protections, breaches, what
    to find out); with ``explain`` each finding's explanation too, once per rule."""
    person = case.person
    console.rule(f"[bold]{escape(case.id)}[/] — {escape(person.name)}")
    console.print(
        f"Host {case.host}, origin {case.origin or '?'}; law as evaluated on "
        f"[bold]{result.at.isoformat()}[/]"
    )
    render_law(result)
    render_verdict(result, explain=explain)
    explained: set[str] = set()
    for kind in ("deadline", "action", "protection", "breach"):
        findings = result.of_kind(kind)
        if kind == "deadline" and not explain:
            closed = [f for f in findings if f.state not in (None, "running")]
            findings = [f for f in findings if f not in closed]
            if closed:
                console.print("\n[bold underline]Deadlines met or past[/]: " + _brief(closed))
        if findings and kind == "protection" and not explain:
            console.print(f"\n[bold underline]{_KIND_TITLES[kind]}[/]: " + _brief(findings))
        elif findings:
            console.print()
            console.print(f"[bold underline]{_KIND_TITLES[kind]}[/]")
            for finding in findings:
                render_finding(finding, result.at, explained if explain else None)
    if result.to_find_out and explain:
        console.print()
        console.print("[bold underline]To find out[/]")
        for fact in result.to_find_out:
            console.print(f"  • {escape(fact)}")
    elif result.to_find_out:
        console.print(f"\n[bold underline]To find out[/]: {escape(', '.join(result.to_find_out))}")
    if not explain:
        console.print("[dim]Each finding's explanation: add --explain.[/]")


def render_law(result: Evaluation) -> None:
    """Which law judged the case, and what refuge could not judge (party status...)."""
    if result.jurisdiction is not None:
        style = "bold yellow" if result.jurisdiction.international_only else "bold"
        console.print(f"Law applied: [{style}]{escape(result.jurisdiction.statement)}[/]")
    for notice in result.notices:
        console.print(f"  [yellow]notice:[/] {escape(notice)}")


def render_verdict(result: Evaluation, *, explain: bool = True) -> None:
    verdict = result.removal
    if explain:
        shown = Table(title="Would a removal be lawful on this date?", title_justify="left")
        shown.add_column("legal order")
        shown.add_column("verdict")
        for order, value in verdict.orders.items():
            shown.add_row(order, _TRI[value])
        shown.add_row("[bold]overall[/]", _TRI[verdict.lawful])
        console.print(shown)
    else:
        orders = "; ".join(f"{order} {_TRI[value]}" for order, value in verdict.orders.items())
        console.print(
            f"Removal on {result.at.isoformat()}: [bold]{_TRI[verdict.lawful]}[/] ({orders})"
        )
        for reason in verdict.reasons:
            console.print(f"  {escape(reason)}")
        return  # what bars it is listed under "Protections in force"
    for bar in verdict.barred_by:
        console.print(f"  barred by {bar.rule} ({bar.instrument} art. {bar.article}, {bar.status})")
    for reason in verdict.reasons:
        console.print(f"  {escape(reason)}")


def render_finding(finding: Finding, at: date, explained: set[str] | None = None) -> None:
    """One finding in two lines (status, title, state; then its law, rule, basis, date and the
    days left). With ``explained`` (the explanations printed above), its explanation too,
    unless the same text was printed already (a protection that also stands as a breach)."""
    style = STATUS_STYLE.get(finding.status, "")
    state = f" — {finding.state}" if finding.state else ""
    console.print(
        f"• [{style}]{finding.status.upper()}[/] {escape(finding.title)}{escape(state)}\n"
        f"  {finding.instrument} art. {escape(finding.article)} · rule {finding.rule} · "
        f"basis {finding.basis} · {_due(finding, at)}"
        + (f" · events {', '.join(finding.events)}" if finding.events and explained else "")
    )
    if explained is None or not finding.explanation:
        return
    if finding.explanation in explained:
        console.print("  [dim](explained above)[/]")
        return
    explained.add(finding.explanation)
    console.print(f"  [dim]{escape(finding.explanation)}[/]")


def _brief(findings: Sequence[Finding]) -> str:
    """Findings on one wrapped line: instrument, article, status (and state) of each."""
    return "; ".join(
        f"{f.instrument} art. {escape(f.article)} [{STATUS_STYLE.get(f.status, '')}]{f.status}[/]"
        for f in findings
    )


def _due(finding: Finding, at: date) -> str:
    """The date of a finding; for an open deadline or action, also the days left."""
    if finding.kind not in ("deadline", "action") or finding.state not in (None, "running"):
        return f"date {finding.date}"
    if finding.date.text == "now":
        return "as soon as possible"
    # imported here: the Today service reads the store, which `check` and `analyze` never load
    from refuge.services.today import days_left

    return f"by {finding.date} ({days_left(finding.date.earliest, at)})"


def render_outlook(spans: list[VerdictSpan], *, explain: bool = True) -> None:
    """When the removal verdict changes over the coming year (with ``explain``, what bars
    removal in each span)."""
    if len(spans) < 2:
        return
    console.print()
    console.print("[bold underline]How the verdict changes over the next year[/]")
    for span in spans:
        bars = ", ".join(b.rule for b in span.verdict.barred_by) or "nothing"
        line = f"  {span.since} → {span.until}: {_TRI[span.verdict.lawful]}"
        console.print(line + (f"; barred by {escape(bars)}" if explain else ""))


def render_person(row: PersonRow) -> None:
    """One person of the Today view; every line wraps (never cuts) at the terminal's width."""
    who = row.who
    origin = f" · origin {who.origin}" if who.origin else ""
    console.print()
    console.print(
        f"[bold]{escape(who.name)}[/] — {escape(row.next.when)}\n  case {escape(row.case)} · "
        f"host {who.host}{origin}",
    )
    console.print(Padding(f"at stake: {escape(row.stake)}", (0, 0, 0, 2)))
    for s in row.steps:
        style = STATUS_STYLE.get(s.status, "")
        dated = "" if s.undated else f" ({s.due.isoformat()})"
        rule = f" · rule {s.rule}" if s.rule else ""
        console.print(
            Padding(f"• [{style}]{escape(s.when)}[/]{dated}: {escape(s.what)}", (0, 0, 0, 2))
        )
        console.print(Padding(f"{escape(s.detail)}{escape(rule)} · {s.status}", (0, 0, 0, 4)))
