"""Many clients at once, latency that blocks nobody, and a stop that is prompt and complete."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from labs_tui.sandbox import SANDBOX_TOKEN, SandboxError, start

FULL = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}


def port_is_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


async def fire(base_url: str, count: int, headers: dict[str, str]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        return list(
            await asyncio.gather(*(client.get("/examples/demo", headers=headers) for _ in range(count)))
        )


async def test_fifty_parallel_requests_are_all_answered(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(rate_limit=None)
    responses = await fire(handle.base_url, 50, FULL)
    assert [r.status_code for r in responses] == [200] * 50
    assert len({r.headers["x-request-id"] for r in responses}) == 50


async def test_rate_limit_is_exact_under_concurrency(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(rate_limit=(10, 10.0))
    responses = await fire(handle.base_url, 30, FULL)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 10 + [429] * 20
    assert all(int(r.headers["retry-after"]) >= 1 for r in responses if r.status_code == 429)


async def test_latency_delays_without_serialising(make_sandbox: Callable[..., Any]) -> None:
    # 20 requests at 1 s each: in parallel they take about 1 s; one at a time would take 20 s.
    handle = make_sandbox(rate_limit=None, latency_ms=1000)
    started = time.monotonic()
    responses = await fire(handle.base_url, 20, FULL)
    elapsed = time.monotonic() - started
    assert [r.status_code for r in responses] == [200] * 20
    assert 1.0 <= elapsed < 10.0


def test_stop_closes_the_port_and_joins_the_thread() -> None:
    handle = start(port=0)
    host, port = handle.host, handle.port
    assert handle.running and port_is_open(host, port)
    handle.stop()
    assert not handle.running
    assert not port_is_open(host, port)
    handle.stop()  # idempotent


def test_context_manager_stops() -> None:
    with start(port=0) as handle:
        with httpx.Client() as c:
            assert c.get(handle.base_url + "/examples/demo", headers=FULL).status_code == 200
    assert not handle.running and not port_is_open(handle.host, handle.port)


def test_stop_is_prompt_with_an_idle_keep_alive_connection() -> None:
    handle = start(port=0)
    client = httpx.Client(base_url=handle.base_url)
    try:
        assert client.get("/examples/demo", headers=FULL).status_code == 200  # connection stays pooled
        started = time.monotonic()
        handle.stop()
        assert time.monotonic() - started < 5.0  # the idle timeout is 60 s
        assert handle._server.open_connections == 0
        with pytest.raises(httpx.TransportError):  # the pooled connection was closed, not left answering
            client.get("/examples/demo", headers=FULL)
    finally:
        client.close()


def test_stop_cuts_latency_short() -> None:
    handle = start(port=0, latency_ms=60_000)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            with httpx.Client(timeout=120) as c:
                c.get(handle.base_url + "/examples/demo", headers=FULL)
        except BaseException as exc:  # the answer may or may not arrive; only promptness matters
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while not handle._server.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    handle.stop()
    caller.join(timeout=10)
    assert time.monotonic() - started < 10.0  # far below the 60 s latency
    assert not caller.is_alive()


def test_port_in_use_is_a_one_line_error() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(SandboxError) as info:
            start(port=port)
    assert str(info.value) == f"port {port} on 127.0.0.1 is already in use"


def test_non_loopback_host_is_refused_unless_allowed() -> None:
    with pytest.raises(SandboxError, match="non-loopback"):
        start(host="0.0.0.0", port=0)


def test_ipv6_loopback_and_localhost() -> None:
    with start(host="localhost", port=0) as handle:
        assert handle.base_url.startswith("http://127.0.0.1:")
    if socket.has_ipv6:
        try:
            v6 = start(host="::1", port=0)
        except SandboxError:
            pytest.skip("no IPv6 loopback here")
        with v6, httpx.Client() as c:
            assert v6.base_url == f"http://[::1]:{v6.port}/labs/v1"
            assert c.get(v6.base_url + "/examples/demo", headers=FULL).status_code == 200


@pytest.mark.parametrize(
    "options", [{"port": 70000}, {"latency_ms": -1}, {"rate_limit": (0, 10.0)}, {"rate_limit": (1, 0.0)}]
)
def test_bad_arguments_raise_value_error(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        start(**options)


def test_connections_beyond_the_cap_get_503_only_when_all_are_being_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Idle or unfinished connections make room for a newcomer (see test_server_abuse.py); two requests
    # held in their latency wait do not, so a third client is refused at once.
    from labs_tui.sandbox import connections

    monkeypatch.setattr(connections, "MAX_CONNECTIONS", 2)
    with start(port=0, rate_limit=None, latency_ms=60_000) as handle:
        held = [socket.create_connection((handle.host, handle.port), timeout=5) for _ in range(2)]
        try:
            for sock in held:
                sock.sendall(b"GET /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\n\r\n")
            deadline = time.monotonic() + 5
            while len(handle._server._busy) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            with httpx.Client() as c:
                response = c.get(handle.base_url + "/examples/demo", headers=FULL)
            assert response.status_code == 503
            assert response.json()["requestId"] == response.headers["x-request-id"]
        finally:
            for sock in held:
                sock.close()
