"""The sandbox's HTTP layer: a stdlib server on loopback, started and stopped by a handle.

One selector loop accepts connections and reads each request's head and body without a thread;
only a complete request gets a worker thread (``http.server``'s request parsing, then the app).
So clients that trickle bytes or connect and say nothing cost a socket, not a thread, and cannot
starve well-behaved ones: each request has deadlines (``Deadlines``: head, body, idle keep-alive,
write), and at the connection cap a newcomer displaces the oldest unfinished request. Framing
that two parsers could read differently (Content-Length with Transfer-Encoding, two
Content-Lengths, folded or malformed header lines) gets 400 and a closed connection.

This module only moves bytes: it asks the app (Labs or spec mode) for a reply, waits the
configured latency on an Event (so ``stop()`` cuts it short), writes the reply with an exact
Content-Length, and reports one log line through the injected ``log`` callable. It never prints,
never logs a token or a query string, and never lets an exception become a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import io
import ipaddress
import os
import re
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from labs_tui.sandbox.app import App, Reply, SandboxRequest, clip
from labs_tui.sandbox.ids import RequestIds
from labs_tui.sandbox.labs import LabsApp
from labs_tui.sandbox.ratelimit import Clock, RateLimiter

if TYPE_CHECKING:
    from labs_tui.spec.model import Spec

MAX_BODY = 1024 * 1024
IDLE_TIMEOUT = 60.0  # seconds an idle keep-alive connection is kept open
MAX_LATENCY_MS = 600_000
MAX_HEAD = 64 * 1024  # request line and headers; a longer head gets 431
MAX_CONNECTIONS = 512  # open at once; beyond this the oldest unfinished request makes room (else 503)
STOP_TIMEOUT = 5.0  # seconds stop() waits for connection threads after closing their sockets
_CHUNK_LINE = 1024
MAX_CHUNKS = 10_000  # chunks in one chunked body; more is 400 (bounds the parsing work)

Log = Callable[[str], None]


class SandboxError(Exception):
    """The sandbox could not start (port in use, host refused or unknown); ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class Deadlines:
    """How long a client may take, in seconds; past a deadline the connection is answered and closed.

    ``head``: to send a request's line and headers, counted from the connection's opening (or, on a
    kept-alive connection, from the request's first byte). ``body``: to send the body once the head
    is in. ``idle``: a kept-alive connection's wait for its next request. ``write``: to take one answer.
    A late head or body gets 408 (Connection: close); an idle connection is closed quietly.
    """

    head: float = 10.0
    body: float = 30.0
    idle: float = IDLE_TIMEOUT
    write: float = 30.0

    def __post_init__(self) -> None:
        for name in ("head", "body", "idle", "write"):
            if not getattr(self, name) > 0:
                raise ValueError(f"deadline {name} must be > 0 seconds, not {getattr(self, name)}")


class _Conn:
    """One client connection while the selector loop reads its next request (no thread of its own)."""

    __slots__ = (
        "sock", "address", "buf", "phase", "since", "deadline", "head_end", "plan", "chunks", "continued",
    )  # fmt: skip

    def __init__(self, sock: socket.socket, address: Any) -> None:
        self.sock = sock
        self.address = address
        self.buf = bytearray()
        self.phase = "head"  # "idle" (kept alive, nothing yet), "head", "body", "busy" (a worker has it)
        self.since = 0.0  # when the current request (or the idle wait) began
        self.deadline = 0.0
        self.head_end = 0
        self.plan: _Plan | None = None
        self.chunks: _Chunks | None = None
        self.continued = False  # a 100 Continue was sent for this request


@dataclass(frozen=True, slots=True)
class _Plan:
    """How the body after a head is framed: none, a length, chunked; or a problem to answer."""

    kind: str  # "none", "length", "chunked", "problem"
    length: int = 0
    status: int = 0
    message: str = ""
    expect_continue: bool = False


