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

The spec engine does the matching and example building (both bounded); the sandbox adds only the
HTTP-facing decisions and never prints. This module holds ``SpecApp`` and the order of its checks
(``handle``) and the rate limit; its parts, one job each: ``spec_routing.py`` (which operation, else
404/405/OPTIONS), ``spec_checks.py`` (the request's parameters and body), ``spec_replies.py`` (which
documented answer, failed or passed). Reading a request's body and cookies is ``spec_request.py``'s
job, shaping an answer ``spec_answers.py``'s.
"""

from __future__ import annotations

import hashlib
import threading
from urllib.parse import urlsplit

from labs_tui.sandbox import auth, prefer
from labs_tui.sandbox.app import (
    NewId,
    Reply,
    SandboxRequest,
    error_reply,
    gateway_answer,
    pin_error,
    read_pin,
)
from labs_tui.sandbox.ratelimit import RateLimiter, retry_after_seconds
from labs_tui.sandbox.spec_answers import Headers
from labs_tui.sandbox.spec_checks import ChecksPart, body_field_error, invalid_message
from labs_tui.sandbox.spec_replies import RepliesPart, invalid_statuses
from labs_tui.sandbox.spec_routing import RoutingPart
from labs_tui.sandbox.spec_state import StatefulMode
from labs_tui.sandbox.validate import Checker
from labs_tui.spec.model import Operation, Spec

# The names this module had before its parts moved out stay importable from here.
__all__ = ["SpecApp", "base_path_of", "body_field_error", "invalid_message", "invalid_statuses"]


def base_path_of(spec: Spec) -> str:
    """The path of the spec's first server URL, without a trailing slash ('' for the root)."""
    if not spec.servers:
        return ""
    path = urlsplit(spec.servers[0].expanded()).path
    return "/" + path.strip("/") if path.strip("/") else ""


class SpecApp(RoutingPart, ChecksPart, RepliesPart):
    """The generic emulator behind the HTTP layer: routing, checks and answers are its parts."""

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


def _warm_validator() -> None:
    try:
        import openapi_schema_validator  # noqa: F401
    except Exception:  # reported where it is needed, on the first validation
        pass
