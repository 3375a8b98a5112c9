"""``refuge dossier`` and ``refuge request``: documents for filing, made by
``services.filing``. CASE is a case file or a store case id (``--db`` as in
``refuge case``)."""

from __future__ import annotations

import getpass
import os
from datetime import date, datetime
from pathlib import Path

import click

from refuge.cli.options import db_option
from refuge.cli.output import console, print_json, today
from refuge.errors import InputError
from refuge.services import filing

_AT = click.option(
    "--at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Facts and law as on this date (YYYY-MM-DD); default: today.",
)
_OUT = click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write here (default: CASE-dossier.FORMAT or CASE-request-BODY.FORMAT here).",
)
_TEMPLATES = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of your own templates, searched before refuge's (see docs/filing.md).",
)
_DATABASE = db_option("database")  # --db URL (hidden --database alias): the store, for a case id


def _day(at: datetime | None) -> date:
    return at.date() if isinstance(at, datetime) else today()


def _write(data: bytes, output: Path | None, default: str) -> Path:
    target = output or Path(default)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror}") from None
    return target


@click.command()
@click.argument("case_ref", metavar="CASE")
@_AT
@click.option("--format", "fmt", type=click.Choice(filing.FORMATS["dossier"]), default="pdf",
              show_default=True)  # fmt: skip
@_OUT
@_TEMPLATES
@_DATABASE
@click.option("--json", "as_json", is_flag=True, help="Print where the file went, as JSON.")
def dossier(
    case_ref: str,
    at: datetime | None,
    fmt: str,
    output: Path | None,
    templates: Path | None,
    database: str | None,
    as_json: bool,
) -> None:
    """The case dossier: the person, the chronology with sources, the law's findings on --at
    (protections, breaches, deadlines, open actions) and what is still unknown."""
    case, _stored = filing.load_case(case_ref, database)
    made = filing.gather_dossier(case, _day(at), today())
    target = _write(filing.render_dossier(made, fmt, templates), output,
                    f"{made.case_id}-dossier.{fmt}")  # fmt: skip
    _report(as_json, target, fmt, made.case_id)


@click.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--to", "body", type=click.Choice(sorted(filing.BODIES)), required=True,
              help="cat: UN Committee against Torture; hrc: Human Rights Committee; "
              "echr: European Court of Human Rights.")  # fmt: skip
@_AT
@click.option("--format", "fmt", type=click.Choice(filing.FORMATS["request"]), default="docx",
              show_default=True)  # fmt: skip
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True)
@click.option("--sent", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Record that the request was sent on this date (store cases): adds an "
              "interim_measures_request event, so deadlines and alerts move on.")  # fmt: skip
@_OUT
@_TEMPLATES
@_DATABASE
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def request(
    case_ref: str,
    body: str,
    at: datetime | None,
    fmt: str,
    lang: str,
    sent: datetime | None,
    output: Path | None,
    templates: Path | None,
    database: str | None,
    as_json: bool,
) -> None:
    """Draft the urgent request for interim measures to --to, or, with --sent, record that it
    was sent. Refuses when the host is not bound by the body's instruments on --at."""
    if isinstance(sent, datetime):
        _record(case_ref, body, sent.date(), database, as_json)
        return
    case, _stored = filing.load_case(case_ref, database)
    made = filing.gather_request(case, body, _day(at), today())
    data = filing.render_request(made, fmt, lang, templates)
    target = _write(data, output, f"{made.dossier.case_id}-request-{body}.{fmt}")
    for warning in made.warnings:
        console.print(f"[yellow]warning[/]: {warning}", highlight=False, markup=False)
    _report(as_json, target, fmt, made.dossier.case_id)


def _record(case_ref: str, body: str, sent: date, database: str | None, as_json: bool) -> None:
    """Record a sent request in the store; a case file is the lawyer's own to edit."""
    from refuge.storage import open_store

    if Path(case_ref).is_file():
        case, _ = filing.load_case(case_ref)
        event = filing.request_event(case, body, sent)
        raise InputError(
            f"{case_ref} is a case file, which refuge does not rewrite: add this event to its "
            f"events, or import the case and give its id: {{id: {event.id}, "
            f"type: interim_measures_request, date: {sent.isoformat()}, "
            f"body: {event.attrs['body']}}}"
        )
    store = open_store(database)
    try:
        actor = os.environ.get("REFUGE_ACTOR") or getpass.getuser()
        event = filing.record_request_sent(store, case_ref, body, sent, actor)
    finally:
        store.close()
    if as_json:
        print_json({"case": case_ref, "event": event.id, "date": sent.isoformat()})
    else:
        console.print(f"recorded {event.id} in case {case_ref}", highlight=False, markup=False)


def _report(as_json: bool, target: Path, fmt: str, case_id: str) -> None:
    if as_json:
        print_json({"case": case_id, "format": fmt, "file": str(target)})
    else:
        console.print(f"wrote {target}", highlight=False, markup=False)
