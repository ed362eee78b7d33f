"""Request ids shaped like the Labs API's (25 lower-case base-36 characters starting with ``c``).

Unique within a process: a millisecond timestamp, a per-process counter and random characters.
Tests and snapshots pass their own generator to ``start(request_ids=...)`` instead.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


class RequestIds:
    """A thread-safe callable returning a new id on each call."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            count = next(self._counter)
        stamp = _base36(int(time.time() * 1000), 8)
        noise = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        return f"c{stamp}{_base36(count, 6)}{noise}"
