"""The web app's and the API's use cases, over ``services.store`` and ``auth.access``.

Pages and API routes are thin: they parse a request, call one function here, and render.
Every function that touches cases takes the ``Principal`` and selects cases through
``auth.access.visible`` (need to know); every read of a case and every change is audited in the
same transaction.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, exists, false, func, select

from refuge.api.audit import GroupCommit
from refuge.api.exports import check_bulk
from refuge.api.settings import WebSettings
from refuge.auth.access import visible, visible_case
from refuge.auth.tables import case_access
from refuge.auth.users import Principal
from refuge.domain import Case
from refuge.services import alerts as alert_rules
from refuge.services import filing
from refuge.services import store as store_service
from refuge.services import today as today_service
from refuge.services.acting import Forbidden, NotFound, on_change, require, write
from refuge.services.alerts import Alert
from refuge.storage import Store
from refuge.storage.merge import fold
from refuge.storage.tables import cases, events, name_keys, people

PAGE_SIZE = 50
ALERT_DAYS = 14
MAX_REPORT_BYTES = 2_000_000


# The services' answers and helpers, under the names the pages and routes know.
__all__ = ["Forbidden", "NotFound", "require", "write"]


_batchers: dict[int, GroupCommit] = {}


def audit_read(store: Store, actor: str, action: str, pk: int | None, detail: str) -> None:
    """Record a read (group-committed with other requests' reads; returns once durable)."""
    with _cache_lock:
        batcher = _batchers.get(id(store))
        if batcher is None:
            batcher = _batchers[id(store)] = GroupCommit(lambda: write(store))
    batcher.record((actor, action, "case", pk, detail))


# -- alerts and the case list ----------------------------------------------------------------
def alerts(store: Store, principal: Principal, at: date) -> list[tuple[int, Alert]]:
    """``(case ref, alert)`` for the cases ``principal`` may see, most urgent first."""
    found = _visible_alerts(store, principal, at)
    audit_read(store, principal.name, "search", None, f"{len(found)} alerts listed")
    return found


def today(store: Store, principal: Principal, at: date) -> list[today_service.PersonRow]:
    """The Today view of the cases ``principal`` may see: one row per person, most urgent
    first (cached per store state, like the alerts it is built from)."""
    with store.read() as connection:
        key = ("today", _state(connection), _who(principal), at)
    rows = _cache_get(key)
    if rows is None:
        found = [alert for _ref, alert in _visible_alerts(store, principal, at)]
        with store.read() as connection:
            who = today_service.people_of(connection, (a.case for a in found), visible(principal))
        rows = today_service.build(found, who, at)
        _cache_put(key, rows)
    audit_read(store, principal.name, "search", None, f"{len(rows)} people listed for today")
    return rows  # type: ignore[no-any-return]


def _visible_alerts(store: Store, principal: Principal, at: date) -> list[tuple[int, Alert]]:
    with store.read() as connection:
        key = ("alerts", _state(connection), _who(principal), at)
    cached = _cache_get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
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
    result = [(allowed[a.case], a) for a in found if a.case in allowed]
    _cache_put(key, result)
    return result


# Results that are costly to recompute (every case's alerts, counts over thousands of cases)
# are cached per state of the store: the number of cases, their last change (every write of
# a case moves ``updated_at``), the last grant, and the law packs. Anything else is read
# fresh; access is still decided by ``visible`` when the entry is computed.
_cache_lock = threading.Lock()
_cache: dict[Any, Any] = {}
_CACHE_SIZE = 512


_STATE_TTL = 1.0
_state_memo: list[Any] = [0.0, None]


def _state(connection: Connection) -> tuple[Any, ...]:
    """The store's state for the cache keys. Scanning ``cases`` costs a few milliseconds, so
    it is remembered for one second: a change made by another process (``refuge ingest``)
    shows within a second; changes made through the web app call ``_invalidate`` at once."""
    with _cache_lock:
        taken, known = _state_memo
    if known is not None and time.monotonic() - taken < _STATE_TTL:
        return known  # type: ignore[no-any-return]
    count, changed = connection.execute(select(func.count(), func.max(cases.c.updated_at))).one()
    granted = connection.execute(select(func.max(case_access.c.pk))).scalar()
    found = (count, changed, granted, alert_rules.engine_digest())
    with _cache_lock:
        _state_memo[:] = [time.monotonic(), found]
    return found


def _invalidate() -> None:
    with _cache_lock:
        _state_memo[:] = [0.0, None]


on_change(_invalidate)  # a change made through the services shows at once


def _who(principal: Principal) -> tuple[int, tuple[int, ...]]:
    return (principal.pk, principal.teams)


def _cache_get(key: Any) -> Any:
    with _cache_lock:
        return _cache.get(key)


def _cache_put(key: Any, value: Any) -> None:
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[key] = value


def _all_alerts(store: Store, at: date) -> list[Alert]:
    """Every case's alerts at ``at`` (before access filtering), cached per store state."""
    with store.read() as connection:
        key = ("all alerts", _state(connection)[:2], _state(connection)[3], at)
    cached = _cache_get(key)
    if cached is None:
        cached = store_service.collect_alerts(store, at, ALERT_DAYS)
        _cache_put(key, cached)
    return cached  # type: ignore[no-any-return]


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
    risks = _risks(store, principal, at)  # the Risks column, filtered or not (cached)
    drafts = (
        select(func.count())
        .where(events.c.case_pk == cases.c.pk, events.c.review == "draft")
        .scalar_subquery()
    )
    conditions = [visible(principal), *_conditions(filters, store.dialect)]
    if filters.risk:
        conditions.append(cases.c.id.in_([c for c, r in risks.items() if filters.risk in r]))
    columns = (cases.c.pk, cases.c.id, people.c.name, cases.c.host, cases.c.origin, drafts)
    query = select(*columns).join(people).where(*conditions)
    with store.read() as connection:
        # Counted without the per-row draft subquery: that one runs for the page only.
        key = ("count", _state(connection), _who(principal), dataclasses.replace(filters, page=1))
        total = _cache_get(key)
        if total is None:
            counted = cases.join(people) if filters.q else cases
            total = connection.execute(
                select(func.count()).select_from(counted).where(*conditions)
            ).scalar_one()
            _cache_put(key, total)
        offset = (filters.page - 1) * PAGE_SIZE
        rows = connection.execute(query.order_by(cases.c.id).offset(offset).limit(PAGE_SIZE)).all()
    audit_read(store, principal.name, "search", None, f"{len(rows)} listed")
    items = [
        CaseSummary(r[0], r[1], r[2], r[3], r[4], int(r[5]), tuple(sorted(risks.get(r[1], ()))))
        for r in rows
    ]
    return CasePage(items, int(total), filters.page, max(1, -(-int(total) // PAGE_SIZE)))


def _blind_name(query: str) -> Any:
    """PostgreSQL holds names encrypted: match the cases whose merge index (keyed HMACs of the
    first three letters of each folded name token, storage/columns.py) has every token of the
    query. Coarser than a substring match; docs/security.md gives the keyed-token design a
    full-text search builds on."""
    wanted = sorted({token[:3] for token in fold(query).split() if len(token) >= 3})
    if not wanted:
        return false()
    having = (
        select(name_keys.c.case_pk)
        .where(name_keys.c.key.in_(wanted))
        .group_by(name_keys.c.case_pk)
        .having(func.count(func.distinct(name_keys.c.key)) == len(wanted))
    )
    return cases.c.pk.in_(having)


def _conditions(filters: Filters, dialect: str) -> list[Any]:
    found: list[Any] = []
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "").replace("%", "").replace("_", "") + "%"
        by_name = (
            people.c.name.ilike(pattern) if dialect != "postgresql" else _blind_name(filters.q)
        )
        found.append(by_name | cases.c.id.ilike(pattern))
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
    for _ref, alert in _visible_alerts(store, principal, at):
        found.setdefault(alert.case, set()).add(alert.kind)
    return found


# -- one case --------------------------------------------------------------------------------
def show_case(store: Store, principal: Principal, ref: int, at: date) -> store_service.CaseView:
    """The case with its findings at ``at``; the read is audited."""
    with store.read() as connection:
        pk, case_id = _visible(connection, principal, ref)
    audit_read(store, principal.name, "read", pk, "case viewed")
    return store_service.show_case(store, case_id, at)


def export_case(
    store: Store,
    principal: Principal,
    ref: int,
    fmt: str,
    settings: WebSettings | None = None,
    step_up: str = "",
) -> str:
    """One visible case as YAML, JSON or CSV (lawyers; the export is audited by the store).
    Beyond the hourly allowance a step-up (and, if configured, an approval) is needed."""
    require(principal, "lawyer")
    with store.read() as connection:
        _pk, case_id = _visible(connection, principal, ref)
    check_bulk(store, principal, settings or WebSettings(), step_up)
    return store_service.export_cases(store, fmt, principal.name, case_id)


def case_for_filing(store: Store, principal: Principal, ref: int, what: str) -> Case:
    """A visible case to draw a dossier or a request from (lawyers, like an export; the read
    is audited as an export: the document leaves refuge)."""
    require(principal, "lawyer")
    with store.read() as connection:
        pk, case_id = _visible(connection, principal, ref)
    audit_read(store, principal.name, "export", pk, f"{what} generated")
    [case] = store_service.load_cases(store, case_id)
    return case


def record_request_sent(store: Store, principal: Principal, ref: int, body: str, sent: date) -> str:
    """A lawyer confirms a request for interim measures was sent: it becomes an event of the
    case (audited by the filing service), and alerts and deadlines move on. Returns its id."""
    require(principal, "lawyer")
    with store.read() as connection:
        _pk, case_id = _visible(connection, principal, ref)
    event = filing.record_request_sent(store, case_id, body, sent, principal.name)
    _invalidate()
    return event.id


def _visible(connection: Connection, principal: Principal, ref: int) -> tuple[int, str]:
    """``(pk, case id)`` of the case with opaque reference ``ref``, if visible."""
    found = visible_case(connection, principal, ref)
    if found is None:
        raise NotFound("no such case")
    return found


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
