"""``refuge analyze``: a news report in, the draft case, its evidence and the law out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from refuge.casefile import case_to_data, dump_yaml
from refuge.cli.output import console, print_json, render_evaluation
from refuge.domain import Case, DateRange
from refuge.errors import InputError
from refuge.limits import MAX_REPORT_BYTES, read_capped
from refuge.rules.results import Evaluation

if TYPE_CHECKING:  # the reading pipeline loads spaCy: import it only when a report is read
    from refuge.services.analysis import Analysis


@click.command()
@click.argument("report", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--yaml", "as_yaml", is_flag=True, help="Print the main case as a case file.")
@click.option(
    "--published",
    default=None,
    metavar="DATE",
    help="Publication date, overriding what the report says: YYYY-MM-DD, or YYYY-MM / YYYY for "
    "a report dated only by its month or year (undated steps are then left out).",
)
@click.option(
    "--host",
    default=None,
    metavar="CC",
    help="Host state (ISO code) to assume when the report does not name it.",
)
def analyze(
    report: Path, as_json: bool, as_yaml: bool, published: str | None, host: str | None
) -> None:
    """Read REPORT (.txt, .md, .html, .pdf, .docx, or - for standard input) into draft cases
    with evidence, and say what the law makes of them at the publication date."""
    if as_json and as_yaml:
        raise click.UsageError("choose one of --json and --yaml")
    from refuge.services.analysis import analyze_report

    when = _published(published)
    data, name = _read(report)
    result = analyze_report(data, name=name, published=when, host=host)
    if as_json:
        print_json(analysis_json(result))
    elif as_yaml:
        _print_yaml(result)
    else:
        render_analysis(result)


def _published(value: str | None) -> DateRange | None:
    """``--published``: a day, a month or a year (an annual report states no day)."""
    if value is None:
        return None
    try:
        return DateRange.parse_shorthand(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None


def _read(report: Path) -> tuple[bytes, str | None]:
    if str(report) == "-":
        return sys.stdin.buffer.read(MAX_REPORT_BYTES + 1), None
    try:
        return read_capped(report, MAX_REPORT_BYTES, "report"), report.name
    except OSError as exc:
        raise InputError(f"{report}: cannot read the report: {exc.strerror}") from None


def analysis_json(result: Analysis) -> dict[str, Any]:
    article = result.article
    main = result.evaluations[0] if result.evaluations else None
    return {
        "article": {
            "title": article.title,
            "outlet": article.outlet,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
            "published_source": article.published_source,
            "language": article.language,
            "format": article.format,
        },
        "text": article.text,
        "warnings": list(result.warnings),
        "cases": [case_to_data(c) for c in result.cases],
        "triggers": [d.triggers for d in result.drafts],
        "quotes": [
            {
                "speaker": q.speaker,
                "outlet": q.outlet,
                "text": q.text,
                "start": q.start,
                "end": q.end,
            }
            for q in result.quotes
        ],
        "at": result.at.isoformat() if result.at else None,
        "findings": [f.to_json() for f in main.findings] if main else [],
        "evaluations": [e.to_json() for e in result.evaluations],
    }


def _print_yaml(result: Analysis) -> None:
    if not result.cases:
        raise InputError("no case found in the report: nothing to write")
    others = ", ".join(c.id for c in result.cases[1:])
    if others:
        sys.stdout.write(f"# other cases in this report: {others} (use --json for all)\n")
    sys.stdout.write(dump_yaml(result.cases[0]))


def render_analysis(result: Analysis) -> None:
    article = result.article
    console.rule("[bold]Report[/]")
    console.print(f"[bold]{escape(article.title or '(no title)')}[/]")
    console.print(
        f"{escape(article.outlet or 'unknown outlet')} · published "
        f"{article.published or 'unknown'} ({article.published_source or '-'}) · "
        f"language {article.language or '?'}"
    )
    if article.url:
        console.print(escape(article.url))
    for warning in result.warnings:
        console.print(f"[yellow]Warning: {escape(warning)}[/]")
    if not result.drafts and not result.warnings:
        console.print("[yellow]No case found in this report.[/]")
    evaluations: list[Evaluation | None] = [*result.evaluations]
    evaluations += [None] * (len(result.drafts) - len(evaluations))
    for draft, evaluation in zip(result.drafts, evaluations, strict=True):
        _render_case(draft.case, draft.triggers, article.text)
        if evaluation is not None:
            render_evaluation(draft.case, evaluation)
    if result.quotes:
        console.rule("[bold]Quotes[/]")
        for q in result.quotes:
            said = f"{q.speaker or 'unknown speaker'}" + (f" to {q.outlet}" if q.outlet else "")
            console.print(f"• [bold]{escape(said)}[/] [{q.start}:{q.end}]: “{escape(q.text)}”")


def _render_case(case: Case, triggers: dict[str, list[str]], text: str) -> None:
    person = case.person
    console.rule(f"[bold]Draft case {escape(case.id)}[/]")
    facts = [
        f"citizenship {', '.join(person.citizenship) or '?'}",
        f"host {case.host}",
        f"origin {case.origin or '?'}",
    ]
    if person.born is not None:
        facts.append(f"born {person.born}")
    console.print(f"[bold]{escape(person.name)}[/] — {'; '.join(facts)}")
    table = Table(
        title="Timeline (every event with its evidence)", title_justify="left", show_lines=True
    )
    for column in ("date", "event", "evidence [offsets]"):
        table.add_column(column)
    for event in case.events:
        attrs = ", ".join(f"{k}={v}" for k, v in event.attrs.items())
        quote = next((e for e in event.evidence if e.start is not None), None)
        evidence = (
            f"“{text[quote.start : quote.end]}” [{quote.start}:{quote.end}]"
            + (f" p. {quote.page}" if quote.page is not None else "")
            if quote is not None and quote.end is not None
            else "-"
        )
        words = triggers.get(event.id)
        label = event.type + (f" ({attrs})" if attrs else "")
        if words:
            label += f"\ntriggered by: {', '.join(words)}"
        when = str(event.date) + (f"\n“{event.date.text}”" if event.date.text else "")
        table.add_row(escape(when), escape(label), escape(evidence))
    console.print(table)
