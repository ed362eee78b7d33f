"""The sandbox under abuse: slow and silent clients, ambiguous framing, and listening beyond loopback.

Every socket here talks to 127.0.0.1 only; deadlines are injected so each test takes seconds.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from labs_tui.sandbox import SANDBOX_TOKEN, connections, start
from labs_tui.sandbox import server as server_module

FULL = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
REQUEST = (
    f"GET /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SANDBOX_TOKEN}\r\n\r\n"
).encode()
FAST = {"head": 1.5, "body": 1.5, "idle": 1.5, "write": 5.0}


def deadlines(**overrides: float) -> server_module.Deadlines:
    return server_module.Deadlines(**{**FAST, **overrides})


def read_until_closed(sock: socket.socket, limit: float = 5.0) -> bytes:
    """Everything the server sends until it closes the connection; fails if it is still open at ``limit``."""
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        raise AssertionError(f"the connection is still open after {limit} s; got {data[:200]!r}") from None
    return data


def statuses(data: bytes) -> list[int]:
    return [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]


class Tricklers:
    """``count`` loopback sockets, each sending the next byte of ``payload`` once a second."""

    def __init__(self, host: str, port: int, count: int, payload: bytes = REQUEST) -> None:
        self.socks: list[socket.socket] = []
        for _ in range(count):
            sock = socket.create_connection((host, port), timeout=5)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.socks.append(sock)
        self.payload = payload
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        for index in range(len(self.payload)):
            for sock in self.socks:
                try:
                    sock.send(self.payload[index : index + 1])
                except OSError:
                    pass
            if self.stop.wait(1.0):
                return

    def __enter__(self) -> Tricklers:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        for sock in self.socks:
            sock.close()


def test_two_hundred_tricklers_do_not_starve_a_normal_client(monkeypatch: pytest.MonkeyPatch) -> None:
    # More trickling sockets than the connection cap: before, every slot held one trickler (a thread
    # blocked on a read for up to 60 s per byte) and everyone else got 503 until they stopped.
    monkeypatch.setattr(connections, "MAX_CONNECTIONS", 150)
    with start(port=0, rate_limit=None, deadlines=deadlines(head=10.0)) as handle:
        with Tricklers(handle.host, handle.port, 200):
            time.sleep(1.2)  # every trickler has sent a byte or two
            for _ in range(3):
                started = time.monotonic()
                with httpx.Client(timeout=5) as client:
                    response = client.get(handle.base_url + "/examples/demo", headers=FULL)
                assert response.status_code == 200
                assert time.monotonic() - started < 2.5  # promptly (about 0.1 s here), not after a deadline


def test_tricklers_are_cut_at_the_head_deadline_with_408() -> None:
    with start(port=0, rate_limit=None, deadlines=deadlines(head=1.5)) as handle:
        with Tricklers(handle.host, handle.port, 200) as tricklers:
            started = time.monotonic()
            with httpx.Client(timeout=5) as client:  # served meanwhile
                assert client.get(handle.base_url + "/examples/demo", headers=FULL).status_code == 200
            answers = [read_until_closed(sock, limit=4.0) for sock in tricklers.socks[:20]]
            elapsed = time.monotonic() - started
        assert all(statuses(answer) == [408] for answer in answers), answers[0][:200]
        assert b'"statusCode":408' in answers[0] and b"Connection: close" in answers[0]
        assert elapsed < 4.0  # the deadline, not the 60 s idle timeout, cut them
        deadline = time.monotonic() + 3
        while handle._server.open_connections and time.monotonic() < deadline:
            time.sleep(0.05)
        assert handle._server.open_connections == 0


def test_a_slow_body_is_cut_at_the_body_deadline() -> None:
    head = (
        f"POST /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SANDBOX_TOKEN}\r\n"
        "Content-Length: 100\r\n\r\n"
    ).encode()
    with start(port=0, rate_limit=None, deadlines=deadlines(body=1.0)) as handle:
        with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
            sock.sendall(head + b"x")
            started = time.monotonic()
            answer = read_until_closed(sock)
            assert statuses(answer) == [408]
            assert 0.5 < time.monotonic() - started < 3.0


def test_a_silent_connection_and_an_idle_keep_alive_are_closed_quietly() -> None:
    with start(port=0, rate_limit=None, deadlines=deadlines(head=1.0, idle=1.0)) as handle:
        with socket.create_connection((handle.host, handle.port), timeout=5) as silent:
            started = time.monotonic()
            assert read_until_closed(silent) == b""  # nothing was asked, nothing is answered
            assert time.monotonic() - started < 3.0
        with socket.create_connection((handle.host, handle.port), timeout=5) as kept:
            kept.sendall(REQUEST)
            started = time.monotonic()
            answer = read_until_closed(kept)
            assert statuses(answer) == [200]  # then the idle keep-alive connection is closed
            assert 0.5 < time.monotonic() - started < 3.0


def test_pipelined_requests_and_expect_continue_still_work() -> None:
    with start(port=0, rate_limit=None, deadlines=deadlines()) as handle:
        with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
            sock.sendall(REQUEST + REQUEST.replace(b"Host: x", b"Host: x\r\nConnection: close"))
            assert statuses(read_until_closed(sock)) == [200, 200]
        with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
            sock.sendall(
                b"POST /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                b"Content-Length: 2\r\nConnection: close\r\n\r\n"
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(b"{}")
            assert statuses(read_until_closed(sock)) == [405]


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
        b"Content-Length: 5\r\nContent-Length: 6\r\n",
        b"Content-Length: 5\r\nContent-Length: 5\r\n",
        b"Content-Length: +5\r\n",
        b"Content-Length: 5_0\r\n",
        b"Content-Length : 5\r\n",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
    ],
)
def test_ambiguous_framing_is_400_and_closes(framing: bytes) -> None:
    # A smuggled second request after the ambiguous one must never be answered.
    smuggled = b"GET /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\n\r\n"
    raw = b"POST /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\n0\r\n\r\n" + smuggled
    with start(port=0, rate_limit=None) as handle:
        with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
            sock.sendall(raw)
            answer = read_until_closed(sock)
    assert statuses(answer) == [400], answer[:300]
    assert b"Connection: close" in answer
    assert b'"statusCode":400' in answer


def test_chunked_bodies_are_framed_exactly() -> None:
    chunked = (
        b"POST /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: 1\r\n\r\n"
    )
    last = REQUEST.replace(b"Host: x", b"Host: x\r\nConnection: close")
    with start(port=0, rate_limit=None) as handle:
        with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
            for byte in range(len(chunked)):  # byte by byte: the framing resumes where it was
                sock.send(chunked[byte : byte + 1])
            sock.sendall(last)
            assert statuses(read_until_closed(sock)) == [405, 200]
        many = b"".join(b"1\r\nx\r\n" for _ in range(server_module.MAX_CHUNKS + 1)) + b"0\r\n\r\n"
        for body in (b"zz\r\nabc\r\n0\r\n\r\n", b"0x3\r\nabc\r\n0\r\n\r\n", b"3\r\nabcX\r\n", many):
            with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
                with contextlib.suppress(OSError):  # the server may answer before it has read all
                    sock.sendall(chunked.split(b"\r\n\r\n")[0] + b"\r\n\r\n" + body + last)
                assert statuses(read_until_closed(sock)) == [400]


def test_a_bare_cr_in_a_header_is_400() -> None:
    raw = b"GET /labs/v1/examples/demo HTTP/1.1\r\nHost: x\r\nX-A: 1\rContent-Length: 5\r\n\r\nhello"
    with start(port=0, rate_limit=None) as handle:
        with socket.create_connection((handle.host, handle.port), timeout=5) as sock:
            sock.sendall(raw)
            assert statuses(read_until_closed(sock)) == [400]


def test_all_interfaces_gives_a_loopback_url() -> None:
    # Binds 0.0.0.0 but only ever connects to 127.0.0.1.
    with start(host="0.0.0.0", port=0, allow_remote=True) as handle:
        assert handle.all_interfaces and handle.remote
        assert handle.base_url == f"http://127.0.0.1:{handle.port}/labs/v1"
        with httpx.Client(timeout=5) as client:
            assert client.get(handle.base_url + "/examples/demo", headers=FULL).status_code == 200
    with start(port=0) as local:
        assert not local.all_interfaces and not local.remote


@pytest.fixture
def remote_cli() -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "labs_tui", "sandbox", "--host", "0.0.0.0", "--allow-remote", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_cli_allow_remote_warns_and_prints_a_usable_url(remote_cli: subprocess.Popen[str]) -> None:
    assert remote_cli.stdout is not None and remote_cli.stderr is not None
    first = remote_cli.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/labs/v1", first)
    assert found, first
    assert "0.0.0.0" not in first and "listening on all interfaces" in first
    with httpx.Client(timeout=5) as client:
        assert client.get(found.group() + "/examples/demo", headers=FULL).status_code == 200
    remote_cli.send_signal(signal.SIGTERM)
    _, err = remote_cli.communicate(timeout=10)
    assert remote_cli.returncode == 0
    warning = err.splitlines()[0]
    assert warning.startswith("warning: the sandbox listens on all interfaces (0.0.0.0:")
    assert "anyone" in warning and "tokens" in warning
    assert "Traceback" not in err


def test_the_warning_for_one_non_loopback_address_names_it() -> None:
    from labs_tui.cli.sandbox_cmd import _remote_warning

    text = _remote_warning("192.0.2.7", 8765, all_interfaces=False)
    assert text.startswith("warning: the sandbox listens on 192.0.2.7:8765, which is not loopback:")
    assert "[::]:8765" in _remote_warning("::", 8765, all_interfaces=True)
