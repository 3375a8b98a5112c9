"""The store commands: ``init``, ``db upgrade|current``, ``import``, ``export``, ``cases``,
``case``, ``alerts``, ``ingest``, ``merges`` and ``review merge|event|person``. Each parses
its options, calls one service, renders.

The store is ``--db URL`` (``--database`` is a hidden alias), else ``REFUGE_DATABASE_URL``,
else a SQLite file in ``REFUGE_DATA_DIR`` (default ``~/.local/share/refuge``). The actor written
to the audit trail is ``REFUGE_ACTOR``, else the login name.
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from refuge.cli.keys import recipient_options
from refuge.cli.options import db_option
from refuge.cli.output import (
    console,
    date_cell,
    print_json,
    render_evaluation,
    render_person,
    today,
    whole_table,
)
from refuge.services import editing, teams
from refuge.services import review as review_service
from refuge.services import store as svc
from refuge.services import today as today_service
from refuge.services.acting import operator
from refuge.storage import Store, open_store

_DATABASE = db_option("database")
_AT = click.option(
    "--at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Evaluate the law on this date (YYYY-MM-DD); default: today.",
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _actor() -> str:
    return os.environ.get("REFUGE_ACTOR") or getpass.getuser()


def _day(at: datetime | None) -> date:
    return at.date() if isinstance(at, datetime) else today()


def _open(database: str | None) -> Store:
    return open_store(database)


@click.command()
@_DATABASE
def init(database: str | None) -> None:
    """Create the case store (or bring an existing one up to date)."""
    revision = svc.init_store(database)
    click.echo(f"store ready at {svc.location(database)} (schema {revision})")


@click.group()
def db() -> None:
    """Manage the store's schema."""


@db.command()
@click.option(
    "--no-backup", is_flag=True, help="Migrate without the automatic backup (you took one)."
)
@_DATABASE
def upgrade(no_backup: bool, database: str | None) -> None:
    """Apply pending schema migrations, after an automatic backup (SQLite: a copy in
    backups/ beside the store; PostgreSQL: pg_dump into the data directory's backups/)."""
    done = svc.upgrade_store(database, backup=not no_backup)
    if done.before == done.after:
        message = "already up to date"
    else:
        message = f"upgraded {done.before} -> {done.after}"
        if done.backup is not None:
            message += f" (backup taken: {done.backup})"
    click.echo(f"{svc.location(database)}: {message}")


@db.command(name="check")
@_DATABASE
def check_store(database: str | None) -> None:
    """Check the whole store: SQLite's full integrity_check, PostgreSQL's durability settings."""
    from refuge.services.backup import check_store as run_check

    warnings = run_check(database)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{svc.location(database)}: store is sound")


@db.command()
@_DATABASE
def encrypt(database: str | None) -> None:
    """Encrypt a SQLite store that an older refuge wrote in clear (asks for a passphrase)."""
    from refuge.services.keys import encrypt_plaintext_store
    from refuge.storage.database import default_url

    path = encrypt_plaintext_store(database or default_url())
    click.echo(f"{path}: encrypted; its key file is {path.name}.key (keep the passphrase safe)")


@db.command()
@_DATABASE
def current(database: str | None) -> None:
    """Show the store's schema revision and the one this refuge needs."""
    revision, head = svc.store_revision(database)
    state = "up to date" if revision == head else "run `refuge db upgrade`"
    click.echo(f"schema {revision or 'none'} (this refuge needs {head}): {state}")


@db.command()
@_DATABASE
def reindex(database: str | None) -> None:
    """Recompute the alerts index of every case (after the law packs or refuge changed)."""
    store = _open(database)
    try:
        count = svc.reindex(store, _actor())
    finally:
        store.close()
    click.echo(f"{count} cases reindexed")


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_DATABASE
def import_(files: tuple[Path, ...], database: str | None) -> None:
    """Add case files (YAML or JSON, or exports of several cases) to the store."""
    store = _open(database)
    try:
        result = svc.import_cases(store, list(files), _actor())
    finally:
        store.close()
    click.echo(f"{len(result.created)} created, {len(result.replaced)} replaced")
    if result.proposed:
        click.echo(
            f"{len(result.proposed)} may be the same person as a stored case: proposed for "
            "merging (`refuge merges`, then `refuge review merge`)"
        )


