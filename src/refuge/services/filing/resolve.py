"""CASE on the command line: a case file (as ``refuge evaluate`` takes) or a store case id (as
``refuge case`` takes). A path that exists is read as a file; anything else is looked up in the
store, and a name that looks like a file but is missing says so instead."""

from __future__ import annotations

from pathlib import Path

from refuge.casefile import load_case_file
from refuge.domain import Case
from refuge.errors import InputError
from refuge.services import store as store_service
from refuge.storage import open_store

_FILE_SUFFIXES = (".yaml", ".yml", ".json")


def load_case(ref: str, database: str | None = None) -> tuple[Case, bool]:
    """``(case, from_store)`` for ``ref``."""
    path = Path(ref)
    if path.is_file():
        return load_case_file(path), False
    if path.suffix in _FILE_SUFFIXES or "/" in ref:
        raise InputError(f"no case file {ref}: give a case file's path or a store case id")
    store = open_store(database)
    try:
        [case] = store_service.load_cases(store, ref)
    finally:
        store.close()
    return case, True
