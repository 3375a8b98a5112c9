"""Feeds and pages a team watches: add, list, remove, and poll them into ingest jobs.

Polling a feed fetches it conditionally (ETag, Last-Modified), then every article it lists and
refuge has not read yet; each article becomes an ``ingest_report`` job (stored once by its
SHA-256, so the same article listed twice or under two URLs is one report). A feed that fails
backs off (5 minutes, doubling, at most a day). Nothing here logs or stores article text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select, update

from refuge.feeds.fetch import Fetched, Fetcher
from refuge.feeds.parse import read_listing
from refuge.services.store import DEFAULT_ANALYZER
from refuge.storage import Store, StoreError
from refuge.storage.tables import feeds

FIRST_BACKOFF = timedelta(minutes=5)
MAX_BACKOFF = timedelta(days=1)
SEEN_KEPT = 2000


class Deferrer(Protocol):
    def defer(self, task: str, **kwargs: Any) -> int: ...


@dataclass(frozen=True, slots=True)
class FeedRow:
    pk: int
    url: str
    team: str | None
    language: str | None
    polled_at: str | None
    last_status: str | None
    failures: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PollResult:
    """What one poll did: articles fetched (and deferred to be read), skipped, and why."""

    feed: int
    url: str
    status: str = ""
    fetched: int = 0
    read: list[int] = field(default_factory=list)  # ingest job ids
    skipped: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def add_feed(store: Store, url: str, team: str | None, language: str | None) -> FeedRow:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not a web address: {url!r} (give http:// or https://)")
    with store.write() as connection:
        if connection.execute(select(feeds.c.pk).where(feeds.c.url == url)).first():
            raise StoreError(f"the feed {url} is already watched; `refuge feeds list`")
        values: dict[str, Any] = {
            "url": url,
            "team": team,
            "language": language,
            "failures": 0,
            "seen": [],
        }
        pk = connection.execute(
            insert(feeds).values(**values, added_at=_now()).returning(feeds.c.pk)
        ).scalar_one()
    return FeedRow(int(pk), url, team, language, None, None, 0)


def list_feeds(store: Store) -> list[FeedRow]:
    with store.read() as connection:
        rows = connection.execute(select(feeds).order_by(feeds.c.pk)).all()
    return [_row(r) for r in rows]


def remove_feed(store: Store, ref: str) -> str:
    """Stop watching a feed given by number or URL; the reports already read stay."""
    condition = feeds.c.pk == int(ref) if ref.isdigit() else feeds.c.url == ref
    with store.write() as connection:
        url = connection.execute(delete(feeds).where(condition).returning(feeds.c.url)).scalar()
    if url is None:
        raise StoreError(f"no feed {ref!r}; `refuge feeds list` shows them")
    return str(url)


def poll_all(
    store: Store, queue: Deferrer, fetcher: Fetcher | None = None, analyzer: str | None = None
) -> list[PollResult]:
    """Poll every feed once, now (what the schedule does)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        return [poll_feed(store, row.pk, queue, fetcher, analyzer) for row in list_feeds(store)]
    finally:
        if own:
            fetcher.close()


def poll_feed(
    store: Store,
    pk: int,
    queue: Deferrer,
    fetcher: Fetcher | None = None,
    analyzer: str | None = None,
) -> PollResult:
    """Poll one feed: fetch it, then each new article into an ingest job."""
    with store.read() as connection:
        feed = connection.execute(select(feeds).where(feeds.c.pk == pk)).first()
    if feed is None:
        raise StoreError(f"no feed {pk}; `refuge feeds list` shows them")
    result = PollResult(pk, feed.url)
    now = _now()
    if feed.retry_after is not None and _aware(feed.retry_after) > now:
        result.status = f"backing off until {_aware(feed.retry_after).isoformat()}"
        return result
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        _poll(store, feed, queue, fetcher, analyzer or DEFAULT_ANALYZER, result)
    finally:
        if own:
            fetcher.close()
    return result


def _poll(
    store: Store, feed: Any, queue: Deferrer, fetcher: Fetcher, analyzer: str, result: PollResult
) -> None:
    answer = fetcher.get(feed.url, feed.etag, feed.last_modified)
    if answer.status == 304:
        result.status = "not modified"
        _save(store, feed.pk, result.status, failures=0, retry_after=None)
        return
    listing = read_listing(answer.body, answer.content_type) if answer.status == 200 else None
    error = answer.error or (listing.error if listing else None)
    if error is not None or listing is None:
        _fail(store, feed, error or "no answer", result)
        return
    seen: list[str] = list(feed.seen or [])
    articles = [answer] if not listing.is_feed else []
    for link in listing.links:
        if link in seen:
            result.skipped.append({"url": link, "reason": "already read"})
            continue
        page = fetcher.get(link)
        if page.status != 200:
            result.skipped.append({"url": link, "reason": page.error or f"HTTP {page.status}"})
            continue
        seen.append(link)
        articles.append(page)
    for page in articles:
        result.fetched += 1
        result.read.append(_defer(store, queue, page, feed, analyzer))
    result.status = "ok"
    _save(
        store, feed.pk, result.status, failures=0, retry_after=None, etag=answer.etag,
        last_modified=answer.last_modified, seen=seen[-SEEN_KEPT:],
    )  # fmt: skip


def _defer(store: Store, queue: Deferrer, page: Fetched, feed: Any, analyzer: str) -> int:
    """Store the article in the inbox and defer its reading (the job's argument is the
    inbox key, never the article); the feed's language is passed to the reader."""
    from refuge.jobs import inbox

    name = "article.html" if "html" in page.content_type.lower() else "article.txt"
    pk = inbox.put(store, page.body, name, team=feed.team, language=feed.language)
    return inbox.defer(store, queue, pk, analyzer)


def _fail(store: Store, feed: Any, error: str, result: PollResult) -> None:
    failures = int(feed.failures) + 1
    wait = min(FIRST_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)
    result.status = f"failed: {error}"
    _save(store, feed.pk, result.status[:64], failures=failures, retry_after=_now() + wait)


def _save(store: Store, pk: int, status: str, **values: Any) -> None:
    with store.write() as connection:
        connection.execute(
            update(feeds)
            .where(feeds.c.pk == pk)
            .values(last_status=status[:64], polled_at=_now(), **values)
        )


def _row(r: Any) -> FeedRow:
    polled = _aware(r.polled_at).isoformat() if r.polled_at is not None else None
    return FeedRow(int(r.pk), r.url, r.team, r.language, polled, r.last_status, int(r.failures))


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; refuge stores UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)
