"""The ``refuge`` command line: thin commands over the services; errors become messages."""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from refuge.cli.analyze import analyze
from refuge.cli.cases import check, evaluate
from refuge.cli.dates import dates
from refuge.cli.output import errors
from refuge.cli.packs import packs
from refuge.errors import RefugeError


@click.group()
@click.version_option(package_name="refuge")
def cli() -> None:
    """refuge: case timelines, the law on removal, and reading the news, for the people who
    defend asylum seekers."""


for command in (analyze, check, evaluate, packs, dates):
    cli.add_command(command)


def main() -> None:
    """Entry point: run the CLI, turning refuge's errors into a clear message and exit code."""
    try:
        code = cli.main(standalone_mode=False)
    except RefugeError as exc:
        errors.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        errors.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