class _Server:
    """Accepts connections and reads each request in one selector loop; a worker thread per request.

    A request reaches a worker (and the app) only once its head and body are fully received, so
    clients that trickle bytes, or connect and send nothing, cost a socket and a buffer, never a
    thread, and are cut at their deadline. When ``MAX_CONNECTIONS`` are open, a new connection
    displaces the oldest one that is idle or still sending its request; it gets 503 only when every
    open connection is being answered.
    """

    def __init__(
        self,
        address: tuple[str, int],
        app: App,
        *,
        latency: float,
        log: Log | None,
        family: socket.AddressFamily,
        http_date: Callable[[], str] | None = None,
        deadlines: Deadlines | None = None,
    ) -> None:
        self.http_date = http_date
        self.app = app
        self.latency = latency
        self.deadlines = deadlines or Deadlines()
        self.stopping = threading.Event()
        self._log = log
        self._log_lock = threading.Lock()
        self._lock = threading.Lock()
        self._pending: dict[socket.socket, _Conn] = {}  # read by the loop thread only
        self._busy: dict[socket.socket, threading.Thread] = {}
        self._returned: list[_Conn] = []
        self._loop_done = threading.Event()
        self._loop_exit = False
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(128)
            self.socket.setblocking(False)
        except OSError:
            self.socket.close()
            raise
        self.server_address = self.socket.getsockname()[:2]
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._selector = selectors.DefaultSelector()

    # -- the loop ------------------------------------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        selector = self._selector
        selector.register(self.socket, selectors.EVENT_READ, "accept")
        selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        next_sweep = 0.0
        try:
            while not self._loop_exit:
                for key, _ in selector.select(poll_interval):
                    try:
                        if key.data == "accept":
                            self._accept()
                        elif key.data == "wake":
                            self._take_back()
                        elif isinstance(key.data, _Conn):
                            self._receive(key.data)
                    except Exception:  # one connection's surprise must not stop the others being served
                        if isinstance(key.data, _Conn):
                            self._drop(key.data)
                now = time.monotonic()
                if now >= next_sweep:
                    next_sweep = now + min(poll_interval, 0.05)
                    for conn in [c for c in self._pending.values() if c.deadline <= now]:
                        self._expire(conn)
        finally:
            with self._lock:
                self._loop_done.set()
                returned, self._returned = self._returned, []
            for conn in [*self._pending.values(), *returned]:
                self._drop(conn)
            selector.close()

    def shutdown(self) -> None:
        self._loop_exit = True
        self._wake()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:  # the pipe is full: the loop is awake anyway
            pass

    def _accept(self) -> None:
        for _ in range(64):
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors: make room, the client's connect waits in the backlog
                if not self._evict():
                    time.sleep(0.05)  # every connection is being answered; do not spin meanwhile
                return
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.open_connections >= MAX_CONNECTIONS and not self._evict():
                self._raw_reply(sock, 503, f"The sandbox already serves {MAX_CONNECTIONS} connections.")
                continue
            sock.setblocking(False)
            conn = _Conn(sock, address)
            now = time.monotonic()
            conn.since, conn.deadline = now, now + self.deadlines.head
            self._pending[sock] = conn
            self._selector.register(sock, selectors.EVENT_READ, conn)

    def _evict(self) -> bool:
        """Close the connection that waited longest without a complete request; False if none."""
        if not self._pending:
            return False
        victim = min(self._pending.values(), key=lambda c: (c.phase != "idle", c.since))
        self._drop(victim)
        return True

    def _take_back(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_r.recv(4096):
                pass
        with self._lock:
            returned, self._returned = self._returned, []
        now = time.monotonic()
        for conn in returned:
            conn.sock.setblocking(False)
            conn.plan, conn.chunks, conn.continued, conn.since = None, None, False, now
            if conn.buf:
                conn.phase, conn.deadline = "head", now + self.deadlines.head
            else:
                conn.phase, conn.deadline = "idle", now + self.deadlines.idle
            self._pending[conn.sock] = conn
            self._selector.register(conn.sock, selectors.EVENT_READ, conn)
            if conn.buf:  # a pipelined request may already be complete
                self._advance(conn)

    def _receive(self, conn: _Conn) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(conn)
            return
        if conn.phase == "idle":  # a kept-alive connection's next request starts its head deadline
            now = time.monotonic()
            conn.phase, conn.since, conn.deadline = "head", now, now + self.deadlines.head
        conn.buf += data
        self._advance(conn)

    def _advance(self, conn: _Conn) -> None:
        """Hand the request to a worker once complete; answer a bad or oversized head here."""
        if conn.phase == "head":
            while bytes(conn.buf[:1]) in (b"\r", b"\n"):  # empty lines before a request line are ignored
                del conn.buf[:1]
            end = _head_end(conn.buf)
            if end is None:
                if len(conn.buf) > MAX_HEAD:
                    self._answer_and_drop(conn, 431, f"The request head exceeds {MAX_HEAD} bytes.")
                return
            conn.head_end, conn.plan = end, _body_plan(bytes(conn.buf[:end]))
            conn.phase, conn.deadline = "body", time.monotonic() + self.deadlines.body
        plan = conn.plan
        assert plan is not None
        end = conn.head_end
        if plan.kind == "length":
            end = conn.head_end + plan.length if len(conn.buf) >= conn.head_end + plan.length else -1
        elif plan.kind == "chunked":
            if conn.chunks is None:
                conn.chunks = _Chunks(conn.head_end)
            found = conn.chunks.end(conn.buf)
            if found is _MALFORMED:
                plan = _Plan("problem", status=400, message="Malformed chunked request body.")
            elif found is _TOO_BIG:
                plan = _Plan("problem", status=413, message=f"The request body exceeds {MAX_BODY} bytes.")
            end = found if isinstance(found, int) else (conn.head_end if plan.kind == "problem" else -1)
        if end < 0:
            if plan.expect_continue and not conn.continued:
                conn.continued = True
                with contextlib.suppress(OSError):
                    conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
            return
        data = bytes(conn.buf[:end])
        del conn.buf[:end]
        self._start_worker(conn, data, plan if plan.kind == "problem" else None)

    def _start_worker(self, conn: _Conn, data: bytes, problem: _Plan | None) -> None:
        self._selector.unregister(conn.sock)
        del self._pending[conn.sock]
        conn.phase = "busy"
        thread = threading.Thread(
            target=self._work, args=(conn, data, problem), name="labs-sandbox-request", daemon=True
        )
        with self._lock:
            self._busy[conn.sock] = thread
        thread.start()

    def _work(self, conn: _Conn, data: bytes, problem: _Plan | None) -> None:
        keep = False
        try:
            conn.sock.settimeout(self.deadlines.write)
            handler = _Handler(conn.sock, conn.address, self, data=data, problem=problem)
            keep = not handler.close_connection and not self.stopping.is_set()
        except Exception:  # a client that vanished mid-answer is not worth a traceback
            keep = False
        with self._lock:
            self._busy.pop(conn.sock, None)
            if keep and not self._loop_done.is_set():
                self._returned.append(conn)
            else:
                keep = False
        if keep:
            self._wake()
        else:
            self._close(conn.sock)

    def _expire(self, conn: _Conn) -> None:
        if conn.phase == "idle" or (conn.phase == "head" and not conn.buf):
            self._drop(conn)  # nothing was asked: no answer is owed
            return
        what = "request head" if conn.phase == "head" else "request body"
        limit = self.deadlines.head if conn.phase == "head" else self.deadlines.body
        self._answer_and_drop(conn, 408, f"The {what} did not arrive within {limit:g} seconds.")

    def _answer_and_drop(self, conn: _Conn, status: int, message: str) -> None:
        self._forget(conn)
        self._raw_reply(conn.sock, status, message)

    def _drop(self, conn: _Conn) -> None:
        self._forget(conn)
        self._close(conn.sock)

    def _forget(self, conn: _Conn) -> None:
        if self._pending.pop(conn.sock, None) is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(conn.sock)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def _raw_reply(self, sock: socket.socket, status: int, message: str) -> None:
        """Answer from the loop itself (never blocking it), log the line, and close the connection."""
        reply = self.app.error(status, message, close=True)
        self.write_log(f"- - pin=- {reply.status} requestId={reply.request_id or '-'}")
        head = [f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}"]
        head += [f"{name}: {value}" for name, value in reply.headers]
        head += [
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(reply.body)}",
            "Connection: close",
        ]
        with contextlib.suppress(OSError):
            sock.setblocking(False)
            sock.send(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + reply.body)
        self._close(sock)

    # -- stop and inspection ------------------------------------------------------------------

    def close_connections(self, timeout: float) -> None:
        """Close every connection a worker holds (waking a blocked write) and join the workers."""
        with self._lock:
            busy = list(self._busy.items())
        for sock, _ in busy:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for _, thread in busy:
            thread.join(max(0.0, deadline - time.monotonic()))

    def server_close(self) -> None:
        for sock in (self.socket, self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                sock.close()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pending) + len(self._busy) + len(self._returned)

    def write_log(self, line: str) -> None:
        if self._log is None:
            return
        with self._log_lock:
            try:
                self._log(line)
            except Exception:  # a broken stderr must not break serving
                pass


