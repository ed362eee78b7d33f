"""The sandbox's connection loop: accepting, reading requests without threads, and deadlines.

One selector loop accepts connections and reads each request's head and body; only a complete
request gets a worker thread (``handler._Handler``). Each request has deadlines (``Deadlines``),
and at the connection cap a newcomer displaces the oldest unfinished request. It must not parse
framing itself (``framing`` does), answer from the app except for its own error replies, print,
or let one connection's failure stop the others being served.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from labs_tui.sandbox.app import App
from labs_tui.sandbox.framing import (
    _MALFORMED,
    _TOO_BIG,
    MAX_BODY,
    MAX_HEAD,
    _body_plan,
    _Chunks,
    _head_end,
    _Plan,
)
from labs_tui.sandbox.handler import _Handler

IDLE_TIMEOUT = 60.0  # seconds an idle keep-alive connection is kept open
MAX_CONNECTIONS = 512  # open at once; beyond this the oldest unfinished request makes room (else 503)

Log = Callable[[str], None]


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
