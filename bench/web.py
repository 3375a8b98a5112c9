"""Benchmark: the web app over a store of 10,000 cases with 50 concurrent clients on loopback.

    REFUGE_PASSPHRASE=... PYTHONPATH=src .venv/bin/python bench/web.py [--cases 10000]
        [--backends sqlite,postgresql] [--pg URL]

(stores are encrypted at rest: the passphrase keys the new store; ``--sqlite PATH`` keeps it).
On PostgreSQL each run gets a fresh database on the server ``--pg`` names, else on a
throwaway cluster started with initdb as the store tests do (tests/storage/conftest.py).

Builds a SQLite store of synthetic cases (alerts index computed in worker processes), shares
them all with one team, opens one session per client directly in the store (50 Argon2 sign-ins
at once would measure the password hash, not the app), starts ``create_app`` under uvicorn in a
subprocess, and drives it from another process: ``--clients`` asyncio clients, each looping
over the case list, a random case page, the first page (Today) and a static CSS file (the floor of
the harness itself: no application work) with ``--think`` seconds between requests, for at
most ``--seconds``. Prints p50/p95 latency per page (target: p95 < 100 ms) and the server's
CPU time per request (independent of the machine's other load).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from refuge.domain import Case, DateRange, Event, Evidence, Person, Source

AT = date(2026, 11, 27)
_SYLLABLES = ("ka", "ri", "mo", "sa", "len", "dar", "zhi", "bek", "ov", "in", "ra", "tu", "gul")
_STEPS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("asylum_application", {}),
    ("asylum_decision", {"outcome": "refused"}),
    ("appeal_lodged", {"against": "asylum_decision"}),
    ("appeal_decision", {"against": "asylum_decision", "outcome": "upheld"}),
    ("expulsion_order", {}),
    ("removal", {"to": "RU", "via": "deportation"}),
)


def synthetic_case(index: int) -> Case:
    """Case ``index``: entry and detention, then a random number of procedural steps."""
    rng = random.Random(index)
    day = date(2015, 1, 1) + timedelta(days=rng.randint(0, 4000))
    proof = (Evidence("report", "synthetic evidence"),)
    events = [
        Event("e1", "entry", DateRange.day(day), {"irregular": True}, proof),
        Event("e2", "detention", DateRange.day(day), {"grounds": "border"}, proof),
    ]
    for kind, attrs in _STEPS[: rng.randint(0, len(_STEPS))]:
        day += timedelta(days=rng.randint(5, 60))
        if day > AT:
            break
        events.append(Event(f"e{len(events) + 1}", kind, DateRange.day(day), attrs, proof))
    first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).title()
    last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).title() + "ov"
    return Case(
        id=f"bench-{index:06d}",
        person=Person(f"{first} {last}", citizenship=("RU",)),
        host="KZ",
        origin="RU",
        events=tuple(events),
        sources=(Source("report", title="synthetic report"),),
    )


def _indexed(indexes: range) -> list[tuple[Case, dict[str, Any]]]:
    from refuge.services.alerts import index_entry

    return [(c, index_entry(c)) for c in map(synthetic_case, indexes)]


def build_store(url: str, count: int, clients: int, workers: int) -> list[str]:
    """Create the store with ``count`` cases shared with team "bench"; return session ids."""
    from refuge.auth.access import grant
    from refuge.auth.users import add_user, ensure_team
    from refuge.services.store import init_store
    from refuge.storage import open_store
    from refuge.storage import repository as repo
    from refuge.storage.resolve import write_index

    if _exists(url):
        return _sessions(url, clients)
    init_store(url)
    store = open_store(url)
    chunks = [range(i, min(i + 1000, count)) for i in range(0, count, 1000)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_indexed, chunks):
            with store.write() as connection:
                team = ensure_team(connection, "bench")
                for case, entry in part:
                    pk = repo.insert_case(connection, case, edited=False)
                    write_index(connection, pk, entry)
                    grant(connection, pk, team_pk=team)
    with store.write() as connection:
        add_user(connection, "bench", "lawyer", "bench passphrase, long enough", "bench")
    store.close()
    return _sessions(url, clients)


def _exists(url: str) -> bool:
    return url.startswith("sqlite") and Path(url.removeprefix("sqlite:///")).exists()


def _sessions(url: str, clients: int) -> list[str]:
    """One fresh session per client for the user "bench"."""
    from sqlalchemy import select

    from refuge.auth import sessions
    from refuge.auth.tables import users
    from refuge.storage import open_store

    store = open_store(url)
    with store.write() as connection:
        user = connection.execute(select(users.c.pk).where(users.c.name == "bench")).scalar_one()
        found = [sessions.create(connection, user, time.time()) for _ in range(clients)]
    store.close()
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER = """
import sys, uvicorn
from refuge.api.app import create_app
from refuge.api.settings import WebSettings
# The clients stand for 50 people on 50 addresses, all on loopback here: the per-address
# rate limit (api/ratelimit.py) would otherwise answer 429 to the benchmark itself.
settings = WebSettings(database_url=sys.argv[1], requests_per_second=1e6, request_burst=10**6)
app = create_app(settings)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), access_log=False, log_level="warning")
"""


async def _client(
    base: str,
    cookie: str,
    refs: list[int],
    think: float,
    window: tuple[float, float],
    out: dict[str, list[float]],
) -> None:
    import httpx

    rng = random.Random(cookie)

    def paths() -> list[tuple[str, str]]:
        found = [
            ("case list", "/cases"),
            ("case page", f"/cases/{rng.choice(refs)}"),
            ("today (first page)", "/"),
            ("static css", "/static/refuge.css"),  # the harness's own floor: no app work
        ]
        rng.shuffle(found)  # no page is always the first after a pause
        return found

    cookies = {"refuge_session": cookie}
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as client:
        await asyncio.sleep(rng.random() * think)
        begin, stop = window
        while time.monotonic() < stop:
            for name, path in paths():
                counted = time.monotonic() >= begin
                started = time.perf_counter()
                response = await client.get(path)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: HTTP {response.status_code}")
                if counted:
                    out[name].append(elapsed)
                await asyncio.sleep(think)


def drive(
    base: str, cookies: list[str], count: int, think: float, seconds: float, ramp: float = 0.0
) -> Any:
    """The load: one asyncio client per session, in this (separate) process. Requests in the
    first ``ramp`` seconds (connections opening, clients starting together) are not counted."""
    out: dict[str, list[float]] = {
        "case list": [],
        "case page": [],
        "today (first page)": [],
        "static css": [],
    }
    refs = list(range(1, count + 1))
    window = (time.monotonic() + ramp, time.monotonic() + ramp + seconds)

    async def run() -> None:
        await asyncio.gather(*(_client(base, c, refs, think, window, out) for c in cookies))

    asyncio.run(run())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured time")
    parser.add_argument("--ramp", type=float, default=5.0, help="uncounted start, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", default=None, help="store path (a new temp file if unset)")
    parser.add_argument("--backends", default="sqlite", help="sqlite, postgresql or both")
    parser.add_argument("--pg", default=None, help="PostgreSQL server URL (else one of ours)")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        with store_url(backend.strip(), args) as url:
            print(f"== {backend.strip()}", flush=True)
            run(url, args)


@contextmanager
def store_url(backend: str, args: argparse.Namespace) -> Iterator[str]:
    """Where the store goes: a SQLite file, or a fresh database on a PostgreSQL server."""
    if backend == "sqlite":
        path = args.sqlite or Path(tempfile.mkdtemp(prefix="refuge-web-bench-")) / "store.db"
        yield f"sqlite:///{path}"
        return
    if backend != "postgresql":
        raise SystemExit(f"--backends: {backend!r} is neither sqlite nor postgresql")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from workers import postgres  # the throwaway cluster of the store tests

    with postgres(args.pg) as server:
        name = f"bench_web_{uuid.uuid4().hex[:10]}"
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        yield server.rsplit("/", 1)[0] + "/" + name


def run(url: str, args: argparse.Namespace) -> None:
    """Build (or reuse) the store at ``url``, serve it and drive the load."""
    started = time.perf_counter()
    cookies = build_store(url, args.cases, args.clients, args.workers)
    print(f"store: {args.cases} cases built in {time.perf_counter() - started:.0f} s", flush=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    try:
        _wait_for(port)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            base = f"http://127.0.0.1:{port}"
            drive(base, cookies[:1], args.cases, 0.0, 2.0)  # warm-up, not counted
            cpu = _cpu_seconds(server.pid)
            load = os.getloadavg()[0]
            future = pool.submit(
                drive, base, cookies, args.cases, args.think, args.seconds, args.ramp
            )
            out = future.result()
            used = _cpu_seconds(server.pid) - cpu
            report(out, args)
            served = sum(len(v) for v in out.values())
            each = used / served * 1000
            print(f"  server CPU: {used:.1f} s for {served} requests, {each:.1f} ms each")
            print(f"  load average {load:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
            for name, ms in cost(base, cookies[0], server.pid, args.cases).items():
                print(f"  server CPU per {name}, one client alone: {ms:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)


def cost(base: str, cookie: str, pid: int, count: int, rounds: int = 40) -> dict[str, float]:
    """The server's CPU time per page, one request at a time: what a page costs whatever the
    machine's other load (the latencies above move with it)."""
    import httpx

    rng = random.Random(0)
    pages: dict[str, Callable[[], str]] = {
        "case page": lambda: f"/cases/{rng.randint(1, count)}",
        "today (first page)": lambda: "/",
        "case list": lambda: "/cases",
        "static css": lambda: "/static/refuge.css",
    }
    found = {}
    with httpx.Client(base_url=base, cookies={"refuge_session": cookie}, timeout=30) as client:
        for name, path in pages.items():
            client.get(path())  # warm
            before = _cpu_seconds(pid)
            for _ in range(rounds):
                client.get(path()).raise_for_status()
            found[name] = (_cpu_seconds(pid) - before) / rounds * 1000
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (Linux ``/proc``), to tell the app's own
    cost from the machine's load."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def report(out: dict[str, list[float]], args: argparse.Namespace) -> None:
    print(
        f"{args.clients} clients, {args.think:g} s think time, {args.seconds:g} s measured "
        f"after {args.ramp:g} s ramp-up, loopback"
    )
    for name, samples in out.items():
        ms = sorted(s * 1000 for s in samples)
        p50 = statistics.median(ms)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        verdict = "ok" if p95 < 100 else "SLOWER than the 100 ms target"
        print(f"  {name:10} n={len(ms):5}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
