"""Text a person pastes elsewhere: the support report for a failed call.

Pure functions, no Textual import: the TUI shows and copies the result; scripts can call it too.
The token never appears: the result's request is already redacted by the client, and any secret
passed in is masked again in the body, which a server could echo.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from labs_tui.client.model import CallResult, Diagnosis
from labs_tui.client.redact import redact

BODY_LIMIT = 4000


def _fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return ticks


def _error_body(result: CallResult) -> str:
    if result.network_error is not None:
        return f"network error ({result.network_error.kind}): {result.network_error.message}"
    if result.json is not None:
        text = json.dumps(result.json, indent=2, ensure_ascii=False)
    else:
        text = result.text if result.text is not None else f"<{result.size} bytes, {result.content_type}>"
    if len(text) > BODY_LIMIT:
        text = text[:BODY_LIMIT] + f"\n... ({len(text) - BODY_LIMIT} more characters)"
    return text


def support_report(
    result: CallResult, diagnosis: Diagnosis, *, now: float, secrets: Iterable[str] = ()
) -> str:
    """A markdown block with what support asks for: time (UTC), method, URL, pin, status, requestId, body."""
    secrets = tuple(secrets)
    when = result.started_at or now
    stamp = datetime.fromtimestamp(when, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    request = result.request
    pin = request.pin if request.pin and request.pin != "latest" else "latest (no header)"
    status = f"{result.status} {result.reason}".strip() if result.status is not None else diagnosis.title
    body = redact(_error_body(result), secrets)
    fence = _fence(body)
    lines = [
        "### Astro Labs API call report",
        "",
        f"- Time: {stamp}",
        f"- Request: {request.method} {redact(request.url, secrets)}",
        f"- Pinned version: {pin}",
        f"- Served version: {diagnosis.served_version or 'unknown'}",
        f"- Status: {status}",
        f"- requestId: {diagnosis.request_id or 'none in the response'}",
        "- Error body:",
        "",
        f"{fence}{'json' if result.json is not None else 'text'}",
        body,
        fence,
    ]
    return "\n".join(lines) + "\n"
