"""Benchmark: ``refuge alerts`` over a store of 100,000 synthetic cases, SQLite and PostgreSQL.

    PYTHONPATH=src .venv/bin/python bench/alerts.py [--cases 100000] [--postgres URL]

Builds the store (cases computed and indexed in worker processes, inserted in bulk), then
times ``collect_alerts`` (the service behind ``refuge alerts``) at a fixed date. The synthetic
timelines follow the procedure of the real cases (entry, detention, asylum claim, refusal,
appeal, extradition, expulsion, removal or protection), with random dates from 2010 to 2026,
some of them fuzzy, and stop at a random stage, as a team's store accumulated over years does.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from refuge.domain import Case, DateRange, Event, Evidence, Person, Source
from refuge.storage import Store

AT = date(2026, 11, 27)
FIRST, LAST = date(2010, 1, 1), date(2026, 11, 20)
_SYLLABLES = ("ka", "ri", "mo", "sa", "len", "dar", "zhi", "bek", "ov", "in", "ra", "tu", "gul")


def _name(rng: random.Random) -> str:
    first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).title()
    last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).title() + rng.choice(("ov", "ev"))
    return f"{first} {last}"


def _fuzzy(rng: random.Random, day: date) -> DateRange:
    if rng.random() < 0.2:
        return DateRange(day, day + timedelta(days=rng.randint(1, 9)), "late in the month")
    return DateRange.day(day)


def synthetic_case(index: int, seed: int = 7) -> Case:
    """Case number ``index`` of the synthetic store (deterministic for a seed)."""
    rng = random.Random(seed * 1_000_003 + index)
    day = FIRST + timedelta(days=rng.randint(0, (LAST - FIRST).days))
    src = "report"
    proof = (Evidence(src),)
    events: list[Event] = []

    def add(kind: str, when: DateRange, **attrs: object) -> None:
        events.append(Event(f"e{len(events) + 1}", kind, when, attrs, proof))

    add("entry", DateRange.day(day), irregular=rng.random() < 0.5)
    add("detention", DateRange.day(day), grounds=rng.choice(("border", "extradition")))
    stages = rng.randint(1, 8)
    day += timedelta(days=rng.randint(0, 5))
    add("asylum_application", DateRange.day(day))
    if stages > 1 and rng.random() < 0.6:
        add("charge", DateRange.day(day - timedelta(days=30)), by="RU", wanted="interstate")
    if stages > 2:
        day += timedelta(days=rng.randint(20, 150))
        add("asylum_decision", _fuzzy(rng, day), outcome=rng.choice(("refused", "granted")))
    if stages > 3:
        day += timedelta(days=rng.randint(3, 30))
        add("appeal_lodged", DateRange.day(day), against="asylum_decision")
    if stages > 4:
        day += timedelta(days=rng.randint(10, 90))
        add("appeal_decision", _fuzzy(rng, day), against="asylum_decision", outcome="upheld")
    if stages > 5 and rng.random() < 0.5:
        add("risk_allegation", DateRange.day(day), harm="torture", by="family")
    if stages > 6:
        day += timedelta(days=rng.randint(1, 20))
        add("expulsion_order", DateRange.day(day))
    if stages > 7:
        day += timedelta(days=rng.randint(1, 10))
        add("removal", _fuzzy(rng, day), to="RU", via="deportation")
    # The store is as of AT: what happens later is not known yet.
    known = tuple(e for e in events if e.date.latest <= AT)
    return Case(
        id=f"synthetic-{index:06d}",
        person=Person(_name(rng), citizenship=("RU",)),
        host="KZ",
        origin="RU",
        events=known,
        sources=(Source(src, title="synthetic report"),),
    )


def _entries(indexes: range) -> list[tuple[Case, dict[str, object]]]:
    from refuge.services.alerts import index_entry

    return [(c, index_entry(c)) for c in (synthetic_case(i) for i in indexes)]


def build(count: int, workers: int) -> list[tuple[Case, dict[str, object]]]:
    """Synthetic cases with their alerts index entries, computed in worker processes."""
    from concurrent.futures import ProcessPoolExecutor

    step = 2_000
    chunks = [range(i, min(i + step, count)) for i in range(0, count, step)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [pair for part in pool.map(_entries, chunks) for pair in part]


def load(url: str, built: list[tuple[Case, dict[str, object]]]) -> None:
    """Create the store at ``url`` and insert the cases and their index rows in bulk."""
    from refuge.services import store as svc
    from refuge.storage import open_store

    svc.init_store(url)
    store = open_store(url)
    try:
        fill(store, built)
    finally:
        store.close()


def fill(store: Store, built: list[tuple[Case, dict[str, object]]]) -> None:
    """Insert the cases and their index rows in bulk, 5,000 per transaction."""
    from refuge.storage import repository as repo
    from refuge.storage.resolve import write_new_indexes

    for start in range(0, len(built), 5_000):
        part = built[start : start + 5_000]
        with store.write() as connection:
            pks = repo.insert_many(connection, [c for c, _ in part], edited=False)
            write_new_indexes(connection, [(pk, e) for pk, (_, e) in zip(pks, part, strict=True)])


def copy_store(source: str, target: str) -> None:
    """Fill the store at ``target`` from the one at ``source`` (cases and index rows as they
    are), so the second database does not recompute 100,000 index entries."""
    from sqlalchemy import select

    from refuge.storage import open_store
    from refuge.storage import repository as repo
    from refuge.storage.tables import case_index

    origin = open_store(source)
    with origin.read() as connection:
        pks = repo.all_case_pks(connection)
        rows = {r.case_pk: r._asdict() for r in connection.execute(select(case_index))}
    built = []
    for start in range(0, len(pks), 5_000):
        chunk = pks[start : start + 5_000]
        with origin.read() as connection:
            found = repo.load_cases(connection, chunk)
        built += [
            (c, {k: v for k, v in rows[pk].items() if k != "case_pk"})
            for pk, c in zip(chunk, found, strict=True)
        ]
    origin.close()
    load(target, built)


def measure(url: str, repeat: int = 3) -> tuple[float, int]:
    """Best-of-``repeat`` wall time of the alerts service at AT, and the number of alerts."""
    from refuge.services import store as svc
    from refuge.storage import open_store

    best, found = float("inf"), 0
    for _ in range(repeat):
        store = open_store(url)  # a fresh process-like start: new engine, cold connections
        started = time.perf_counter()
        found = len(svc.collect_alerts(store, AT, 14))
        best = min(best, time.perf_counter() - started)
        store.close()
    return best, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--sqlite", default=None, help="path of the SQLite store (reused if it exists)"
    )
    parser.add_argument("--postgres", default=None, help="URL of an empty PostgreSQL database")
    args = parser.parse_args()
    path = Path(args.sqlite or Path(tempfile.mkdtemp(prefix="refuge-bench-")) / "refuge.db")
    sqlite = f"sqlite:///{path}"
    if not path.exists():
        started = time.perf_counter()
        built = build(args.cases, args.workers)
        print(f"built and indexed {len(built)} cases in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        load(sqlite, built)
        print(f"sqlite: loaded in {time.perf_counter() - started:.0f} s", flush=True)
    report(sqlite)
    if args.postgres:
        started = time.perf_counter()
        copy_store(sqlite, args.postgres)
        print(f"postgresql: loaded in {time.perf_counter() - started:.0f} s", flush=True)
        report(args.postgres)


def command_seconds(url: str) -> float:
    """Wall time of the whole ``refuge alerts --json`` command in a fresh process (start-up,
    imports, law packs, query, evaluation, JSON output)."""
    import subprocess

    code = "from refuge.cli.store import alerts; alerts()"
    args = [sys.executable, "-c", code, "--at", AT.isoformat(), "--json", "--database", url]
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def report(url: str) -> None:
    seconds, found = measure(url)
    command = command_seconds(url)
    backend = url.split(":", 1)[0]
    print(
        f"{backend}: alerts at {AT} (14 days): {found} alerts; service {seconds:.2f} s, "
        f"whole command {command:.2f} s",
        flush=True,
    )
    if command >= 5:
        print(f"{backend}: SLOWER than the 5 s target", file=sys.stderr)


if __name__ == "__main__":
    main()
