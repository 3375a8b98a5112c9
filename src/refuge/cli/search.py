"""``refuge search QUERY [--json] [--team T]`` and ``refuge search --reindex``.

The command line's operator sees every case (as ``refuge cases`` does); ``--team`` searches
as the team would. ``QUERY`` given as ``-`` is read from standard input, so a name stays out
of the shell's history and the process list.
"""

from __future__ import annotations

import sys

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from refuge.cli.options import db_option
from refuge.cli.output import console, print_json, whole_table
from refuge.cli.store import _actor, _open
from refuge.errors import InputError
from refuge.services import search as search_service
from refuge.services import teams
from refuge.storage import Store


@click.command()
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--team", default=None, help="Search as this team (only the cases it may see).")
@click.option(
    "--limit", default=search_service.DEFAULT_LIMIT, show_default=True, help="Most results shown."
)
@click.option("--reindex", is_flag=True, help="Rebuild the search index of every case.")
@db_option("database")
def search(
    query: str | None,
    as_json: bool,
    team: str | None,
    limit: int,
    reindex: bool,
    database: str | None,
) -> None:
    """Find people and reports: names in any script or spelling ("Жилин" finds "Zhilin"),
    words of the stored report text. Every word must match."""
    store = _open(database)
    try:
        if reindex:
            _reindex(store)
            return
        if query is None:
            raise InputError("give a QUERY (or - to read it from standard input), or --reindex")
        text = sys.stdin.read(search_service.MAX_QUERY + 1) if query == "-" else query
        principal = None
        if team is not None:
            with store.read() as connection:
                principal = teams.as_team(connection, team, _actor())
        results = search_service.search(store, principal, text, limit=limit, actor=_actor())
    finally:
        store.close()
    if as_json:
        print_json(results.to_json())
        return
    _render(results)


def _reindex(store: Store) -> None:
    with store.read() as connection:
        total = connection.exec_driver_sql("SELECT count(*) FROM cases").scalar_one()
    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("cases", total=total)
        count = search_service.reindex(store, _actor(), lambda n: bar.advance(task, n))
    click.echo(f"search index rebuilt: {count} cases")


def _render(results: search_service.Results) -> None:
    if not results.hits:
        click.echo("nothing found")
        return
    rows = [
        (
            escape(h.case),
            escape(h.name),
            h.host,
            _marked(h) or ("(in the name)" if h.in_name else ""),
        )
        for h in results.hits
    ]
    more = "or more " if results.more else ""
    title = f"{results.total} {more}found" + (
        f", {len(results.hits)} shown" if len(results.hits) < results.total else ""
    )
    console.print(
        whole_table(title, ("Case", "Person", "Host", "Matching text"), rows, ("Person",))
    )


def _marked(hit: search_service.Hit) -> str:
    """The snippet with its matching words in bold (the text itself escaped)."""
    out, at = [], 0
    for start, end in hit.marks:
        out += [escape(hit.snippet[at:start]), f"[bold]{escape(hit.snippet[start:end])}[/bold]"]
        at = end
    return "".join([*out, escape(hit.snippet[at:])])
