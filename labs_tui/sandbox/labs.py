"""The Labs API as the sandbox emulates it: tokens, version pins, rate limit, error shape.

The behaviour follows the public Labs overview (see docs/labs-api-facts in the shared notes) and the
bundled spec's single endpoint, ``GET /examples/demo``. The checks run in the order a request
meets them: route (404, 405), token (401), permission (403), rate limit (429), version pin (400),
then the demo object. Every reply carries ``X-Request-Id`` and ``X-Labs-API-Version`` (the served
minor: the pin when it is supported, else the latest). This module needs no spec engine, so the
default sandbox starts without parsing YAML.
"""

from __future__ import annotations

from labs_tui.sandbox.app import (
    LIMITED_TOKEN,
    SANDBOX_TOKEN,
    NewId,
    Reply,
    SandboxRequest,
    bearer_token,
    clip,
    error_reply,
    gateway_answer,
    json_reply,
    pin_error,
    read_pin,
)
from labs_tui.sandbox.ratelimit import RateLimiter, retry_after_seconds
from labs_tui.spec.model import DEFAULT_VERSION_HEADER

LABS_BASE_PATH = "/labs/v1"
VERSION_HEADER = DEFAULT_VERSION_HEADER
SUPPORTED_VERSIONS: tuple[str, ...] = ("1.0", "1.1")
LATEST_VERSION = "1.1"
DEMO_VALUE = "Labs example"

# path under the base -> the methods it answers (HEAD and OPTIONS come with every GET route)
_ROUTES: dict[str, tuple[str, ...]] = {"/examples/demo": ("GET",)}


class LabsApp:
    """The Labs emulator behind the HTTP layer."""

    base_path = LABS_BASE_PATH
    version_header = VERSION_HEADER

    def __init__(self, *, new_id: NewId, limiter: RateLimiter | None, gateway_errors: bool) -> None:
        self._new_id = new_id
        self._limiter = limiter
        self._gateway_errors = gateway_errors

    def error(self, status: int, message: str, *, close: bool = False) -> Reply:
        reply = error_reply(
            status, message, request_id=self._new_id(), headers=[(VERSION_HEADER, LATEST_VERSION)]
        )
        reply.close = close
        return reply

    def handle(self, request: SandboxRequest) -> Reply:
        if self._gateway_errors:
            stopped = gateway_answer(request)
            if stopped is not None:
                return stopped
        pin = read_pin(request, VERSION_HEADER, SUPPORTED_VERSIONS, LATEST_VERSION)
        rid = self._new_id()
        served = [(VERSION_HEADER, pin.served)]

        relative = (
            request.path[len(LABS_BASE_PATH) :] if request.path.startswith(LABS_BASE_PATH + "/") else None
        )
        methods = _ROUTES.get(relative) if relative is not None else None
        if relative is None or methods is None:
            message = f"No Labs endpoint at {clip(request.path)}."
            return error_reply(404, message, request_id=rid, headers=served)
        allowed = _allow(methods)
        if request.method == "OPTIONS":
            return Reply(
                status=204, headers=[("X-Request-Id", rid), *served, ("Allow", allowed)], request_id=rid
            )
        if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
            message = f"Method {clip(request.method, 20)} is not allowed on {relative}; allowed: {allowed}."
            return error_reply(405, message, request_id=rid, headers=[*served, ("Allow", allowed)])

        token = bearer_token(request)
        if token not in (SANDBOX_TOKEN, LIMITED_TOKEN):
            message = (
                "Missing or invalid bearer token: send 'Authorization: Bearer <token>'. "
                f"The sandbox accepts {SANDBOX_TOKEN!r}."
            )
            return error_reply(401, message, request_id=rid, headers=served)
        if token == LIMITED_TOKEN:
            message = f"The token's role lacks the permission that GET {relative} requires."
            return error_reply(403, message, request_id=rid, headers=served)

        if self._limiter is not None:
            wait = self._limiter.check((token, f"GET {relative}"))
            if wait is not None:
                seconds = retry_after_seconds(wait)
                limiter = self._limiter
                message = (
                    f"Rate limit exceeded: {limiter.limit} requests per {limiter.window:g} seconds "
                    f"for this token on GET {relative}. Retry after {seconds} s."
                )
                headers = [*served, ("Retry-After", str(seconds))]
                return error_reply(429, message, request_id=rid, headers=headers)

        if not pin.valid:
            return pin_error(pin, VERSION_HEADER, SUPPORTED_VERSIONS, request_id=rid, headers=served)
        payload = {"name": DEMO_VALUE} if pin.served == "1.0" else {"proofOfConcept": DEMO_VALUE}
        return json_reply(200, payload, request_id=rid, headers=served)


def _allow(methods: tuple[str, ...]) -> str:
    extra = ("HEAD",) if "GET" in methods else ()
    return ", ".join(dict.fromkeys((*methods, *extra, "OPTIONS")))