_MALFORMED = object()
_TOO_BIG = object()
_DIGITS = re.compile(rb"[0-9]{1,19}")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _head_end(buf: bytearray) -> int | None:
    """Where the head ends (just past its empty line), or None while it is incomplete."""
    newline = buf.find(b"\n")
    if newline < 0:
        return None
    if len(bytes(buf[:newline]).split()) < 3:  # not "METHOD target version": the handler answers it
        return newline + 1
    ends = [(at, len(mark)) for mark in (b"\n\n", b"\n\r\n") if (at := buf.find(mark, newline)) >= 0]
    if not ends:
        return None
    at, size = min(ends)
    return at + size


def _body_plan(head: bytes) -> _Plan:
    """The body's framing from the head; an ambiguous one (request smuggling) is a 400."""
    framing = _framing_headers(head)
    if isinstance(framing, _Plan):
        return framing
    lengths, codings, expect = framing
    if lengths and codings:
        return _Plan("problem", status=400, message="Both Content-Length and Transfer-Encoding are set.")
    if len(lengths) > 1:
        return _Plan("problem", status=400, message="Content-Length is given more than once.")
    if len(codings) > 1:
        return _Plan("problem", status=400, message="Transfer-Encoding is given more than once.")
    if codings:
        if codings[0].lower() != b"chunked":
            return _Plan("problem", status=501, message="Only the chunked transfer coding is supported.")
        return _Plan("chunked", expect_continue=expect)
    if not lengths:
        return _Plan("none")
    if not _DIGITS.fullmatch(lengths[0]):
        return _Plan("problem", status=400, message="Content-Length is not a non-negative integer.")
    length = int(lengths[0])
    if length > MAX_BODY:
        return _Plan("problem", status=413, message=f"The request body exceeds {MAX_BODY} bytes.")
    return _Plan("length", length=length, expect_continue=expect and length > 0)


