"""``labs-tui call`` explaining failures of third-party specs, against the real sandbox serving them:
an RFC 9457 problem (Train Travel 3.1), Petstore's 405 "Invalid input", and 401 advice by scheme."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from labs_tui.cli import main

THIRD_PARTY = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party"
TRAIN = str(THIRD_PARTY / "train-travel-3.1.json")
PETSTORE = str(THIRD_PARTY / "petstore-3.0.json")
TRIP = "4f4e4e1c-c824-4d63-b37a-d8d698862f1d"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def train(make_sandbox: Callable[..., Any]) -> Any:
    return make_sandbox(spec=TRAIN, rate_limit=None)


@pytest.fixture
def petstore(make_sandbox: Callable[..., Any]) -> Any:
    return make_sandbox(spec=PETSTORE, rate_limit=None)


def _rows(stdout: str) -> dict[str, str]:
    head = stdout.split("\n\n", 1)[0]
    return {line[2:13].strip(): line[14:] for line in head.splitlines()[1:] if line.startswith("  ")}


def test_train_travel_problem_shows_its_detail_and_status(train: Any) -> None:
    body = json.dumps({"trip_id": "not-a-uuid", "passenger_name": "Ada"})
    result = run("call", "--spec", TRAIN, "--base-url", train.base_url, "POST", "create-booking", "-d", body)
    assert result.exit_code == 1
    rows = _rows(result.stdout)
    assert rows["title"] == "Bad Request"
    assert "/trip_id" in rows["detail"] and "uuid" in rows["detail"]  # the field and the reason
    assert rows["status"] == "400"
    assert "not in the body" not in result.stdout and "statusCode" not in rows
    as_json = json.loads(
        run(
            "call",
            "--spec",
            TRAIN,
            "--base-url",
            train.base_url,
            "POST",
            "create-booking",
            "-d",
            body,
            "--json",
        ).stdout
    )
    assert as_json["error"]["message"] == rows["detail"]
    assert as_json["error"]["statusCode"] == 400


def test_train_travel_429_problem_detail_is_shown(train: Any) -> None:
    body = json.dumps({"trip_id": TRIP, "passenger_name": "Ada"})
    result = run(
        "call", "--spec", TRAIN, "--base-url", train.base_url, "POST", "create-booking", "-d", body,
        "-H", "Prefer: code=429",
    )  # fmt: skip
    rows = _rows(result.stdout)
    assert result.stdout.startswith("HTTP/1.1 429")
    assert rows["title"] == "Too Many Requests"
    assert "documented 429 answer" in rows["detail"]
    assert rows["status"] == "429"


def test_sandbox_problem_body_names_the_field_and_reason(train: Any) -> None:
    with httpx.Client(base_url=train.base_url, headers={"Authorization": "Bearer sandbox-token"}) as c:
        answer = c.post("/bookings", json={"trip_id": "x", "passenger_name": "Ada"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["title"] == "Bad Request" and problem["status"] == 400
    assert problem["detail"] == "Invalid request: /trip_id: 'x' is not a 'uuid'."
    assert problem["type"] == "about:blank" and "instance" not in problem


def test_petstore_405_invalid_input_is_not_called_a_method_problem(petstore: Any) -> None:
    result = run(
        "call", "--spec", PETSTORE, "--base-url", petstore.base_url, "POST", "/pet", "-d", '{"x": 1}'
    )
    assert result.stdout.startswith("HTTP/1.1 405")
    rows = _rows(result.stdout)
    assert rows["spec says"] == "Invalid input"
    assert "not allowed here" not in result.stdout.lower()
    assert "/name" in rows["hint"] and "/photoUrls" in rows["hint"]
    body = json.loads(result.stdout.split("\n\n", 1)[1])
    assert {f["field"] for f in body["fieldErrors"]} == {"/name", "/photoUrls"}
    out = json.loads(
        run(
            "call", "--spec", PETSTORE, "--base-url", petstore.base_url, "POST", "/pet", "-d", "{}", "--json"
        ).stdout
    )
    assert "allow" not in out["headers"]  # a 405 for bad input, not for the method: no Allow
    assert out["hint"].startswith("The spec says: Invalid input.")


def test_petstore_invalid_put_prefers_the_documented_400(petstore: Any) -> None:
    with httpx.Client(base_url=petstore.base_url, headers={"Authorization": "Bearer sandbox-token"}) as c:
        put = c.put("/pet", json={"x": 1})
        wrong_method = c.patch("/pet", json={})
    assert put.status_code == 400 and "allow" not in put.headers
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "PUT, POST, OPTIONS"


def test_petstore_401_names_the_api_key_header_not_a_jwt(petstore: Any) -> None:
    result = run(
        "call", "--spec", PETSTORE, "--base-url", petstore.base_url, "GET", "/pet/1", "-H", "api_key: wrong"
    )
    assert result.stdout.startswith("HTTP/1.1 401")
    hint = _rows(result.stdout)["hint"]
    assert "JWT" not in hint and "Astro" not in hint
    assert "header 'api_key'" in hint


def test_invalid_request_status_order_prefers_a_4xx_that_says_invalid() -> None:
    from labs_tui.sandbox.generic import invalid_statuses
    from labs_tui.sandbox.spec_answers import documented_response
    from labs_tui.spec.model import Operation, Response

    def pick(*responses: tuple[str, str]) -> int | None:
        operation = Operation("PUT", "/x", responses=tuple(Response(s, d) for s, d in responses))
        found = documented_response(operation, invalid_statuses(operation))
        return found[0] if found is not None else None

    assert pick(("404", "Not found"), ("422", "Unprocessable"), ("400", "Bad")) == 400
    assert pick(("404", "Not found"), ("422", "Unprocessable")) == 422
    assert pick(("404", "Pet not found"), ("405", "Validation exception"), ("default", "Error")) == 405
    assert pick(("404", "Pet not found"), ("default", "Error")) == 400  # default, as a 400
    assert pick(("401", "Invalid token"), ("404", "Not found")) == 404  # never a 401 for bad input
