"""Case files in and out of the store: ``refuge import`` (one transaction; a case whose id
exists is replaced, and a new one resembling a stored person is proposed for merging) and
``refuge export`` (YAML, JSON or CSV; audited)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from refuge.casefile import case_to_data, dump_yaml, parse_case
from refuge.casefile.load import read_case_text
from refuge.domain import Case
from refuge.errors import CaseFileError, InputError
from refuge.limits import (
    MAX_CASE_FILE_BYTES,
    MAX_EXPORT_BYTES,
    human_size,
    load_json,
)
from refuge.services import alerts as alert_rules
from refuge.services.pseudonyms import pseudonymise as pseudonymised
from refuge.storage import Store, StoreError
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.repository import require_case_pk
from refuge.storage.resolve import (
    propose_import,
    write_index,
    write_new_indexes,
)

FORMATS = ("yaml", "json", "csv")
_DOC_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)  # created, and proposed for merging


def read_case_files(paths: Iterable[Path]) -> list[Case]:
    """Every case in ``paths``: case files, or exports holding several cases (a YAML stream or
    a JSON list). All problems in all files are reported together."""
    found: list[Case] = []
    problems: list[str] = []
    for path in paths:
        try:
            found.extend(_cases_in(path))
        except CaseFileError as error:
            problems.extend(error.problems)
    if problems:
        raise CaseFileError(problems)
    return found


def _cases_in(path: Path) -> list[Case]:
    text = read_case_text(path, MAX_EXPORT_BYTES)
    if text.lstrip().startswith("["):
        try:
            items = load_json(text, str(path))
        except InputError as exc:
            raise CaseFileError([str(exc)]) from None
        if not isinstance(items, list):
            raise CaseFileError([f"{path}: a JSON export is a list of cases"])
        return [parse_case(json.dumps(item), f"{path}[{i}]") for i, item in enumerate(items)]
    documents = [d for d in _DOC_SEPARATOR.split(text) if d.strip()]
    if len(documents) <= 1:
        if len(text.encode("utf-8")) > MAX_CASE_FILE_BYTES:
            raise CaseFileError(
                [f"{path}: the case file is over the limit of {human_size(MAX_CASE_FILE_BYTES)}"]
            )
        return [parse_case(text, str(path))]
    return [parse_case(doc, f"{path}#{i + 1}") for i, doc in enumerate(documents)]


def import_cases(store: Store, paths: Sequence[Path], actor: str) -> ImportResult:
    """Add case files to the store in one transaction; a case whose id exists is replaced
    (importing is a person's act: the imported events count as human edits). New cases are
    inserted in bulk, so re-importing a large export stays fast."""
    incoming = read_case_files(paths)
    _refuse_duplicate_ids(incoming)
    result = ImportResult()
    with store.write() as connection:
        fresh = []
        for case in incoming:
            pk = repo.case_pk(connection, case.id)
            if pk is None:
                fresh.append(case)
                continue
            repo.replace_case(connection, pk, case, edited=True)
            result.replaced.append(case.id)
            record(connection, actor, "update", "case", pk, "case replaced by import")
            write_index(connection, pk, alert_rules.index_entry(case))
        pks = repo.insert_many(connection, fresh, edited=True)
        for pk, case in zip(pks, fresh, strict=True):
            result.created.append(case.id)
            record(connection, actor, "create", "case", pk, "case imported")
        write_new_indexes(
            connection, [(pk, alert_rules.index_entry(c)) for pk, c in zip(pks, fresh, strict=True)]
        )
        for pk, case in zip(pks, fresh, strict=True):
            if propose_import(connection, pk, case, actor, pks) is not None:
                result.proposed.append(case.id)
    return result


def _refuse_duplicate_ids(found: list[Case]) -> None:
    counts = Counter(c.id for c in found)
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        raise CaseFileError([f"case id {i!r} appears more than once in the import" for i in twice])


def load_cases(store: Store, case_id: str | None = None) -> list[Case]:
    """One case by id, or every case (ordered by id)."""
    with store.read() as connection:
        if case_id is None:
            return repo.load_cases(connection, repo.all_case_pks(connection))
        pk = require_case_pk(connection, case_id)
        return repo.load_cases(connection, [pk])


def export_cases(
    store: Store,
    fmt: str,
    actor: str,
    case_id: str | None = None,
    *,
    protection: str = "plaintext",
    pseudonymise: bool = False,
) -> str:
    """Every case (or one) as YAML (a document stream), JSON (a list) or CSV (one row per
    event, for spreadsheets). YAML and JSON exports import back to the same cases.

    ``protection`` (``encrypted`` or ``plaintext``: the caller seals the text) and
    ``pseudonymise`` (names and free text replaced, services/pseudonyms.py) are audited."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    found = load_cases(store, case_id)
    if pseudonymise:
        found = pseudonymised(found)
    detail = f"{len(found)} cases exported, {fmt}, {protection}"
    if pseudonymise:
        detail += ", pseudonymised"
    with store.write() as connection:
        record(connection, actor, "export", "store", None, detail)
    if fmt == "yaml":
        return "---\n".join(dump_yaml(c) for c in found)
    if fmt == "json":
        return json.dumps([case_to_data(c) for c in found], ensure_ascii=False, indent=2) + "\n"
    return _csv(found)


_CSV_COLUMNS = (
    "case", "person", "host", "origin", "event", "type", "earliest", "latest", "date_text",
    "certainty", "review", "sources", "attributes",
)  # fmt: skip


def _csv(found: list[Case]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_CSV_COLUMNS)
    for case in found:
        for event in case.events:
            attrs = case_to_data(dataclasses.replace(case, events=(event,)))["events"][0]
            extra = {k: v for k, v in attrs.items() if k not in _EVENT_KEYS}
            row = [
                case.id, case.person.name, case.host, case.origin or "", event.id, event.type,
                event.date.earliest.isoformat(), event.date.latest.isoformat(),
                event.date.text or "", event.certainty or "", event.review or "",
                " ".join(sorted({e.source for e in event.evidence})),
                json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
            ]  # fmt: skip
            writer.writerow([_neutralise(str(cell)) for cell in row])
    return out.getvalue()


_EVENT_KEYS = ("id", "type", "date", "source", "certainty", "note", "review", "sequence")


def _neutralise(cell: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection, security.md R18)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
