"""Benchmark: search over 100,000 stored reports, on SQLite (SQLCipher) and PostgreSQL.

    REFUGE_PASSPHRASE=... PYTHONPATH=src .venv/bin/python bench/search.py [--reports 100000]
        [--pg URL] [--only sqlite|postgresql]

Builds a store of synthetic cases, one report each (about 40 words: the person's name written
in Cyrillic or in Latin with a transliteration system of its own, places, procedure words),
granted to one team; builds the search index with the same rebuild as ``refuge search
--reindex`` (timed); then drives ``services.search.search`` (the function ``POST /api/search``,
the web page and ``refuge search`` call) as a member of that team with four kinds of query:
a name written in the *other* script, a name in a spelling variant, a name plus a place, and
two common words (hundreds of thousands of postings: the worst case). Prints p50/p95 per kind
(target: p95 < 150 ms) against the floor in the same process (a read transaction and the
search's audit write, no index work), and once the cost of searching without the index
(reading, decrypting and folding every report text).

PostgreSQL is a throwaway cluster of the test fixture's unless ``--pg`` names a server.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refuge.auth.tables import case_access
from refuge.auth.users import Principal, ensure_team
from refuge.services import search as search_service
from refuge.services import store as svc
from refuge.storage import Store, open_store, search_index
from refuge.storage.audit import record
from refuge.storage.tables import cases, people, reports, sources

FIRST = (
    ("Михаил", "Mikhail"), ("Дмитрий", "Dmitriy"), ("Пётр", "Pyotr"), ("Юрий", "Yuriy"),
    ("Алексей", "Aleksey"), ("Жанна", "Zhanna"), ("Ольга", "Olga"), ("Хасан", "Khasan"),
    ("Илья", "Ilya"), ("Татьяна", "Tatyana"), ("Сергей", "Sergey"), ("Фаррух", "Farrukh"),
)  # fmt: skip
_SYL = (
    ("жи", "zhi"),
    ("ли", "li"),
    ("ха", "kha"),
    ("са", "sa"),
    ("нов", "nov"),
    ("ма", "ma"),
    ("ра", "ra"),
    ("тов", "tov"),
    ("ку", "ku"),
    ("бе", "be"),
    ("до", "do"),
    ("ев", "yev"),
    ("ша", "sha"),
    ("ю", "yu"),
    ("ро", "ro"),
    ("ки", "ki"),
    ("ган", "gan"),
    ("пе", "pe"),
)
PLACES = ("Almaty", "Астана", "Bishkek", "Ташкент", "Moscow", "Dushanbe", "Шымкент", "Osh")
WORDS = [
    "detained",
    "border",
    "guards",
    "asylum",
    "application",
    "refused",
    "appeal",
    "court",
    "expulsion",
    "order",
    "removal",
    "extradition",
    "request",
    "prosecutor",
    "lawyer",
    "family",
    "hearing",
    "decision",
    "custody",
    "deported",
    "returned",
    "задержан",
    "граница",
    "убежище",
    "суд",
    "решение",
    "адвокат",
    "выдворение",
    "экстрадиция",
]
KINDS = ("other script", "variant spelling", "name and place", "common words")


def person(rng: random.Random) -> tuple[str, str]:
    """A made-up person, as (Cyrillic, Latin) spellings."""
    first = rng.choice(FIRST)
    syllables = [rng.choice(_SYL) for _ in range(rng.randint(2, 3))]
    cyr = "".join(s[0] for s in syllables).capitalize() + "ов"
    lat = "".join(s[1] for s in syllables).capitalize() + "ov"
    return f"{first[0]} {cyr}", f"{first[1]} {lat}"


def report_text(rng: random.Random, written: str, place: str) -> str:
    words = rng.choices(WORDS, k=36)
    words.insert(rng.randint(0, 10), written)
    words.insert(rng.randint(10, 30), place)
    return " ".join(words) + "."


def build(store: Store, count: int, seed: int = 7) -> tuple[Principal, list[tuple[str, str, str]]]:
    """``count`` cases with one report each, granted to one team; returns that team's member
    and each case's (Cyrillic name, Latin name, place)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    truth: list[tuple[str, str, str]] = []
    with store.write() as connection:
        team = ensure_team(connection, "bench")
        first = int(
            connection.execute(select(cases.c.pk).order_by(cases.c.pk.desc())).scalar() or 0
        )
        for start in range(0, count, 2000):
            chunk = range(start, min(count, start + 2000))
            rows: dict[str, list[dict[str, object]]] = {"c": [], "p": [], "r": [], "s": [], "a": []}
            for i in chunk:
                pk = first + i + 1
                cyr, lat = person(rng)
                place = rng.choice(PLACES)
                truth.append((cyr, lat, place))
                stored, other = (cyr, lat) if i % 2 else (lat, cyr)  # half in each script
                rows["c"].append({"pk": pk, "id": f"b-{i:06d}", "host": "KZ", "origin": "RU",
                                  "tags": [], "facts": {}, "version": 1, "created_at": now,
                                  "updated_at": now})  # fmt: skip
                rows["p"].append({"case_pk": pk, "name": stored, "aliases": [], "citizenship":
                                  ["RU"], "review": "draft", "edited": False})  # fmt: skip
                written = rng.choice((stored, other)).split()[1]
                rows["r"].append(
                    {
                        "pk": pk,
                        "sha256": f"{pk:064x}",
                        "size": 300,
                        "cases": 1,
                        "ingested_at": now,
                        "text": report_text(rng, written, place),
                    }
                )
                rows["s"].append({"case_pk": pk, "id": "r", "report_pk": pk, "position": 0})
                rows["a"].append({"case_pk": pk, "team_pk": team, "granted_at": 0})
            for table, key in ((cases, "c"), (people, "p"), (reports, "r"), (sources, "s"),
                               (case_access, "a")):  # fmt: skip
                connection.execute(insert(table), rows[key])
    return Principal(1, "bench", "lawyer", (team,)), truth


