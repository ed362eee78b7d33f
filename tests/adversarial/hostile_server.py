"""A loopback HTTP server that misbehaves on purpose, one route per way a real server can hurt a client.

It exists so the adversarial tests can drive the CLI and the TUI against answers no well-behaved API
gives: bodies that never end, inflate to gigabytes, reset mid-way or carry terminal escapes and markup.
It listens on 127.0.0.1 only (port 0), never holds a big body in memory (the large ones are generated
while they are written) and records every request it saw, so tests can prove where the token went.
A second instance (``role="other"``) plays "another host": tests assert what reached it.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ESC = "\x1b"
BEL = "\x07"
OSC52 = f"{ESC}]52;c;ZWNobyBwd25lZA=={BEL}"  # would set the clipboard to "echo pwned"
CSI_RED = f"{ESC}[31m"
CSI_CLEAR = f"{ESC}[2J{ESC}[H"
MARKUP = "[reverse]MARKED[/reverse] [bold red]LOUD[/] [link=http://evil.example]CLICK[/link]"
HOSTILE_TEXT = f"{MARKUP} {CSI_RED}red{ESC}[0m {OSC52} {CSI_CLEAR} bell{BEL} end"
BIG_BYTES = 30 * 1024 * 1024
BOMB_INFLATED = 4 * 1024 * 1024 * 1024  # 4 GiB of zeros if a client inflated all of it
TRICKLE_BYTES = 60


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class HostileServer:
    """A running hostile server; ``url`` is ``http://127.0.0.1:PORT``."""

    httpd: ThreadingHTTPServer
    thread: threading.Thread
    seen: list[Seen] = field(default_factory=list)
    other_url: str = ""  # where /redirect-away sends clients

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def authorizations(self) -> list[str]:
        """Every Authorization header value this server received."""
        return [s.headers["authorization"] for s in self.seen if "authorization" in s.headers]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


