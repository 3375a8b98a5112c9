"""The case store's use cases: create and upgrade a store, import and export case files, list
and show cases, ingest reports, and alerts.

Each function is one transaction (or one per report, for ingestion) and writes its audit
entries inside it. Nothing here reads the clock for legal purposes: the evaluation date comes
from the caller (the CLI reads today).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, update
from sqlalchemy import case as sql_case

from refuge.casefile import case_to_data, dump_yaml, parse_case
from refuge.casefile.load import read_case_text
from refuge.domain import Case
from refuge.errors import CaseFileError, InputError, RefugeError
from refuge.limits import (
    MAX_CASE_FILE_BYTES,
    MAX_EXPORT_BYTES,
    MAX_REPORT_BYTES,
    human_size,
    load_json,
    read_capped,
)
from refuge.rules.engine import evaluate
from refuge.rules.results import Evaluation
from refuge.services import alerts as alert_rules
from refuge.services.keys import ensure_key
from refuge.services.pseudonyms import pseudonymise as pseudonymised
from refuge.storage import Store, StoreError, newer_schema
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.database import create_store_engine, default_url, normalise_url
from refuge.storage.integrity import check_engine
from refuge.storage.migrate import current_revision, head_revision, known_revision, upgrade
from refuge.storage.resolve import (
    IMPORTED,
    accept_import,
    create_case,
    merge_into,
    propose_import,
    store_case,
    write_index,
    write_new_indexes,
)
from refuge.storage.snapshot import pre_upgrade_backup
from refuge.storage.tables import case_index, cases, events, merges, people, reports, sources

FORMATS = ("yaml", "json", "csv")
_DOC_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)


# -- store lifecycle -------------------------------------------------------------------------
def location(url: str | None = None) -> str:
    """Where the store is, fit to print: the URL without its password."""
    return normalise_url(url or default_url()).render_as_string(hide_password=True)


def init_store(url: str | None = None) -> str | None:
    """Create the store (SQLite file or PostgreSQL schema) at the newest schema revision; a
    new SQLite store first gets its key (keys.ensure_key asks for a passphrase)."""
    url = url or default_url()
    ensure_key(url)
    engine = create_store_engine(url)
    try:
        _refuse_newer(current_revision(engine))
        return upgrade(engine)
    finally:
        engine.dispose()


@dataclass(frozen=True, slots=True)
class Upgrade:
    before: str | None
    after: str | None
    backup: Path | None  # the copy taken before migrating, if any migration ran


def upgrade_store(url: str | None = None, *, backup: bool = True) -> Upgrade:
    """Apply pending migrations, after an automatic backup (SQLite: an encrypted copy in
    ``backups/`` beside it; PostgreSQL: pg_dump, storage/pgdump.py) unless ``backup`` is
    False (the operator took one); return the revisions before and after."""
    url = url or default_url()
    engine = create_store_engine(url)
    try:
        before = current_revision(engine)
        if before is None:
            raise StoreError("no refuge store here yet: run `refuge init` first")
        _refuse_newer(before)
        if before == head_revision():
            return Upgrade(before, before, None)
        check_engine(engine)
        taken = pre_upgrade_backup(engine, before) if backup else None
        return Upgrade(before, upgrade(engine), taken)
    finally:
        engine.dispose()


def _refuse_newer(revision: str | None) -> None:
    if revision is not None and not known_revision(revision):
        raise StoreError(newer_schema(revision, head_revision()))


def store_revision(url: str | None = None) -> tuple[str | None, str]:
    """The store's schema revision and the one this refuge needs."""
    engine = create_store_engine(url or default_url())
    try:
        return current_revision(engine), head_revision()
    finally:
        engine.dispose()


# -- import / export -------------------------------------------------------------------------
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


# -- reading ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of ``refuge cases``: who, where, how far reviewed, and what is urgent."""

    id: str
    name: str
    host: str
    origin: str | None
    events: int
    drafts: int
    disputed: int
    proposals: int
    flags: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "flags": list(self.flags)}


