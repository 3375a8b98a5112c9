"""Data-at-rest commands: ``key rotate``, ``backup`` and ``restore`` (docs/security.md).

Each parses its options and calls one service (services/keys.py, services/backup.py).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from refuge.cli.options import db_option
from refuge.cli.output import print_json

_DATABASE = db_option("database")  # --db URL, with the hidden --database alias
F = TypeVar("F", bound=Callable[..., Any])
_FILE = click.Path(path_type=Path, dir_okay=False)


def _actor() -> str:
    return os.environ.get("REFUGE_ACTOR") or getpass.getuser()


def recipient_options(command: F) -> F:
    """``--recipient`` and ``--recipients-file``: who may decrypt what refuge writes out."""
    for option in (
        click.option(
            "--recipients-file",
            "recipients_files",
            multiple=True,
            type=_FILE,
            help="A file of age or SSH public keys, one per line.",
        ),
        click.option(
            "--recipient",
            "-r",
            "recipient_keys",
            multiple=True,
            metavar="AGE1...",
            help="An age (age1...) or SSH public key that may decrypt it (repeatable).",
        ),
    ):
        command = option(command)
    return command


@click.group()
def key() -> None:
    """Manage the key of an encrypted store."""


@key.command()
@click.option(
    "--data-key",
    is_flag=True,
    help="Also replace the data key itself and re-encrypt the store under it.",
)
@click.option(
    "--new-key-file",
    type=_FILE,
    default=None,
    help="Read the new passphrase from this file (else REFUGE_NEW_PASSPHRASE, else asked).",
)
@_DATABASE
def rotate(data_key: bool, new_key_file: Path | None, database: str | None) -> None:
    """Change the store's passphrase (re-wraps the data key: quick), or with --data-key
    re-encrypt the store under a new data key."""
    from refuge.services import keys as svc
    from refuge.storage import keys
    from refuge.storage.database import default_url

    url = database or default_url()
    if data_key:
        svc.rotate_data_key(url)
        click.echo("data key replaced; the store is re-encrypted under it")
        return
    svc.change_passphrase(url, keys.new_passphrase(new_key_file))
    click.echo("passphrase changed; the store itself was not touched")


@click.command()
@click.option("--output", "-o", type=_FILE, required=True, help="The backup file to write.")
@recipient_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_DATABASE
def backup(
    output: Path,
    recipient_keys: tuple[str, ...],
    recipients_files: tuple[Path, ...],
    as_json: bool,
    database: str | None,
) -> None:
    """Write a consistent snapshot of the store, encrypted to the recipients' age keys."""
    from refuge.services import backup as svc

    to = svc.recipients(list(recipient_keys), list(recipients_files))
    info = svc.backup(database, to, output, _actor())
    if as_json:
        print_json({"file": str(output), "dialect": info.dialect, "revision": info.revision,
                    "created": info.created, "size": info.size})  # fmt: skip
        return
    click.echo(f"backup of schema {info.revision} written to {output} ({info.size} bytes)")


@click.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--identity",
    "-i",
    "identity",
    type=_FILE,
    envvar="REFUGE_AGE_IDENTITY",
    required=True,
    help="An age identity file (AGE-SECRET-KEY-...) able to decrypt the backup.",
)
@click.option("--replace", is_flag=True, help="Overwrite the existing store.")
@_DATABASE
def restore(source: Path, identity: Path, replace: bool, database: str | None) -> None:
    """Verify a backup and restore it into the store (a new one, or --replace)."""
    from refuge.services import backup as svc
    from refuge.storage.migrate import head_revision

    revision = svc.restore(
        source, svc.identities(identity), database, replace=replace, actor=_actor()
    )
    click.echo(f"restored {source} (schema {revision})")
    if revision != head_revision():
        click.echo("run `refuge db upgrade` to bring it to this refuge's schema")
