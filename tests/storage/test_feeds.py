"""Feeds against a local HTTP server: RSS and Atom, plain pages, conditional requests,
redirects, 404s, robots.txt, slow and huge answers, malformed XML, duplicate articles. Every
article goes through the ingest job (in-process on SQLite) and is stored once by content."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from feedserver import atom, huge, redirect, rss, serving, slow, static
from jobhelpers import ANALYZER, fake_report, stored_reports, worker_env
from sqlalchemy import select

from refuge.feeds.fetch import Fetcher, Limits
from refuge.jobs import runs
from refuge.jobs.queue import InProcessQueue
from refuge.services import feeds as svc
from refuge.storage import Store, StoreError
from refuge.storage.tables import feeds

SQLITE = pytest.mark.parametrize("empty_url", ["sqlite"], indirect=True)

ROBOTS = static(b"User-agent: *\nDisallow: /private/\n")


def _fetcher(**limits: float) -> Fetcher:
    return Fetcher(Limits(**{"host_interval": 0.0, **limits}))  # type: ignore[arg-type]


def _poll(store: Store, fetcher: Fetcher | None = None) -> list[svc.PollResult]:
    queue = InProcessQueue(store, first_wait=0)
    return svc.poll_all(store, queue, fetcher or _fetcher(), analyzer=ANALYZER)


@SQLITE
def test_an_rss_feed_is_read_once_per_article_with_conditional_requests(store: Store) -> None:
    routes = {
        "/robots.txt": ROBOTS,
        "/a1": static(fake_report(1)),
        "/a1-elsewhere": static(fake_report(1)),  # the same article under another URL
        "/a2": static(fake_report(2)),
        "/moved": redirect("/a3"),
        "/a3": static(fake_report(3)),
        "/private/a4": static(fake_report(4)),
    }
    with serving(routes) as server:
        listed = ["/a1", "/a1", "/a1-elsewhere", "/a2", "/moved", "/gone", "/private/a4"]
        server.routes["/feed.xml"] = static(
            rss(*[server.url(p) for p in listed]), "application/rss+xml", etag='"v1"'
        )
        svc.add_feed(store, server.url("/feed.xml"), "monitors", "ru")
        [first] = _poll(store)
        assert first.status == "ok"
        assert first.fetched == 4  # a1, a1-elsewhere, a2, a3 (through the redirect)
        reasons = {item["url"].removeprefix(server.base): item["reason"] for item in first.skipped}
        assert reasons == {"/gone": "HTTP 404", "/private/a4": "robots.txt disallows it"}
        assert "/private/a4" not in server.hits
        assert stored_reports(store) == 3  # a1 and a1-elsewhere are one report
        results = [r.result or {} for r in runs.list_runs(store)]
        outcomes = [c for r in results for k in ("created", "merged", "proposed") for c in r[k]]
        assert len(outcomes) == 3 and "p1" in outcomes
        said = {w["warning"] for r in results for w in r.get("warnings", [])}
        assert said == {"read as language ru"}  # the feed's --language reached the reader

        [second] = _poll(store)  # the server answers 304 to the ETag
        assert (second.status, second.fetched) == ("not modified", 0)

        server.routes["/feed.xml"] = static(
            rss(server.url("/a2"), server.url("/a5")), "application/rss+xml", etag='"v2"'
        )
        server.routes["/a5"] = static(fake_report(5))
        [third] = _poll(store)
        assert third.fetched == 1
        assert third.skipped == [{"url": server.url("/a2"), "reason": "already read"}]
        assert stored_reports(store) == 4


@SQLITE
def test_atom_feeds_and_plain_pages(store: Store) -> None:
    with serving({"/page": static(fake_report(7)), "/b1": static(fake_report(8))}) as server:
        server.routes["/atom"] = static(atom(server.url("/b1")), "application/atom+xml")
        svc.add_feed(store, server.url("/atom"), None, None)
        svc.add_feed(store, server.url("/page"), None, None)
        results = _poll(store)
        assert [(r.status, r.fetched) for r in results] == [("ok", 1), ("ok", 1)]
        assert stored_reports(store) == 2
        _poll(store)  # the page again, unchanged: fetched, and stored once by its hash
        assert stored_reports(store) == 2


@SQLITE
def test_slow_and_huge_answers_are_cut_off(store: Store) -> None:
    routes = {
        "/slow": slow(3.0),
        "/huge-declared": huge(200_000, declare=True),
        "/huge-chunked": huge(200_000, declare=False),
    }
    with serving(routes) as server:
        server.routes["/feed"] = static(
            rss(*[server.url(p) for p in routes]), "application/rss+xml"
        )
        svc.add_feed(store, server.url("/feed"), None, None)
        [result] = _poll(store, _fetcher(max_bytes=100_000, seconds=1.0))
    reasons = sorted(item["reason"] for item in result.skipped)
    assert reasons == [
        "larger than 100000 bytes",
        "larger than 100000 bytes",
        "not complete within 1 s",
    ]
    assert stored_reports(store) == 0


@SQLITE
def test_a_malformed_feed_fails_and_backs_off(store: Store) -> None:
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>x</lin'
    with serving({"/broken": static(broken, "application/rss+xml")}) as server:
        svc.add_feed(store, server.url("/broken"), None, None)
        [first] = _poll(store)
        assert first.status == "failed: not a well-formed RSS or Atom feed"
        [second] = _poll(store)
        assert second.status.startswith("backing off until ")
        assert server.hits.count("/broken") == 1
    with store.read() as connection:
        assert connection.execute(select(feeds.c.failures)).scalar_one() == 1


def test_requests_to_one_host_are_paced() -> None:
    with serving({"/x": static(b"x")}) as server:
        fetcher = Fetcher(Limits(host_interval=0.4))
        started = time.monotonic()
        for _ in range(3):
            assert fetcher.get(server.url("/x")).status == 200
        fetcher.close()
        assert time.monotonic() - started >= 0.8  # robots.txt, then three pages


@SQLITE
def test_feed_commands(store_url: str) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "refuge", *args],
            env=worker_env(store_url),
            capture_output=True,
            text=True,
        )

    def refuge(*args: str) -> object:
        done = run("feeds", *args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    with serving({"/a": static(fake_report(9))}) as server:
        server.routes["/rss"] = static(rss(server.url("/a")), "application/rss+xml")
        added = refuge("add", server.url("/rss"), "--team", "kz-monitors", "--language", "ru")
        assert isinstance(added, dict) and added["team"] == "kz-monitors"
        polled = refuge("poll", "--analyzer", ANALYZER)
        assert isinstance(polled, list) and polled[0]["fetched"] == 1
        jobs = json.loads(run("jobs", "--json").stdout)  # on SQLite the job ran in-process
        assert [(j["task"], j["status"]) for j in jobs] == [("ingest_report", "succeeded")]
        assert json.loads(run("jobs", "--failed", "--json").stdout) == []
        refused = run("worker")
        assert refused.returncode == 5 and "a worker needs a PostgreSQL store" in refused.stderr
        assert "Traceback" not in refused.stderr
        listed = refuge("list")
        assert isinstance(listed, list) and listed[0]["last_status"] == "ok"
        assert refuge("remove", str(added["pk"])) == {"removed": server.url("/rss")}
        assert refuge("list") == []


@SQLITE
def test_bad_feed_urls_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="not a web address"):
        svc.add_feed(store, "file:///etc/passwd", None, None)
    svc.add_feed(store, "https://example.org/rss", None, None)
    with pytest.raises(StoreError, match="already watched"):
        svc.add_feed(store, "https://example.org/rss", None, None)
    with pytest.raises(StoreError, match="no feed"):
        svc.remove_feed(store, "42")