def list_cases(store: Store, at: date, within: int = 14) -> list[CaseRow]:
    """Every case with its review state (counted in SQL, no case is loaded) and its risk flags
    at ``at`` (from the alerts batch path)."""
    flags: dict[str, set[str]] = {}
    for alert in collect_alerts(store, at, within):
        flags.setdefault(alert.case, set()).add(_FLAG[alert.kind])
    e = events.c
    counts = (
        select(
            e.case_pk,
            func.count().label("n"),
            func.sum(sql_case((e.review.is_(None) | (e.review == "draft"), 1), else_=0)).label(
                "drafts"
            ),
            func.sum(sql_case((e.certainty == "disputed", 1), else_=0)).label("disputed"),
        )
        .group_by(e.case_pk)
        .subquery()
    )
    pending = (
        select(merges.c.case_pk, func.count().label("n"))
        .where(merges.c.kind == "proposal", merges.c.review == "draft")
        .group_by(merges.c.case_pk)
        .subquery()
    )
    query = (
        select(
            cases.c.id,
            people.c.name,
            cases.c.host,
            cases.c.origin,
            counts.c.n,
            counts.c.drafts,
            counts.c.disputed,
            pending.c.n.label("proposals"),
        )
        .join(people, people.c.case_pk == cases.c.pk)
        .outerjoin(counts, counts.c.case_pk == cases.c.pk)
        .outerjoin(pending, pending.c.case_pk == cases.c.pk)
        .order_by(cases.c.id)
    )
    with store.read() as connection:
        rows = connection.execute(query).all()
    return [
        CaseRow(
            r.id,
            r.name,
            r.host,
            r.origin,
            int(r.n or 0),
            int(r.drafts or 0),
            int(r.disputed or 0),
            int(r.proposals or 0),
            tuple(sorted(flags.get(r.id, ()))),
        )
        for r in rows
    ]


_FLAG = {
    "removal": "removal-lawful",
    "deadline": "deadline",
    "action": "action-open",
    "unknown": "cannot-evaluate",
}


@dataclass(frozen=True, slots=True)
class CaseView:
    """``refuge case ID``: the case, who says what (corroboration), and the law at ``at``."""

    case: Case
    evaluation: Evaluation
    corroboration: dict[str, int]
    proposals: int
    report_texts: dict[str, str] = field(default_factory=dict)  # source id -> report text

    def excerpt(
        self, source_id: str, start: int | None, end: int | None, context: int = 240
    ) -> tuple[str, str, str] | None:
        """``(before, evidence, after)`` from the report's own text, or None if not kept."""
        text = self.report_texts.get(source_id)
        if text is None or start is None or end is None or not 0 <= start <= end <= len(text):
            return None
        return text[max(0, start - context) : start], text[start:end], text[end : end + context]

    def to_json(self) -> dict[str, Any]:
        return {
            "case": case_to_data(self.case),
            "corroboration": self.corroboration,
            "merge_proposals": self.proposals,
            "evaluation": self.evaluation.to_json(),
        }


def show_case(store: Store, case_id: str, at: date) -> CaseView:
    with store.read() as connection:
        pk = require_case_pk(connection, case_id)
        case = repo.load_cases(connection, [pk])[0]
        proposals = connection.execute(
            select(func.count()).where(
                merges.c.case_pk == pk, merges.c.kind == "proposal", merges.c.review == "draft"
            )
        ).scalar_one()
        texts = connection.execute(
            select(sources.c.id, reports.c.text)
            .join(reports, sources.c.report_pk == reports.c.pk)
            .where(sources.c.case_pk == pk, reports.c.text.is_not(None))
        ).all()
    corroboration = {e.id: len({p.source for p in e.evidence}) for e in case.events}
    report_texts = {str(r.id): str(r.text) for r in texts}
    return CaseView(case, evaluate(case, at), corroboration, int(proposals), report_texts)


def audit_cli_read(
    store: Store, actor: str, action: str, detail: str, case_id: str | None = None
) -> None:
    """Record a read from the command line like the web records its reads (who, which case
    by key, how many listed; never content), so an insider's CLI browsing leaves a trace."""
    with store.write() as connection:
        pk = repo.case_pk(connection, case_id) if case_id is not None else None
        record(connection, actor, action, "case" if pk is not None else "store", pk, detail)


