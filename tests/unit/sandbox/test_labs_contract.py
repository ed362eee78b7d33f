"""The Labs behaviour over real HTTP: tokens, pins, headers, error shape, routing, HEAD/OPTIONS."""

from __future__ import annotations

import http.client
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from labs_tui.sandbox import LATEST_VERSION, LIMITED_TOKEN, SANDBOX_TOKEN, SUPPORTED_VERSIONS

FULL = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}


@pytest.fixture
def client(sandbox: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url) as c:
        yield c


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["statusCode"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert body["requestId"] == response.headers["x-request-id"]
    return dict(body)


def test_exports() -> None:
    assert SANDBOX_TOKEN == "sandbox-token"
    assert LIMITED_TOKEN == "sandbox-limited-token"
    assert SUPPORTED_VERSIONS == ("1.0", "1.1")
    assert LATEST_VERSION == "1.1"


def test_base_url_is_loopback_labs_v1(sandbox: Any) -> None:
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/labs/v1"
    assert sandbox.host == "127.0.0.1" and sandbox.port > 0
    assert sandbox.mode == "labs"


def test_full_token_without_pin_gets_latest(client: httpx.Client) -> None:
    response = client.get("/examples/demo", headers=FULL)
    assert response.status_code == 200
    assert response.json() == {"proofOfConcept": "Labs example"}
    assert response.headers["x-labs-api-version"] == "1.1"
    assert response.headers["x-request-id"]


@pytest.mark.parametrize(
    ("pin", "body"),
    [("1.0", {"name": "Labs example"}), ("1.1", {"proofOfConcept": "Labs example"})],
)
def test_pins_choose_the_shape(client: httpx.Client, pin: str, body: dict[str, str]) -> None:
    response = client.get("/examples/demo", headers={**FULL, "X-Labs-API-Version": pin})
    assert response.status_code == 200
    assert response.json() == body
    assert response.headers["x-labs-api-version"] == pin


@pytest.mark.parametrize("pin", ["2.0", "1", "latest", "", "1.10", "1.0, 1.1", "v1.0"])
def test_unsupported_pin_is_400_listing_versions(client: httpx.Client, pin: str) -> None:
    response = client.get("/examples/demo", headers={**FULL, "X-Labs-API-Version": pin})
    body = assert_error_shape(response, 400)
    assert "1.0, 1.1" in body["message"]
    assert body["fieldErrors"][0]["field"] == "X-Labs-API-Version"
    assert response.headers["x-labs-api-version"] == "1.1"


def test_two_different_pins_are_rejected(sandbox: Any) -> None:
    with httpx.Client() as c:
        headers = [("Authorization", f"Bearer {SANDBOX_TOKEN}"), ("X-Labs-API-Version", "1.0")]
        headers.append(("X-Labs-API-Version", "1.1"))
        response = c.get(sandbox.base_url + "/examples/demo", headers=headers)
    assert_error_shape(response, 400)


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer nope", "sandbox-token", "Basic c2FuZGJveC10b2tlbg==", "Bearer a.b.c"],
)
def test_missing_or_other_token_is_401(client: httpx.Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/examples/demo", headers=headers)
    body = assert_error_shape(response, 401)
    assert "sandbox-token" in body["message"]
    assert response.headers["x-labs-api-version"] == "1.1"


def test_bearer_scheme_is_case_insensitive(client: httpx.Client) -> None:
    response = client.get("/examples/demo", headers={"Authorization": f"bearer {SANDBOX_TOKEN}"})
    assert response.status_code == 200


def test_limited_token_is_403(client: httpx.Client) -> None:
    response = client.get("/examples/demo", headers={"Authorization": f"Bearer {LIMITED_TOKEN}"})
    body = assert_error_shape(response, 403)
    assert "permission" in body["message"]


def test_pinned_error_echoes_served_version(client: httpx.Client) -> None:
    response = client.get("/examples/demo", headers={"X-Labs-API-Version": "1.0"})
    assert_error_shape(response, 401)
    assert response.headers["x-labs-api-version"] == "1.0"


@pytest.mark.parametrize("path", ["/examples", "/examples/demo/", "/examples/demo2", "/", "/%00"])
def test_unknown_path_is_404(client: httpx.Client, path: str) -> None:
    body = assert_error_shape(client.get(path, headers=FULL), 404)
    assert "No Labs endpoint" in body["message"]


@pytest.mark.parametrize("path", ["/", "/labs/v2/examples/demo", "/examples/demo"])
def test_outside_the_base_path_is_404(sandbox: Any, path: str) -> None:
    with httpx.Client() as c:
        response = c.get(f"http://127.0.0.1:{sandbox.port}{path}", headers=FULL)
    assert_error_shape(response, 404)
    assert response.headers["x-labs-api-version"] == "1.1"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "BREW"])
def test_wrong_method_is_405_with_allow(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/examples/demo", headers=FULL)
    body = assert_error_shape(response, 405)
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert method in body["message"]


def test_head_answers_like_get_without_body(client: httpx.Client) -> None:
    response = client.head("/examples/demo", headers=FULL)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(b'{"proofOfConcept":"Labs example"}'))
    assert response.headers["x-request-id"]
    # and the connection is still usable afterwards
    assert client.get("/examples/demo", headers=FULL).status_code == 200


