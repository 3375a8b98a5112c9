"""Benchmark: what encryption at rest costs (SQLCipher store vs. the same store in clear).

    PYTHONPATH=src .venv/bin/python bench/crypto.py [--reports 200] [--cases 100000]
        [--distinct 10000] [--requests 300]

In one command, on the same data, each workload runs on an encrypted store (SQLCipher under
a data key unwrapped from REFUGE_PASSPHRASE with the DEFAULT Argon2id cost) and on a plain
SQLite store opened through the same engine code with ``plaintext=True`` (the in-process
baseline no command exposes):

* ingest: ``refuge ingest``'s service over ``--reports`` reports (bench/ingest.py's reports),
  real analyser, one worker; then storing alone: ``--cases`` synthetic cases and their alerts
  index rows inserted in bulk (bench/alerts.py's cases);
* alerts: ``collect_alerts`` (the service behind ``refuge alerts``) over those cases, best of 3,
  each from a freshly opened store (cold connections, PRAGMA quick_check included);
* web: ``--requests`` API requests (a page of the case list, a random case's page) through
  ``create_app`` in process, as a lawyer who may see every case; p50 and p95 latency;
* unlock: the one-off cost of deriving the key (Argon2id) when a command opens the store.

Prints each ratio encrypted / clear (target: under 1.15). Computing the alerts index of
100,000 cases takes most of an hour on a loaded 2-core machine, so ``--distinct`` cases are
computed and repeated under other ids up to ``--cases`` (the same bytes per case, so the same
store size and the same work for the queries; 0: all distinct).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alerts import AT, build, fill
from ingest import write_reports
from refuge.services import store as svc
from refuge.storage import Store, keys, open_store
from refuge.storage.database import create_store_engine
from refuge.storage.migrate import upgrade


def open_kind(url: str, encrypted: bool) -> Store:
    """The store at ``url``: encrypted through open_store, or in clear (same engine code)."""
    if encrypted:
        return open_store(url)
    return Store(create_store_engine(url, plaintext=True))


def create(folder: Path, encrypted: bool) -> str:
    url = f"sqlite:///{folder / ('encrypted' if encrypted else 'clear') / 'refuge.db'}"
    if encrypted:
        svc.init_store(url)
    else:
        engine = create_store_engine(url, plaintext=True)
        upgrade(engine)
        engine.dispose()
    return url


def timed_ingest(url: str, encrypted: bool, reports: Path) -> float:
    store = open_kind(url, encrypted)
    started = time.perf_counter()
    svc.ingest(store, [reports], actor="bench", workers=1)
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def timed_fill(url: str, encrypted: bool, built: list[tuple[object, dict[str, object]]]) -> float:
    store = open_kind(url, encrypted)
    started = time.perf_counter()
    fill(store, built)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def timed_alerts(url: str, encrypted: bool, repeat: int = 3) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        store = open_kind(url, encrypted)
        if not encrypted:
            from refuge.storage.integrity import check_engine

            check_engine(store.engine)  # the same start-up check as open_store
        found = len(svc.collect_alerts(store, AT, 14))
        best = min(best, time.perf_counter() - started)
        store.close()
    return best, found


def web_latencies(url: str, encrypted: bool, requests: int) -> dict[str, list[float]]:
    """Seconds per request of the case list and case pages, through the real app."""
    from fastapi.testclient import TestClient
    from sqlalchemy import insert, select

    import refuge.api.app as web
    from refuge.api.settings import WebSettings
    from refuge.auth import tokens
    from refuge.auth.tables import case_access
    from refuge.auth.users import add_user, ensure_team
    from refuge.storage.tables import cases

    store = open_kind(url, encrypted)
    with store.write() as connection:
        team = ensure_team(connection, "bench")
        pks = list(connection.execute(select(cases.c.pk)).scalars())
        connection.execute(
            insert(case_access),
            [{"case_pk": p, "team_pk": team, "granted_at": int(time.time())} for p in pks],
        )
        user = add_user(connection, "bench", "lawyer", "bench passphrase, long enough", "bench")
        token = tokens.create(connection, user, "read", 30, time.time())
    store.close()

    def opened(_url: str) -> Store:
        return open_kind(url, encrypted)

    setattr(web, "open_store", opened)  # noqa: B010  (the baseline no command exposes)
    settings = WebSettings(database_url=url, mfa_roles=(), request_burst=10**9)
    out: dict[str, list[float]] = {"case list": [], "case page": []}
    rng = random.Random(5)
    with TestClient(web.create_app(settings), base_url="http://127.0.0.1") as client:
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(requests):
            for name, path in (
                ("case list", f"/api/cases?page={rng.randint(1, 50)}"),
                ("case page", f"/api/cases/{rng.choice(pks)}"),
            ):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                out[name].append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def unlock_seconds(url: str) -> float:
    path = Path(url.removeprefix("sqlite:///"))
    wrapped = keys.read_key_file(keys.key_path(path))
    keys._unwrapped.clear()  # measure the derivation, not the process cache
    started = time.perf_counter()
    keys.unwrap(wrapped, keys.passphrase())
    return time.perf_counter() - started


def ratio(name: str, encrypted: float, clear: float) -> None:
    verdict = "ok" if encrypted / clear < 1.15 else "OVER the 15% target"
    print(
        f"{name}: encrypted {encrypted:.2f} s, clear {clear:.2f} s, "
        f"ratio {encrypted / clear:.3f} ({verdict})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="0: skip the ingest run")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=10_000, help="0: all distinct")
    parser.add_argument("--requests", type=int, default=300, help="0: skip the web run")
    parser.add_argument("--workers", type=int, default=2, help="for building the cases")
    args = parser.parse_args()
    os.environ.setdefault("REFUGE_PASSPHRASE", "benchmark passphrase, not a secret")
    os.environ.pop("REFUGE_TEST_FAST_KDF", None)  # the default (strong) Argon2id cost
    folder = Path(tempfile.mkdtemp(prefix="refuge-bench-crypto-"))
    urls = {kind: create(folder, kind) for kind in (True, False)}
    print(f"key unlock (Argon2id, default cost): {unlock_seconds(urls[True]):.2f} s per command")

    if args.reports:
        reports = folder / "reports"
        reports.mkdir()
        write_reports(reports, args.reports)
        timed_ingest(create(folder / "warm", False), False, reports)  # load spaCy once for both
        ingest = {kind: timed_ingest(urls[kind], kind, reports) for kind in (False, True)}
        ratio(f"ingest of {args.reports} reports", ingest[True], ingest[False])

    started = time.perf_counter()
    distinct = build(min(args.distinct or args.cases, args.cases), args.workers)
    built = [
        (dataclasses.replace(case, id=f"{case.id}-{copy}"), entry)
        for copy in range(-(-args.cases // len(distinct)))
        for case, entry in distinct
    ][: args.cases]
    print(f"built {len(distinct)} synthetic cases in {time.perf_counter() - started:.0f} s")
    stored = {kind: timed_fill(urls[kind], kind, built) for kind in (False, True)}  # type: ignore[arg-type]
    ratio(f"storing {len(built)} cases", stored[True], stored[False])
    alerts = {kind: timed_alerts(urls[kind], kind) for kind in (False, True)}
    assert alerts[True][1] == alerts[False][1], "the two stores must give the same alerts"
    ratio(
        f"alerts over {len(built)} cases ({alerts[True][1]} alerts)",
        alerts[True][0],
        alerts[False][0],
    )
    if args.requests:
        web = {kind: web_latencies(urls[kind], kind, args.requests) for kind in (False, True)}
        for page in web[True]:
            enc, clear = web[True][page], web[False][page]
            print(f"web {page}: p50 {statistics.median(enc) * 1000:.0f} ms encrypted, "
                  f"{statistics.median(clear) * 1000:.0f} ms clear")  # fmt: skip
            ratio(f"web {page} p95", p95(enc), p95(clear))


if __name__ == "__main__":
    main()
