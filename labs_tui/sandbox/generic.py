"""Spec mode: any OpenAPI document served offline, so an API can be explored without a network.

Requests are matched against the spec's path templates under the path of its first server URL
(``/`` when it has none), then checked in this order: route (404 in the sandbox's own error
shape; 405 with ``Allow`` from the matched path item; OPTIONS 204 with ``Allow``), rate limit,
the declared security (``auth.py``: 401/403), the version pin when the spec declares versions,
then parameters and body against their schemas (``validate.py``). A failed check answers with the
status the spec documents for it (400, 422, ``4XX``, ``default``, ...) in that response's schema;
only when none is documented, or it has no schema, does the sandbox use the Labs error shape with
``fieldErrors``. A passing request gets its documented success response: a named or explicit
example (``$ref``s to ``components/examples`` resolved) when it is valid, else a value generated
to validate (``generate.py``), in a documented content type, with required headers. ``Prefer``
(``prefer.py``) picks a status, a named example or generated data; ``stateful`` mode keeps
resources in memory (``spec_state.py``).

The spec engine does the matching and example building (both bounded); this module adds only the
HTTP-facing decisions (routing, the order of checks, which answer) and never prints. Reading a
request's body and cookies is ``spec_request.py``'s job, shaping an answer ``spec_answers.py``'s.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from labs_tui.sandbox import auth, prefer
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
from labs_tui.sandbox.generate import generate
from labs_tui.sandbox.ratelimit import RateLimiter, retry_after_seconds
from labs_tui.sandbox.spec_answers import (
    Headers,
    NoSuchExample,
    body_reply,
    documented_response,
    example_value,
    field_error,
    negotiate,
    overlay,
    required_headers,
    success_response,
    with_implied,
)
from labs_tui.sandbox.spec_request import SKIP, is_form, is_json, media_for, parse_body, request_cookies
from labs_tui.sandbox.spec_state import StatefulMode
from labs_tui.sandbox.validate import Checker, deep_object, deserialize, query_values
from labs_tui.spec.model import HTTP_METHODS, MediaType, Operation, Parameter, Response, Spec
from labs_tui.spec.validate import SchemaProblem

# Header parameters OpenAPI says to ignore: they are described by other fields of the operation.
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}
# Statuses a bad request may get, in order of preference, when the spec documents them: 400, 422, 4XX,
# then a documented 4xx whose description speaks of bad input (Petstore's 405 "Invalid input"), then
# ``default``, then other client errors. 401/403/407/429 are never used for it: they mean other things.
_INVALID_STATUSES = ("400", "422", "4XX")
_OTHER_CLIENT_ERRORS = ("405", "409", "406", "415", "404")
_NOT_FOR_INVALID = {"400", "422", "401", "403", "407", "429"}
_SAYS_INVALID = re.compile(r"invalid|validat|malformed|bad request|unprocessable|bad input", re.IGNORECASE)


def base_path_of(spec: Spec) -> str:
    """The path of the spec's first server URL, without a trailing slash ('' for the root)."""
    if not spec.servers:
        return ""
    path = urlsplit(spec.servers[0].expanded()).path
    return "/" + path.strip("/") if path.strip("/") else ""


