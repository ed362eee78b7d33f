"""The rate limit: exact counts, Retry-After, a window that rejections do not extend, per-key state."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from labs_tui.sandbox import LIMITED_TOKEN, SANDBOX_TOKEN
from labs_tui.sandbox.ratelimit import RateLimiter, retry_after_seconds

FULL = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_admits_exactly_limit_then_reports_the_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 10.0, clock=clock)
    assert [limiter.check("k") for _ in range(3)] == [None, None, None]
    assert limiter.check("k") == pytest.approx(10.0)
    clock.advance(4)
    assert limiter.check("k") == pytest.approx(6.0)


def test_rejections_do_not_extend_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 10.0, clock=clock)
    limiter.check("k")
    limiter.check("k")
    for at in (1.0, 3.0, 5.0, 9.5, 9.875):
        clock.now = 1000.0 + at
        assert limiter.check("k") is not None
    clock.now = 1010.0  # 10 s after the first admitted request
    assert limiter.check("k") is None
    assert limiter.check("k") is None  # the second original slot expired too
    assert limiter.check("k") is not None


def test_window_slides_one_request_at_a_time() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 10.0, clock=clock)
    limiter.check("k")
    clock.advance(6)
    limiter.check("k")
    clock.advance(4)  # first slot frees at 10 s, second not until 16 s
    assert limiter.check("k") is None
    assert limiter.check("k") == pytest.approx(6.0)


def test_keys_are_counted_separately() -> None:
    limiter = RateLimiter(1, 10.0, clock=FakeClock())
    assert limiter.check(("a", "GET /x")) is None
    assert limiter.check(("a", "GET /y")) is None
    assert limiter.check(("b", "GET /x")) is None
    assert limiter.check(("a", "GET /x")) is not None


def test_state_stays_bounded_with_many_keys() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 10.0, clock=clock, max_keys=100)
    for i in range(1000):
        limiter.check(i)
    assert len(limiter._hits) <= 100
    clock.advance(11)
    for i in range(1000, 1010):
        limiter.check(i)
    assert len(limiter._hits) <= 100


def test_exact_under_thread_contention() -> None:
    limiter = RateLimiter(10, 60.0)
    barrier = threading.Barrier(40)
    results: list[float | None] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        outcome = limiter.check("k")
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is None for r in results) == 10


@pytest.mark.parametrize(("wait", "expected"), [(10.0, 10), (9.01, 10), (0.2, 1), (0.0, 1), (6.0, 6)])
def test_retry_after_is_whole_seconds_rounded_up(wait: float, expected: int) -> None:
    assert retry_after_seconds(wait) == expected


@pytest.mark.parametrize(("limit", "window"), [(0, 10.0), (1, 0.0), (1, -1.0), (1, float("inf"))])
def test_rejects_nonsense_limits(limit: int, window: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(limit, window)


def test_over_http_429_with_retry_after_and_window_not_extended(make_sandbox: Callable[..., Any]) -> None:
    clock = FakeClock()
    handle = make_sandbox(rate_limit=(10, 10.0), clock=clock)
    with httpx.Client(base_url=handle.base_url) as c:
        statuses = [c.get("/examples/demo", headers=FULL).status_code for _ in range(10)]
        assert statuses == [200] * 10
        rejected = c.get("/examples/demo", headers=FULL)
        assert rejected.status_code == 429
        assert rejected.headers["retry-after"] == "10"
        body = rejected.json()
        assert body["statusCode"] == 429 and body["requestId"] == rejected.headers["x-request-id"]
        assert "10 requests per 10 seconds" in body["message"]
        assert rejected.headers["x-labs-api-version"] == "1.1"

        clock.advance(3.5)
        again = c.get("/examples/demo", headers=FULL)
        assert (again.status_code, again.headers["retry-after"]) == (429, "7")
        clock.advance(6.4)
        assert c.get("/examples/demo", headers=FULL).headers["retry-after"] == "1"
        clock.now = 1010.0  # 10 s after the first request: the rejections did not move the window
        assert c.get("/examples/demo", headers=FULL).status_code == 200


def test_over_http_limit_is_per_token_and_unauthorised_requests_do_not_count(
    make_sandbox: Callable[..., Any],
) -> None:
    handle = make_sandbox(rate_limit=(2, 10.0), clock=FakeClock())
    with httpx.Client(base_url=handle.base_url) as c:
        for _ in range(5):
            assert c.get("/examples/demo").status_code == 401
            assert (
                c.get("/examples/demo", headers={"Authorization": f"Bearer {LIMITED_TOKEN}"}).status_code
                == 403
            )
        assert [c.get("/examples/demo", headers=FULL).status_code for _ in range(3)] == [200, 200, 429]
        # a bad pin reached the endpoint, so it counts as a request too
        assert c.get("/examples/demo", headers={**FULL, "X-Labs-API-Version": "9.9"}).status_code == 429


def test_rate_limit_can_be_off(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(rate_limit=None)
    with httpx.Client(base_url=handle.base_url) as c:
        assert {c.get("/examples/demo", headers=FULL).status_code for _ in range(25)} == {200}


def test_real_time_window_reopens(make_sandbox: Callable[..., Any]) -> None:
    # One test on the real clock; generous margin: three loopback requests well within 1 s, then 1.5 s.
    handle = make_sandbox(rate_limit=(2, 1.0))
    with httpx.Client(base_url=handle.base_url) as c:
        first = [c.get("/examples/demo", headers=FULL) for _ in range(3)]
        assert [r.status_code for r in first] == [200, 200, 429]
        assert first[2].headers["retry-after"] == "1"
        time.sleep(1.5)
        assert c.get("/examples/demo", headers=FULL).status_code == 200
