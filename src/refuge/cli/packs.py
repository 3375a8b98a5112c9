"""``refuge packs``: the law packs and their rules; ``refuge packs test``: the golden scenarios."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from refuge.cli.output import console, print_json
from refuge.rules.packs import CompiledRule, load_library
from refuge.rules.scenarios import check_scenario, load_scenarios
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


@packs.command("test")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def test(as_json: bool) -> None:
    """Run the golden scenarios of the packs; exit 4 if any fails."""
    results: list[dict[str, Any]] = []
    for scenario in load_scenarios():
        failures = check_scenario(scenario)
        expected_to_fail = "known-failure" in scenario.tags
        results.append(
            {
                "scenario": scenario.path.name,
                "name": scenario.name,
                "passed": not failures,
                "known_failure": expected_to_fail,
                "failures": failures,
            }
        )
    bad = [r for r in results if not r["passed"] and not r["known_failure"]]
    if as_json:
        print_json({"scenarios": results, "failed": len(bad)})
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
    if bad:
        raise SystemExit(4)