class SpecApp:
    """The generic emulator behind the HTTP layer."""

    def __init__(
        self,
        spec: Spec,
        *,
        new_id: NewId,
        limiter: RateLimiter | None,
        gateway_errors: bool,
        stateful: bool = False,
    ) -> None:
        self.spec = spec
        self.base_path = base_path_of(spec)
        self.version_header = spec.version_header
        self._new_id = new_id
        self._limiter = limiter
        self._gateway_errors = gateway_errors
        self._versions: tuple[str, ...] = tuple(spec.known_versions)
        self._latest = spec.latest_version or (self._versions[-1] if self._versions else "")
        self.checker = Checker(spec)
        self.stateful = stateful
        self._state = StatefulMode(spec, self.checker) if stateful else None
        # The validator's import is slow (about a second cold); take it off the first request's path.
        threading.Thread(target=_warm_validator, name="labs-sandbox-warm", daemon=True).start()

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

        routed = self._route(request, rid, served)
        if isinstance(routed, Reply):
            return routed
        operation, path_params = routed
        limited = self._rate_limited(operation, request, rid, served)
        if limited is not None:
            return limited

        verdict = auth.check(self.spec, operation, request)
        if verdict.status:
            code = str(verdict.status)
            headers = [*served, *([("WWW-Authenticate", verdict.challenge)] if verdict.challenge else [])]
            return self._failure(
                operation, (code, "4XX", "DEFAULT"), verdict.status, verdict.message, rid, headers
            )

        if self._versions and not pin.valid:
            return pin_error(pin, self.spec.version_header, self._versions, request_id=rid, headers=served)
        status, problems = self._problems(operation, request, path_params)
        if problems:
            statuses = (str(status), "4XX", "DEFAULT") if status != 400 else invalid_statuses(operation)
            return self._failure(
                operation, statuses, status, invalid_message(problems), rid, served, problems
            )
        choice = prefer.read(request)
        if self._state is not None and self._state.serves(operation) and choice.code is None:
            stored = self._state.answer(operation, request, path_params)
            if stored is not None and stored.missing:
                return self._failure(operation, ("404", "4XX", "DEFAULT"), 404, stored.missing, rid, served)
            if stored is not None:
                return self._success(operation, request, rid, served, prefer.Preference(), stored.value, True)
        return self._success(operation, request, rid, served, choice)

    # ---- routing -----------------------------------------------------------------------------

    def _route(
        self, request: SandboxRequest, rid: str, served: Headers
    ) -> tuple[Operation, Mapping[str, str]] | Reply:
        """The operation and path parameters serving the request; else its 404, 405 or OPTIONS reply."""
        relative = self._relative(request.path)
        if relative is None:
            return error_reply(404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served)
        method = request.method
        matched = self.spec.match(method, relative)
        if matched is None and method == "HEAD":
            matched = self.spec.match("GET", relative)
        if matched is not None and "{" in matched[0].path and method != "OPTIONS":
            # OpenAPI: concrete paths match before templated ones, whatever the method.
            best = self._best_path(relative)
            if best is not None and best[0] != matched[0].path:
                matched = None
        if matched is not None:
            return matched
        allowed = self._allowed(relative)
        if not allowed:
            return error_reply(404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served)
        allow = ", ".join(with_implied(allowed))
        if method == "OPTIONS":
            return Reply(
                status=204, headers=[(REQUEST_ID_HEADER, rid), *served, ("Allow", allow)], request_id=rid
            )
        message = f"Method {clip(method, 20)} is not allowed on {clip(relative)}; allowed: {allow}."
        return error_reply(405, message, request_id=rid, headers=[*served, ("Allow", allow)])

    def _rate_limited(
        self, operation: Operation, request: SandboxRequest, rid: str, served: Headers
    ) -> Reply | None:
        """The 429 when this credential has used up its requests on the operation; else None."""
        if self._limiter is None:
            return None
        credential = request.header("Authorization") or ""
        key = (hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest(), operation.key)
        wait = self._limiter.check(key)
        if wait is None:
            return None
        seconds = retry_after_seconds(wait)
        message = (
            f"Rate limit exceeded: {self._limiter.limit} requests per {self._limiter.window:g} "
            f"seconds on {operation.key}. Retry after {seconds} s."
        )
        headers = [*served, ("Retry-After", str(seconds))]
        return self._failure(operation, ("429", "4XX", "DEFAULT"), 429, message, rid, headers)

    def _relative(self, path: str) -> str | None:
        if not self.base_path:
            return path or "/"
        if path == self.base_path:
            return "/"
        if path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :]
        return None

    def _best_path(self, relative: str) -> tuple[str, tuple[str, ...]] | None:
        """The path template serving ``relative`` (literal segments win) and its methods."""
        by_path: dict[str, list[str]] = {}
        for method in HTTP_METHODS:
            found = self.spec.match(method.upper(), relative)
            if found is not None:
                by_path.setdefault(found[0].path, []).append(method.upper())
        if not by_path:
            return None
        best = min(by_path, key=lambda path: (path.count("{"), -len(path)))
        return best, tuple(by_path[best])

    def _allowed(self, relative: str) -> tuple[str, ...]:
        """The methods of the path item that serves ``relative``: the ``Allow`` of a 405."""
        best = self._best_path(relative)
        return best[1] if best is not None else tuple(self.spec.allowed_methods(relative))

    # ---- requests ----------------------------------------------------------------------------

    def _problems(
        self, operation: Operation, request: SandboxRequest, path_params: Mapping[str, str]
    ) -> tuple[int, list[dict[str, str]]]:
        """What is wrong with the request's parameters and body, and the status for it (400 or 415)."""
        problems = self._parameter_problems(operation, request, path_params)
        body = operation.request_body
        if body is not None and body.required and not request.body:
            problems.append(field_error("required", "body", "a request body is required"))
        elif body is not None and body.content and (request.body or is_form(request)):
            return self._body_problems(body.content, request, problems)
        elif request.body and is_json((request.header("Content-Type") or "").split(";")[0].strip()):
            try:
                json.loads(request.body)
            except (ValueError, RecursionError):
                problems.append(field_error("invalid", "body", "the body is not valid JSON"))
        return 400, problems

    def _parameter_problems(
        self, operation: Operation, request: SandboxRequest, path_params: Mapping[str, str]
    ) -> list[dict[str, str]]:
        problems: list[dict[str, str]] = []
        query = query_values(request.query)
        cookies = request_cookies(request)
        check = self.checker
        for param in operation.parameters:
            if param.location == "header" and param.name.lower() in _IGNORED_HEADERS:
                continue
            found = self._parameter_value(operation, param, request, path_params, query, cookies)
            if found is None:
                continue
            raw, value = found
            if raw is None:
                if param.required:
                    problems.append(
                        field_error("required", param.name, f"{param.location} parameter is required")
                    )
                continue
            if value is None:
                value = deserialize(check, param, raw, operation.path)
            for problem in check.problems(param.schema, value, "request", limit=3):
                where = f" at {problem.path}" if problem.path else ""
                message = f"{param.location} parameter{where}: {problem.message}"
                problems.append(field_error("invalid", param.name, message))
        return problems

    def _parameter_value(
        self,
        operation: Operation,
        param: Parameter,
        request: SandboxRequest,
        path_params: Mapping[str, str],
        query: Mapping[str, list[str]],
        cookies: Mapping[str, str],
    ) -> tuple[list[str] | None, Any] | None:
        """The parameter's raw strings (None when absent) and, for a deepObject, its parsed value;
        None for a location OpenAPI does not define."""
        value: Any = None
        if param.location == "path":
            text = path_params.get(param.name)
            raw = [text] if text is not None else None
        elif param.location == "query":
            raw = query.get(param.name)
            if raw is None and self.checker.style_of(param, operation.path).get("style") == "deepObject":
                value = deep_object(self.spec, param, query)
                if value is not None:
                    raw = []
        elif param.location == "header":
            found = request.header_all(param.name)
            raw = [", ".join(found)] if found else None
        elif param.location == "cookie":
            raw = [cookies[param.name]] if param.name in cookies else None
        else:
            return None
        return raw, value

    def _body_problems(
        self, content: Sequence[MediaType], request: SandboxRequest, problems: list[dict[str, str]]
    ) -> tuple[int, list[dict[str, str]]]:
        """``problems`` plus the body's: a 415 for an undocumented content type, else a 400."""
        media_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        media = media_for(content, media_type)
        if media is None:
            listed = ", ".join(m.media_type for m in content)
            problems.append(field_error("unsupported", "Content-Type", f"must be one of: {clip(listed)}"))
            return 415, problems
        request_type = request.header("Content-Type") or ""
        parsed, ok = parse_body(request.body, media_type, request_type, media, self.checker)
        if not ok:
            problems.append(field_error("invalid", "body", "the body is not valid " + (media_type or "JSON")))
        elif parsed is not SKIP:
            for problem in self.checker.problems(media.schema, parsed, "request", limit=5):
                problems.append(body_field_error(problem))
        return 400, problems

    # ---- answers -----------------------------------------------------------------------------

    def _failure(
        self,
        operation: Operation,
        statuses: Sequence[str],
        fallback: int,
        message: str,
        rid: str,
        headers: Headers,
        field_errors: Sequence[Mapping[str, str]] = (),
    ) -> Reply:
        """An error in the spec's documented response for it, else in the sandbox's own shape."""
        # No Allow here: a documented 405 chosen for a bad request (Petstore's "Invalid input") is not
        # about the method, which the route accepted; only the route's own 405 lists methods.
        found = documented_response(operation, statuses)
        status = fallback
        if found is not None:
            code, response = found
            status = code
            media = response.preferred()
            if media is not None and (media.schema or media.has_example):
                schema = media.schema
                value = generate(self.checker, schema, "response") if schema else media.example
                value = overlay(self.checker, schema, value, message, status, rid, field_errors)
                reply = body_reply(self.spec, status, media, value, rid, headers)
                reply.headers.extend(required_headers(self.checker, response))
                return reply
        reply = error_reply(status, message, request_id=rid, headers=headers, field_errors=field_errors)
        if found is not None:
            reply.headers.extend(required_headers(self.checker, found[1]))
        return reply

    def _success(
        self,
        operation: Operation,
        request: SandboxRequest,
        rid: str,
        served: Headers,
        choice: prefer.Preference,
        value: Any = None,
        has_value: bool = False,
    ) -> Reply:
        if choice.code is not None:
            picked = operation.response(choice.code)
            if picked is None:
                documented = ", ".join(r.status for r in operation.responses) or "none"
                message = (
                    f"Prefer code={clip(choice.code, 10)} is not documented for {operation.key}; "
                    f"documented: {documented}."
                )
                return error_reply(422, message, request_id=rid, headers=served)
            status = (
                int(picked.status)
                if picked.status.isdigit()
                else 200
                if picked.status.upper() in ("DEFAULT", "2XX")
                else int(picked.status[0]) * 100
            )
            response: Response | None = picked
        else:
            status, response = success_response(operation)
        headers: Headers = [(REQUEST_ID_HEADER, rid), *served]
        if response is not None:
            headers.extend(required_headers(self.checker, response))
        media = negotiate(response, request.header("Accept")) if response is not None else None
        if status == 204 or media is None:
            return Reply(status=status, headers=headers, request_id=rid)
        if not has_value:
            try:
                value = example_value(self.checker, operation, response, media, choice)
            except NoSuchExample as exc:
                return error_reply(404, str(exc), request_id=rid, headers=served)
        if choice.code is not None and status >= 400 and media.schema:
            message = (
                f"The documented {status} answer of {operation.key} (Prefer code={clip(choice.code, 10)})."
            )
            value = overlay(self.checker, media.schema, value, message, status, rid, ())
        reply = body_reply(self.spec, status, media, value, rid, [*served])
        reply.headers = headers
        return reply