def require_case_pk(connection: Any, case_id: str) -> int:
    """The key of case ``case_id``, or a clear error naming the command that lists cases."""
    pk = repo.case_pk(connection, case_id)
    if pk is None:
        raise StoreError(f"no case {case_id!r} in the store; `refuge cases` lists them")
    return pk


# -- alerts ----------------------------------------------------------------------------------
def collect_alerts(
    store: Store, at: date, within: int, since: datetime | None = None
) -> list[alert_rules.Alert]:
    """The alerts of every case at ``at`` for the next ``within`` days, most urgent first,
    through the batch path (see ``services/alerts.py``). With ``since``, only the alerts of
    cases created or changed since then (what a feed or an ingest brought in: "new since
    yesterday")."""
    found = _all_alerts(store, at, within)
    if since is None:
        return found
    with store.read() as connection:
        fresh = set(
            connection.execute(select(cases.c.id).where(cases.c.updated_at >= since)).scalars()
        )
    return [alert for alert in found if alert.case in fresh]


def _all_alerts(store: Store, at: date, within: int) -> list[alert_rules.Alert]:
    end = at + timedelta(days=within)
    digest = alert_rules.engine_digest()
    index = case_index.c
    current = index.packs == digest
    with store.read() as connection:
        settled = connection.execute(
            select(cases.c.id, index.final)
            .join(case_index, index.case_pk == cases.c.pk)
            .where(index.alerting.is_(True), index.stable_from <= at, current)
        ).all()
        # Both queries below are shaped so that SQLite reads index pages, not the rows of
        # case_index (most of the store's bytes): on an encrypted store every page read is
        # decrypted, and the first shapes read (and decrypted) the whole table twice.
        in_tail = [
            (row.id, row.segments)
            for row in connection.execute(
                select(cases.c.id, index.segments, index.tail_from)
                .join(case_index, index.case_pk == cases.c.pk)
                .where(index.stable_from > at, current)  # few: through the stable_from index
            )
            if row.tail_from <= at
        ]
        indexed = select(index.case_pk).where(current, index.tail_from <= at)  # covering index
        live_pks = list(
            connection.execute(select(cases.c.pk).where(cases.c.pk.not_in(indexed))).scalars()
        )
        live = repo.load_cases(connection, live_pks)
    found = [
        alert
        for case_id, final in settled
        for alert in alert_rules.alerts_from(case_id, final, (), at, end)
    ]
    for case_id, segments in in_tail:
        found.extend(alert_rules.tail_alerts(case_id, segments, at, within))
    for case in live:
        found.extend(alert_rules.live_alerts(case, at, within))
    return alert_rules.sort_alerts(found)


def reindex(store: Store, actor: str) -> int:
    """Recompute every case's alerts index (after a law-pack or engine change)."""
    with store.write() as connection:
        pks = repo.all_case_pks(connection)
        for pk, case in zip(pks, repo.load_cases(connection, pks), strict=True):
            write_index(connection, pk, alert_rules.index_entry(case))
        record(connection, actor, "index", "store", None, f"{len(pks)} cases reindexed")
    return len(pks)


# -- ingestion -------------------------------------------------------------------------------
DEFAULT_ANALYZER = "refuge.services.analysis:analyze_report"
REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


@dataclass(slots=True)
class IngestSummary:
    """What an ingest run did, report by report (paths and case ids, never their content)."""

    created: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    reports: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "created": self.created,
            "merged": self.merged,
            "proposed": self.proposed,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "failed": [{"path": p, "reason": r} for p, r in self.failed],
            "warnings": [{"path": p, "warning": w} for p, w in self.warnings],
        }


@dataclass(frozen=True, slots=True)
class _Analysed:
    path: str
    sha256: str
    size: int
    cases: list[Case] | None
    error: str | None
    text: str | None = None
    warnings: tuple[str, ...] = ()


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named by ``paths`` (folders searched recursively), sorted, unique."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in REPORT_SUFFIXES:
                    found.setdefault(child)
        else:
            found.setdefault(path)
    return list(found)


