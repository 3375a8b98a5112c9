"""``refuge feeds add|list|remove|poll``: the feeds and pages a team watches."""

from __future__ import annotations

import click
from rich.markup import escape

from refuge.cli.options import db_option
from refuge.cli.output import console, print_json, whole_table
from refuge.services import feeds as svc
from refuge.storage import open_store

_JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
_DB = db_option("database")


@click.group()
def feeds() -> None:
    """Watch RSS/Atom feeds and web pages; their new articles are read as reports."""


@feeds.command(name="add")
@click.argument("url")
@click.option("--team", default=None, help="The team whose reports the articles become.")
@click.option("--language", default=None, help="The language of the outlet (e.g. ru).")
@_JSON
@_DB
def add(
    url: str, team: str | None, language: str | None, as_json: bool, database: str | None
) -> None:
    """Watch URL (a feed or a page)."""
    store = open_store(database)
    try:
        row = svc.add_feed(store, url, team, language)
    finally:
        store.close()
    if as_json:
        print_json(row.to_json())
    else:
        click.echo(f"feed {row.pk} added: {row.url}")


@feeds.command(name="list")
@_JSON
@_DB
def list_(as_json: bool, database: str | None) -> None:
    """The watched feeds with their last poll."""
    store = open_store(database)
    try:
        rows = svc.list_feeds(store)
    finally:
        store.close()
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    columns = ("feed", "url", "team", "language", "polled", "status", "failures")
    cells = [_feed_cells(r) for r in rows]
    console.print(whole_table(f"Feeds ({len(rows)})", columns, cells))


def _feed_cells(r: svc.FeedRow) -> list[str]:
    return [
        str(r.pk), escape(r.url), escape(r.team or ""), r.language or "",
        r.polled_at or "never", escape(r.last_status or ""), str(r.failures),
    ]  # fmt: skip


@feeds.command(name="remove")
@click.argument("feed")
@_JSON
@_DB
def remove(feed: str, as_json: bool, database: str | None) -> None:
    """Stop watching FEED (its number or URL); reports already read stay."""
    store = open_store(database)
    try:
        url = svc.remove_feed(store, feed)
    finally:
        store.close()
    if as_json:
        print_json({"removed": url})
    else:
        click.echo(f"feed removed: {url}")


@feeds.command(name="poll")
@click.option("--analyzer", default=None, hidden=True)
@_JSON
@_DB
def poll(analyzer: str | None, as_json: bool, database: str | None) -> None:
    """Poll every feed once, now. New articles become jobs: read at once on SQLite, by
    `refuge worker` on PostgreSQL."""
    from refuge.jobs.queue import open_queue

    store = open_store(database)
    queue = open_queue(store, database)
    try:
        results = svc.poll_all(store, queue, analyzer=analyzer)
    finally:
        queue.close()
        store.close()
    if as_json:
        print_json([r.to_json() for r in results])
        return
    for r in results:
        click.echo(
            f"feed {r.feed} {r.url}: {r.status}; {r.fetched} fetched, "
            f"{len(r.read)} sent to be read, {len(r.skipped)} skipped"
        )
        for item in r.skipped:
            click.echo(f"  skipped {item['url']}: {item['reason']}")
