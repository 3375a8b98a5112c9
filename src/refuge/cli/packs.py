"""``refuge packs``: the law packs and their rules; ``refuge packs test``: the golden scenarios."""

from __future__ import annotations

from typing import Any

import click
from rich import box
from rich.markup import escape
from rich.table import Table

from refuge.cli.output import console, print_json, whole_table
from refuge.domain.dates import DateRange
from refuge.rules.packs import CompiledRule, load_library
from refuge.rules.scenarios import check_holdings, check_scenario, load_scenarios
from refuge.rules.schema import FuzzyDay
from refuge.services.parties import PartyRow, party_rows


def _validity(rule: CompiledRule) -> str:
    spans = []
    for version in rule.versions:
        start = version.spec.valid_from
        first = f"{start.earliest}..{start.latest}" if isinstance(start, FuzzyDay) else str(start)
        spans.append(f"{first} → {version.spec.until or 'in force'}")
    return "; ".join(spans)


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def packs(ctx: click.Context, as_json: bool) -> None:
    """List the law packs and their rules with citation, validity and verification status."""
    if ctx.invoked_subcommand is not None:
        return
    library = load_library()
    rows = [
        {
            "id": r.spec.id,
            "pack": r.pack,
            "order": r.order,
            "kind": r.spec.kind,
            "instrument": r.spec.instrument,
            "article": r.spec.article,
            "basis": r.spec.basis,
            "validity": _validity(r),
            "citation": r.spec.citation.text,
            "title": r.spec.title,
        }
        for r in library.rules
    ]
    rows += [
        {
            "id": d.spec.id,
            "pack": d.order,
            "order": d.order,
            "kind": "deadline",
            "instrument": d.spec.instrument,
            "article": d.spec.article,
            "basis": d.spec.basis,
            "validity": f"{d.spec.valid_from} → {d.spec.valid_until or 'in force'}",
            "citation": d.spec.citation.text,
            "title": d.spec.title,
        }
        for d in library.deadlines
    ]
    if as_json:
        print_json(
            {
                "packs": [
                    {
                        "id": p.meta.id,
                        "version": p.meta.version,
                        "order": p.meta.order,
                        "sha256": p.sha256,
                        "verified_through": str(p.meta.verified_through),
                    }
                    for p in library.packs
                ],
                "rules": rows,
            }
        )
        return
    cells = [
        (
            f"{row['id']}\n{row['kind']} · {row['instrument']} {escape(row['article'])}\n"
            f"{row['basis']} · {escape(row['validity'].replace('None → ', ''))}",
            escape(row["citation"]),
        )
        for row in rows
    ]
    table = whole_table("Law packs", ("rule", "citation"), cells)
    table.show_lines = True
    console.print(table)


def _holding_totals(results: list[dict[str, Any]]) -> dict[str, int]:
    """The false-alarm and miss counts over the scenarios that carry holdings."""
    with_holdings = [r for r in results if r["holdings"]]
    counted = [r for r in with_holdings if not r["known_failure"]]
    return {
        "scenarios": len(with_holdings),
        "holdings": sum(r["holdings"] for r in with_holdings),
        "false_alarms": sum(len(r["false_alarms"]) for r in with_holdings),
        "misses": sum(len(r["misses"]) for r in with_holdings),
        "false_alarms_outside_known_failures": sum(len(r["false_alarms"]) for r in counted),
        "misses_outside_known_failures": sum(len(r["misses"]) for r in counted),
    }


@packs.command("test")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def test(as_json: bool) -> None:
    """Run the golden scenarios of the packs; exit 4 if any fails."""
    results: list[dict[str, Any]] = []
    for scenario in load_scenarios():
        failures = check_scenario(scenario)
        held = check_holdings(scenario)
        expected_to_fail = "known-failure" in scenario.tags
        results.append(
            {
                "scenario": scenario.path.name,
                "name": scenario.name,
                "passed": not failures,
                "known_failure": expected_to_fail,
                "failures": failures,
                "holdings": len(scenario.holding),
                "false_alarms": list(held.false_alarms),
                "misses": list(held.misses),
            }
        )
    bad = [r for r in results if not r["passed"] and not r["known_failure"]]
    totals = _holding_totals(results)
    if as_json:
        print_json({"scenarios": results, "failed": len(bad), "holdings": totals})
    else:
        for r in results:
            mark = (
                "[green]pass[/]"
                if r["passed"]
                else "[yellow]known failure[/]"
                if r["known_failure"]
                else "[red]FAIL[/]"
            )
            console.print(f"{mark} {r['scenario']}: {escape(str(r['name']))}")
            for failure in r["failures"]:
                console.print(f"     {escape(failure)}")
        console.print(f"{len(results) - len(bad)} of {len(results)} scenarios as expected")
        console.print(
            f"decided cases: {totals['holdings']} holdings in {totals['scenarios']} scenarios; "
            f"certain findings contradicting a holding (false alarms): {totals['false_alarms']} "
            f"({totals['false_alarms_outside_known_failures']} outside known failures); "
            f"violations missed: {totals['misses']} "
            f"({totals['misses_outside_known_failures']} outside known failures)"
        )
    if bad:
        raise SystemExit(4)


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> DateRange | None:
    if value is None:
        return None
    try:
        return DateRange.parse_shorthand(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@packs.command("parties")
@click.option("--instrument", help="Only this instrument (e.g. cat, iccpr-op1, echr).")
@click.option("--state", help="Only this state (ISO code, e.g. TR); unknown states say so.")
@click.option(
    "--at",
    callback=_date_option,
    help="Also say whether each state was bound on this date (YYYY-MM-DD, YYYY-MM or YYYY).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def parties(instrument: str | None, state: str | None, at: DateRange | None, as_json: bool) -> None:
    """Which states are bound by which treaty, from when, with source and verification status."""
    rows = party_rows(instrument, state, at)
    if as_json:
        print_json({"at": None if at is None else str(at), "parties": [r.to_json() for r in rows]})
        return
    if not rows:
        console.print("no party records")
    for instrument in dict.fromkeys(row.instrument for row in rows):
        console.print(_party_table(instrument, [r for r in rows if r.instrument == instrument]))


def _party_table(instrument: str, rows: list[PartyRow]) -> Table:
    """One table per instrument, so that it fits 80 columns: long cells wrap, dates never."""
    table = Table(title=f"Party status: {instrument}", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("state", "status", "bound from", "until", "basis", "source"):
        table.add_column(column, overflow="fold", no_wrap=column in _NO_WRAP)
    for row in rows:
        table.add_row(
            row.state,
            escape(_status_cell(row)),
            (row.in_force or "—").replace("..", "..\n"),
            (row.until or ("" if row.in_force is None else "in force")).replace("..", "..\n"),
            row.basis or "",
            escape(row.source or ""),
        )
    return table


_NO_WRAP = ("state", "bound from", "until", "basis")


def _status_cell(row: PartyRow) -> str:
    parts = [row.status.replace("_", " ")]
    parts += [f"reservation: {r}" for r in row.reservations]
    if row.binding is not None:
        parts.append(f"on the date asked: {row.binding.replace('_', ' ')}")
    return "\n".join(parts)
