"""The sandbox's front door: ``start()`` picks the app and listens; ``SandboxHandle`` stops it.

``start()`` checks its arguments (loopback unless allowed, port, latency), builds the Labs or spec
app, binds a ``connections._Server`` and serves it in a daemon thread. The HTTP work is split by
job: ``connections`` (the selector loop, deadlines, the connection cap), ``framing`` (where a
request's head and body end; ambiguous framing is a 400) and ``handler`` (one request in, one
answer out). This module must not read or write sockets itself, print, or let a bind failure
escape as anything but a one-line ``SandboxError``. The names other code imports from here
(``Deadlines``, the limits) stay importable from here.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from labs_tui.sandbox.app import App
from labs_tui.sandbox.connections import IDLE_TIMEOUT, MAX_CONNECTIONS, Deadlines, Log, _Server
from labs_tui.sandbox.framing import MAX_BODY, MAX_CHUNKS, MAX_HEAD
from labs_tui.sandbox.ids import RequestIds
from labs_tui.sandbox.labs import LabsApp
from labs_tui.sandbox.ratelimit import Clock, RateLimiter

if TYPE_CHECKING:
    from labs_tui.spec.model import Spec

__all__ = [
    "IDLE_TIMEOUT",
    "MAX_BODY",
    "MAX_CHUNKS",
    "MAX_CONNECTIONS",
    "MAX_HEAD",
    "MAX_LATENCY_MS",
    "STOP_TIMEOUT",
    "Deadlines",
    "Log",
    "SandboxError",
    "SandboxHandle",
    "is_loopback",
    "served_base_path",
    "start",
]

MAX_LATENCY_MS = 600_000
STOP_TIMEOUT = 5.0  # seconds stop() waits for connection threads after closing their sockets


class SandboxError(Exception):
    """The sandbox could not start (port in use, host refused or unknown); ``str()`` is one line."""


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


def served_base_path(spec: Spec | str | os.PathLike[str] | None) -> str:
    """The path ``start(spec=spec)`` serves the API under (``base_url``'s path): ``/labs/v1`` for the
    bundled Labs spec, else the path of the spec's first server URL ('' for the root).
    Raises ``SpecError`` for a spec that cannot be loaded."""
    if _is_bundled(spec):
        return LabsApp.base_path
    from labs_tui.sandbox.generic import base_path_of
    from labs_tui.spec import load_spec

    loaded = load_spec(str(spec)) if isinstance(spec, str | os.PathLike) else spec
    assert loaded is not None
    return LabsApp.base_path if _is_bundled(loaded) else base_path_of(loaded)


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
