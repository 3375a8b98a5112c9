"""Per-client request limits (security.md §4.3): one client — 40 threads, a script, a
misbehaving browser — must not slow every page for everyone else.

A token bucket per client address, in memory, per process: ``rate`` requests a second on
average with bursts up to ``burst``; sign-in attempts (each an Argon2 computation of 64 MiB)
have a bucket of their own, much smaller. Over the limit a request is answered ``429`` at once
with ``Retry-After``, before any database or password work. Behind a proxy the client address
is the one the trusted proxy forwards (``refuge serve --behind-proxy``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, time
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """0 if ``client`` may go ahead now (and a token is taken), else seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1:
                tokens -= 1
                answer = 0
            else:
                answer = max(1, math.ceil((1 - tokens) / self.rate))
            self._buckets[client] = (tokens, now)  # most recent last
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)  # forget the longest idle
        return answer