def ingest(
    store: Store,
    paths: Sequence[Path],
    *,
    actor: str,
    workers: int = 1,
    analyzer: str = DEFAULT_ANALYZER,
    host: str | None = None,
    progress: Callable[[str, str], None] | None = None,
    among: ColumnElement[bool] | None = None,
    on_created: Callable[[Connection, int], None] | None = None,
) -> IngestSummary:
    """Read reports in ``workers`` processes and store their cases, one transaction per report.

    ``on_created(connection, case_pk)`` runs for each new case inside the report's transaction
    (the web grants the case to the uploader's team there: a crash can no longer leave a
    committed case that nobody may see).

    A report already in the store (same SHA-256) is skipped, so re-running an interrupted
    ingest resumes it; a report that cannot be read or analysed is reported and skipped.
    ``progress(path, outcome)`` is called once per file.
    """
    _resolve(analyzer)  # fail before starting workers if the analyser is missing
    summary = IngestSummary()
    todo = _new_reports(store, report_files(paths), summary, progress, among)
    for done in _analyse_all(todo, workers, analyzer, host):
        outcome = _store_report(store, done, actor, summary, among, on_created)
        if progress is not None:
            progress(done.path, outcome)
    return summary


def _new_reports(
    store: Store,
    files: list[Path],
    summary: IngestSummary,
    progress: Callable[[str, str], None] | None,
    among: ColumnElement[bool] | None = None,
) -> list[Path]:
    hashes: dict[str, Path] = {}
    for path in files:
        try:
            digest = hashlib.sha256(read_capped(path, MAX_REPORT_BYTES, "report")).hexdigest()
        except (OSError, InputError) as error:
            why = f"cannot be read ({error.strerror})" if isinstance(error, OSError) else str(error)
            summary.failed.append((str(path), why))
            if progress is not None:
                progress(str(path), "failed")
            continue
        if digest in hashes:
            summary.skipped.append((str(path), f"same content as {hashes[digest]}"))
            if progress is not None:
                progress(str(path), "skipped")
            continue
        hashes[digest] = path
    with store.read() as connection:
        known = set(
            connection.execute(
                select(reports.c.sha256).where(reports.c.sha256.in_(list(hashes)))
            ).scalars()
        )
        hidden = _held_elsewhere(connection, known, among) if among is not None else set()
    for digest in known:
        why = ALREADY_HELD if digest in hidden else "already ingested"
        summary.skipped.append((str(hashes[digest]), why))
        if progress is not None:
            progress(str(hashes[digest]), "skipped")
    return [path for digest, path in hashes.items() if digest not in known]


# Said of a report whose cases the reader may not see: neither the team holding it nor its
# case is named (security.md: no existence oracle beyond "a copy is stored").
ALREADY_HELD = "this report is already in the store; an administrator can share the case with you"


def _held_elsewhere(
    connection: Connection, digests: set[str], among: ColumnElement[bool]
) -> set[str]:
    """Of the stored reports ``digests``, those none of whose cases satisfy ``among``."""
    seen = set(
        connection.execute(
            select(reports.c.sha256)
            .join(sources, sources.c.report_pk == reports.c.pk)
            .join(cases, cases.c.pk == sources.c.case_pk)
            .where(reports.c.sha256.in_(list(digests)), among)
        ).scalars()
    )
    return set(digests) - seen


def _analyse_all(
    files: list[Path], workers: int, analyzer: str, host: str | None
) -> Iterator[_Analysed]:
    if workers <= 1 or len(files) <= 1:
        for path in files:
            yield analyse_report(str(path), analyzer, host)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(analyse_report, str(p), analyzer, host) for p in files]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def analyse_report(path: str, analyzer: str, host: str | None) -> _Analysed:
    """Read and analyse one report (runs in a worker process). Errors are returned, not
    raised, and carry no text of the report: the error type, or refuge's own message."""
    try:
        data = read_capped(Path(path), MAX_REPORT_BYTES, "report")
    except OSError as error:
        return _Analysed(path, "", 0, None, f"cannot be read ({error.strerror})")
    except InputError as error:
        return _Analysed(path, "", 0, None, str(error))
    return analyse_bytes(data, path, analyzer, host)


