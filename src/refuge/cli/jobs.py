"""``refuge worker`` (run jobs from the PostgreSQL queue) and ``refuge jobs`` (what ran, what
is waiting, what was parked with which error)."""

from __future__ import annotations

import click
from rich.markup import escape

from refuge.cli.options import db_option
from refuge.cli.output import console, print_json, whole_table
from refuge.jobs import runs
from refuge.storage import StoreError, open_store
from refuge.storage.database import default_url


@click.command()
@click.option("--concurrency", default=1, show_default=True, help="Jobs run at once.")
@db_option("database")
def worker(concurrency: int, database: str | None) -> None:
    """Run jobs from the queue until stopped (PostgreSQL stores only; on SQLite jobs run in
    the command that makes them)."""
    from refuge.jobs.worker import run_worker

    if concurrency < 1:
        raise click.BadParameter("must be at least 1", param_hint="--concurrency")
    url = database or default_url()
    store = open_store(url)
    dialect = store.dialect
    store.close()
    if dialect != "postgresql":
        raise StoreError(
            "a worker needs a PostgreSQL store; on SQLite jobs run in-process (no worker)"
        )
    run_worker(url, concurrency)


@click.command()
@click.option("--failed", "failed_only", is_flag=True, help="Only jobs parked after failing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option("database")
def jobs(failed_only: bool, as_json: bool, database: str | None) -> None:
    """List jobs, newest first: task, state, attempts and the error of a parked job."""
    store = open_store(database)
    try:
        rows = runs.list_runs(store, failed_only=failed_only)
    finally:
        store.close()
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    columns = ("job", "task", "state", "attempts", "updated", "error")
    cells = [
        [str(r.id), r.task, r.status, str(r.attempts), r.updated_at, escape(r.error or "")]
        for r in rows
    ]
    console.print(whole_table(f"Jobs ({len(rows)})", columns, cells))
