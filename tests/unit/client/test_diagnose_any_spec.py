"""Failures explained on any spec: RFC 9457 problems, 401 advice by security scheme, 405s that are not
about the method, and the spec's own description of a status (pure: no network)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from labs_tui.cli.call_render import call_json
from labs_tui.client import CallRequest, CallResult, diagnose
from labs_tui.spec import BUNDLED_SPEC, load_spec
from labs_tui.spec.model import Spec

THIRD_PARTY = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party"


@pytest.fixture(scope="module")
def petstore() -> Spec:
    return load_spec(str(THIRD_PARTY / "petstore-3.0.json"))


@pytest.fixture(scope="module")
def train() -> Spec:
    return load_spec(str(THIRD_PARTY / "train-travel-3.1.json"))


def _result(
    status: int,
    body: Any = None,
    *,
    content_type: str = "application/json",
    method: str = "GET",
    url: str = "http://127.0.0.1:1/x",
    request_headers: tuple[tuple[str, str], ...] = (("Authorization", "Bearer ***"),),
    headers: tuple[tuple[str, str], ...] = (),
    reason: str = "",
) -> CallResult:
    text = json.dumps(body) if body is not None else ""
    return CallResult(
        request=CallRequest(method, url, request_headers),
        status=status,
        reason=reason,
        headers=(("Content-Type", content_type), *headers),
        body=text.encode(),
        content_type=content_type,
        content_kind="json" if body is not None else "empty",
        text=text,
        json=body,
    )


PROBLEM = {
    "type": "https://example.com/errors/validation",
    "title": "Your request is not valid.",
    "status": 422,
    "detail": "trip_id must be a UUID.",
    "instance": "/bookings/1",
    "errors": [{"detail": "must be a uuid", "pointer": "#/trip_id"}],
}


def test_problem_json_is_read_detail_title_status_and_errors() -> None:
    error = diagnose(_result(422, PROBLEM, content_type="application/problem+json")).error
    assert error is not None and error.shape == "problem"
    assert (error.message, error.title, error.status_code) == (
        "trip_id must be a UUID.",
        "Your request is not valid.",
        422,
    )
    assert (error.type, error.instance) == ("https://example.com/errors/validation", "/bookings/1")
    assert [(f.field, f.message) for f in error.field_errors] == [("#/trip_id", "must be a uuid")]


def test_problem_shapes_invalid_params_and_plain_json_type() -> None:
    body = {
        "type": "https://example.net/validation-error",
        "title": "Your request parameters didn't validate.",
        "invalid-params": [{"name": "age", "reason": "must be a positive integer"}],
    }
    error = diagnose(_result(400, body)).error  # sent as application/json: known by its members
    assert error is not None and error.shape == "problem"
    assert error.message == "Your request parameters didn't validate."  # no detail: the title
    assert error.status_code is None
    assert [(f.field, f.message) for f in error.field_errors] == [("age", "must be a positive integer")]
    aspnet = {
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {"Name": ["required"]},
    }
    fields = diagnose(_result(400, aspnet, content_type="application/problem+json")).error
    assert fields is not None and [(f.field, f.message) for f in fields.field_errors] == [
        ("Name", "required")
    ]


def test_labs_shape_is_unchanged_and_not_taken_for_a_problem() -> None:
    body = {"message": "Invalid request.", "statusCode": 400, "requestId": "r1", "title": "x", "type": "y"}
    error = diagnose(_result(400, body)).error
    assert error is not None and error.shape == "labs"
    assert (error.message, error.status_code, error.request_id) == ("Invalid request.", 400, "r1")


def test_429_problem_keeps_its_detail_and_json_error_message_is_the_detail() -> None:
    body = {"title": "Too Many Requests", "status": 429, "detail": "10 requests a minute; wait."}
    result = _result(429, body, content_type="application/problem+json", headers=(("Retry-After", "5"),))
    diagnosis = diagnose(result, now=0.0)
    assert diagnosis.error is not None and diagnosis.error.message == "10 requests a minute; wait."
    assert diagnosis.hint is not None and "retry in 5 s" in diagnosis.hint
    out = call_json(result, diagnosis)
    assert out["error"]["message"] == "10 requests a minute; wait."
    assert out["error"]["statusCode"] == 429
    assert set(out) >= {"error", "hint"}


def _jwt() -> str:
    part = base64.urlsafe_b64encode(json.dumps({"exp": 1}).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJub25lIn0.{part}.c2ln"


def test_401_on_an_api_key_spec_names_the_scheme_not_a_jwt(petstore: Spec) -> None:
    operation = next(op for op in petstore.operations if op.key == "GET /pet/{petId}")
    sent = _result(401, {"message": "no"}, request_headers=(("api_key", "***"),))
    hint = diagnose(sent, operation, token="opaque-key", spec=petstore).hint or ""
    assert "JWT" not in hint and "Astro" not in hint
    assert "'api_key'" in hint and "header" in hint
    missing = _result(401, {"message": "no"}, request_headers=(("Authorization", "Bearer ***"),))
    hint = diagnose(missing, operation, token="opaque-key", spec=petstore).hint or ""
    assert "No credential was sent" in hint and "header 'api_key'" in hint
    assert "JWT" not in hint and "ASTRO_API_TOKEN" not in hint


def test_401_on_oauth2_and_bearer_specs(train: Spec) -> None:
    operation = next(op for op in train.operations if op.operation_id == "create-booking")
    hint = diagnose(_result(401, {}), operation, token="opaque", spec=train).hint or ""
    assert "OAuth 2" in hint and "not a JWT" not in hint
    expired = diagnose(_result(401, {}), operation, token=_jwt(), spec=train, now=100.0).hint or ""
    assert "expired" in expired


def test_401_jwt_remark_stays_for_the_labs_api() -> None:
    labs = load_spec(BUNDLED_SPEC)
    hint = diagnose(_result(401, {"message": "x"}), None, token="abc", spec=labs).hint or ""
    assert "not a JWT" in hint
    assert "not a JWT" in (diagnose(_result(401, {"message": "x"}), token="abc").hint or "")


def test_405_with_the_method_in_allow_is_not_called_method_not_allowed(petstore: Spec) -> None:
    operation = next(op for op in petstore.operations if op.key == "POST /pet")
    body = {"message": "Invalid request", "fieldErrors": [{"field": "/name", "message": "is required"}]}
    result = _result(405, body, method="POST", headers=(("Allow", "PUT, POST, OPTIONS"),))
    diagnosis = diagnose(result, operation, spec=petstore)
    hint = diagnosis.hint or ""
    assert "not allowed here" not in hint.lower()
    assert "not about the method" in hint and "/name: is required" in hint
    wrong = _result(405, {"message": "x"}, method="DELETE", headers=(("Allow", "PUT, POST"),))
    assert "Method not allowed here; allowed: PUT, POST." in (diagnose(wrong).hint or "")


def test_spec_says_is_the_documented_description(petstore: Spec, train: Spec) -> None:
    operation = next(op for op in petstore.operations if op.key == "POST /pet")
    result = _result(405, {"message": "x"}, method="POST", reason="Method Not Allowed")
    diagnosis = diagnose(result, operation, spec=petstore)
    assert diagnosis.spec_says == "Invalid input"
    assert call_json(result, diagnosis)["hint"].startswith("The spec says: Invalid input.")
    assert diagnose(result).spec_says is None  # no operation: nothing to quote
    # A description that only repeats the status phrase adds nothing.
    booking = next(op for op in train.operations if op.operation_id == "create-booking")
    assert diagnose(_result(400, PROBLEM, reason="Bad Request"), booking, spec=train).spec_says is None
    conflict = diagnose(_result(409, PROBLEM, reason="Conflict"), booking, spec=train).spec_says
    assert conflict is None or conflict.lower() != "conflict"


def test_spec_says_only_for_an_answer_in_a_documented_media_type() -> None:
    labs = load_spec(BUNDLED_SPEC)
    operation = labs.operations[0]
    gateway = _result(403, None, content_type="text/plain", request_headers=(), reason="Forbidden")
    gateway = CallResult(**{**{f: getattr(gateway, f) for f in gateway.__slots__}, "content_kind": "text"})
    diagnosis = diagnose(gateway, operation, spec=labs)
    assert diagnosis.spec_says is None  # the gateway's text, not the API's documented 403
    assert "No Authorization header was sent" in (diagnosis.hint or "")
    assert "role lacks" not in (diagnosis.hint or "")
    api = diagnose(_result(403, {"message": "RBAC"}, reason="Forbidden"), operation, spec=labs)
    assert api.spec_says and "permission" in api.spec_says


@pytest.mark.parametrize(
    ("body", "message", "fields"),
    [
        (
            {"errors": [{"status": "422", "detail": "is too short", "source": {"pointer": "/data/name"}}]},
            "is too short",
            [("/data/name", "is too short")],
        ),
        (
            {"detail": [{"loc": ["body", "age"], "msg": "field required", "type": "missing"}]},
            "field required",
            [("body/age", "field required")],
        ),
        ({"error": "invalid_token", "error_description": "The token expired"}, "The token expired", []),
        ({"message": "Not Found", "documentation_url": "https://docs.example"}, "Not Found", []),
    ],
    ids=["json-api", "fastapi", "oauth2", "bare-message"],
)
def test_other_common_error_bodies(body: Any, message: str, fields: list[tuple[str, str]]) -> None:
    result = _result(422, body)
    error = diagnose(result).error
    assert error is not None and error.shape == "other"
    assert error.message == message
    assert [(f.field, f.message) for f in error.field_errors] == fields
    assert error.status_code is None


def test_cli_rows_say_not_in_the_body_only_for_the_format_that_has_it(capsys: Any) -> None:
    from labs_tui.cli.call_render import print_human

    for body, content_type, expected, absent in [
        ({"message": "m", "requestId": "r"}, "application/json", "statusCode  (not in the body)", "status "),
        (
            {"title": "T", "detail": "D"},
            "application/problem+json",
            "status      (not in the body)",
            "statusCode",
        ),
        ({"message": "Not Found"}, "application/json", "message     Not Found", "not in the body"),
    ]:
        result = _result(404, body, content_type=content_type)
        print_human(result, diagnose(result))
        out = capsys.readouterr().out
        assert expected in out, out
        assert absent not in out, out
