"""Failure analysis: from a ``CallResult`` to what a person needs to act on it.

Pure. This module assembles the ``Diagnosis``; its parts live beside it, one job each:
``error_body`` (the body's shape, a summary of plain-text and HTML answers), ``request_id`` (body,
else header), ``retry_after``, ``jwt`` (a token's ``exp``, unverified) and ``advice`` (the hint per
status and security scheme). Here: the network-failure titles, the rate-limit headers, the
missing-requestId note and the spec's own words for the status (``spec_says``). The token that was
sent may be passed in to judge a 401; it is only read and never kept or returned.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from labs_tui.client.advice import Context, FrontEnd, is_labs, status_hint, tried_schemes
from labs_tui.client.error_body import api_error, one_line, summarise
from labs_tui.client.jwt import jwt_expiry
from labs_tui.client.model import CallResult, Diagnosis
from labs_tui.client.request_id import REQUEST_ID_HEADERS, find_request_id
from labs_tui.client.retry_after import parse_retry_after
from labs_tui.spec.model import DEFAULT_VERSION_HEADER

if TYPE_CHECKING:
    from labs_tui.spec.model import Operation, Response, Spec

# The names this module had before its parts moved out stay importable from here.
__all__ = [
    "NO_REQUEST_ID",
    "REQUEST_ID_HEADERS",
    "FrontEnd",
    "diagnose",
    "find_request_id",
    "is_labs",
    "jwt_expiry",
    "one_line",
    "parse_retry_after",
    "spec_says",
    "summarise",
]

_RATE_PREFIXES = ("x-ratelimit-", "ratelimit", "x-rate-limit-")
_NETWORK_TITLES = {
    "refused": "connection refused",
    "dns": "host not found",
    "tls": "TLS failure",
    "proxy": "proxy failure",
    "timeout": "timed out",
    "reset": "connection closed early",
    "too_many_redirects": "too many redirects",
    "blocked_host": "host not allowed",
    "invalid_url": "invalid URL",
    "other": "request failed",
}
NO_REQUEST_ID = "no requestId in the response"


def diagnose(
    result: CallResult,
    operation: Operation | None = None,
    *,
    now: float | None = None,
    token: str | None = None,
    version_header: str = DEFAULT_VERSION_HEADER,
    front_end: FrontEnd = "tui",
    spec: Spec | None = None,
) -> Diagnosis:
    """What went wrong (or right) and what to do next. ``token``: what was sent, to judge a 401.

    ``front_end`` words the advice for the one showing it (a CLI flag or a TUI control). ``spec``
    (with ``operation``) words 401/403 advice by the operation's security scheme and fills
    ``spec_says``; without it the advice is the Labs API's (a bearer JWT).
    """
    now = time.time() if now is None else now
    served = result.header(version_header)
    if result.network_error is not None:
        err = result.network_error
        # The message (what to check) is shown with the title; repeating it as the hint
        # printed it twice.
        return Diagnosis(title=_NETWORK_TITLES.get(err.kind, "request failed"), served_version=served)
    status = result.status or 0
    title = f"{status} {result.reason}".strip()
    error = api_error(result.json, result.content_type) if status >= 400 else None
    request_id, source = find_request_id(result)
    summary = summarise(result) if status >= 400 else None
    if error is not None and request_id and not error.request_id:
        error = replace(error, request_id=request_id)
    rate = {name: value for name, value in result.headers if name.lower().startswith(_RATE_PREFIXES)}
    retry_s: float | None = None
    retry_at: float | None = None
    retry_header = result.header("Retry-After")
    if retry_header is not None and (status == 429 or status == 503):
        retry_s, retry_at = parse_retry_after(retry_header, now)

    schemes = tried_schemes(result, spec, operation) if status in (401, 403) else ()
    context = Context(result, operation, spec, error, request_id, front_end, schemes)
    hints = [status_hint(context, token, now, (retry_header, retry_s, retry_at))]
    if status >= 400 and request_id is None:
        hints.append(f"{NO_REQUEST_ID[0].upper()}{NO_REQUEST_ID[1:]}.")
    return Diagnosis(
        title=title,
        error=error,
        request_id=request_id,
        request_id_source=source,
        summary=summary,
        hint=" ".join(h for h in hints if h) or None,
        retry_after_s=retry_s,
        retry_at=retry_at,
        rate_limit=rate,
        served_version=served,
        spec_says=spec_says(operation, status, result.reason, result.content_type) if status >= 400 else None,
    )


def spec_says(
    operation: Operation | None, status: int, reason: str = "", content_type: str | None = None
) -> str | None:
    """The spec's own description of ``status`` for the operation (exact status, else its ``4XX``
    range), first paragraph on one line; None when undocumented, when it only repeats the reason, or
    when the answer is not in a media type documented for it (``content_type`` given: a gateway's
    text/plain 403 is not the API's documented 403)."""
    if operation is None or not status:
        return None
    by_status = {r.status.upper(): r for r in operation.responses}
    found = by_status.get(str(status)) or by_status.get(f"{str(status)[0]}XX")
    if found is None:
        return None
    if content_type is not None and found.content and not _documented_type(found, content_type):
        return None
    text = found.description.strip().split("\n\n", 1)[0]
    text = one_line(" ".join(text.split()), 200)
    plain = text.rstrip(".").strip().lower()
    if not plain or plain in (reason.strip().lower(), _standard_reason(status).lower()):
        return None
    return text


def _documented_type(response: Response, content_type: str) -> bool:
    got = content_type.split(";", 1)[0].strip().lower()
    for media in response.content:
        name = media.media_type.split(";", 1)[0].strip().lower()
        if name == got or name == "*/*" or (name.endswith("/*") and got.startswith(name[:-1])):
            return True
    return False


def _standard_reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
