"""A local HTTP server on 127.0.0.1 for the feed tests: feeds, pages, robots.txt, 304s,
redirects, 404s, slow and huge answers (no outside network)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]


def static(body: bytes, content_type: str = "text/plain", etag: str | None = None) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        if etag is not None and handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        if etag is not None:
            handler.send_header("ETag", etag)
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def redirect(to: str) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(301)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def slow(seconds: float) -> Route:
    """Trickles a byte at a time for ``seconds`` (each read is quick; the whole is not)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    return answer


def huge(size: int, declare: bool) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        if declare:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        try:
            for _ in range(size // 65536 + 1):
                handler.wfile.write(b"y" * 65536)
        except OSError:
            pass

    return answer


class Server:
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route(self)

            def log_message(self, *_args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[Server]:
    server = Server(routes)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<link>http://example.org/</link><description>d</description>{items}</channel></rss>"
    ).encode()


def atom(*links: str) -> bytes:
    entries = "".join(
        f'<entry><title>t</title><id>{link}</id><link href="{link}"/>'
        "<updated>2026-12-01T00:00:00Z</updated></entry>"
        for link in links
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>News</title><id>urn:x</id><updated>2026-12-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()
