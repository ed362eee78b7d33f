"""Shared fixtures: every test runs with its own user dirs, and can have a sandbox on loopback."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (XDG on Linux) at a fresh folder so no test touches the real user dirs."""
    root = tmp_path_factory.mktemp("userdirs")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (root / sub).mkdir()
        monkeypatch.setenv(var, str(root / sub))
    monkeypatch.delenv("ASTRO_API_TOKEN", raising=False)
    monkeypatch.delenv("LABS_TUI_CONFIG", raising=False)
    return root


@pytest.fixture
def sandbox() -> Iterator[Any]:
    """A Labs sandbox on a free loopback port, stopped after the test."""
    from labs_tui.sandbox import start

    handle = start(port=0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Any]]:
    """A factory: ``make_sandbox(**options)`` starts a sandbox with ``start(port=0, **options)``.

    Every sandbox it started is stopped after the test, e.g. ``make_sandbox(rate_limit=None)``,
    ``make_sandbox(gateway_errors=True)``, ``make_sandbox(request_ids=iter(ids).__next__)``.
    """
    from labs_tui.sandbox import start

    handles: list[Any] = []

    def factory(**options: Any) -> Any:
        options.setdefault("port", 0)
        handle = start(**options)
        handles.append(handle)
        return handle

    try:
        yield factory
    finally:
        for handle in handles:
            handle.stop()


class _OkHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def https_server() -> Iterator[Callable[..., str]]:
    """``start(ca, *identities, **cert_options)`` -> the base URL of an HTTPS server on loopback."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(ca: Any, *identities: str, self_signed: bool = False, **options: Any) -> str:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        if self_signed:  # the CA's own certificate as the server's: one self-signed certificate
            with ca.cert_pem.tempfile() as cert_path, ca.private_key_pem.tempfile() as key_path:
                context.load_cert_chain(cert_path, key_path)
        else:
            ca.issue_cert(*(identities or ("127.0.0.1",)), **options).configure_cert(context)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OkHandler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"https://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
