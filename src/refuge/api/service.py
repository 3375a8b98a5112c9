"""The web app's and the API's use cases, over ``services.store`` and ``auth.access``.

Pages and API routes are thin: they parse a request, call one function here, and render.
Every function that touches cases takes the ``Principal`` and selects cases through
``auth.access.visible`` (need to know); every read of a case and every change is audited in the
same transaction.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, exists, func, select, update

from refuge.auth.access import audit_event, grant, visible, visible_case, visible_ids
from refuge.auth.users import Principal
from refuge.casefile import parse_case
from refuge.domain import Case, DateRange
from refuge.errors import InputError, RefugeError
from refuge.services import alerts as alert_rules
from refuge.services import store as store_service
from refuge.services.alerts import Alert
from refuge.storage import Store
from refuge.storage import repository as repo
from refuge.storage.resolve import create_case, merge_into, write_index
from refuge.storage.tables import cases, events, merges, people

PAGE_SIZE = 50
ALERT_DAYS = 14
MAX_REPORT_BYTES = 2_000_000


class NotFound(RefugeError):
    """The case (or draft) does not exist or is not visible: the same answer for both."""

    exit_code = 4


class Forbidden(RefugeError):
    """The role or token scope does not allow this action."""

    exit_code = 3


def require(principal: Principal, role: str) -> None:
    if not principal.can(role):
        raise Forbidden(f"this needs the {role} role and a write scope")


# -- alerts and the case list ----------------------------------------------------------------
def alerts(store: Store, principal: Principal, at: date) -> list[tuple[int, Alert]]:
    """``(case ref, alert)`` for the cases ``principal`` may see, most urgent first."""
    found = _all_alerts(store, at)
    wanted = sorted({a.case for a in found})
    allowed: dict[str, int] = {}
    with store.read() as connection:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = connection.execute(
                select(cases.c.id, cases.c.pk).where(cases.c.id.in_(chunk), visible(principal))
            )
            allowed.update({str(r.id): int(r.pk) for r in rows})
    return [(allowed[a.case], a) for a in found if a.case in allowed]


_cache_lock = threading.Lock()
_cache: dict[Any, list[Alert]] = {}


def _all_alerts(store: Store, at: date) -> list[Alert]:
    """Every case's alerts at ``at``, recomputed only when a case changed: the key is the
    number of cases and the last change time, which every write of a case moves (merges and
    reviews touch the case, imports replace it). Filtering by access happens after."""
    with store.read() as connection:
        count, changed = connection.execute(
            select(func.count(), func.max(cases.c.updated_at))
        ).one()
    key = (id(store), at, count, changed, alert_rules.engine_digest())
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    found = store_service.collect_alerts(store, at, ALERT_DAYS)
    with _cache_lock:
        _cache.clear()
        _cache[key] = found
    return found


@dataclass(frozen=True, slots=True)
class Filters:
    q: str = ""
    host: str = ""
    origin: str = ""
    state: str = ""  # draft | reviewed
    risk: str = ""  # removal | deadline | action | unknown
    page: int = 1


@dataclass(frozen=True, slots=True)
class CaseSummary:
    ref: int
    id: str
    name: str
    host: str
    origin: str | None
    drafts: int
    risks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CasePage:
    items: list[CaseSummary]
    total: int
    page: int
    pages: int


def list_cases(store: Store, principal: Principal, filters: Filters, at: date) -> CasePage:
    """One page of the visible cases matching ``filters``, by case id."""
    risks = _risks(store, principal, at) if filters.risk else {}
    drafts = (
        select(func.count())
        .where(events.c.case_pk == cases.c.pk, events.c.review == "draft")
        .scalar_subquery()
    )
    conditions = [visible(principal), *_conditions(filters)]
    if filters.risk:
        conditions.append(cases.c.id.in_([c for c, r in risks.items() if filters.risk in r]))
    columns = (cases.c.pk, cases.c.id, people.c.name, cases.c.host, cases.c.origin, drafts)
    query = select(*columns).join(people).where(*conditions)
    with store.read() as connection:
        # Counted without the per-row draft subquery: that one runs for the page only.
        counted = cases.join(people) if filters.q else cases
        total = connection.execute(
            select(func.count()).select_from(counted).where(*conditions)
        ).scalar_one()
        offset = (filters.page - 1) * PAGE_SIZE
        rows = connection.execute(query.order_by(cases.c.id).offset(offset).limit(PAGE_SIZE)).all()
    with store.write() as connection:
        audit_event(connection, principal.name, "search", "case", None, f"{len(rows)} listed")
    items = [
        CaseSummary(r[0], r[1], r[2], r[3], r[4], int(r[5]), tuple(sorted(risks.get(r[1], ()))))
        for r in rows
    ]
    return CasePage(items, int(total), filters.page, max(1, -(-int(total) // PAGE_SIZE)))


def _conditions(filters: Filters) -> list[Any]:
    found: list[Any] = []
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "").replace("%", "").replace("_", "") + "%"
        found.append(people.c.name.ilike(pattern) | cases.c.id.ilike(pattern))
    if filters.host:
        found.append(cases.c.host == filters.host.upper())
    if filters.origin:
        found.append(cases.c.origin == filters.origin.upper())
    draft_exists = exists().where(events.c.case_pk == cases.c.pk, events.c.review == "draft")
    if filters.state == "draft":
        found.append(draft_exists)
    elif filters.state == "reviewed":
        found.append(~draft_exists)
    return found


def _risks(store: Store, principal: Principal, at: date) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for _ref, alert in alerts(store, principal, at):
        found.setdefault(alert.case, set()).add(alert.kind)
    return found


# -- one case --------------------------------------------------------------------------------
def show_case(store: Store, principal: Principal, ref: int, at: date) -> store_service.CaseView:
    """The case with its findings at ``at``; the read is audited."""
    with store.write() as connection:
        pk, case_id = _visible(connection, principal, ref)
        audit_event(connection, principal.name, "read", "case", pk, "case viewed")
    return store_service.show_case(store, case_id, at)


def export_case(store: Store, principal: Principal, ref: int, fmt: str) -> str:
    """One visible case as YAML, JSON or CSV (lawyers; the export is audited by the store)."""
    require(principal, "lawyer")
    with store.read() as connection:
        _pk, case_id = _visible(connection, principal, ref)
    return store_service.export_cases(store, fmt, principal.name, case_id)


def _visible(connection: Connection, principal: Principal, ref: int) -> tuple[int, str]:
    """``(pk, case id)`` of the case with opaque reference ``ref``, if visible."""
    found = visible_case(connection, principal, ref)
    if found is None:
        raise NotFound("no such case")
    return found


# -- the review queue ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Draft:
    ref: int
    case: str
    name: str
    event: str
    type: str
    date: DateRange
    certainty: str | None


@dataclass(frozen=True, slots=True)
class Proposal:
    pk: int
    ref: int
    case: str
    name: str
    score: float
    reasons: tuple[str, ...]


def review_queue(
    store: Store, principal: Principal, limit: int = 200
) -> tuple[list[Draft], list[Proposal]]:
    """Draft events and open merge proposals of the visible cases."""
    with store.read() as connection:
        rows = connection.execute(
            select(cases.c.pk.label("ref"), cases.c.id.label("case_id"), people.c.name, events)
            .join(people, people.c.case_pk == cases.c.pk)
            .join(events, events.c.case_pk == cases.c.pk)
            .where(visible(principal), events.c.review == "draft")
            .order_by(cases.c.id, events.c.position)
            .limit(limit)
        ).all()
        open_merges = connection.execute(
            select(
                merges.c.pk, cases.c.pk, cases.c.id, people.c.name, merges.c.score, merges.c.reasons
            )
            .join(cases, merges.c.case_pk == cases.c.pk)
            .join(people, people.c.case_pk == cases.c.pk)
            .where(visible(principal), merges.c.kind == "proposal", merges.c.review == "draft")
            .order_by(merges.c.pk)
            .limit(limit)
        ).all()
    drafts = [
        Draft(
            r.ref,
            r.case_id,
            r.name,
            r.id,
            r.type,
            DateRange(r.date_earliest, r.date_latest, r.date_text),
            r.certainty,
        )
        for r in rows
    ]
    proposals = [Proposal(r[0], r[1], r[2], r[3], r[4], tuple(r[5])) for r in open_merges]
    return drafts, proposals


@dataclass(frozen=True, slots=True)
class Edit:
    earliest: date | None = None
    latest: date | None = None
    text: str | None = None
    note: str | None = None


def review_event(
    store: Store,
    principal: Principal,
    ref: int,
    event_id: str,
    action: str,
    edit: Edit | None = None,
) -> None:
    """Accept, reject or edit (and so accept) a draft event; a lawyer's decision."""
    require(principal, "lawyer")
    if action not in ("accept", "reject", "edit"):
        raise InputError("the action is accept, reject or edit")
    with store.write() as connection:
        pk, _case_id = _visible(connection, principal, ref)
        values = _review_values(action, edit)
        changed = connection.execute(
            update(events).where(events.c.case_pk == pk, events.c.id == event_id).values(**values)
        ).rowcount
        if not changed:
            raise NotFound("no such event")
        _reindex(connection, pk)
        audit_event(connection, principal.name, "review", "case", pk, f"event {action}")


