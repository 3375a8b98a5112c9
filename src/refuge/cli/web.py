"""``refuge serve``, ``refuge user add`` and ``refuge token create``: running the web app and
managing who may use it. Passwords are asked for (twice) or piped, never taken from the command
line; a token is printed once and only its hash is kept.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path

import click
from sqlalchemy import Connection, select

from refuge.api.exposure import decide
from refuge.auth import tokens
from refuge.auth.access import audit_event
from refuge.auth.tables import ROLES, SCOPES, users
from refuge.auth.users import check_name
from refuge.cli.options import db_option
from refuge.errors import InputError
from refuge.services import accounts
from refuge.services.acting import operator
from refuge.storage import open_store
from refuge.storage.database import StoreError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@db_option("url")
@click.option(
    "--https/--no-https",
    default=False,
    help="Reached over HTTPS (e.g. a TLS proxy on this machine): __Host- Secure cookie, HSTS.",
)
@click.option(
    "--certificate",
    type=click.Path(path_type=Path),
    default=None,
    help="Serve TLS with this certificate (PEM); needs --key.",
)
@click.option(
    "--key", type=click.Path(path_type=Path), default=None, help="Private key of --certificate."
)
@click.option(
    "--behind-proxy",
    "behind_proxy",
    default=None,
    metavar="ADDRESSES",
    envvar="REFUGE_BEHIND_PROXY",
    help="Behind a TLS proxy: its IP addresses (comma-separated), whose forwarded headers "
    "are trusted. Env: REFUGE_BEHIND_PROXY.",
)
@click.option(
    "--server-name",
    "names",
    multiple=True,
    envvar="REFUGE_SERVER_NAME",
    help="A host name users reach the server by (the Host header); repeatable. Any other "
    "Host is refused (400), loopback names aside. Env: REFUGE_SERVER_NAME (space-separated).",
)
def serve(
    host: str,
    port: int,
    url: str | None,
    https: bool,
    certificate: Path | None,
    key: Path | None,
    behind_proxy: str | None,
    names: tuple[str, ...],
) -> None:
    """Serve the web app and the REST API. Loopback only unless TLS is served
    (--certificate/--key) or a trusted TLS proxy is named (--behind-proxy)."""
    exposure = decide(host, certificate, key, behind_proxy)
    import uvicorn

    from refuge.api.app import create_app
    from refuge.api.settings import WebSettings

    hosts = ("127.0.0.1", "localhost", host, *names)
    secure = https or exposure.https
    app = create_app(WebSettings(database_url=url, https=secure, allowed_hosts=hosts))
    # No access log: request lines can carry case references and must not pile up in logs.
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        server_header=False,
        ssl_certfile=str(certificate) if certificate else None,
        ssl_keyfile=str(key) if key else None,
        proxy_headers=bool(exposure.trusted_proxies),
        forwarded_allow_ips=",".join(exposure.trusted_proxies) or "127.0.0.1",
    )


@click.group()
def user() -> None:
    """Manage the people who may use the web app and the API."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", default=None, help="Team to join (created if new).")
@db_option("url")
def user_add(name: str, role: str, team: str | None, url: str | None) -> None:
    """Add a user; the password is asked for twice (or read as one line from a pipe) and
    stored as an Argon2id hash. It must have 15 to 256 characters and not be a common one."""
    check_name(name)
    store = open_store(url)  # a store that cannot be opened fails before the password is typed
    try:
        password = _read_password()
        actor = os.environ.get("REFUGE_ACTOR") or getpass.getuser()
        accounts.add_account(store, operator(actor), name, role, password, team)
    finally:
        store.close()
    click.echo(f"added {name} ({role}{', team ' + team if team else ''})")


@click.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option("--user", "name", required=True)
@click.option("--scope", type=click.Choice(SCOPES), required=True)
@click.option("--days", type=click.IntRange(1, tokens.MAX_DAYS), default=30, show_default=True)
@db_option("url")
def token_create(name: str, scope: str, days: int, url: str | None) -> None:
    """Create a token and print it once (keep it like a password; only its hash is stored)."""
    store = open_store(url)
    try:
        with store.write() as connection:
            pk = _user_pk(connection, name)
            secret = tokens.create(connection, pk, scope, days, time.time())
            audit_event(connection, "cli", "token", "user", pk, f"token created, {scope}")
    finally:
        store.close()
    click.echo(secret)


@token.command("revoke")
@click.option("--user", "name", required=True)
@db_option("url")
def token_revoke(name: str, url: str | None) -> None:
    """Revoke every API token of a user at once."""
    store = open_store(url)
    try:
        with store.write() as connection:
            pk = _user_pk(connection, name)
            count = tokens.revoke_all(connection, pk)
            audit_event(connection, "cli", "token", "user", pk, f"{count} tokens revoked")
    finally:
        store.close()
    click.echo(f"revoked {count} token(s) of {name}")


def _read_password() -> str:
    """From a terminal: asked twice, not echoed. From a pipe or a file: its first line, with no
    prompt (getpass would warn that it cannot hide input no terminal shows anyway)."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    password = str(sys.stdin.readline()).rstrip("\r\n")
    if not password:
        raise InputError("no password on standard input: pipe it as one line, or run in a terminal")
    return password


def _user_pk(connection: Connection, name: str) -> int:
    pk = connection.execute(select(users.c.pk).where(users.c.name == name)).scalar()
    if pk is None:
        raise InputError(f"no user called {name!r}")
    return int(pk)


__all__ = ["StoreError", "serve", "token", "user"]