def _framing_headers(head: bytes) -> tuple[list[bytes], list[bytes], bool] | _Plan:
    """Every Content-Length and Transfer-Encoding value and whether 100-continue is expected;
    a problem plan for a folded or malformed header line."""
    lengths: list[bytes] = []
    codings: list[bytes] = []
    expect = False
    for line in head.split(b"\n")[1:]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            return _Plan("problem", status=400, message="Folded header lines are not accepted.")
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name) or b"\r" in value or b"\0" in value:
            return _Plan("problem", status=400, message="A header line is malformed.")
        lowered = name.lower()
        if lowered == b"content-length":
            lengths.append(value.strip(b" \t"))
        elif lowered == b"transfer-encoding":
            codings.append(value.strip(b" \t"))
        elif lowered == b"expect":
            expect = value.strip(b" \t").lower() == b"100-continue"
    return lengths, codings, expect


class _Chunks:
    """Finds where a chunked body ends, resuming after the chunks already seen at each call."""

    __slots__ = ("position", "total", "count")

    def __init__(self, start: int) -> None:
        self.position, self.total, self.count = start, 0, 0

    def end(self, buf: bytearray) -> int | object | None:
        """The body's end, None while incomplete, or ``_MALFORMED``/``_TOO_BIG``."""
        while True:
            newline = _line_end(buf, self.position)
            if not isinstance(newline, int):
                return newline
            size_text = bytes(buf[self.position : newline]).split(b";", 1)[0].strip(b" \t\r")
            if not _HEX.fullmatch(size_text):
                return _MALFORMED
            size, data_at = int(size_text, 16), newline + 1
            if size == 0:
                position = data_at
                for _ in range(100):  # trailers end with an empty line; bounded
                    newline = _line_end(buf, position)
                    if not isinstance(newline, int):
                        return newline
                    empty = bytes(buf[position:newline]) in (b"", b"\r")
                    position = newline + 1
                    if empty:
                        return position
                return _MALFORMED
            if self.total + size > MAX_BODY:
                return _TOO_BIG
            if self.count >= MAX_CHUNKS:
                return _MALFORMED
            if len(buf) < data_at + size:
                return None
            newline = _line_end(buf, data_at + size)
            if not isinstance(newline, int):
                return newline
            if bytes(buf[data_at + size : newline]) not in (b"", b"\r"):
                return _MALFORMED
            self.position, self.total, self.count = newline + 1, self.total + size, self.count + 1


