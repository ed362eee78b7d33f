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
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

from labs_tui.client.model import ApiError, CallResult, Diagnosis, FieldError
from labs_tui.spec.loader import BUNDLED_SPEC
from labs_tui.spec.model import DEFAULT_VERSION_HEADER
from labs_tui.text import inert_line

if TYPE_CHECKING:
    from labs_tui.spec.model import Operation, Response, SecurityScheme, Spec

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


_PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")
# Where common error bodies list per-field problems: Labs ``fieldErrors``, RFC 9457's example
# ``errors: [{detail, pointer}]``, RFC 7807's ``invalid-params: [{name, reason}]``, and kin.
_FIELD_LISTS = ("fieldErrors", "errors", "invalid-params", "invalid_params", "violations")
_FIELD_NAME_KEYS = ("field", "pointer", "name", "parameter", "path", "propertyPath", "property")
_FIELD_TEXT_KEYS = ("message", "detail", "reason", "title", "description", "msg")
_PROBLEM_ID_KEYS = (*_BODY_ID_KEYS, "traceId", "trace_id")


def _first_text(item: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _field_error(item: Mapping[str, Any]) -> FieldError:
    name = _first_text(item, _FIELD_NAME_KEYS)
    source = item.get("source")
    if not name and isinstance(source, Mapping):  # JSON:API: source.pointer / source.parameter
        name = _first_text(source, ("pointer", "parameter", "header"))
    if not name and isinstance(item.get("loc"), list):  # FastAPI / pydantic: loc [body, field]
        name = "/".join(str(part) for part in item["loc"][:10])
    code = item.get("code")
    return FieldError(
        field=name,
        message=_first_text(item, _FIELD_TEXT_KEYS),
        code=str(code) if isinstance(code, str | int) and not isinstance(code, bool) else "",
    )


def _field_errors(value: Mapping[str, Any]) -> tuple[FieldError, ...]:
    """Per-field problems from the first list a body has (``fieldErrors``, ``errors``, ...)."""
    for key in _FIELD_LISTS:
        raw = value.get(key)
        if isinstance(raw, list):
            found = [_field_error(item) for item in raw[:100] if isinstance(item, Mapping)]
            if found:
                return tuple(found)
        if isinstance(raw, Mapping) and key == "errors":  # {"name": ["must not be empty"], ...}
            listed: list[FieldError] = []
            for name, messages in list(raw.items())[:100]:
                texts = messages if isinstance(messages, list) else [messages]
                listed += [FieldError(str(name), str(text)) for text in texts[:5] if isinstance(text, str)]
            if listed:
                return tuple(listed)
    return ()


def _is_problem(value: Mapping[str, Any], content_type: str) -> bool:
    """An RFC 9457 problem: by its media type, or (sent as plain JSON) by its members."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.endswith("/problem+json"):
        return True
    if "message" in value or "statusCode" in value:
        return False
    members = sum(1 for key in _PROBLEM_MEMBERS if key in value)
    texts = isinstance(value.get("title"), str) or isinstance(value.get("detail"), str)
    return members >= 2 and texts


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) == 3:
        return int(value)
    return None


def _problem(value: Mapping[str, Any]) -> ApiError:
    def text(key: str) -> str:
        found = value.get(key)
        return found if isinstance(found, str) else ""

    detail, title = text("detail"), text("title")
    rid = next((value[k] for k in _PROBLEM_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    return ApiError(
        message=detail or title,
        status_code=_int(value.get("status")),
        request_id=rid,
        field_errors=_field_errors(value),
        shape="problem",
        title=title,
        type=text("type"),
        instance=text("instance"),
    )


def _other_error(value: Mapping[str, Any]) -> ApiError | None:
    """Other common error bodies: JSON:API ``errors``, FastAPI ``detail: [{loc, msg}]``, OAuth 2
    ``error``/``error_description``, a bare ``detail`` or ``title``; None when none of them."""
    fields = _field_errors(value)
    detail = value.get("detail")
    if isinstance(detail, list):
        fields = tuple(_field_error(item) for item in detail[:100] if isinstance(item, Mapping))
    texts = (value.get(key) for key in ("error_description", "detail", "error", "title"))
    message = next((text for text in texts if isinstance(text, str) and text), "")
    if not message and fields:
        message = fields[0].message
    if not message and not fields:
        return None
    rid = next((value[k] for k in _PROBLEM_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    return ApiError(message=message, request_id=rid, field_errors=fields, shape="other")


def _api_error(value: Any, content_type: str = "") -> ApiError | None:
    if not isinstance(value, Mapping):
        return None
    if _is_problem(value, content_type):
        return _problem(value)
    outer = value
    if isinstance(value.get("error"), Mapping) and "message" not in value:
        value = value["error"]
    message = value.get("message")
    if not isinstance(message, str) and not any(k in value for k in ("statusCode", "requestId")):
        return _other_error(outer)
    status = value.get("statusCode")
    rid = next((value[k] for k in _BODY_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    labs = any(key in value for key in ("statusCode", "requestId", "fieldErrors"))
    return ApiError(
        message=message if isinstance(message, str) else "",
        status_code=status if isinstance(status, int) and not isinstance(status, bool) else None,
        request_id=rid,
        field_errors=_field_errors(value),
        shape="labs" if labs else "other",  # a bare {message}: not the Labs shape, nothing "missing"
    )


def find_request_id(result: CallResult) -> tuple[str | None, Literal["body", "header"] | None]:
    """The requestId from the error body, else from a request-id header, and where it came from."""
    error = _api_error(result.json, result.content_type)
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


def _sent(result: CallResult, scheme: SecurityScheme) -> bool:
    """Whether the request carried the credential where ``scheme`` wants it."""
    if scheme.type.lower() != "apikey" or not scheme.parameter_name:
        return _auth_sent(result)
    name = scheme.parameter_name
    if scheme.location == "query":
        return name in parse_qs(urlsplit(result.request.url).query, keep_blank_values=True)
    if scheme.location == "cookie":
        cookies = "; ".join(v for k, v in result.request.headers if k.lower() == "cookie")
        return any(part.strip().split("=", 1)[0] == name for part in cookies.split(";"))
    return any(key.lower() == name.lower() for key, _ in result.request.headers)


def _schemes(
    result: CallResult, spec: Spec | None, operation: Operation | None
) -> tuple[SecurityScheme, ...]:
    """The schemes of the security alternative the request tried (the first whose credentials were
    all sent, else the first declared); () when the spec declares none or is not known."""
    if spec is None:
        return ()
    required = (
        operation.security if operation is not None and operation.security is not None else spec.security
    )
    ways = [
        tuple(spec.security_schemes[name] for name in way if name in spec.security_schemes)
        for way in required
    ]
    ways = [way for way in ways if way]
    for way in ways:
        if all(_sent(result, scheme) for scheme in way):
            return way
    return ways[0] if ways else ()


def _wants(scheme: SecurityScheme) -> str:
    """What a scheme asks the client to send, in a few words."""
    kind = scheme.type.lower()
    if kind == "apikey":
        where = {"query": "query parameter", "cookie": "cookie"}.get(scheme.location, "header")
        return f"an API key in the {where} {scheme.parameter_name!r}"
    if kind == "http" and scheme.scheme.lower() == "basic":
        return "Authorization: Basic (user:password in base64)"
    if kind == "http" and scheme.scheme.lower() == "bearer":
        fmt = f" ({scheme.bearer_format})" if scheme.bearer_format else ""
        return f"Authorization: Bearer <token>{fmt}"
    if kind == "http":
        return f"Authorization: {scheme.scheme or 'credentials'}"
    if kind == "oauth2":
        return "an OAuth 2 access token as Authorization: Bearer <token>"
    if kind == "openidconnect":
        return "an OpenID Connect token as Authorization: Bearer <token>"
    if kind == "mutualtls":
        return "a client TLS certificate"
    return f"a {scheme.type} credential"


def _expects_jwt(scheme: SecurityScheme) -> bool:
    return (
        scheme.type.lower() == "http"
        and scheme.scheme.lower() == "bearer"
        and ("jwt" in scheme.bearer_format.lower() or "jwt" in scheme.name.lower())
    )


FrontEnd = Literal["tui", "cli"]
# How to send the Authorization header again, in the words of the front end that shows the hint.
_SEND_AUTH: dict[str, str] = {
    "cli": "do not pass -H 'Authorization:' (it removes the header)",
    "tui": "tick Authorization in the Headers tab",
}


def is_labs(spec: Spec | None) -> bool:
    """Whether advice may speak of the Labs API (its JWT tokens, ASTRO_API_TOKEN, Astronomer support):
    no spec given, the bundled spec, or a spec that declares the Labs version pin."""
    if spec is None or spec.source == str(BUNDLED_SPEC):
        return True
    return bool(spec.known_versions) and spec.version_header == DEFAULT_VERSION_HEADER


def _hint_401(
    result: CallResult,
    token: str | None,
    now: float,
    front_end: FrontEnd,
    spec: Spec | None,
    schemes: tuple[SecurityScheme, ...],
) -> str:
    """Why a 401: the Labs bearer JWT when no spec says otherwise, else what the spec's scheme wants."""
    if not is_labs(spec):
        if schemes:
            return _hint_401_scheme(result, token, now, front_end, schemes)
        challenge = result.header("WWW-Authenticate")
        asked = f" (WWW-Authenticate: {one_line(challenge, 80)})" if challenge else ""
        return (
            f"The spec declares no security for this operation, yet the server asks for credentials{asked}: "
            "see the API's documentation for what it accepts."
        )
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
    return _jwt_verdict(exp, now)


def _jwt_verdict(exp: float | None, now: float) -> str:
    if exp is not None and exp <= now:
        return f"The token expired at {_when(exp)} ({_ago(now - exp)} ago): create a new one."
    if exp is not None:
        return (
            f"The token is a JWT that has not expired (until {_when(exp)}): it may be revoked, "
            "or for another organization or environment."
        )
    return "The token is a JWT without an expiry: it may be revoked, or for another organization."


def _hint_401_scheme(
    result: CallResult,
    token: str | None,
    now: float,
    front_end: FrontEnd,
    schemes: tuple[SecurityScheme, ...],
) -> str:
    """A 401 on a third-party spec, in the words of its own security scheme(s)."""
    names = " + ".join(repr(s.name) for s in schemes)
    wants = "; ".join(_wants(s) for s in schemes)
    missing = [s for s in schemes if not _sent(result, s)]
    if missing:
        header = any(s.type.lower() != "apikey" for s in missing)
        how = _SEND_AUTH[front_end] if header else ""
        return (
            f"No credential was sent where the spec's scheme {names} wants it ({wants}): set a token in "
            f"the profile{' or ' + how if how else ''}; the sandbox accepts 'sandbox-token'."
        )
    rejected = f"The credential was rejected (the spec's scheme {names} wants {wants})"
    if token is None:
        return f"{rejected}: check it is complete and for this API."
    if any(ch.isspace() for ch in token) or not token.isprintable():
        return f"{rejected}: it contains spaces or control characters; copy it again."
    is_jwt, exp = jwt_expiry(token)
    if any(_expects_jwt(s) for s in schemes) and not is_jwt:
        return f"{rejected}: the token is not a JWT (Header.Payload.Signature); check you copied all of it."
    bearer = any(s.type.lower() != "apikey" for s in schemes)
    if is_jwt and bearer:
        return f"{rejected}. {_jwt_verdict(exp, now)}"
    return f"{rejected}: check it is complete, current and for this API."


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
    error = _api_error(result.json, result.content_type) if status >= 400 else None
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

    schemes = _schemes(result, spec, operation) if status in (401, 403) else ()
    context = _Context(result, operation, spec, error, request_id, front_end, schemes)
    hints = [_status_hint(context, token, now, (retry_header, retry_s, retry_at))]
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


@dataclass(frozen=True, slots=True)
class _Context:
    result: CallResult
    operation: Operation | None
    spec: Spec | None
    error: ApiError | None
    request_id: str | None
    front_end: FrontEnd
    schemes: tuple[SecurityScheme, ...]


def _status_hint(
    c: _Context, token: str | None, now: float, retry: tuple[str | None, float | None, float | None]
) -> str:
    """What a status means for this call and what to do next ("" when there is nothing to add)."""
    status = c.result.status or 0
    labs = is_labs(c.spec)
    if status == 401:
        return _hint_401(c.result, token, now, c.front_end, c.spec, c.schemes)
    if status == 403:
        return _hint_403(c)
    if status == 429:
        return _hint_429(*retry, now)
    fields = c.error.field_errors if c.error is not None else ()
    if status == 405:
        return _hint_405(c.result, fields)
    if fields and 400 <= status < 500 and status != 404:
        return f"The request failed validation: {_listed(fields)}."
    if status == 404:
        if c.operation is not None and not labs:
            return (
                f"The spec lists {c.operation.key}: what it names was not found; "
                "check the path parameters and the base URL."
            )
        return "No such endpoint here: check the path, the base URL and the version pin."
    if status >= 500:
        who = "Astronomer support" if labs else "the API's operators"
        if c.request_id:
            return f"A server-side failure, not your request: share requestId {c.request_id} with {who}."
        return "A server-side failure, not your request; retry later."
    return ""


def _hint_403(c: _Context) -> str:
    permission = c.operation.required_permission if c.operation is not None else None
    if not is_labs(c.spec):
        missing = [s for s in c.schemes if not _sent(c.result, s)]
        if missing:
            wants = "; ".join(_wants(s) for s in missing)
            return f"No credential was sent where the spec wants it ({wants}): set a token in the profile."
    elif not _auth_sent(c.result):
        # Without a token there is no role to blame: say only what applies.
        return (
            "No Authorization header was sent; the gateway answers 403 without one: "
            f"set a token in the profile and {_SEND_AUTH[c.front_end]}."
        )
    need = f" ({permission})" if permission else ""
    return (
        f"The token's role lacks the permission this endpoint requires{need}: "
        "use a token whose role grants it."
    )


def _listed(fields: tuple[FieldError, ...]) -> str:
    return one_line("; ".join(f"{f.field}: {f.message}" if f.field else f.message for f in fields[:5]))


def _hint_405(result: CallResult, fields: tuple[FieldError, ...]) -> str:
    """A 405 is about the method only when the method is not in ``Allow``; some APIs use it otherwise
    (Petstore documents 405 "Invalid input")."""
    allow = result.header("Allow")
    allowed = {m.strip().upper() for m in (allow or "").split(",") if m.strip()}
    method = result.request.method.upper()
    if allow and method in allowed:
        reason = f"the request failed validation: {_listed(fields)}" if fields else "read the message"
        return (
            f"{method} is allowed here (Allow: {one_line(allow)}), so this 405 is not about the method: "
            f"{reason}."
        )
    if fields and not allow:
        return f"The request failed validation: {_listed(fields)}."
    return f"Method not allowed here{'; allowed: ' + one_line(allow) if allow else ''}."


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
