"""The ``refuge`` command line: thin commands over the services; errors become messages.

Commands are imported only when used, so that ``refuge check`` does not pay for spaCy or the
web stack.
"""

from __future__ import annotations

import importlib
import os
import resource
import sys

import click
from rich.markup import escape

from refuge.cli import failures
from refuge.cli.output import errors
from refuge.errors import RefugeError

#: command name -> "module:attribute" of its click command
COMMANDS = {
    "analyze": "refuge.cli.analyze:analyze",
    "check": "refuge.cli.cases:check",
    "evaluate": "refuge.cli.cases:evaluate",
    "packs": "refuge.cli.packs:packs",
    "dates": "refuge.cli.dates:dates",
    "dossier": "refuge.cli.filing:dossier",
    "request": "refuge.cli.filing:request",
    "init": "refuge.cli.store:init",
    "db": "refuge.cli.store:db",
    "import": "refuge.cli.store:import_",
    "export": "refuge.cli.store:export",
    "ingest": "refuge.cli.store:ingest",
    "cases": "refuge.cli.store:cases",
    "case": "refuge.cli.store:case",
    "alerts": "refuge.cli.store:alerts",
    "merges": "refuge.cli.store:merges",
    "share": "refuge.cli.store:share",
    "review": "refuge.cli.store:review",
    "search": "refuge.cli.search:search",
    "serve": "refuge.cli.web:serve",
    "user": "refuge.cli.accounts:user",
    "session": "refuge.cli.accounts:session",
    "audit": "refuge.cli.audit:audit",
    "key": "refuge.cli.keys:key",
    "backup": "refuge.cli.keys:backup",
    "restore": "refuge.cli.keys:restore",
    "token": "refuge.cli.web:token",
    "worker": "refuge.cli.jobs:worker",
    "jobs": "refuge.cli.jobs:jobs",
    "feeds": "refuge.cli.feeds:feeds",
    "event": "refuge.cli.editing:event",
    "person": "refuge.cli.editing:person",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        try:
            command = getattr(importlib.import_module(module), attribute)
        except ImportError as exc:  # a broken install must not break `refuge --help`
            return failures.unavailable(cmd_name, exc)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="refuge")
def cli() -> None:
    """refuge: case timelines, the law on removal, and reading the news, for the people who
    defend asylum seekers."""


def main() -> None:
    """Entry point: run the CLI, turning refuge's errors into a clear message and exit code.

    Everything refuge creates (stores, key files, exports, backups) is private to the user:
    the umask is set before any command runs, and core dumps are off."""
    os.umask(0o077)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dump with keys or names in it
    try:
        code = cli.main(standalone_mode=False)
    except RefugeError as exc:
        _fail(exc)
    except click.exceptions.Abort:
        errors.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # installation, store or file system: one line, if a user can fix it
        translated = failures.translate(exc)
        if translated is None:
            raise
        _fail(translated)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(exc: RefugeError) -> None:
    errors.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    sys.exit(exc.exit_code)