def _review_values(action: str, edit: Edit | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "review": "rejected" if action == "reject" else "verified",
        "edited": True,
    }
    if action == "edit" and edit is not None:
        if edit.earliest is not None and edit.latest is not None:
            if edit.latest < edit.earliest:
                raise InputError("the latest date is before the earliest")
            values.update(date_earliest=edit.earliest, date_latest=edit.latest)
            values["date_text"] = (edit.text or "")[:200] or None
        if edit.note is not None:
            values["note"] = edit.note[:2000] or None
    return values


def _reindex(connection: Connection, pk: int) -> None:
    repo.touch_case(connection, pk)
    write_index(connection, pk, alert_rules.index_entry(repo.load_cases(connection, [pk])[0]))


def review_proposal(store: Store, principal: Principal, proposal_pk: int, action: str) -> int:
    """Merge a proposed report into its case (accept), or open it as a case of its own
    (reject: a different person). Returns the ref of the case the report ended up in."""
    require(principal, "lawyer")
    if action not in ("accept", "reject"):
        raise InputError("the action is accept or reject")
    with store.write() as connection:
        row = connection.execute(
            select(merges)
            .join(cases, merges.c.case_pk == cases.c.pk)
            .where(merges.c.pk == proposal_pk, merges.c.review == "draft", visible(principal))
        ).first()
        if row is None or row.candidate is None:
            raise NotFound("no such proposal")
        candidate = parse_case(_yaml_json(row.candidate), "proposal")
        index = alert_rules.index_entry
        if action == "accept":
            merge_into(connection, row.case_pk, candidate, row.report_pk, principal.name, index)
            target = int(row.case_pk)
        else:
            target = create_case(connection, candidate, row.report_pk, principal.name, index)
            _share_with(connection, principal, target)
        connection.execute(
            update(merges)
            .where(merges.c.pk == proposal_pk)
            .values(review="verified" if action == "accept" else "rejected")
        )
        audit_event(connection, principal.name, "review", "case", target, f"proposal {action}")
    return target


