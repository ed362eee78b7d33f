"""Advice per status: what a failed call's status means here and what to do next, in one hint.

401: the Labs bearer JWT (missing, malformed, not a JWT, expired) when the spec is the Labs one,
else what the operation's security scheme wants and whether it was sent; 403: a missing credential
or the role's permission; 404, 405 (about the method only when the method is not in ``Allow``),
validation failures (the body's per-field problems), 429 (when to retry) and 5xx (whom to tell).
Worded for the front end that shows it (a CLI flag, a TUI control). The token that was sent may be
read to judge a 401; it is never kept or returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qs, urlsplit

from labs_tui.client.error_body import one_line
from labs_tui.client.jwt import jwt_expiry
from labs_tui.client.model import ApiError, CallResult, FieldError
from labs_tui.spec.loader import BUNDLED_SPEC
from labs_tui.spec.model import DEFAULT_VERSION_HEADER

if TYPE_CHECKING:
    from labs_tui.spec.model import Operation, SecurityScheme, Spec


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


def tried_schemes(
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


@dataclass(frozen=True, slots=True)
class Context:
    """What a hint is judged on: the call, its operation and spec, the error read, the schemes tried."""

    result: CallResult
    operation: Operation | None
    spec: Spec | None
    error: ApiError | None
    request_id: str | None
    front_end: FrontEnd
    schemes: tuple[SecurityScheme, ...]


def status_hint(
    c: Context, token: str | None, now: float, retry: tuple[str | None, float | None, float | None]
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


def _hint_403(c: Context) -> str:
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
