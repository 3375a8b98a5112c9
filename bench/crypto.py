"""Benchmark: what encryption at rest costs (SQLCipher store vs. the same store in clear).

    PYTHONPATH=src .venv/bin/python bench/crypto.py [--reports 200] [--cases 20000]

In one command, on the same data, each workload runs on an encrypted store (SQLCipher under
a data key unwrapped from REFUGE_PASSPHRASE with the DEFAULT Argon2id cost) and on a plain
SQLite store opened through the same engine code with ``plaintext=True`` (the in-process
baseline no command exposes):

* ingest: ``refuge ingest``'s service over ``--reports`` reports (bench/ingest.py's reports),
  real analyser, one worker; then storing alone: ``--cases`` synthetic cases and their alerts
  index rows inserted in bulk (bench/alerts.py's cases);
* alerts: ``collect_alerts`` (the service behind ``refuge alerts``) over those cases, best of 3,
  each from a freshly opened store (cold connections, PRAGMA quick_check included);
* unlock: the one-off cost of deriving the key (Argon2id) when a command opens the store.

Prints each ratio encrypted / clear (target: under 1.15).
"""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("--cases", type=int, default=20_000)
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
    built = build(args.cases, args.workers)
    print(f"built {len(built)} synthetic cases in {time.perf_counter() - started:.0f} s")
    stored = {kind: timed_fill(urls[kind], kind, built) for kind in (False, True)}  # type: ignore[arg-type]
    ratio(f"storing {len(built)} cases", stored[True], stored[False])
    alerts = {kind: timed_alerts(urls[kind], kind) for kind in (False, True)}
    assert alerts[True][1] == alerts[False][1], "the two stores must give the same alerts"
    ratio(
        f"alerts over {len(built)} cases ({alerts[True][1]} alerts)",
        alerts[True][0],
        alerts[False][0],
    )


if __name__ == "__main__":
    main()
