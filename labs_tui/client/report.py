"""Text a person pastes elsewhere: the support report for a call (failed or not).

Pure functions, no Textual import: the TUI shows and copies the result; scripts can call it too.
The token never appears: the result's request is already redacted by the client, and any secret
passed in is masked again in the body, which a server could echo. Every field a server or a spec
chose (URL, reason, requestId, versions, body) goes through ``labs_tui.text``: the report is pasted
into terminals and tickets, so it carries no ESC, BEL, C1 or bidi control, only their visible forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from labs_tui.client.model import CallResult, Diagnosis
from labs_tui.client.redact import redact
from labs_tui.text import inert, inert_json, inert_line

BODY_LIMIT = 4000


def _fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return ticks


def _body(result: CallResult) -> str:
    if result.network_error is not None:
        error = result.network_error
        return inert_line(f"network error ({error.kind}): {error.message}")
    if result.json is not None:
        text = inert_json(result.json, indent=2)
    elif result.text is not None:
        text = result.text
    else:
        return inert_line(f"<{result.size} bytes, {result.content_type}>")
    if len(text) > BODY_LIMIT:
        text = text[:BODY_LIMIT] + f"\n... ({len(text) - BODY_LIMIT} more characters)"
    return inert(text)


def _body_label(result: CallResult) -> str:
    if result.network_error is not None:
        return "- Error:"
    return "- Error body:" if (result.status or 0) >= 400 else "- Body:"


def support_report(
    result: CallResult,
    diagnosis: Diagnosis,
    *,
    now: float,
    secrets: Iterable[str] = (),
    api: str = "",
    versions: bool = True,
) -> str:
    """A markdown block with what support asks for: time (UTC), method, URL, pin, status, requestId, body.

    ``api`` names the API in the heading (the spec's ``info.title``: "Astro Labs API" for the bundled
    spec); ``versions`` False leaves out the pinned/served version lines when no pin was sent (a spec
    with no version header).
    """
    secrets = tuple(secrets)
    when = result.started_at or now
    stamp = datetime.fromtimestamp(when, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    request = result.request
    pin = request.pin if request.pin and request.pin != "latest" else "latest (no header)"
    status = f"{result.status} {result.reason}".strip() if result.status is not None else diagnosis.title
    body = redact(_body(result), secrets)
    fence = _fence(body)
    name = inert_line(" ".join(api.split())) or "API"
    lines = [
        f"### {name} call report",
        "",
        f"- Time: {stamp}",
        f"- Request: {inert_line(request.method)} {inert_line(redact(request.url, secrets))}",
    ]
    if versions or request.pin not in (None, "latest"):
        lines += [
            f"- Pinned version: {inert_line(pin)}",
            f"- Served version: {inert_line(diagnosis.served_version or 'unknown')}",
        ]
    lines += [
        f"- Status: {inert_line(status)}",
        f"- requestId: {inert_line(diagnosis.request_id or 'none in the response')}",
        _body_label(result),
        "",
        f"{fence}{'json' if result.json is not None else 'text'}",
        body,
        fence,
    ]
    return "\n".join(lines) + "\n"
