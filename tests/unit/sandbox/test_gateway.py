"""--gateway-errors: the gateway's plain-text 403/401 answers, which carry no requestId."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from labs_tui.sandbox import LIMITED_TOKEN, SANDBOX_TOKEN

RBAC = "RBAC: access denied"
JWT = "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"


@pytest.fixture
def client(make_sandbox: Callable[..., Any]) -> Iterator[httpx.Client]:
    handle = make_sandbox(gateway_errors=True)
    with httpx.Client(base_url=handle.base_url) as c:
        yield c


def assert_gateway(response: httpx.Response, status: int, text: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "text/plain"
    assert response.text == text
    assert "x-request-id" not in response.headers
    assert "x-labs-api-version" not in response.headers
    assert "requestId" not in response.text


@pytest.mark.parametrize("authorization", [None, "", "Basic abc", "sandbox-token", "Bearer"])
def test_no_bearer_credential_is_rbac_403(client: httpx.Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    assert_gateway(client.get("/examples/demo", headers=headers), 403, RBAC)


@pytest.mark.parametrize("token", ["nope", "a.b", "a..c", "a.b.c.d", "x y"])
def test_unparsable_bearer_is_jwt_401(client: httpx.Client, token: str) -> None:
    assert_gateway(client.get("/examples/demo", headers={"Authorization": f"Bearer {token}"}), 401, JWT)


def test_gateway_stands_in_front_of_routing(client: httpx.Client) -> None:
    assert_gateway(client.get("/no/such/path"), 403, RBAC)


def test_sandbox_tokens_pass_the_gateway(client: httpx.Client) -> None:
    ok = client.get("/examples/demo", headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"})
    assert ok.status_code == 200 and ok.headers["x-request-id"]
    limited = client.get("/examples/demo", headers={"Authorization": f"Bearer {LIMITED_TOKEN}"})
    assert limited.status_code == 403
    assert limited.json()["requestId"] == limited.headers["x-request-id"]


def test_jwt_shaped_unknown_token_gets_the_api_401(client: httpx.Client) -> None:
    response = client.get("/examples/demo", headers={"Authorization": "Bearer eyJhbGciOi.eyJzdWIi.c2ln"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json()["requestId"] == response.headers["x-request-id"]


def test_without_the_flag_there_is_no_gateway(sandbox: Any) -> None:
    with httpx.Client(base_url=sandbox.base_url) as c:
        response = c.get("/examples/demo")
    assert response.status_code == 401 and response.json()["requestId"]


def test_gateway_answers_are_logged_without_request_id(make_sandbox: Callable[..., Any]) -> None:
    lines: list[str] = []
    handle = make_sandbox(gateway_errors=True, log=lines.append)
    with httpx.Client(base_url=handle.base_url) as c:
        c.get("/examples/demo")
    assert lines == ["GET /labs/v1/examples/demo pin=- 403 requestId=-"]
