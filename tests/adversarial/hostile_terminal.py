"""A spec and a server that try to act on the user's terminal: retitle the window and fill the clipboard.

Everything a spec or a server says could reach the terminal through the TUI: a parameter's example or
default (an Input placeholder), the body example (the editor's first text), a summary (titles, palette
hits, the Docs tab), an error's requestId and message (the error panel, toasts, the support report, the
clipboard). Each of those here holds OSC 0 (set the window title) and OSC 52 (set the clipboard),
terminated both by BEL and by ST (ESC \\, which survives renderers that only strip BEL), plus U+202E
(right-to-left override) and an 8-bit OSC. ``PWNED_TITLE`` and ``PWNED_CLIP`` are what an attacker
would see land: a terminal test asserts neither ever does.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
PWNED_TITLE = "pwned"
PWNED_CLIP = "pwned"  # cHduZWQ= in OSC 52
CLIP_B64 = base64.b64encode(PWNED_CLIP.encode()).decode()  # "cHduZWQ="
RLO = "\u202e"
OSC0_BEL = f"{ESC}]0;{PWNED_TITLE}{BEL}"
OSC0_ST = f"{ESC}]2;{PWNED_TITLE}{ST}"
OSC52_BEL = f"{ESC}]52;c;{CLIP_B64}{BEL}"
OSC52_ST = f"{ESC}]52;c;{CLIP_B64}{ST}"
OSC_8BIT = f"\x9d0;{PWNED_TITLE}\x9c"
ATTACK = f"{OSC0_BEL}{OSC52_BEL}{OSC0_ST}{OSC52_ST}{OSC_8BIT}"
"""Every way to retitle the window or write the clipboard, one after the other."""

REQUEST_ID = f"rid-{ATTACK}{RLO}exe.txt"
MESSAGE = f"denied {ATTACK} {RLO}gnp.exe"
HOSTILE_VERSION = f"1.1{ATTACK}"
RAW_CONTROLS = ("\x1b", "\x07", "\x9c", "\x9d", RLO)
"""Characters that must never reach a widget's text, a toast, a dialog or the clipboard raw."""


def hostile_spec(base_url: str = "") -> dict[str, Any]:
    """GET: hostile params (example, default, header example, enum) and summary; POSTs: hostile bodies."""
    param_text = f"x{ATTACK}y"
    error = {"description": f"error {ATTACK}"}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Hostile{ATTACK}",
            "version": f"1{ATTACK}",
            "description": ATTACK,
            "x-labs-versions": {"known": ["1.0", HOSTILE_VERSION]},
        },
        "servers": [{"url": base_url}] if base_url else [],
        "paths": {
            "/osc-error": {
                "get": {
                    "operationId": "OscError",
                    "summary": f"summary {ATTACK}{RLO}end",
                    "description": f"description {ATTACK}",
                    "tags": [f"tag{ATTACK}"],
                    "parameters": [
                        {
                            "name": "example",
                            "in": "query",
                            "description": f"param doc {ATTACK}",
                            "example": param_text,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "withdefault",
                            "in": "query",
                            "schema": {"type": "string", "default": param_text},
                        },
                        {
                            "name": "X-Hostile",
                            "in": "header",
                            "schema": {"type": "string", "example": param_text},
                        },
                        {
                            "name": "choice",
                            "in": "query",
                            "schema": {"type": "string", "enum": [param_text, "plain"]},
                        },
                    ],
                    "responses": {"200": {"description": f"ok {ATTACK}"}, "400": error},
                }
            },
            "/osc-body": {
                "post": {
                    "operationId": "OscBody",
                    "summary": f"body {ATTACK}",
                    "requestBody": {
                        "required": True,
                        "content": {"text/plain": {"example": f"raw {ATTACK}{RLO}"}},
                    },
                    "responses": {"400": error},
                }
            },
            "/osc-object": {
                "post": {
                    "operationId": "OscObject",
                    "summary": "object body",
                    "requestBody": {
                        "content": {"application/json": {"example": {"note": f"json {ATTACK}{RLO}"}}}
                    },
                    "responses": {"400": error},
                }
            },
        },
    }


def write_spec(where: Path, base_url: str = "") -> Path:
    where.write_text(json.dumps(hostile_spec(base_url)), encoding="utf-8")
    return where


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile-terminal/1"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps(
            {
                "message": MESSAGE,
                "statusCode": 400,
                "requestId": REQUEST_ID,
                "fieldErrors": [{"field": "example", "message": MESSAGE, "code": ATTACK}],
            },
            ensure_ascii=False,
        ).encode()
        self.send_response_only(400, "Bad Request")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def hostile_terminal_server() -> Iterator[str]:
    """A loopback server answering every request with the hostile 400; yields its base URL."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def raw_controls_in(text: str) -> list[str]:
    """The raw controls of ``RAW_CONTROLS`` that ``text`` holds (empty when it is inert)."""
    return [repr(char) for char in RAW_CONTROLS if char in text]
