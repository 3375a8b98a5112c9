"""The case store's use cases: list and show cases, ingest reports, and alerts (creating and
upgrading a store, import and export, and the review decisions are in ``lifecycle``,
``casefiles`` and ``verdicts``, re-exported here).

Each function is one transaction (or one per report, for ingestion) and writes its audit
entries inside it. Nothing here reads the clock for legal purposes: the evaluation date comes
from the caller (the CLI reads today).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select
from sqlalchemy import case as sql_case

from refuge.casefile import case_to_data
from refuge.domain import Case
from refuge.errors import InputError, RefugeError
from refuge.limits import (
    MAX_REPORT_BYTES,
    read_capped,
)
from refuge.rules.engine import evaluate
from refuge.rules.results import Evaluation
from refuge.services import alerts as alert_rules

# Split out by use case (lifecycle, casefiles, verdicts); imported here so that
# ``services.store.X`` keeps working for every caller.
from refuge.services.casefiles import FORMATS as FORMATS
from refuge.services.casefiles import ImportResult as ImportResult
from refuge.services.casefiles import export_cases as export_cases
from refuge.services.casefiles import import_cases as import_cases
from refuge.services.casefiles import load_cases as load_cases
from refuge.services.casefiles import read_case_files as read_case_files
from refuge.services.lifecycle import Upgrade as Upgrade
from refuge.services.lifecycle import init_store as init_store
from refuge.services.lifecycle import location as location
from refuge.services.lifecycle import store_revision as store_revision
from refuge.services.lifecycle import upgrade_store as upgrade_store
from refuge.services.verdicts import VERDICTS as VERDICTS
from refuge.services.verdicts import MergeRow as MergeRow
from refuge.services.verdicts import case_id_of as case_id_of
from refuge.services.verdicts import list_merges as list_merges
from refuge.services.verdicts import mark_complete as mark_complete
from refuge.services.verdicts import person_review_state as person_review_state
from refuge.services.verdicts import review_event as review_event
from refuge.services.verdicts import review_merge as review_merge
from refuge.services.verdicts import review_person as review_person
from refuge.storage import Store, StoreError
from refuge.storage import repository as repo
from refuge.storage.audit import record
from refuge.storage.repository import require_case_pk as require_case_pk
from refuge.storage.resolve import (
    store_case,
    write_index,
)
from refuge.storage.tables import case_index, cases, events, merges, people, reports, sources


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


def analyse_bytes(
    data: bytes, path: str, analyzer: str, host: str | None, language: str | None = None
) -> _Analysed:
    """Analyse one report's bytes; ``path`` names it (its suffix tells HTML from text);
    ``language``: the report's language as declared (a feed's), else detected."""
    digest = hashlib.sha256(data).hexdigest()
    declared = {"language": language} if language else {}
    try:
        analysis = _resolve(analyzer)(
            data, name=Path(path).name, published=None, host=host, **declared
        )
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
    on_created: Callable[[Connection, int], None] | None = None,
    language: str | None = None,
) -> IngestSummary:
    """Read one report given as bytes (a job's, a fetched article's) and store its cases:
    the same analysis, the same SHA-256 idempotence, the same transaction (``on_created``
    included) and the same answer for a copy held by another team as ``ingest``."""
    summary = IngestSummary()
    digest = hashlib.sha256(data).hexdigest()
    with store.read() as connection:
        known = connection.execute(select(reports.c.pk).where(reports.c.sha256 == digest)).first()
        hidden = (
            known is not None
            and among is not None
            and bool(_held_elsewhere(connection, {digest}, among))
        )
    if known is not None:
        summary.skipped.append((name, ALREADY_HELD if hidden else "already ingested"))
        return summary
    done = analyse_bytes(data, name, analyzer, host, language)
    _store_report(store, done, actor, summary, among, on_created)
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
