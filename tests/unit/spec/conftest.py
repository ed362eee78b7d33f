"""Fixtures for the spec engine's tests: the corpus folder and a loopback HTTP server for URL loads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "data" / "specs"


@pytest.fixture
def corpus() -> Path:
    return CORPUS


@dataclass
class SpecServer:
    """Serves ``files`` (path -> bytes) on loopback with an ETag; records each request's headers."""

    files: dict[str, bytes]
    etag: str = '"v1"'
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""


@pytest.fixture
def spec_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SpecServer]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    state = SpecServer(files={})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            body = state.files.get(self.path)
            if state.status != 200 or body is None:
                self.send_response(state.status if state.status != 200 else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.send_header("ETag", state.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", state.etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
