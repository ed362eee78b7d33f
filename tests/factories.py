"""Results built by hand for tests that need an answer without a server: one place, one shape.

``json_result``/``text_result`` give a ``CallResult`` as ``Client.send`` would for that body (status line,
headers, size, parsed JSON), ``failed_result`` one for a network failure. Keyword arguments override any
field. Tests that can talk to the sandbox or a local server should do that instead.
"""

from __future__ import annotations

import json
from typing import Any

from labs_tui.client import CallRequest, CallResult, NetworkError

T0 = 1_700_000_000.0
DEMO_URL = "http://127.0.0.1:8000/labs/v1/examples/demo"
REQUEST = CallRequest(method="GET", url=DEMO_URL, pin="1.0")


def request(url: str = DEMO_URL, method: str = "GET", **fields: Any) -> CallRequest:
    return CallRequest(method=method, url=url, **fields)


def json_result(value: Any, status: int = 200, reason: str = "OK", **fields: Any) -> CallResult:
    """``value`` answered as ``application/json`` with an ``X-Request-Id``."""
    text = json.dumps(value)
    data = text.encode()
    built: dict[str, Any] = {
        "request": REQUEST,
        "status": status,
        "reason": reason,
        "http_version": "HTTP/1.1",
        "headers": (("content-type", "application/json"), ("x-request-id", "6f1c0a9e52d04b7a")),
        "elapsed_ms": 12.0,
        "size": len(data),
        "body": data,
        "content_type": "application/json",
        "content_kind": "json",
        "text": text,
        "json": value,
        "started_at": T0,
    }
    built.update(fields)
    return CallResult(**built)


def text_result(
    content: str,
    status: int = 200,
    reason: str = "OK",
    kind: str = "text",
    ctype: str = "text/plain",
    **fields: Any,
) -> CallResult:
    """``content`` answered with content type ``ctype`` (classified as ``kind``)."""
    data = content.encode()
    built: dict[str, Any] = {
        "request": REQUEST,
        "status": status,
        "reason": reason,
        "headers": (("content-type", ctype),),
        "elapsed_ms": 4.0,
        "size": len(data),
        "body": data,
        "content_type": ctype,
        "content_kind": kind,
        "text": content,
        "started_at": T0,
    }
    built.update(fields)
    return CallResult(**built)


def failed_result(kind: str = "refused", message: str = "connection refused", **fields: Any) -> CallResult:
    """A send that never got an answer."""
    error = NetworkError(kind, message)  # type: ignore[arg-type]
    built: dict[str, Any] = {"request": REQUEST, "network_error": error, "started_at": T0}
    built.update(fields)
    return CallResult(**built)