def analyse_bytes(data: bytes, path: str, analyzer: str, host: str | None) -> _Analysed:
    """Analyse one report's bytes; ``path`` names it (its suffix tells HTML from text)."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        analysis = _resolve(analyzer)(data, name=Path(path).name, published=None, host=host)
        cases = list(analysis.cases)
    except RefugeError as error:
        return _Analysed(path, digest, len(data), None, str(error).splitlines()[0])
    except Exception as error:  # one bad report must not stop the run
        return _Analysed(path, digest, len(data), None, f"analysis failed ({type(error).__name__})")
    text = getattr(getattr(analysis, "article", None), "text", None)
    warnings = tuple(str(w) for w in getattr(analysis, "warnings", ()))
    text = text if isinstance(text, str) else None
    return _Analysed(path, digest, len(data), cases, None, text, warnings)


def _resolve(analyzer: str) -> Callable[..., Any]:
    module, _, name = analyzer.partition(":")
    try:
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        raise StoreError(
            f"the report analyser {analyzer!r} is not available in this installation"
        ) from None


def ingest_bytes(
    store: Store,
    data: bytes,
    name: str,
    *,
    actor: str,
    analyzer: str = DEFAULT_ANALYZER,
    host: str | None = None,
    among: ColumnElement[bool] | None = None,
) -> IngestSummary:
    """Read one report given as bytes (a job's, a fetched article's) and store its cases:
    the same analysis, the same SHA-256 idempotence and the same transaction as ``ingest``."""
    summary = IngestSummary()
    digest = hashlib.sha256(data).hexdigest()
    with store.read() as connection:
        known = connection.execute(select(reports.c.pk).where(reports.c.sha256 == digest)).first()
    if known is not None:
        summary.skipped.append((name, "already ingested"))
        return summary
    _store_report(store, analyse_bytes(data, name, analyzer, host), actor, summary, among)
    return summary


def _store_report(
    store: Store,
    done: _Analysed,
    actor: str,
    summary: IngestSummary,
    among: ColumnElement[bool] | None = None,
    on_created: Callable[[Connection, int], None] | None = None,
) -> str:
    if done.cases is None:
        summary.failed.append((done.path, done.error or "unknown error"))
        return "failed"
    with store.write() as connection:
        if connection.execute(select(reports.c.pk).where(reports.c.sha256 == done.sha256)).first():
            summary.skipped.append((done.path, "already ingested (by another run)"))
            return "skipped"
        report_pk = connection.execute(
            insert(reports)
            .values(
                sha256=done.sha256,
                size=done.size,
                cases=len(done.cases),
                ingested_at=datetime.now(UTC),
                text=done.text,
            )
            .returning(reports.c.pk)
        ).scalar_one()
        outcomes = [
            store_case(connection, case, report_pk, actor, alert_rules.index_entry, among)
            for case in done.cases
        ]
        for outcome in outcomes:
            pk = repo.case_pk(connection, outcome.case_id) if on_created else None
            if on_created is not None and outcome.kind == "created" and pk is not None:
                on_created(connection, pk)
        record(connection, actor, "ingest", "report", report_pk, f"{len(outcomes)} cases read")
    summary.reports += 1
    summary.warnings.extend((done.path, w) for w in done.warnings)
    for outcome in outcomes:
        getattr(summary, outcome.kind).append(outcome.case_id)
    if not outcomes:
        reason = done.warnings[-1] if done.warnings else "no case found in the report"
        summary.skipped.append((done.path, reason))
    return ",".join(o.kind for o in outcomes) or "no case"


# -- review ----------------------------------------------------------------------------------
VERDICTS = ("verified", "rejected")


@dataclass(frozen=True, slots=True)
class MergeRow:
    """A merge done or proposed by ingestion, awaiting (or past) a person's review."""

    pk: int
    case_id: str
    kind: str
    score: float
    reasons: tuple[str, ...]
    review: str

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "reasons": list(self.reasons)}


def list_merges(store: Store, *, pending_only: bool = False) -> list[MergeRow]:
    query = select(merges, cases.c.id.label("case_id")).join(cases).order_by(merges.c.pk)
    if pending_only:
        query = query.where(merges.c.review == "draft")
    with store.read() as connection:
        rows = connection.execute(query).all()
    return [MergeRow(r.pk, r.case_id, r.kind, r.score, tuple(r.reasons), r.review) for r in rows]