def invalid_statuses(operation: Operation) -> tuple[str, ...]:
    """The statuses an invalid request may get on ``operation``, most fitting first (see
    ``_INVALID_STATUSES``)."""
    said = tuple(
        r.status
        for r in operation.responses
        if r.status.isdigit()
        and r.status.startswith("4")
        and r.status not in _NOT_FOR_INVALID
        and _SAYS_INVALID.search(r.description)
    )
    return (*_INVALID_STATUSES, *said, "DEFAULT", *_OTHER_CLIENT_ERRORS)


def body_field_error(problem: SchemaProblem) -> dict[str, str]:
    """A body problem named by the JSON pointer of its field (a missing required property by its
    own pointer, not its parent's), with the validator's reason."""
    where = problem.path
    missing = _REQUIRED.fullmatch(problem.message)
    if missing:
        where = f"{where}/{missing.group(1).replace('~', '~0').replace('/', '~1')}"
        return field_error("required", where, "is required")
    return field_error("invalid", where or "body", problem.message)


_REQUIRED = re.compile(r"'(.+)' is a required property")


def invalid_message(problems: Sequence[Mapping[str, str]]) -> str:
    """The one-line message of a bad request: the first problems, each field and its reason."""
    shown = [f"{item['field']}: {item['message']}" for item in problems[:3]]
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"Invalid request: {clip('; '.join(shown), 400)}{more}."


def _warm_validator() -> None:
    try:
        import openapi_schema_validator  # noqa: F401
    except Exception:  # reported where it is needed, on the first validation
        pass
