"""Spec mode: any OpenAPI document served offline, so an API can be explored without a network.

Requests are matched against the spec's path templates under the path of its first server URL
(``/`` when it has none). A match answers with its success response's documented example, or a
value the spec engine builds from the response schema. Missing required parameters or body get
400 in the Labs error shape, with ``fieldErrors`` naming each one. When the spec declares pinnable
versions (``x-labs-versions``), the pin header is checked as in Labs mode. Credentials are not
checked here (the spec's schemes vary too much to emulate), but the rate limit still counts per
Authorization value and operation, and ``--gateway-errors`` still stands in front.

The spec engine does the matching and example building (both bounded); this module adds only the
HTTP-facing decisions and never prints.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, unquote, urlsplit

from labs_tui.sandbox.app import (
    REQUEST_ID_HEADER,
    NewId,
    Reply,
    SandboxRequest,
    clip,
    error_reply,
    gateway_answer,
    pin_error,
    read_pin,
)
from labs_tui.sandbox.ratelimit import RateLimiter, retry_after_seconds
from labs_tui.spec.model import Operation, Response, Spec

# Header parameters OpenAPI says to ignore: they are described by other fields of the operation.
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def base_path_of(spec: Spec) -> str:
    """The path of the spec's first server URL, without a trailing slash ('' for the root)."""
    if not spec.servers:
        return ""
    path = urlsplit(spec.servers[0].expanded()).path
    return "/" + path.strip("/") if path.strip("/") else ""


class SpecApp:
    """The generic emulator behind the HTTP layer."""

    def __init__(
        self, spec: Spec, *, new_id: NewId, limiter: RateLimiter | None, gateway_errors: bool
    ) -> None:
        self.spec = spec
        self.base_path = base_path_of(spec)
        self.version_header = spec.version_header
        self._new_id = new_id
        self._limiter = limiter
        self._gateway_errors = gateway_errors
        self._versions: tuple[str, ...] = tuple(spec.known_versions)
        self._latest = spec.latest_version or (self._versions[-1] if self._versions else "")

    def _served(self, version: str) -> list[tuple[str, str]]:
        return [(self.spec.version_header, version)] if self._versions else []

    def error(self, status: int, message: str, *, close: bool = False) -> Reply:
        reply = error_reply(status, message, request_id=self._new_id(), headers=self._served(self._latest))
        reply.close = close
        return reply

    def handle(self, request: SandboxRequest) -> Reply:
        if self._gateway_errors:
            stopped = gateway_answer(request)
            if stopped is not None:
                return stopped
        rid = self._new_id()
        pin = read_pin(request, self.spec.version_header, self._versions, self._latest)
        served = self._served(pin.served)

        relative = self._relative(request.path)
        if relative is None:
            return error_reply(404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served)
        method = request.method
        matched = self.spec.match(method, relative)
        if matched is None and method == "HEAD":
            matched = self.spec.match("GET", relative)
        if matched is None:
            allowed = tuple(self.spec.allowed_methods(relative))
            if not allowed:
                return error_reply(
                    404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served
                )
            allow = ", ".join(_with_implied(allowed))
            if method == "OPTIONS":
                return Reply(
                    status=204, headers=[(REQUEST_ID_HEADER, rid), *served, ("Allow", allow)], request_id=rid
                )
            message = f"Method {clip(method, 20)} is not allowed on {clip(relative)}; allowed: {allow}."
            return error_reply(405, message, request_id=rid, headers=[*served, ("Allow", allow)])
        operation, _path_params = matched

        if self._limiter is not None:
            credential = request.header("Authorization") or ""
            key = (hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest(), operation.key)
            wait = self._limiter.check(key)
            if wait is not None:
                seconds = retry_after_seconds(wait)
                message = (
                    f"Rate limit exceeded: {self._limiter.limit} requests per {self._limiter.window:g} "
                    f"seconds on {operation.key}. Retry after {seconds} s."
                )
                headers = [*served, ("Retry-After", str(seconds))]
                return error_reply(429, message, request_id=rid, headers=headers)

        if self._versions and not pin.valid:
            return pin_error(pin, self.spec.version_header, self._versions, request_id=rid, headers=served)
        problems = _missing(operation, request)
        if problems:
            names = ", ".join(item["field"] for item in problems)
            return error_reply(
                400, f"Invalid request: {names}.", request_id=rid, headers=served, field_errors=problems
            )
        return self._success(operation, rid, served)

    def _relative(self, path: str) -> str | None:
        if not self.base_path:
            return path or "/"
        if path == self.base_path:
            return "/"
        if path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :]
        return None

    def _success(self, operation: Operation, rid: str, served: list[tuple[str, str]]) -> Reply:
        status, response = _success_response(operation)
        headers = [(REQUEST_ID_HEADER, rid), *served]
        media = response.preferred() if response is not None else None
        if status == 204 or media is None:
            return Reply(status=status, headers=headers, request_id=rid)
        try:
            value = media.example if media.has_example else self.spec.example(media.schema)
        except Exception as exc:  # the engine is bounded, but a spec can still surprise it
            message = f"The spec engine could not build an example for {operation.key}: {clip(str(exc))}"
            return error_reply(500, message, request_id=rid, headers=served)
        content_type = media.media_type.split(";")[0].strip() or "application/json"
        if isinstance(value, str) and not _is_json(content_type):
            body = value.encode("utf-8")
        elif isinstance(value, bytes) and not _is_json(content_type):
            body = value
        else:
            body = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
            if not _is_json(content_type):
                content_type = "application/json"
        return Reply(status=status, body=body, content_type=content_type, headers=headers, request_id=rid)


def _is_json(media_type: str) -> bool:
    return media_type.lower().endswith(("/json", "+json"))


def _with_implied(methods: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(m.upper() for m in methods))
    if "GET" in names and "HEAD" not in names:
        names.append("HEAD")
    if "OPTIONS" not in names:
        names.append("OPTIONS")
    return names


def _success_response(operation: Operation) -> tuple[int, Response | None]:
    """The lowest documented 2xx response, else ``2XX`` or ``default`` as 200, else a bare 200."""
    exact = sorted(
        (int(r.status), r) for r in operation.responses if r.status.isdigit() and r.status.startswith("2")
    )
    if exact:
        return exact[0]
    for name in ("2XX", "DEFAULT"):
        for response in operation.responses:
            if response.status.upper() == name:
                return 200, response
    return 200, None


def _missing(operation: Operation, request: SandboxRequest) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    query = parse_qs(request.query, keep_blank_values=True)
    cookies = _cookies(request)
    for param in operation.parameters:
        if not param.required or param.location == "path":
            continue
        if param.location == "query":
            present = param.name in query or unquote(param.name) in query
        elif param.location == "header":
            if param.name.lower() in _IGNORED_HEADERS:
                continue
            present = request.header(param.name) is not None
        elif param.location == "cookie":
            present = param.name in cookies
        else:
            continue
        if not present:
            problems.append(
                {
                    "code": "required",
                    "field": param.name,
                    "message": f"{param.location} parameter is required",
                }
            )
    body = operation.request_body
    if body is not None and body.required and not request.body:
        problems.append({"code": "required", "field": "body", "message": "a request body is required"})
    elif request.body and _is_json((request.header("Content-Type") or "").split(";")[0].strip()):
        try:
            json.loads(request.body)
        except (ValueError, RecursionError):
            problems.append({"code": "invalid", "field": "body", "message": "the body is not valid JSON"})
    return problems


def _cookies(request: SandboxRequest) -> set[str]:
    names: set[str] = set()
    for header in request.header_all("Cookie"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        names.update(jar.keys())
    return names
