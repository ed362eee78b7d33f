"""Sliding-window rate limiting for the sandbox, exact under concurrency.

A limiter keeps, per key (token and endpoint), the arrival times of the requests it admitted within
the last window. A request is admitted while fewer than ``limit`` of those remain; a rejected
request is not recorded, so rejections never extend the window. One lock guards every decision:
thirty simultaneous requests against a limit of ten admit exactly ten.

The clock is injectable so tests can step time exactly instead of sleeping. This module does no
I/O and knows nothing about HTTP.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

Clock = Callable[[], float]


class RateLimiter:
    """Admit at most ``limit`` requests per key in any ``window`` seconds."""

    def __init__(
        self, limit: int, window: float, *, clock: Clock | None = None, max_keys: int = 10_000
    ) -> None:
        if limit < 1:
            raise ValueError("rate limit must admit at least 1 request")
        if not window > 0 or math.isinf(window):
            raise ValueError("rate-limit window must be a positive number of seconds")
        self.limit = limit
        self.window = float(window)
        self._clock: Clock = clock or time.monotonic
        self._max_keys = max_keys
        self._hits: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: Hashable) -> float | None:
        """Admit and record a request for ``key`` (None), or return the seconds until a slot frees."""
        with self._lock:
            now = self._clock()
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self._max_keys:
                    self._prune(now)
                hits = self._hits[key] = deque()
            cutoff = now - self.window
            while hits and hits[0] <= cutoff:
                hits.popleft()
            if len(hits) < self.limit:
                hits.append(now)
                return None
            return hits[0] + self.window - now

    def _prune(self, now: float) -> None:
        # Keys whose hits all lie outside the window carry no state worth keeping; if the table is
        # still full (many distinct live keys), the oldest half goes, so memory stays bounded.
        cutoff = now - self.window
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= cutoff]:
            del self._hits[key]
        if len(self._hits) >= self._max_keys:
            by_age = sorted(self._hits, key=lambda k: self._hits[k][-1])
            for key in by_age[: len(by_age) // 2 + 1]:
                del self._hits[key]


def retry_after_seconds(wait: float) -> int:
    """The ``Retry-After`` value for a wait: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait - 1e-9))