class _Handler(BaseHTTPRequestHandler):
    server_version = "hostile/1"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    owner: HostileServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def _record(self) -> None:
        self.owner.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._record()
        route = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        handler = ROUTES.get(route, _not_found)
        try:
            handler(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError, OSError):
            self.close_connection = True

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    # -- helpers for the routes --------------------------------------------------------------------

    def answer(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = "application/json",
        headers: list[tuple[str, str]] | None = None,
        reason: str | None = None,
    ) -> None:
        self.send_response_only(status, reason)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers or []:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def head(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True


Route = Callable[[_Handler], None]


def _not_found(h: _Handler) -> None:
    h.answer(404, _json({"message": "no such route", "statusCode": 404, "requestId": "hostile-404"}))


def _text_error(h: _Handler) -> None:
    h.answer(403, b"RBAC: access denied", "text/plain")


def _html_error(h: _Handler) -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    h.answer(502, page, "text/html; charset=utf-8")


def _invalid_json(h: _Handler) -> None:
    h.answer(500, b'{"message": "half an obj', "application/json")


def _header_request_id(h: _Handler) -> None:
    h.answer(500, b"upstream exploded", "text/plain", [("X-Request-Id", "hdr-rid-0042")])


def _retry_date(h: _Handler) -> None:
    when = formatdate(time.time() + 90, usegmt=True)
    body = _json({"message": "slow down", "statusCode": 429, "requestId": "rid-429"})
    h.answer(429, body, "application/json", [("Retry-After", when)])


def _binary(h: _Handler) -> None:
    blob = bytes(range(256)) * 16 + (ESC + "]52;c;AAAA" + BEL).encode()
    h.answer(200, blob, "application/octet-stream")


def _big(h: _Handler) -> None:
    h.head(200, [("Content-Type", "text/plain"), ("Content-Length", str(BIG_BYTES))])
    chunk = b"x" * 1023 + b"\n"
    for _ in range(BIG_BYTES // len(chunk)):
        h.wfile.write(chunk)


def _gzip_bomb(h: _Handler) -> None:
    """4 GiB of zeros gzip-compressed while being written: a few MB on the wire, nothing held."""
    h.head(200, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    for _ in range(BOMB_INFLATED // len(zeros)):
        out = packer.compress(zeros)
        if out:
            h.wfile.write(out)
    h.wfile.write(packer.flush())


def _trickle(h: _Handler) -> None:
    h.head(200, [("Content-Type", "text/plain"), ("Content-Length", str(TRICKLE_BYTES))])
    for _ in range(TRICKLE_BYTES):
        h.wfile.write(b".")
        h.wfile.flush()
        time.sleep(1.0)


def _reset(h: _Handler) -> None:
    h.head(200, [("Content-Type", "application/json"), ("Content-Length", "100000")])
    h.wfile.write(b'{"partial": "' + b"a" * 500)
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()


def _loop(h: _Handler) -> None:
    h.answer(302, b"", None, [("Location", "/loop")])


def _redirect_away(h: _Handler) -> None:
    h.answer(302, b"", None, [("Location", f"{h.owner.other_url}/catch")])


def _markup_text(h: _Handler) -> None:
    headers = [("X-Hostile", HOSTILE_TEXT), ("X-Request-Id", MARKUP)]
    h.answer(200, HOSTILE_TEXT.encode(), "text/plain; charset=utf-8", _header_safe(headers), reason=MARKUP)


def _markup_json(h: _Handler) -> None:
    body = {"summary": HOSTILE_TEXT, "[reverse]key[/reverse]": MARKUP, "n": 1}
    h.answer(200, _json(body), "application/json", _header_safe([("X-Hostile", HOSTILE_TEXT)]))


def _markup_error(h: _Handler) -> None:
    body = {
        "message": HOSTILE_TEXT,
        "statusCode": 400,
        "requestId": MARKUP + OSC52,
        "fieldErrors": [{"field": MARKUP, "message": HOSTILE_TEXT, "code": CSI_RED}],
    }
    h.answer(400, _json(body), "application/json")


def _echo_auth(h: _Handler) -> None:
    auth = h.headers.get("Authorization", "")
    body = _json({"youSent": auth, "note": f"token was {auth.removeprefix('Bearer ')}"})
    h.answer(200, body, "application/json", [("X-Echo-Authorization", auth), ("X-Request-Id", "echo-1")])


def _echo_auth_error(h: _Handler) -> None:
    auth = h.headers.get("Authorization", "")
    body = _json({"message": f"bad token {auth}", "statusCode": 401, "requestId": "echo-401"})
    h.answer(401, body, "application/json", [("WWW-Authenticate", f"Bearer error={auth}")])


def _spec(h: _Handler) -> None:
    """The route spec, with one schema fetched by ``$ref`` from the other host."""
    spec = route_spec([h.owner.other_url] if h.owner.other_url else [])
    spec["paths"]["/catch"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"$ref": f"{h.owner.other_url}/schema.json#/Thing"}}
    }
    h.answer(200, _json(spec), "application/json", [("ETag", '"v1"')])


def _schema(h: _Handler) -> None:
    h.answer(200, _json({"Thing": {"type": "object", "properties": {"caught": {"type": "boolean"}}}}))


def _catch(h: _Handler) -> None:
    h.answer(200, _json({"caught": True}), "application/json")


def _header_safe(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Header values may carry ESC and brackets, but not the line breaks that would end the header."""
    return [(n, v.replace("\r", "").replace("\n", "")) for n, v in headers]


ROUTES: dict[str, Route] = {
    "text-error": _text_error,
    "html-error": _html_error,
    "invalid-json": _invalid_json,
    "header-request-id": _header_request_id,
    "retry-date": _retry_date,
    "binary": _binary,
    "big": _big,
    "gzip-bomb": _gzip_bomb,
    "trickle": _trickle,
    "reset": _reset,
    "loop": _loop,
    "redirect-away": _redirect_away,
    "markup-text": _markup_text,
    "markup-json": _markup_json,
    "markup-error": _markup_error,
    "echo-auth": _echo_auth,
    "echo-auth-error": _echo_auth_error,
    "catch": _catch,
    "spec.json": _spec,
    "schema.json": _schema,
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up on a hostile route is the point, not an error


def start_hostile(other_url: str = "") -> HostileServer:
    """Start a hostile server on a free loopback port; ``other_url`` is where /redirect-away points."""
    handler = type("Handler", (_Handler,), {})
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    server = HostileServer(httpd=httpd, thread=thread, other_url=other_url)
    handler.owner = server  # type: ignore[attr-defined]
    thread.start()
    return server


@contextmanager
def hostile_pair() -> Iterator[tuple[HostileServer, HostileServer]]:
    """(main, other): main redirects /redirect-away to other, which records what it received."""
    other = start_hostile()
    main = start_hostile(other.url)
    try:
        yield main, other
    finally:
        main.stop()
        other.stop()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def route_spec(servers: list[str] | None = None) -> dict[str, Any]:
    """An OpenAPI document with one GET operation per route, for ``--spec`` and the TUI's endpoint list."""
    paths: dict[str, Any] = {}
    for route in ROUTES:
        if "." in route:
            continue  # files the server hands out, not API routes
        op_id = "".join(part.capitalize() for part in route.split("-"))
        paths[f"/{route}"] = {
            "get": {
                "operationId": op_id,
                "summary": f"hostile {route}",
                "responses": {"200": {"description": "whatever the server feels like"}},
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hostile", "version": "1.0"},
        "servers": [{"url": url} for url in servers or []],
        "components": {"securitySchemes": {"JWT": {"type": "http", "scheme": "bearer"}}},
        "security": [{"JWT": []}],
        "paths": paths,
    }


def operation_id(route: str) -> str:
    return "".join(part.capitalize() for part in route.split("-"))
