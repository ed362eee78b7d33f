"""What the sandbox answers, apart from HTTP plumbing: requests in, replies out, as plain data.

``SandboxRequest`` and ``Reply`` keep the behaviour testable without sockets, and keep the HTTP
layer (``server.py``) free of API decisions. The helpers here are shared by the Labs behaviour
(``labs.py``) and the generic spec mode (``generic.py``): the Labs error shape, bearer parsing,
version-pin parsing, and the gateway's plain-text answers.

Nothing here does I/O or prints; network text is only ever placed in JSON or in escaped log fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from labs_tui.text import inert_line

SANDBOX_TOKEN = "sandbox-token"
LIMITED_TOKEN = "sandbox-limited-token"
DEMO_TOKENS = (SANDBOX_TOKEN, LIMITED_TOKEN)

REQUEST_ID_HEADER = "X-Request-Id"
RBAC_DENIED = "RBAC: access denied"
JWT_MALFORMED = "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"

_JWT_SEGMENT = re.compile(r"[A-Za-z0-9_=-]+")

NewId = Callable[[], str]


@dataclass(frozen=True, slots=True)
class SandboxRequest:
    """One parsed HTTP request: header names compared case-insensitively, body already read."""

    method: str
    path: str  # the raw path, without the query string
    query: str = ""
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""

    def header_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def header(self, name: str) -> str | None:
        values = self.header_all(name)
        return values[0] if values else None


@dataclass(slots=True)
class Reply:
    """One answer: status, extra headers, body bytes, and what the request log needs."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_id: str | None = None
    close: bool = False


class App(Protocol):
    """The behaviour the HTTP layer serves: the Labs emulator or a spec-driven one."""

    base_path: str
    version_header: str  # the pin header, whose value each log line shows

    def handle(self, request: SandboxRequest) -> Reply: ...

    def error(self, status: int, message: str, *, close: bool = False) -> Reply: ...


def json_reply(
    status: int, payload: Any, *, request_id: str, headers: Sequence[tuple[str, str]] = ()
) -> Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return Reply(
        status=status,
        body=body,
        content_type="application/json",
        headers=[(REQUEST_ID_HEADER, request_id), *headers],
        request_id=request_id,
    )


def error_reply(
    status: int,
    message: str,
    *,
    request_id: str,
    headers: Sequence[tuple[str, str]] = (),
    field_errors: Sequence[Mapping[str, str]] = (),
) -> Reply:
    """The Labs error shape: ``message``, ``statusCode``, ``requestId`` (and ``fieldErrors`` on 400s)."""
    payload: dict[str, Any] = {"message": message, "statusCode": status, "requestId": request_id}
    if field_errors:
        payload["fieldErrors"] = [dict(item) for item in field_errors]
    return json_reply(status, payload, request_id=request_id, headers=headers)


def plain_reply(status: int, text: str) -> Reply:
    """A gateway answer: text/plain, and deliberately no requestId anywhere."""
    return Reply(status=status, body=text.encode("utf-8"), content_type="text/plain")


def bearer_token(request: SandboxRequest) -> str | None:
    """The token of a single ``Authorization: Bearer <token>`` header, else None."""
    values = request.header_all("Authorization")
    if len(values) != 1:
        return None
    scheme, _, credential = values[0].strip().partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return None
    return credential


def looks_like_jwt(value: str) -> bool:
    parts = value.split(".")
    return len(parts) == 3 and all(_JWT_SEGMENT.fullmatch(part) for part in parts)


def gateway_answer(request: SandboxRequest) -> Reply | None:
    """What the emulated gateway says before the API sees the request, or None to pass it on.

    No Authorization header, or one that carries no Bearer credential: 403 ``RBAC: access denied``.
    A Bearer value that is neither a sandbox token nor shaped like a JWT (three dot-separated
    base64url segments): 401 with the gateway's JWT message. Everything else passes.
    """
    values = request.header_all("Authorization")
    token = bearer_token(request) if len(values) == 1 else None
    if token is None:
        if len(values) > 1:
            return plain_reply(401, JWT_MALFORMED)
        return plain_reply(403, RBAC_DENIED)
    if token in DEMO_TOKENS or looks_like_jwt(token):
        return None
    return plain_reply(401, JWT_MALFORMED)


@dataclass(frozen=True, slots=True)
class Pin:
    """The version pin a request asked for: ``sent`` is None when the header is absent."""

    sent: str | None
    valid: bool
    served: str


def read_pin(request: SandboxRequest, header: str, supported: Sequence[str], latest: str) -> Pin:
    values = [value.strip() for value in request.header_all(header)]
    if not values:
        return Pin(sent=None, valid=True, served=latest)
    sent = values[0] if len(set(values)) == 1 else ", ".join(values)
    if sent in supported:
        return Pin(sent=sent, valid=True, served=sent)
    return Pin(sent=sent, valid=False, served=latest)


def pin_error(
    pin: Pin, header: str, supported: Sequence[str], *, request_id: str, headers: Sequence[tuple[str, str]]
) -> Reply:
    listed = ", ".join(supported)
    message = f"Unsupported {header} {clip(pin.sent or '', 40)!r}; supported versions: {listed}."
    field_errors = [{"code": "invalid", "field": header, "message": f"must be one of: {listed}"}]
    return error_reply(400, message, request_id=request_id, headers=headers, field_errors=field_errors)


def clip(text: str, limit: int = 200) -> str:
    """Network text made one short line: control characters escaped, length bounded."""
    return inert_line(text, limit)