def review_merge(store: Store, merge_pk: int, verdict: str, actor: str) -> str:
    """Verify or reject a merge. A verified proposal is merged into its case; a rejected one
    becomes a case of its own. Returns the id of the case the report's facts are now in."""
    _check_verdict(verdict)
    with store.write() as connection:
        row = connection.execute(select(merges).where(merges.c.pk == merge_pk)).first()
        if row is None:
            raise StoreError(f"no merge {merge_pk}; `refuge merges` lists them")
        if row.review != "draft":
            raise StoreError(f"merge {merge_pk} was already reviewed ({row.review})")
        target = row.case_pk
        imported = (row.candidate or {}).get(IMPORTED) if row.kind == "proposal" else None
        if imported is not None:  # an imported case file: merged on a yes, left apart on a no
            if verdict == "verified":
                accept_import(connection, target, imported, actor, alert_rules.index_entry)
            else:
                target = require_case_pk(connection, imported)
        elif row.kind == "proposal":
            candidate = parse_case(json.dumps(row.candidate), f"merge {merge_pk}")
            if verdict == "verified":
                merge_into(
                    connection, target, candidate, row.report_pk, actor, alert_rules.index_entry
                )
            else:
                target = create_case(
                    connection, candidate, row.report_pk, actor, alert_rules.index_entry
                )
        connection.execute(update(merges).where(merges.c.pk == merge_pk).values(review=verdict))
        record(connection, actor, "review", "merge", merge_pk, f"merge {verdict}")
        return str(connection.execute(select(cases.c.id).where(cases.c.pk == target)).scalar_one())


def review_event(store: Store, case_id: str, event_id: str, verdict: str, actor: str) -> None:
    """Verify or reject one event. Reviewed events are a person's: ingestion will only ever
    attach evidence to them."""
    _check_verdict(verdict)
    with store.write() as connection:
        pk = require_case_pk(connection, case_id)
        changed = connection.execute(
            update(events)
            .where(events.c.case_pk == pk, events.c.id == event_id)
            .values(review=verdict, edited=True)
            .returning(events.c.pk)
        ).scalar()
        if changed is None:
            raise StoreError(f"case {case_id!r} has no event {event_id!r}")
        repo.touch_case(connection, pk)
        write_index(connection, pk, alert_rules.index_entry(repo.load_cases(connection, [pk])[0]))
        record(connection, actor, "review", "event", int(changed), f"event {verdict}")


def review_person(store: Store, case_id: str, verdict: str, actor: str) -> None:
    """Verify or reject the person of a case (their name, spellings, birth, citizenship)."""
    _check_verdict(verdict)
    with store.write() as connection:
        pk = require_case_pk(connection, case_id)
        connection.execute(
            update(people).where(people.c.case_pk == pk).values(review=verdict, edited=True)
        )
        record(connection, actor, "review", "person", pk, f"person {verdict}")


def mark_complete(store: Store, case_id: str, complete: bool, actor: str) -> None:
    """A person states that the case records every event that happened (or withdraws it).
    The evaluation depends on it (``file_complete()``), so the alerts index is recomputed."""
    with store.write() as connection:
        pk = require_case_pk(connection, case_id)
        connection.execute(
            update(cases)
            .where(cases.c.pk == pk)
            .values(complete=complete, version=cases.c.version + 1, updated_at=datetime.now(UTC))
        )
        write_index(connection, pk, alert_rules.index_entry(repo.load_cases(connection, [pk])[0]))
        state = "complete" if complete else "not complete"
        record(connection, actor, "review", "case", pk, f"case marked {state}")


def person_review_state(store: Store, case_id: str) -> str | None:
    """The review state of a case's person (draft, verified, rejected; None if never set)."""
    with store.read() as connection:
        pk = require_case_pk(connection, case_id)
        state = connection.execute(select(people.c.review).where(people.c.case_pk == pk)).scalar()
    return None if state is None else str(state)


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise StoreError(f"review must be one of {', '.join(VERDICTS)}, not {verdict!r}")