@click.command()
@click.option("--case", "case_id", default=None, help="Export only this case.")
@click.option("--format", "fmt", type=click.Choice(svc.FORMATS), default="yaml", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file (created 0600) instead of standard output.",
)
@recipient_options
@click.option("--plaintext", is_flag=True, help="Write the export in clear (audited).")
@click.option(
    "--pseudonymise", is_flag=True, help="Replace names and free text by pseudonyms (research)."
)
@_DATABASE
def export(
    case_id: str | None,
    fmt: str,
    output: Path | None,
    recipient_keys: tuple[str, ...],
    recipients_files: tuple[Path, ...],
    plaintext: bool,
    pseudonymise: bool,
    database: str | None,
) -> None:
    """Export cases as YAML, JSON (both import back) or CSV (one row per event), encrypted
    to the recipients' age keys (ASCII-armoured on standard output) unless --plaintext."""
    from refuge.services.backup import recipients, seal

    to = None if plaintext else recipients(list(recipient_keys), list(recipients_files))
    store = _open(database)
    try:
        text = svc.export_cases(
            store, fmt, _actor(), case_id,
            protection="plaintext" if to is None else "encrypted", pseudonymise=pseudonymise,
        )  # fmt: skip
    finally:
        store.close()
    data = text.encode() if to is None else seal(text.encode(), to, armored=output is None)
    if output is None:
        click.echo(data.decode("ascii") if to is not None else text, nl=False)
        return
    _write_private(output, data)
    click.echo(f"exported to {output}" + ("" if to is None else " (encrypted)"))


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically to a file only the user can read: exports hold people's lives."""
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@click.command()
@_AT
@click.option("--within", default=14, show_default=True, help="Risk window in days.")
@_JSON
@_DATABASE
def cases(at: datetime | None, within: int, as_json: bool, database: str | None) -> None:
    """List the cases with their review state and risk flags."""
    store = _open(database)
    try:
        rows = svc.list_cases(store, _day(at), within)
        svc.audit_cli_read(store, _actor(), "search", f"{len(rows)} listed")
    finally:
        store.close()
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    cells = [
        (
            f"{escape(r.id)}\n{escape(r.name)}", f"{r.host}→{r.origin or '?'}",
            f"{r.events}\n{r.drafts} draft\n{r.disputed} disputed\n{r.proposals} merges",
            "\n".join(r.flags),
        )
        for r in rows
    ]  # fmt: skip
    columns = ("case, person", "route", "events", "risk")
    console.print(whole_table(f"Cases ({len(rows)})", columns, cells, lines=columns[:1]))


@click.command()
@click.argument("case_id")
@_AT
@_JSON
@_DATABASE
def case(case_id: str, at: datetime | None, as_json: bool, database: str | None) -> None:
    """Show one case: timeline with sources and corroboration, then the law at --at."""
    store = _open(database)
    try:
        view = svc.show_case(store, case_id, _day(at))
        svc.audit_cli_read(store, _actor(), "read", "case viewed", case_id)
    finally:
        store.close()
    if as_json:
        print_json(view.to_json())
        return
    console.print(_timeline(view))
    console.print(
        "Complete: yes (a person checked that every event is recorded)"
        if view.case.complete
        else "Complete: no (events may be missing; `refuge review complete` marks it)"
    )
    if view.proposals:
        console.print(f"[yellow]{view.proposals} merge proposal(s) await review[/]")
    render_evaluation(view.case, view.evaluation)