def variant(latin: str) -> str:
    """Another transliteration of a Latin-written name (what a colleague might type)."""
    for a, b in (("zh", "j"), ("kh", "h"), ("yev", "ev"), ("iy", "y"), ("yu", "iu")):
        latin = latin.replace(a, b)
    return latin


def queries(truth: list[tuple[str, str, str]], kind: str, n: int) -> list[str]:
    rng = random.Random(kind)
    picked = [rng.choice(truth) for _ in range(n)]
    if kind == "other script":  # stored in one script, searched in the other
        return [(cyr if i % 2 == 0 else lat) for i, (cyr, lat, _) in enumerate(picked)]
    if kind == "variant spelling":
        return [variant(lat) for _, lat, _ in picked]
    if kind == "name and place":
        return [f"{lat.split()[1]} {place}" for _, lat, place in picked]
    return [" ".join(rng.sample(WORDS, 2)) for _ in range(n)]


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        found.append((time.perf_counter() - started) * 1000)
    return found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def measure(url: str, count: int, per_kind: int) -> None:
    backend = url.split(":", 1)[0]
    store = open_store(url)
    try:
        started = time.perf_counter()
        principal, truth = build(store, count)
        print(f"{backend}: {count} reports stored in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        search_service.reindex(store, "bench")
        print(f"{backend}: index built in {time.perf_counter() - started:.0f} s (--reindex)")

        def floor() -> None:
            with store.read() as connection:
                connection.execute(select(1)).scalar()
            with store.write() as connection:
                record(connection, "bench", "search", "store", None, "search: 0 cases found")

        base = timed(floor, per_kind)
        print(f"{backend}: floor (read + audit write) p50 {statistics.median(base):.1f} ms, "
              f"p95 {p95(base):.1f} ms")  # fmt: skip
        for kind in KINDS:
            asked = queries(truth, kind, per_kind)
            found: list[int] = []
            took = []
            for query in asked:
                started = time.perf_counter()
                found.append(search_service.search(store, principal, query).total)
                took.append((time.perf_counter() - started) * 1000)
            hits = sum(1 for f in found if f) / len(found)
            print(f"{backend}: {kind:17} p50 {statistics.median(took):6.1f} ms  p95 "
                  f"{p95(took):6.1f} ms  ({p95(took) / p95(base):.1f}x floor p95; "
                  f"{hits:.0%} of queries found the person, median "
                  f"{statistics.median(found):.0f} cases)")  # fmt: skip
        wanted = set(search_service.parse_query(queries(truth, "other script", 1)[0]))

        def scan() -> None:  # no index: read every report, fold its words, match
            with store.read() as connection:
                for text in connection.execute(select(reports.c.text)).scalars():
                    _ = wanted <= search_index.tokens(text)

        took = timed(scan, 1)
        print(f"{backend}: without the index (scan every report) {took[0]:.0f} ms per query")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="per kind of query")
    parser.add_argument("--pg", default=None, help="a PostgreSQL server URL (else throwaway)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'refuge.db'}"
            svc.init_store(url)
            measure(url, args.reports, args.queries)
    if args.only != "sqlite":
        from workers import fresh_store, postgres

        with postgres(args.pg) as server:
            measure(fresh_store(server), args.reports, args.queries)


if __name__ == "__main__":
    main()
