"""One name for one thing: every command that opens the store calls the option ``--db`` and
still accepts the old ``--database`` without showing it (issue 8)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import click

from refuge.cli import COMMANDS, cli


def every_command() -> Iterator[tuple[str, click.Command]]:
    for name, target in sorted(COMMANDS.items()):
        module, attribute = target.split(":")
        yield from _walk(name, getattr(importlib.import_module(module), attribute))


def _walk(path: str, command: click.Command) -> Iterator[tuple[str, click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _walk(f"{path} {name}", sub)


def test_every_store_option_is_db_with_a_hidden_database_alias() -> None:
    found = 0
    for path, command in every_command():
        for param in command.params:
            names = set(param.opts) | set(param.secondary_opts)
            if not names & {"--db", "--database", "--url"}:
                continue
            found += 1
            assert names == {"--db", "--database"}, f"refuge {path}: {sorted(names)}"
            with click.Context(command, info_name=path) as ctx:
                record = param.get_help_record(ctx)
            assert record is not None and record[0].startswith("--db ")
            assert "--database" not in record[0], f"refuge {path} shows --database"
    # init, db upgrade/current/reindex, import, export, cases, case, alerts, ingest, merges,
    # review (and its three subcommands), serve, user add, token create/revoke at least
    assert found >= 19


def test_help_never_mentions_the_hidden_alias() -> None:
    for path, command in every_command():
        with click.Context(command, info_name=f"refuge {path}", parent=None) as ctx:
            assert "--database" not in command.get_help(ctx), path
    with click.Context(cli, info_name="refuge") as ctx:
        assert "--database" not in cli.get_help(ctx)
