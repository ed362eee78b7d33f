"""A tiny app around ResponsePane, a controllable clock, and hand-built results for each kind of answer."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from labs_tui.client import ApiError, CallResult, Diagnosis, FieldError, NetworkError
from labs_tui.tui.widgets.response import ResponsePane
from tests.factories import REQUEST, T0, failed_result, json_result, text_result

__all__ = ["REQUEST", "T0", "json_result", "text_result"]  # the pane tests import them from here


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = T0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


class PaneApp(App[None]):
    """Mounts one ResponsePane; shows ``initial`` when mounted; records what the pane asks to copy."""

    def __init__(self, clock: Clock, initial: tuple[CallResult, Diagnosis] | None = None) -> None:
        super().__init__()
        self.clock = clock
        self.initial = initial
        self.copies: list[str] = []

    def compose(self) -> ComposeResult:
        yield ResponsePane(now=self.clock, id="pane")

    def on_mount(self) -> None:
        if self.initial is not None:
            self.pane.show_result(*self.initial)

    @property
    def pane(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    def on_response_pane_copy_requested(self, message: ResponsePane.CopyRequested) -> None:
        self.copies.append(message.kind)


class Results:
    """Hand-built (CallResult, Diagnosis) pairs, one per state the pane must render."""

    json = staticmethod(json_result)
    text = staticmethod(text_result)

    ok_value = {
        "name": "Labs example",
        "tags": ["a", "b"],
        "count": 3,
        "ratio": 0.5,
        "on": True,
        "none": None,
    }

    def ok(self) -> tuple[CallResult, Diagnosis]:
        return json_result(self.ok_value), Diagnosis(
            title="200 OK", request_id="6f1c0a9e52d04b7a", request_id_source="header", served_version="1.0"
        )

    def unauthorized(self) -> tuple[CallResult, Diagnosis]:
        error = {
            "message": "Missing or invalid bearer token.",
            "statusCode": 401,
            "requestId": "2b7d41e0c3a94f0e",
        }
        return json_result(error, 401, "Unauthorized", elapsed_ms=3.0), Diagnosis(
            title="401 Unauthorized",
            error=ApiError("Missing or invalid bearer token.", 401, "2b7d41e0c3a94f0e"),
            request_id="2b7d41e0c3a94f0e",
            request_id_source="body",
            hint="no Authorization header was sent. Set ASTRO_API_TOKEN, or pick profile sandbox.",
        )

    def bad_request(self) -> tuple[CallResult, Diagnosis]:
        fields = (FieldError("limit", "must be at most 100", "max"), FieldError("[b]name[/b]", "required"))
        error = {"message": "Invalid request.", "statusCode": 400, "requestId": "77aa"}
        return json_result(error, 400, "Bad Request"), Diagnosis(
            title="400 Bad Request",
            error=ApiError("Invalid request.", 400, "77aa", fields),
            request_id="77aa",
            request_id_source="body",
            hint="fix the fields named below and send again.",
        )

    def rate_limited(self, retry_in: float = 7.0, window: float = 10.0) -> tuple[CallResult, Diagnosis]:
        error = {
            "message": "Rate limit exceeded for this endpoint.",
            "statusCode": 429,
            "requestId": "91ab02ff",
        }
        return json_result(error, 429, "Too Many Requests"), Diagnosis(
            title="429 Too Many Requests",
            error=ApiError("Rate limit exceeded for this endpoint.", 429, "91ab02ff"),
            request_id="91ab02ff",
            request_id_source="body",
            hint="too many calls in the window; wait for the countdown.",
            retry_after_s=window,
            retry_at=T0 + retry_in,
        )

    def gateway_text(self) -> tuple[CallResult, Diagnosis]:
        return text_result("RBAC: access denied", 403, "Forbidden"), Diagnosis(
            title="403 Forbidden",
            summary="RBAC: access denied",
            hint="a gateway in front of the API refused the call: check the token's permissions.",
        )

    def html_error(self) -> tuple[CallResult, Diagnosis]:
        page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
        return text_result(page, 502, "Bad Gateway", "html", "text/html"), Diagnosis(
            title="502 Bad Gateway",
            summary="502 Bad Gateway",
            hint="the gateway could not reach the API; retry in a moment.",
        )

    def network_error(self) -> tuple[CallResult, Diagnosis]:
        error = NetworkError(
            "refused", "connection refused by 127.0.0.1:9: is the server running on that port?"
        )
        return failed_result(error.kind, error.message, elapsed_ms=2.0), Diagnosis(
            title="connection refused",
            hint="check the base URL and that the server is up.",
        )

    def binary(self) -> tuple[CallResult, Diagnosis]:
        data = bytes(range(256)) * 8
        binary = text_result(
            "",
            200,
            "OK",
            "binary",
            "application/octet-stream",
            body=data,
            size=len(data),
            text=None,
            elapsed_ms=5.0,
        )
        return binary, Diagnosis(title="200 OK")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def results() -> Results:
    return Results()


@pytest.fixture
def make_app(clock: Clock) -> Any:
    """Build a PaneApp on the test's clock, optionally showing a (result, diagnosis) when mounted."""

    def _make(initial: tuple[CallResult, Diagnosis] | None = None) -> PaneApp:
        return PaneApp(clock, initial)

    return _make