def _timeline(view: svc.CaseView) -> Table:
    cells = [
        (
            date_cell(str(e.date)), f"{escape(e.id)}\n[dim]{e.type.replace('_', ' ')}[/]",
            f"{e.certainty or 'stated'}\n{e.review or 'draft'}\n"
            f"{view.corroboration[e.id]} source(s)",
            escape("\n".join(dict.fromkeys(p.source for p in e.evidence))),
        )
        for e in view.case.events
    ]  # fmt: skip
    columns = ("date", "event", "status", "sources")
    return whole_table(f"Timeline of {escape(view.case.id)}", columns, cells)


@click.command()
@_AT
@click.option("--within", default=14, show_default=True, help="Look this many days ahead.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only cases created or changed since this day (YYYY-MM-DD, from 00:00 UTC).",
)
@_JSON
@_DATABASE
def alerts(
    at: datetime | None,
    within: int,
    since: datetime | None,
    as_json: bool,
    database: str | None,
) -> None:
    """Today: one entry per person, most urgent first — what is at stake, what to file and
    where, and how many days are left (removals that would be lawful now or soon, deadlines in
    the window, open urgent actions, and what can still be done after a removal). ``--since``
    keeps the people whose case was created or changed since that day."""
    day = _day(at)
    store = _open(database)
    after = since.replace(tzinfo=UTC) if since is not None else None
    try:
        rows = today_service.today(store, day, within, after)
        svc.audit_cli_read(store, _actor(), "search", f"{len(rows)} people listed for today")
    finally:
        store.close()
    if as_json:
        print_json([row.to_json() for row in rows])
        return
    if not rows:
        console.print("Nobody has a deadline, an open step or a removal in the window.")
        return
    people = "1 person" if len(rows) == 1 else f"{len(rows)} people"
    console.print(f"[bold]Today, {day.isoformat()}[/]: {people}, most urgent first")
    for row in rows:
        render_person(row)


@click.command()
@click.argument("case_id")
@click.option("--team", required=True, help="The team to share the case with.")
@_DATABASE
def share(case_id: str, team: str, database: str | None) -> None:
    """Share CASE_ID with a team: its members see it in the browser (audited)."""
    store = _open(database)
    try:
        teams.share_case(store, operator(_actor()), case_id, team)
    finally:
        store.close()
    click.echo(f"case {case_id} shared with team {team}")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--workers", default=1, show_default=True, help="Worker processes for analysis.")
@click.option("--host", default=None, help="Host state of the reports (ISO code), if known.")
@click.option("--analyzer", default=svc.DEFAULT_ANALYZER, hidden=True)
@click.option(
    "--team",
    default=None,
    help="The cases read in belong to this team (and merge only into its cases).",
)
@_JSON
@_DATABASE
def ingest(
    paths: tuple[Path, ...],
    workers: int,
    host: str | None,
    analyzer: str,
    team: str | None,
    as_json: bool,
    database: str | None,
) -> None:
    """Read reports (files or folders of .txt, .md, .html, .pdf, .docx) and merge their cases
    into the store.

    Re-running skips reports already stored (same content), so an interrupted run resumes.
    """
    store = _open(database)
    files = svc.report_files(paths)
    try:
        with _progress(as_json) as bar:
            task = bar.add_task("reports", total=len(files))
            options: dict[str, Any] = {
                "workers": workers,
                "analyzer": analyzer,
                "host": host,
                "progress": lambda _path, _outcome: bar.advance(task),
            }
            if team is None:
                summary = svc.ingest(store, list(paths), actor=_actor(), **options)
            else:
                summary = teams.ingest_for_team(store, list(paths), team, _actor(), **options)
    finally:
        store.close()
    if as_json:
        print_json(summary.to_json())
    else:
        _print_summary(summary)


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
    )


def _print_summary(summary: svc.IngestSummary) -> None:
    click.echo(
        f"{summary.reports} reports stored: {len(summary.created)} cases created, "
        f"{len(summary.merged)} merged, {len(summary.proposed)} merge proposals for review; "
        f"{len(summary.skipped)} skipped, {len(summary.failed)} failed"
    )
    warned = [(p, w) for p, w in summary.warnings if (p, w) not in summary.skipped]
    groups = (("warning", warned), ("skipped", summary.skipped), ("failed", summary.failed))
    for label, items in groups:
        for path, reason in items:
            click.echo(f"  {label}: {path}: {reason}")


