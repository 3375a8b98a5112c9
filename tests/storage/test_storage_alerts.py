"""Alerts: the batch path agrees with evaluating each case, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import update

from refuge.domain import Case
from refuge.services import store as svc
from refuge.services.alerts import Alert, change_days, index_entry, live_alerts, sort_alerts
from refuge.storage import Store
from refuge.storage import repository as repo
from refuge.storage.resolve import write_index
from refuge.storage.tables import case_index

BENCH = Path(__file__).resolve().parents[2] / "bench" / "alerts.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_alerts", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _store_cases(store: Store, found: list[Case]) -> dict[str, dict[str, Any]]:
    entries = {case.id: index_entry(case) for case in found}
    with store.write() as connection:
        for case in found:
            pk = repo.insert_case(connection, case, edited=False)
            write_index(connection, pk, entries[case.id])
    return entries


def _reference(found: list[Case], at: date, within: int) -> list[Alert]:
    """What evaluating every case directly says (no index)."""
    return sort_alerts(a for case in found for a in live_alerts(case, at, within))


def test_batch_path_agrees_with_per_case_evaluation(store: Store) -> None:
    """On random synthetic cases, at random dates around their change points (settled, in
    their tail, and before their last event), the store's alerts equal direct evaluation."""
    rng = random.Random(20261127)
    found = [_bench().synthetic_case(i, seed=11) for i in rng.sample(range(100_000), 40)]
    entries = _store_cases(store, found)
    days = sorted({d for case in found for d in change_days(case)})
    probes = [rng.choice(days) + timedelta(days=rng.randint(-3, 3)) for _ in range(12)]
    probes.append(max(days) + timedelta(days=1))
    paths_seen = set()
    for at in probes:
        within = rng.choice([7, 14, 60])
        expected = _reference(found, at, within)
        assert svc.collect_alerts(store, at, within) == expected, at
        paths_seen |= _paths(entries.values(), at)
    assert paths_seen == {"settled", "tail", "live"}


def _paths(entries: Iterable[dict[str, Any]], at: date) -> set[str]:
    out = set()
    for entry in entries:
        if entry["stable_from"] <= at:
            out.add("settled")
        elif entry["tail_from"] <= at:
            out.add("tail")
        else:
            out.add("live")
    return out


_WRONG = {"lawful": True, "gone": False, "deadlines": [], "actions": []}


def test_a_stale_index_is_never_trusted(store: Store, zhilin_file: Path) -> None:
    """Index rows computed under other law packs are ignored: the case is evaluated again."""
    svc.import_cases(store, [zhilin_file], "tester")
    at = date(2023, 6, 1)
    with store.write() as connection:
        connection.execute(
            update(case_index).values(
                packs="old",
                alerting=True,
                stable_from=date(2000, 1, 1),
                tail_from=date(2000, 1, 1),
                final=_WRONG,
                segments=[["2000-01-01", _WRONG]],
            )
        )
    expected = _reference(svc.load_cases(store), at, 14)
    assert all(a.kind != "removal" for a in expected)  # the stale row would say otherwise
    assert svc.collect_alerts(store, at, 14) == expected


def test_zhilin_the_day_before_the_appeal_ruling(store: Store, zhilin_file: Path) -> None:
    """On 27 Dec 2022: ask CAT and the HRC for interim measures now; removal may become
    lawful from the 28th (the ruling). Most urgent first."""
    svc.import_cases(store, [zhilin_file], "tester")
    found = svc.collect_alerts(store, date(2022, 12, 27), 14)
    assert [(a.kind, a.due.isoformat(), a.status) for a in found] == [
        ("action", "2022-12-27", "certain"),
        ("action", "2022-12-27", "certain"),
        ("removal", "2022-12-28", "possible"),
    ]
    assert "interim measures" in found[0].reason
    assert found[0].todo == "now"
    # Handed over: no removal alert and nothing that would halt it, only what can still be
    # done after the removal (issue 11).
    after = svc.collect_alerts(store, date(2023, 2, 1), 14)
    assert after and all(a.kind == "action" and a.after_removal for a in after)
    assert {a.rule for a in after} == {
        "cat.act.communication_after_removal",
        "iccpr_op1.act.communication_after_removal",
        "cat.act.whereabouts_and_guarantees",
    }


def test_since_keeps_only_the_alerts_of_cases_changed_since(
    store: Store, zhilin_file: Path
) -> None:
    """``--since``: "new since yesterday" lists only cases created or changed from then on."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from refuge.storage.tables import cases

    svc.import_cases(store, [zhilin_file], "tester")
    at = date(2022, 12, 27)
    every = svc.collect_alerts(store, at, 14)
    assert every
    yesterday = datetime.now(UTC) - timedelta(days=1)
    assert svc.collect_alerts(store, at, 14, since=yesterday) == every
    with store.write() as connection:
        connection.execute(update(cases).values(updated_at=yesterday - timedelta(days=2)))
    assert svc.collect_alerts(store, at, 14, since=yesterday) == []
