"""``refuge check`` and ``refuge evaluate``: one case file at a time, nothing written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from refuge.casefile import case_to_data
from refuge.cli.output import console, print_json, render_evaluation, render_outlook, today
from refuge.services.evaluation import check_case_file, evaluate_case_file


@click.command()
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed case as JSON.")
def check(case_file: Path, as_json: bool) -> None:
    """Check that CASE_FILE is a valid case file. Writes nothing."""
    case = check_case_file(case_file)
    if as_json:
        print_json({"valid": True, "case": case_to_data(case)})
        return
    console.print(
        f"[green]valid[/]: {case_file} — case {case.id}, {len(case.events)} events, "
        f"{len(case.sources)} sources"
    )


@click.command()
@click.argument("case_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--at",
    "at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Evaluate the law on this date (YYYY-MM-DD); default: today.",
)
@click.option(
    "--explain", is_flag=True, help="Each finding's full explanation (default: a summary)."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def evaluate(case_file: Path, at: datetime | None, explain: bool, as_json: bool) -> None:
    """What the law says about CASE_FILE on a date: a one-screen summary of the removal
    verdict, deadlines and actions with the days left, protections and breaches; --explain
    adds each finding's explanation."""
    day = at.date() if isinstance(at, datetime) else today()
    case, result, outlook = evaluate_case_file(case_file, day)
    if as_json:
        print_json({**result.to_json(), "outlook": [span.to_json() for span in outlook]})
    else:
        render_evaluation(case, result, explain=explain)
        render_outlook(outlook, explain=explain)