def _yaml_json(data: Any) -> str:
    import json

    return json.dumps(data)


def _share_with(connection: Connection, principal: Principal, case_pk: int) -> None:
    """New cases belong to the creator's teams (or to the creator alone, without a team)."""
    for team in principal.teams:
        grant(connection, case_pk, team_pk=team)
    if not principal.teams:
        grant(connection, case_pk, user_pk=principal.pk)


# -- adding a report -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReportResult:
    cases: list[int]  # refs of the visible cases the report produced or went into
    proposed: int
    message: str


def add_report(
    store: Store, principal: Principal, data: bytes, name: str, host: str | None
) -> ReportResult:
    """Analyse an uploaded or pasted report into draft cases, shared with the uploader's teams.

    The bytes go to a private temporary file only because ingestion reads paths; it is
    deleted at once. A report merged into a case the uploader cannot see is not revealed.
    """
    require(principal, "monitor")
    if not data.strip():
        raise InputError("the report is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise InputError("the report is larger than 2 MB")
    suffix = Path(name).suffix.lower()
    suffix = suffix if suffix in store_service.REPORT_SUFFIXES else ".txt"
    with tempfile.TemporaryDirectory(prefix="refuge-") as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(data)
        summary = store_service.ingest(store, [path], actor=principal.name, host=host)
    if summary.failed:
        raise InputError("the report could not be read: " + summary.failed[0][1])
    with store.write() as connection:
        for case_id in summary.created:
            pk = repo.case_pk(connection, case_id)
            if pk is not None:
                _share_with(connection, principal, pk)
                audit_event(connection, principal.name, "grant", "case", pk, "shared with creator")
        seen = visible_ids(connection, principal)
    found = [seen[c] for c in [*summary.created, *summary.merged, *summary.proposed] if c in seen]
    message = _report_message(summary, found)
    return ReportResult(found, len(summary.proposed), message)


def _report_message(summary: store_service.IngestSummary, found: Sequence[int]) -> str:
    if summary.skipped and not summary.reports:
        return "This report was already added."
    if not found:
        return "The report was stored; it produced no case you can see."
    return f"The report produced {len(found)} case(s) for review."


# -- the law ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LawRule:
    id: str
    kind: str
    title: str
    instrument: str
    article: str
    citation: str
    url: str | None
    basis: str
    validity: str


@dataclass(frozen=True, slots=True)
class LawPack:
    id: str
    title: str
    jurisdiction: str
    version: str
    verified_through: date
    rules: list[LawRule]


def law() -> list[LawPack]:
    """The loaded law packs and their rules, with citations, validity and verification."""
    from refuge.rules.packs import load_library

    library = load_library()
    by_pack: dict[str, list[LawRule]] = {}
    for rule in library.rules:
        spec = rule.spec
        by_pack.setdefault(rule.pack, []).append(
            LawRule(
                spec.id,
                spec.kind,
                spec.title,
                spec.instrument,
                spec.article,
                spec.citation.text,
                spec.citation.url,
                spec.basis,
                _validity(spec.versions),
            )
        )
    return [
        LawPack(
            p.meta.id,
            p.meta.title,
            p.meta.jurisdiction,
            p.meta.version,
            p.meta.verified_through,
            by_pack.get(p.meta.id, []),
        )
        for p in library.packs
    ]


def _validity(versions: Sequence[Any]) -> str:
    parts = []
    for v in versions:
        start = v.valid_from
        start_text = getattr(start, "text", None) or (
            f"{start.earliest}..{start.latest}" if hasattr(start, "earliest") else str(start or "")
        )
        label = f"{start_text or 'always'} – {v.until or 'in force'}"
        parts.append(label + (" (not in force)" if v.not_in_force else ""))
    return "; ".join(parts)


def case_with_drafts(case: Case) -> Case:
    """Helper for templates that need events in timeline order."""
    return dataclasses.replace(
        case, events=tuple(sorted(case.events, key=lambda e: e.date.earliest))
    )
