"""Options shared by several commands, so that one thing has one name everywhere.

The store is ``--db URL`` on every command (issue 8): short, what the ``refuge db`` group and
the web commands already said, and easy to type. ``--database``, which the store commands used
to take, still works on every command but is not shown in ``--help``, so old scripts keep
running while new users see one name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

STORE_HELP = (
    "The store: sqlite:///PATH or postgresql://USER@HOST/DB (default: REFUGE_DATABASE_URL, "
    "else refuge.db in REFUGE_DATA_DIR)."
)


class AliasedOption(click.Option):
    """An option that also answers to old names, which ``--help`` does not show."""

    def __init__(
        self, param_decls: Sequence[str], *, hidden_aliases: Sequence[str] = (), **attrs: Any
    ) -> None:
        super().__init__(list(param_decls) + list(hidden_aliases), **attrs)
        self.hidden_aliases = tuple(hidden_aliases)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown = [name for name in self.opts if name not in self.hidden_aliases]
        every = self.opts
        self.opts = shown
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = every


def db_option(dest: str = "database") -> Callable[[F], F]:
    """``--db URL`` (hidden alias ``--database``), passed to the command as ``dest``."""
    return click.option(
        "--db",
        dest,
        cls=AliasedOption,
        hidden_aliases=("--database",),
        envvar="REFUGE_DATABASE_URL",
        default=None,
        metavar="URL",
        help=STORE_HELP,
    )