def test_options_lists_methods_without_a_token(client: httpx.Client) -> None:
    response = client.options("/examples/demo")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.headers["x-request-id"]
    assert response.headers["x-labs-api-version"] == "1.1"
    assert response.content == b""


def test_request_ids_are_unique_and_on_every_response(client: httpx.Client) -> None:
    ids = set()
    for headers in ({}, FULL, {"Authorization": f"Bearer {LIMITED_TOKEN}"}, FULL, FULL):
        response = client.get("/examples/demo", headers=headers)
        ids.add(response.headers["x-request-id"])
    ids.add(client.get("/missing").headers["x-request-id"])
    assert len(ids) == 6
    assert all(len(i) == 25 and i.startswith("c") and i.isalnum() for i in ids)


def test_request_ids_hook_freezes_ids(make_sandbox: Callable[..., Any]) -> None:
    counter = itertools.count(1)
    handle = make_sandbox(request_ids=lambda: f"req-{next(counter)}")
    with httpx.Client(base_url=handle.base_url) as c:
        first = c.get("/examples/demo", headers=FULL)
        second = c.get("/examples/demo")
    assert first.headers["x-request-id"] == "req-1"
    assert second.headers["x-request-id"] == "req-2"
    assert second.json()["requestId"] == "req-2"


def test_request_body_is_consumed_so_keep_alive_survives(sandbox: Any) -> None:
    connection = http.client.HTTPConnection(sandbox.host, sandbox.port, timeout=5)
    try:
        connection.request("POST", "/labs/v1/examples/demo", body=b"x" * 5000, headers=FULL)
        first = connection.getresponse()
        first.read()
        connection.request("GET", "/labs/v1/examples/demo", headers=FULL)
        second = connection.getresponse()
        assert (first.status, second.status) == (405, 200)
        assert second.read() == b'{"proofOfConcept":"Labs example"}'
        assert first.getheader("Connection") != "close"
    finally:
        connection.close()


def test_chunked_request_body_is_read(sandbox: Any) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"abc"
        yield b"def"

    with httpx.Client(base_url=sandbox.base_url) as c:
        response = c.post("/examples/demo", content=chunks(), headers=FULL)
        assert response.status_code == 405
        assert c.get("/examples/demo", headers=FULL).status_code == 200


def test_oversized_body_is_413_and_closes(sandbox: Any) -> None:
    connection = http.client.HTTPConnection(sandbox.host, sandbox.port, timeout=5)
    try:
        connection.putrequest("POST", "/labs/v1/examples/demo")
        connection.putheader("Content-Length", str(50 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 413
    assert response.getheader("Connection") == "close"
    assert b'"statusCode":413' in body


def test_malformed_request_line_gets_error_shape(sandbox: Any) -> None:
    import json
    import socket

    with socket.create_connection((sandbox.host, sandbox.port), timeout=5) as raw:
        raw.sendall(b"GARBAGE\r\n\r\n")
        data = b""
        while chunk := raw.recv(4096):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    payload = json.loads(body)
    assert payload["statusCode"] == 400 and payload["requestId"]


def test_log_has_one_line_per_request_and_never_the_token(make_sandbox: Callable[..., Any]) -> None:
    lines: list[str] = []
    handle = make_sandbox(log=lines.append, request_ids=iter(["r1", "r2", "r3"]).__next__)
    with httpx.Client(base_url=handle.base_url) as c:
        c.get("/examples/demo", headers={**FULL, "X-Labs-API-Version": "1.0"})
        c.get("/examples/demo?token=sandbox-token", headers={"Authorization": f"Bearer {LIMITED_TOKEN}"})
        c.get("/examples/demo", headers={"Authorization": "Bearer my-secret-value"})
    assert lines == [
        "GET /labs/v1/examples/demo pin=1.0 200 requestId=r1",
        "GET /labs/v1/examples/demo pin=- 403 requestId=r2",
        "GET /labs/v1/examples/demo pin=- 401 requestId=r3",
    ]
    assert not any("secret" in line or "token" in line for line in lines)


def test_log_escapes_control_characters(make_sandbox: Callable[..., Any]) -> None:
    lines: list[str] = []
    handle = make_sandbox(log=lines.append)
    with httpx.Client(base_url=handle.base_url) as c:
        c.get("/examples/demo", headers={**FULL, "X-Labs-API-Version": "\x1b[31m"})
    assert len(lines) == 1
    assert "\x1b" not in lines[0] and "␛[31m" in lines[0]


def test_a_failing_log_does_not_break_serving(make_sandbox: Callable[..., Any]) -> None:
    def broken(line: str) -> None:
        raise OSError("stderr closed")

    handle = make_sandbox(log=broken)
    with httpx.Client(base_url=handle.base_url) as c:
        assert c.get("/examples/demo", headers=FULL).status_code == 200


def test_http_date_hook_freezes_the_date_header(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(http_date=lambda: "Mon, 01 Jan 2024 00:00:00 GMT")
    with httpx.Client(base_url=handle.base_url) as c:
        response = c.get("/examples/demo", headers=FULL)
    assert response.headers["date"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert response.headers["server"] == "labs-tui-sandbox"