def _line_end(buf: bytearray, at: int) -> int | object | None:
    newline = buf.find(b"\n", at, at + _CHUNK_LINE + 1)
    if newline >= 0:
        return newline
    return None if len(buf) - at <= _CHUNK_LINE else _MALFORMED


class _SocketWriter(io.RawIOBase):
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._sock.sendall(data)
        return len(data)


class _Handler(BaseHTTPRequestHandler):
    """Answers one request that the loop has fully received (``data``: its head and body)."""

    protocol_version = "HTTP/1.1"
    server_version = "labs-tui-sandbox"
    sys_version = ""
    server: _Server  # type: ignore[assignment]

    def __init__(
        self,
        request: socket.socket,
        client_address: Any,
        server: _Server,
        *,
        data: bytes,
        problem: _Plan | None,
    ) -> None:
        self._data = data
        self._problem = problem
        super().__init__(request, client_address, server)  # type: ignore[arg-type]

    def setup(self) -> None:
        self.connection = self.request
        self.rfile = io.BytesIO(self._data)
        self.wfile = _SocketWriter(self.connection)  # type: ignore[assignment]

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()

    def finish(self) -> None:
        return  # the server decides whether the connection stays open

    def handle_expect_100(self) -> bool:
        return True  # the loop sent 100 Continue while it waited for the body

    def __getattr__(self, name: str) -> Any:
        # Every method, standard or not, reaches the app, so an unknown one gets 405 with Allow.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def version_string(self) -> str:
        return self.server_version

    def date_time_string(self, timestamp: float | None = None) -> str:
        if self.server.http_date is not None and timestamp is None:
            return self.server.http_date()
        return super().date_time_string(timestamp)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own errors (bad request line, oversized headers) in the Labs error shape.
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # a status line and headers even for an unparsable line
        reply = self.server.app.error(code, message or self.responses.get(code, ("Error",))[0], close=True)
        self._answer(reply, path=clip(getattr(self, "path", "") or "-"), pin=None)

    def _dispatch(self) -> None:
        target = urlsplit(self.path)
        path = target.path if not self.path.startswith("//") else self.path.split("?", 1)[0]
        pin = self.headers.get(self.server.app.version_header)
        if self._problem is not None:
            problem = self.server.app.error(self._problem.status, self._problem.message, close=True)
            self._answer(problem, path=path, pin=pin)
            return
        body, bad = self._read_body()
        if bad is not None:
            self._answer(bad, path=path, pin=pin)
            return
        request = SandboxRequest(
            method=self.command,
            path=path,
            query=target.query,
            headers=list(self.headers.items()),
            body=body,
        )
        try:
            reply = self.server.app.handle(request)
        except Exception as exc:  # a bug must still answer in the error shape
            reply = self.server.app.error(
                500, f"Sandbox internal error: {clip(str(exc) or type(exc).__name__)}"
            )
        if self.server.latency > 0:
            self.server.stopping.wait(self.server.latency)
        self._answer(reply, path=path, pin=pin)

    def _read_body(self) -> tuple[bytes, Reply | None]:
        # The loop already framed the body (and refused ambiguous framing); this reads it back.
        app = self.server.app
        if self.headers.get("Transfer-Encoding"):
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b"", None
        if not _DIGITS.fullmatch(length_text.strip().encode("latin-1", "replace")):
            return b"", app.error(400, "Content-Length is not a non-negative integer.", close=True)
        return self.rfile.read(int(length_text)), None

    def _read_chunked(self) -> tuple[bytes, Reply | None]:
        parts: list[bytes] = []
        while True:
            line = self.rfile.readline(_CHUNK_LINE + 2)
            size = int(line.split(b";", 1)[0].strip(), 16) if line.strip() else 0
            if size == 0:
                return b"".join(parts), None
            parts.append(self.rfile.read(size))
            self.rfile.readline(_CHUNK_LINE + 2)

    def _answer(self, reply: Reply, *, path: str, pin: str | None) -> None:
        # Logged before writing, so the line exists by the time the client has its answer.
        shown_pin = clip(pin, 20) if pin is not None else "-"
        self.server.write_log(
            f"{clip(self.command or '-', 20)} {clip(path)} pin={shown_pin} "
            f"{reply.status} requestId={reply.request_id or '-'}"
        )
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.status != 204 and reply.status >= 200:
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
            if reply.close:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and reply.status != 204:
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class SandboxHandle:
    """A running sandbox: where it listens, and how to stop it (idempotent; also a context manager)."""

    def __init__(self, server: _Server, thread: threading.Thread, base_path: str, mode: str) -> None:
        self._server = server
        self._thread = thread
        self._stop_lock = threading.Lock()
        self._stopped = False
        self.mode = mode  # "labs" (the Labs emulator) or "spec" (another spec served generically)
        self.host = str(server.server_address[0])
        self.port = int(server.server_address[1])
        # Listening on every interface (0.0.0.0 or ::): the URL that works from this machine is loopback's.
        self.all_interfaces = ipaddress.ip_address(self.host.split("%", 1)[0]).is_unspecified
        self.remote = self.all_interfaces or not is_loopback(self.host)
        url_host = ("::1" if ":" in self.host else "127.0.0.1") if self.all_interfaces else self.host
        url_host = f"[{url_host}]" if ":" in url_host else url_host
        self.base_url = f"http://{url_host}:{self.port}{base_path}"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop serving: end in-flight latency waits, close connections and the socket, join threads."""
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
        self._server.stopping.set()
        self._server.shutdown()
        self._thread.join()
        self._server.close_connections(timeout=STOP_TIMEOUT)
        self._server.server_close()

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SandboxHandle({self.base_url!r}, running={self.running})"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def start(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    spec: Spec | str | os.PathLike[str] | None = None,
    rate_limit: tuple[int, float] | None = (10, 10.0),
    latency_ms: int = 0,
    gateway_errors: bool = False,
    request_ids: Callable[[], str] | None = None,
    log: Log | None = None,
    clock: Clock | None = None,
    http_date: Callable[[], str] | None = None,
    allow_remote: bool = False,
    deadlines: Deadlines | None = None,
    stateful: bool = False,
) -> SandboxHandle:
    """Start a sandbox serving in a daemon thread and return its handle at once.

    ``spec`` None (or the bundled Labs spec) gives the Labs behaviour; any other spec, or a path
    to one, is served by the spec engine. ``rate_limit`` is (requests, seconds) per token and
    endpoint, or None for no limit. ``request_ids`` returns each next requestId (default: unique
    cuid-like ids); ``clock`` is the rate limiter's monotonic clock (tests step it); ``http_date``
    returns the ``Date`` header's value (snapshots freeze it). ``log`` gets one line per request.
    ``deadlines`` bounds how long a client may take to send a request (default ``Deadlines()``).
    A host that is not loopback is refused unless ``allow_remote``; on 0.0.0.0 or ``::``
    ``base_url`` names loopback (it works from this machine) and ``all_interfaces`` is True.
    ``stateful`` (spec mode only) keeps resources created by POST in memory.
    Raises ``SandboxError`` (one line) when it cannot listen, ``SpecError`` for a bad spec.
    """
    if not is_loopback(host) and not allow_remote:
        raise SandboxError(f"refusing to serve on non-loopback host {host!r}: the sandbox hands out tokens")
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be 0..65535, not {port}")
    if not 0 <= latency_ms <= MAX_LATENCY_MS:
        raise ValueError(f"latency_ms must be 0..{MAX_LATENCY_MS}, not {latency_ms}")
    limiter = RateLimiter(rate_limit[0], rate_limit[1], clock=clock) if rate_limit is not None else None
    new_id = request_ids or RequestIds()
    app = _make_app(spec, new_id=new_id, limiter=limiter, gateway_errors=gateway_errors, stateful=stateful)

    bind_host = "127.0.0.1" if host.lower() == "localhost" else host.strip("[]")
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    try:
        server = _Server(
            (bind_host, port),
            app,
            latency=latency_ms / 1000,
            log=log,
            family=family,
            http_date=http_date,
            deadlines=deadlines,
        )
    except OSError as exc:
        raise SandboxError(_bind_problem(exc, bind_host, port)) from None
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="labs-sandbox", daemon=True
    )
    thread.start()
    mode = "labs" if isinstance(app, LabsApp) else "spec"
    return SandboxHandle(server, thread, app.base_path, mode)


def _make_app(
    spec: Spec | str | os.PathLike[str] | None,
    *,
    new_id: Callable[[], str],
    limiter: RateLimiter | None,
    gateway_errors: bool,
    stateful: bool = False,
) -> App:
    if _is_bundled(spec):
        return LabsApp(new_id=new_id, limiter=limiter, gateway_errors=gateway_errors)
    from labs_tui.sandbox.generic import SpecApp
    from labs_tui.spec import load_spec

    loaded = load_spec(str(spec)) if isinstance(spec, str | os.PathLike) else spec
    assert loaded is not None
    if _is_bundled(loaded):
        return LabsApp(new_id=new_id, limiter=limiter, gateway_errors=gateway_errors)
    return SpecApp(loaded, new_id=new_id, limiter=limiter, gateway_errors=gateway_errors, stateful=stateful)


def _is_bundled(spec: object) -> bool:
    if spec is None:
        return True
    source = getattr(spec, "source", spec)
    if not isinstance(source, str | os.PathLike):
        return False
    if str(source) == "bundled":
        return True
    if str(source).startswith(("http://", "https://")):
        return False
    from labs_tui.spec import BUNDLED_SPEC

    try:
        return Path(source).resolve() == Path(BUNDLED_SPEC).resolve()
    except (OSError, ValueError):
        return False


def _bind_problem(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port} on {host}"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"cannot listen on host {host!r}: no such local address"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
