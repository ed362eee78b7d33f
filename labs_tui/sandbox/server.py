"""The sandbox's HTTP layer: a threaded stdlib server on loopback, started and stopped by a handle.

``http.server.ThreadingHTTPServer`` gives one real thread per connection, HTTP/1.1 keep-alive and
a clean ``shutdown()`` without adding a dependency or an event loop the TUI would have to share.
This module only moves bytes: it reads a bounded body, asks the app (Labs or spec mode) for a
reply, waits the configured latency on an Event (so ``stop()`` cuts it short), writes the reply
with an exact Content-Length, and reports one log line through the injected ``log`` callable.

It never prints (the default stderr logging of ``http.server`` is silenced), never logs a token
or a query string, and never lets an exception become a traceback on a terminal.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
MAX_CONNECTIONS = 512  # beyond this, new connections get 503 at once instead of a thread each
STOP_TIMEOUT = 5.0  # seconds stop() waits for connection threads after closing their sockets
_CHUNK_LINE = 1024

Log = Callable[[str], None]


class SandboxError(Exception):
    """The sandbox could not start (port in use, host refused or unknown); ``str()`` is one line."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        app: App,
        *,
        latency: float,
        log: Log | None,
        family: socket.AddressFamily,
        http_date: Callable[[], str] | None = None,
    ) -> None:
        self.address_family = family
        self.http_date = http_date
        self.app = app
        self.latency = latency
        self.stopping = threading.Event()
        self._log = log
        self._log_lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, a DNS lookup that can stall; not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        # One daemon thread per connection, tracked here (not by socketserver, which skips daemon
        # threads) so that stop() can close every connection and join its thread.
        if self.open_connections >= MAX_CONNECTIONS:
            self._refuse(request)
            return
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="labs-sandbox-connection",
            daemon=True,
        )
        with self._connections_lock:
            self._connections[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def close_connections(self, timeout: float) -> None:
        """Close every open connection (waking threads blocked on a read) and join their threads."""
        with self._connections_lock:
            open_now = list(self._connections.items())
        for connection, _ in open_now:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for _, thread in open_now:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _refuse(self, request: Any) -> None:
        reply = self.app.error(503, f"The sandbox already serves {MAX_CONNECTIONS} connections.", close=True)
        head = [f"HTTP/1.1 {reply.status} Service Unavailable"]
        head += [f"{name}: {value}" for name, value in reply.headers]
        head += [
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(reply.body)}",
            "Connection: close",
        ]
        try:
            request.settimeout(1.0)
            request.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + reply.body)
        except OSError:
            pass
        self.shutdown_request(request)

    @property
    def open_connections(self) -> int:
        with self._connections_lock:
            return len(self._connections)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-answer is not worth a traceback on the terminal.
        return

    def write_log(self, line: str) -> None:
        if self._log is None:
            return
        with self._log_lock:
            try:
                self._log(line)
            except Exception:  # a broken stderr must not break serving
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "labs-tui-sandbox"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True  # headers and body are separate writes; Nagle would delay the body
    server: _Server

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
        body, problem = self._read_body()
        if problem is not None:
            self._answer(problem, path=path, pin=pin)
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
        app = self.server.app
        if self.headers.get("Transfer-Encoding"):
            if self.headers["Transfer-Encoding"].strip().lower() != "chunked":
                return b"", app.error(501, "Only the chunked transfer coding is supported.", close=True)
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b"", None
        try:
            length = int(length_text.strip())
            if length < 0:
                raise ValueError
        except ValueError:
            return b"", app.error(400, "Content-Length is not a non-negative integer.", close=True)
        if length > MAX_BODY:
            return b"", app.error(413, f"The request body exceeds {MAX_BODY} bytes.", close=True)
        return self.rfile.read(length), None

    def _read_chunked(self) -> tuple[bytes, Reply | None]:
        app = self.server.app
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(_CHUNK_LINE)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size < 0:
                    raise ValueError
            except ValueError:
                return b"", app.error(400, "Malformed chunked request body.", close=True)
            if size == 0:
                for _ in range(100):  # trailers end with an empty line; bounded
                    if self.rfile.readline(_CHUNK_LINE) in (b"\r\n", b"\n", b""):
                        break
                return b"".join(parts), None
            total += size
            if total > MAX_BODY:
                return b"", app.error(413, f"The request body exceeds {MAX_BODY} bytes.", close=True)
            parts.append(self.rfile.read(size))
            self.rfile.readline(_CHUNK_LINE)

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
        url_host = f"[{self.host}]" if ":" in self.host else self.host
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
) -> SandboxHandle:
    """Start a sandbox serving in a daemon thread and return its handle at once.

    ``spec`` None (or the bundled Labs spec) gives the Labs behaviour; any other spec, or a path
    to one, is served by the spec engine. ``rate_limit`` is (requests, seconds) per token and
    endpoint, or None for no limit. ``request_ids`` returns each next requestId (default: unique
    cuid-like ids); ``clock`` is the rate limiter's monotonic clock (tests step it); ``http_date``
    returns the ``Date`` header's value (snapshots freeze it). ``log`` gets one line per request.
    A host that is not loopback is refused unless ``allow_remote``.
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
    app = _make_app(spec, new_id=new_id, limiter=limiter, gateway_errors=gateway_errors)

    bind_host = "127.0.0.1" if host.lower() == "localhost" else host.strip("[]")
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    try:
        server = _Server(
            (bind_host, port), app, latency=latency_ms / 1000, log=log, family=family, http_date=http_date
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
) -> App:
    if _is_bundled(spec):
        return LabsApp(new_id=new_id, limiter=limiter, gateway_errors=gateway_errors)
    from labs_tui.sandbox.generic import SpecApp
    from labs_tui.spec import load_spec

    loaded = load_spec(str(spec)) if isinstance(spec, str | os.PathLike) else spec
    assert loaded is not None
    if _is_bundled(loaded):
        return LabsApp(new_id=new_id, limiter=limiter, gateway_errors=gateway_errors)
    return SpecApp(loaded, new_id=new_id, limiter=limiter, gateway_errors=gateway_errors)


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
