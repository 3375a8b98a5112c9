"""``refuge audit verify``: check that nobody edited, deleted, reordered or inserted an audit
entry (hash chain and Ed25519 signatures, ``storage/audit_chain.py``)."""

from __future__ import annotations

import json

import click

from refuge.cli.options import db_option
from refuge.errors import RefugeError
from refuge.storage import open_store
from refuge.storage.audit_chain import existing_key, key_path, public_fingerprint, verify


class AuditTampered(RefugeError):
    exit_code = 5


@click.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@db_option("url")
def audit_verify(as_json: bool, url: str | None) -> None:
    """Check every entry's hash, link and signature; name the first bad one. Note the head
    it prints somewhere else: a later head must extend it (removing the newest entries
    leaves a valid but shorter chain)."""
    store = open_store(url)
    try:
        key = existing_key(store.engine)
        with store.read() as connection:
            verdict = verify(connection, key.public_key() if key else None)
        path = key_path(store.engine)
    finally:
        store.close()
    fingerprint = public_fingerprint(key.public_key()) if key else None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": verdict.ok,
                    "entries": verdict.checked,
                    "unchained": verdict.unchained,
                    "head": verdict.head,
                    "first_bad": verdict.first_bad,
                    "problem": verdict.problem,
                    "signatures_checked": verdict.signed,
                    "key": fingerprint,
                },
                indent=2,
            )
        )
    elif verdict.ok:
        click.echo(f"audit trail intact: {verdict.checked} entries, head {verdict.head}")
        if verdict.unchained:
            click.echo(f"{verdict.unchained} older entries predate the chain and are not covered")
        if key is None:
            click.echo(f"warning: no signing key at {path}: hashes checked, signatures not")
        else:
            click.echo(f"signatures checked with key {fingerprint}")
    if not verdict.ok:
        raise AuditTampered(
            f"audit entry {verdict.first_bad}: {verdict.problem} "
            f"(the {verdict.checked} entries before it are intact)"
        )
