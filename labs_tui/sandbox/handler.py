"""The sandbox's per-request handler: one fully received request in, one answer out.

A worker thread builds a ``_Handler`` over bytes the loop already framed (``http.server`` parses
the request line and headers), asks the app for a reply, waits the configured latency on the
server's stop Event, writes the reply with an exact Content-Length and logs one line. It must not
read from the socket (the loop did), print, log a token or a query string, or let an exception
become a traceback.
"""

from __future__ import annotations

import io
import socket
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from labs_tui.sandbox.app import Reply, SandboxRequest, clip
from labs_tui.sandbox.framing import _CHUNK_LINE, _DIGITS, _Plan

if TYPE_CHECKING:
    from labs_tui.sandbox.connections import _Server


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