@click.command()
@click.option("--pending", is_flag=True, help="Only merges nobody has reviewed yet.")
@_JSON
@_DATABASE
def merges(pending: bool, as_json: bool, database: str | None) -> None:
    """List the merges ingestion made or proposed, with their scores and review state."""
    store = _open(database)
    try:
        rows = svc.list_merges(store, pending_only=pending)
    finally:
        store.close()
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    columns = ("merge", "case", "kind", "score", "review", "why")
    cells = [
        [str(r.pk), escape(r.case_id), r.kind, f"{r.score:.2f}", r.review, "; ".join(r.reasons)]
        for r in rows
    ]
    console.print(whole_table(f"Merges ({len(rows)})", columns, cells))


@click.group(invoke_without_command=True)
@click.option("--case", "case_id", default=None, help="Only the drafts of this case.")
@_DATABASE
@click.pass_context
def review(ctx: click.Context, case_id: str | None, database: str | None) -> None:
    """Verify or reject what ingestion drafted: merges, events, people.

    Without a subcommand, walk through every draft in the terminal: accept, edit, reject,
    merge or keep apart, skip, quit. Decisions are saved one by one."""
    if ctx.invoked_subcommand is not None:
        return
    from refuge.cli.review_walk import walk

    store = _open(database)
    try:
        walk(store, case_id, _actor())
    finally:
        store.close()


_VERDICT = click.argument("verdict", type=click.Choice(svc.VERDICTS))
_ACTION = {"verified": "accept", "rejected": "reject"}


@review.command(name="merge")
@click.argument("merge_pk", type=int)
@_VERDICT
@_DATABASE
def review_merge(merge_pk: int, verdict: str, database: str | None) -> None:
    """Verify (apply) or reject (keep apart) merge MERGE_PK."""
    store = _open(database)
    try:
        ref = review_service.review_proposal(store, operator(_actor()), merge_pk, _ACTION[verdict])
        case_id = svc.case_id_of(store, ref)
    finally:
        store.close()
    click.echo(f"merge {merge_pk} {verdict}; the report's facts are in case {case_id}")


@review.command(name="event")
@click.argument("case_id")
@click.argument("event_id")
@_VERDICT
@_DATABASE
def review_event(case_id: str, event_id: str, verdict: str, database: str | None) -> None:
    """Verify or reject one event of a case."""
    store = _open(database)
    try:
        review_service.review_event(store, operator(_actor()), case_id, event_id, _ACTION[verdict])
    finally:
        store.close()
    click.echo(f"{case_id}/{event_id} {verdict}")


@review.command(name="person")
@click.argument("case_id")
@_VERDICT
@_DATABASE
def review_person(case_id: str, verdict: str, database: str | None) -> None:
    """Verify or reject the person of a case."""
    store = _open(database)
    try:
        review_service.review_person(store, operator(_actor()), case_id, _ACTION[verdict])
    finally:
        store.close()
    click.echo(f"{case_id}: person {verdict}")


@review.command(name="complete")
@click.argument("case_id")
@click.option(
    "--no", "withdraw", is_flag=True, help="Withdraw the statement (the file may miss events)."
)
@_DATABASE
def review_complete(case_id: str, withdraw: bool, database: str | None) -> None:
    """State that CASE_ID records every event that happened (audited): findings that rest on
    the absence of an event may then be certain."""
    store = _open(database)
    try:
        editing.set_complete(store, operator(_actor()), case_id, not withdraw)
    finally:
        store.close()
    click.echo(f"{case_id}: {'not ' if withdraw else ''}marked complete")


COMMANDS: tuple[Any, ...] = (
    init, db, import_, export, cases, case, alerts, ingest, merges, review, share,
)  # fmt: skip
