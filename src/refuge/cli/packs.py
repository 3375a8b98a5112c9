"""``refuge packs``: the law packs and their rules; ``refuge packs test``: the golden scenarios."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from refuge.cli.output import console, print_json
from refuge.rules.packs import CompiledRule, load_library
from refuge.rules.scenarios import check_holdings, check_scenario, load_scenarios
from refuge.rules.schema import FuzzyDay


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
    table = Table(title="Law packs", title_justify="left", show_lines=True)
    for column in ("rule", "kind", "instrument art.", "basis", "in force", "citation"):
        table.add_column(column, no_wrap=column in ("rule", "kind"))
    for row in rows:
        table.add_row(
            row["id"],
            row["kind"],
            f"{row['instrument']} {row['article']}",
            row["basis"],
            row["validity"],
            escape(row["citation"]),
        )
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
