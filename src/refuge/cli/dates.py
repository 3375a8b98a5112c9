"""`refuge dates FILE --dct YYYY-MM-DD [--json]`: the time expressions of a report, normalised.

A quick way for a lawyer (or a developer) to see what the temporal layer reads in a text before
it goes into a case timeline: each expression with its offsets, TIMEX3 value and the interval of
days it may denote. FILE may be ``-`` for standard input.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from refuge.errors import InputError
from refuge.ingest.temporal import Timex, find_timexes
from refuge.limits import MAX_REPORT_BYTES, read_capped


def _parse_dct(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.date:
    """The document date; a malformed one is a usage error that names ``--dct``."""
    if value is None:
        raise click.BadParameter("a document date is required, e.g. 2022-12-30", ctx, param)
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; expected YYYY-MM-DD, e.g. 2022-12-30", ctx, param
        ) from None


def _read_text(path: str) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input), or an InputError saying why not."""
    try:
        data = (
            sys.stdin.buffer.read(MAX_REPORT_BYTES + 1)
            if path == "-"
            else read_capped(Path(path), MAX_REPORT_BYTES, "report")
        )
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text (byte {error.start}); convert it to UTF-8 and try again"
        ) from None


def _interval(t: Timex) -> str:
    if t.earliest is None and t.latest is None:
        return ""
    first = t.earliest.isoformat() if t.earliest else "…"
    last = t.latest.isoformat() if t.latest else "…"
    return first if first == last else f"{first} – {last}"


def _table(found: list[Timex], dct: datetime.date) -> Table:
    table = Table(title=f"Time expressions (document date {dct.isoformat()})")
    for column in ("offsets", "text", "type", "value", "mod", "earliest – latest"):
        table.add_column(column)
    for t in found:
        table.add_row(f"{t.start}–{t.end}", t.text, t.type, t.value, t.mod or "", _interval(t))
    return table


@click.command(name="dates")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--dct",
    callback=_parse_dct,
    metavar="YYYY-MM-DD",
    help="Date of the document (publication date); relative dates are read against it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def dates(file: str, dct: datetime.date, as_json: bool) -> None:
    """List the time expressions in FILE (or - for stdin) with their normalised values."""
    try:
        found = find_timexes(_read_text(file), dct)
    except InputError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps([t.to_json() for t in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No time expressions found.")
        return
    Console().print(_table(found, dct))
