"""Small real HTTP servers on loopback, each answering with exactly the bytes a failure mode needs.

``raw_server(routes)`` starts a threaded TCP server; a route gets the parsed request and the socket
and writes whatever it likes (a reset mid-body, a trickle, a redirect loop). Requests are recorded
so tests can assert what reached the server (e.g. that a redirect dropped the token).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class RawServer:
    server: socketserver.ThreadingTCPServer
    seen: list[Seen] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


Route = Callable[[Seen, socket.socket], None]


def respond(
    sock: socket.socket,
    status: int,
    body: bytes = b"",
    *,
    reason: str = "X",
    headers: list[tuple[str, str]] | None = None,
    content_type: str | None = "application/json",
) -> None:
    lines = [f"HTTP/1.1 {status} {reason}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{k}: {v}" for k, v in headers or []]
    lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def _make_handler(routes: dict[str, Route], seen: list[Seen]) -> type[socketserver.BaseRequestHandler]:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            sock.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            request_line, *header_lines = head.split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            request = Seen(method, path, headers)
            seen.append(request)
            route = routes.get(path.split("?", 1)[0])
            try:
                if route is None:
                    respond(sock, 404, b'{"message":"no route"}')
                else:
                    route(request, sock)
            except OSError:
                pass

    return Handler


@pytest.fixture
def raw_server() -> Iterator[Callable[[dict[str, Route]], RawServer]]:
    started: list[socketserver.ThreadingTCPServer] = []

    def start(routes: dict[str, Route]) -> RawServer:
        seen: list[Seen] = []
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _make_handler(routes, seen))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(server)
        return RawServer(server, seen)

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


@pytest.fixture
def make_profile() -> Callable[..., Any]:
    """``make_profile(base_url, token=..., **fields)``: a custom profile with a secret token."""
    from labs_tui.client import Profile

    def make(base_url: str, token: str | None = "secret-token-123", **extra: Any) -> Any:
        return Profile(name="test", base_url=base_url, token=token, token_env="ASTRO_API_TOKEN", **extra)

    return make


@pytest.fixture
def reply() -> Callable[..., None]:
    """``reply(sock, status, body, reason=, headers=, content_type=)`` writes one whole response."""
    return respond
