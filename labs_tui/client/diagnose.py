"""Failure analysis: from a ``CallResult`` to what a person needs to act on it.

Pure: the error shape, where the requestId came from, a summary of plain-text and HTML answers,
and a hint per status (401 token missing / malformed / expired, 403 permission, 429 retry time,
5xx server side). The token that was sent may be passed in to judge a 401; it is only read here
(a JWT's ``exp`` decoded without verifying) and never kept or returned.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal

from labs_tui.client.model import ApiError, CallResult, Diagnosis, FieldError
from labs_tui.spec.model import DEFAULT_VERSION_HEADER
from labs_tui.text import inert_line

if TYPE_CHECKING:
    from labs_tui.spec.model import Operation

REQUEST_ID_HEADERS = (
    "X-Request-Id",
    "Request-Id",
    "X-Amzn-RequestId",
    "X-Amz-Request-Id",
    "X-Correlation-Id",
    "X-Trace-Id",
    "X-Amz-Cf-Id",
)
_BODY_ID_KEYS = ("requestId", "request_id", "requestID", "RequestId")
_RATE_PREFIXES = ("x-ratelimit-", "ratelimit", "x-rate-limit-")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
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


def one_line(text: str, limit: int = 200) -> str:
    """Network text as one short printable line (control characters escaped)."""
    return inert_line(text, limit)


def _api_error(value: Any) -> ApiError | None:
    if not isinstance(value, Mapping):
        return None
    if isinstance(value.get("error"), Mapping) and "message" not in value:
        value = value["error"]
    message = value.get("message")
    if not isinstance(message, str) and not any(k in value for k in ("statusCode", "requestId")):
        return None
    status = value.get("statusCode")
    rid = next((value[k] for k in _BODY_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    fields: list[FieldError] = []
    raw_fields = value.get("fieldErrors")
    if isinstance(raw_fields, list):
        for item in raw_fields[:100]:
            if isinstance(item, Mapping):
                fields.append(
                    FieldError(
                        field=str(item.get("field", "")),
                        message=str(item.get("message", "")),
                        code=str(item.get("code", "") or ""),
                    )
                )
    return ApiError(
        message=message if isinstance(message, str) else "",
        status_code=status if isinstance(status, int) and not isinstance(status, bool) else None,
        request_id=rid,
        field_errors=tuple(fields),
    )


def find_request_id(result: CallResult) -> tuple[str | None, Literal["body", "header"] | None]:
    """The requestId from the error body, else from a request-id header, and where it came from."""
    error = _api_error(result.json)
    if error is not None and error.request_id:
        return error.request_id, "body"
    for name in REQUEST_ID_HEADERS:
        value = result.header(name)
        if value and value.strip():
            return value.strip(), "header"
    return None, None


def summarise(result: CallResult) -> str | None:
    """A text/plain answer's first words, or an HTML page's title (else its first heading/text)."""
    text = result.text or ""
    if result.content_kind == "html":
        for pattern in (_TITLE, _H1):
            found = pattern.search(text[:200_000])
            if found:
                title = one_line(html.unescape(_TAG.sub(" ", found.group(1))))
                if title:
                    return title
        return one_line(html.unescape(_TAG.sub(" ", text[:20_000]))) or None
    if result.content_kind == "text" and text.strip():
        return one_line(text[:2000])
    return None


def parse_retry_after(value: str, now: float) -> tuple[float | None, float | None]:
    """``Retry-After`` as (seconds from now, epoch seconds): delta-seconds or an HTTP date."""
    text = value.strip()
    if text.isdigit():
        seconds = float(min(int(text), 10**9))
        return seconds, now + seconds
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    at = when.timestamp()
    return max(0.0, at - now), at


def jwt_expiry(token: str) -> tuple[bool, float | None]:
    """(is a decodable JWT, its ``exp``): the payload is read, the signature is not verified."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        return False, None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError):
        return False, None
    if not isinstance(claims, dict):
        return False, None
    exp = claims.get("exp")
    return True, float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _ago(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172_800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def _auth_sent(result: CallResult) -> bool:
    return any(name.lower() == "authorization" for name, _ in result.request.headers)


FrontEnd = Literal["tui", "cli"]
# How to send the Authorization header again, in the words of the front end that shows the hint.
_SEND_AUTH: dict[str, str] = {
    "cli": "do not pass -H 'Authorization:' (it removes the header)",
    "tui": "tick Authorization in the Headers tab",
}


def _hint_401(result: CallResult, token: str | None, now: float, front_end: FrontEnd) -> str:
    if not _auth_sent(result):
        return (
            f"No token was sent: set ASTRO_API_TOKEN (profile live) or {_SEND_AUTH[front_end]}; "
            "the sandbox accepts 'sandbox-token'."
        )
    if token is None:
        return "The token was rejected: check it is complete, not expired, and for this organization."
    if any(ch.isspace() for ch in token) or not token.isprintable():
        return "The token is malformed: it contains spaces or control characters; copy it again."
    is_jwt, exp = jwt_expiry(token)
    if not is_jwt:
        return (
            "The token is not a JWT (Header.Payload.Signature), which Astro API tokens are: "
            "check that you copied the whole token."
        )
    if exp is not None and exp <= now:
        return f"The token expired at {_when(exp)} ({_ago(now - exp)} ago): create a new one."
    if exp is not None:
        return (
            f"The token is a JWT that has not expired (until {_when(exp)}): it may be revoked, "
            "or for another organization or environment."
        )
    return "The token is a JWT without an expiry: it may be revoked, or for another organization."


def _hint_429(header: str | None, retry_s: float | None, retry_at: float | None, now: float) -> str:
    if header is None or retry_s is None or retry_at is None:
        return "Rate limited: slow down; the response gave no Retry-After."
    if header.strip().isdigit():
        return f"Rate limited: retry in {retry_s:.0f} s (at {_when(retry_at)[11:19]} UTC)."
    if retry_at <= now:  # an HTTP date already past: name it, rather than "retry in 0 s"
        return f"Rate limited: retry now (Retry-After was {_when(retry_at)}, already past)."
    return f"Rate limited: retry in {retry_s:.0f} s (at {_when(retry_at)})."


def diagnose(
    result: CallResult,
    operation: Operation | None = None,
    *,
    now: float | None = None,
    token: str | None = None,
    version_header: str = DEFAULT_VERSION_HEADER,
    front_end: FrontEnd = "tui",
) -> Diagnosis:
    """What went wrong (or right) and what to do next. ``token``: what was sent, to judge a 401.

    ``front_end`` words the advice for the one showing it (a CLI flag or a TUI control).
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
    error = _api_error(result.json) if status >= 400 else None
    request_id, source = find_request_id(result)
    summary = summarise(result) if status >= 400 else None
    if error is not None and request_id and not error.request_id:
        error = ApiError(error.message, error.status_code, request_id, error.field_errors)
    rate = {name: value for name, value in result.headers if name.lower().startswith(_RATE_PREFIXES)}
    retry_s: float | None = None
    retry_at: float | None = None
    retry_header = result.header("Retry-After")
    if retry_header is not None and (status == 429 or status == 503):
        retry_s, retry_at = parse_retry_after(retry_header, now)

    hints: list[str] = []
    if status == 401:
        hints.append(_hint_401(result, token, now, front_end))
    elif status == 403:
        permission = operation.required_permission if operation is not None else None
        if not _auth_sent(result):
            # Without a token there is no role to blame: say only what applies.
            hints.append(
                "No Authorization header was sent; the gateway answers 403 without one: "
                f"set a token in the profile and {_SEND_AUTH[front_end]}."
            )
        else:
            need = f" ({permission})" if permission else ""
            hints.append(
                f"The token's role lacks the permission this endpoint requires{need}: "
                "use a token whose role grants it."
            )
    elif status == 429:
        hints.append(_hint_429(retry_header, retry_s, retry_at, now))
    elif status == 400 and error is not None and error.field_errors:
        listed = "; ".join(f"{f.field}: {f.message}" for f in error.field_errors[:5])
        hints.append(f"The request failed validation: {one_line(listed)}.")
    elif status == 404:
        hints.append("No such endpoint here: check the path, the base URL and the version pin.")
    elif status == 405:
        allow = result.header("Allow")
        hints.append(f"Method not allowed here{'; allowed: ' + one_line(allow) if allow else ''}.")
    elif status >= 500:
        if request_id:
            hints.append(
                f"A server-side failure, not your request: share requestId {request_id} with "
                "Astronomer support."
            )
        else:
            hints.append("A server-side failure, not your request; retry later.")
    if status >= 400 and request_id is None:
        hints.append(f"{NO_REQUEST_ID[0].upper()}{NO_REQUEST_ID[1:]}.")
    return Diagnosis(
        title=title,
        error=error,
        request_id=request_id,
        request_id_source=source,
        summary=summary,
        hint=" ".join(hints) or None,
        retry_after_s=retry_s,
        retry_at=retry_at,
        rate_limit=rate,
        served_version=served,
    )
