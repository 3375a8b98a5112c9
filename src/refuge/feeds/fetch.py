"""One polite HTTP fetcher: robots.txt respected, a pause between requests to one host,
conditional requests, and a size and a time limit on every answer."""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

USER_AGENT = "refuge-feeds/0.1 (+https://github.com/refuge; news monitoring for lawyers)"


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5_000_000
    seconds: float = 20.0  # the whole answer, not only each read
    host_interval: float = 1.0  # pause between two requests to the same host
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Fetched:
    """An answer: ``status`` 200 with ``body``, 304 (not modified), or ``error`` saying why."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


class FetchError(Exception):
    """The answer broke a limit (too big, too slow)."""


@dataclass
class Fetcher:
    """Fetches with one HTTP client, remembering each host's robots.txt and last request."""

    limits: Limits = field(default_factory=Limits)
    client: httpx.Client = field(init=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            follow_redirects=True,
            max_redirects=self.limits.max_redirects,
            timeout=httpx.Timeout(self.limits.seconds),
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self.client.close()

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's host allows refuge to fetch it (a missing robots.txt
        allows everything; one that refuses access, 401 or 403, allows nothing)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser()
            answer = self._get(origin + "/robots.txt", {})
            if answer.status in (401, 403):
                parser.parse(["User-agent: *", "Disallow: /"])
            elif answer.status == 200:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            else:
                parser.parse([])
            self._robots[origin] = parser
        return parser.can_fetch(USER_AGENT, url)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` if robots.txt allows it, conditionally when validators are known."""
        if not self.allowed(url):
            return Fetched(url, 0, error="robots.txt disallows it")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers)

    def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        self._pace(urlsplit(url).netloc)
        try:
            return self._stream(url, headers)
        except FetchError as error:
            return Fetched(url, 0, error=str(error))
        except httpx.TooManyRedirects:
            return Fetched(url, 0, error="too many redirects")
        except httpx.TimeoutException:
            return Fetched(url, 0, error=f"no answer within {self.limits.seconds:g} s")
        except httpx.HTTPError as error:
            return Fetched(url, 0, error=f"cannot fetch ({type(error).__name__})")

    def _stream(self, url: str, headers: dict[str, str]) -> Fetched:
        deadline = time.monotonic() + self.limits.seconds
        with self.client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            meta = {
                "content_type": response.headers.get("content-type", ""),
                "etag": response.headers.get("etag"),
                "last_modified": response.headers.get("last-modified"),
            }
            if response.status_code != 200:
                error = None if response.status_code == 304 else f"HTTP {response.status_code}"
                return Fetched(final, response.status_code, error=error, **meta)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError(f"larger than {self.limits.max_bytes} bytes")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > self.limits.max_bytes:
                    raise FetchError(f"larger than {self.limits.max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"not complete within {self.limits.seconds:g} s")
            return Fetched(final, 200, bytes(body), **meta)

    def _pace(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = self.limits.host_interval - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
        self._last[host] = time.monotonic()
