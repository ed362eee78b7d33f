"""``call`` with an imported request: an absolute URL under the profile's base URL is matched like a
path, the operation's apiKey values in it are dropped (the profile's token sent instead, never shown),
and a concrete path is never a templated one (``POST /pet/findByStatus`` is not ``/pet/{petId}``)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.sandbox import SANDBOX_TOKEN, start
from labs_tui.store.collection import SavedRequest, save_request

PETSTORE = str(Path(__file__).resolve().parents[2] / "data/specs/third_party/petstore-3.0.json")
SECRET = "MYSECRETKEY123"


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


def keys_spec(folder: Path) -> Path:
    """Three operations, each secured by one apiKey: in a query parameter, a header, a cookie."""
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Keys", "version": "1"},
        "servers": [{"url": "http://keys.example/v1"}],
        "components": {
            "securitySchemes": {
                "inQuery": {"type": "apiKey", "in": "query", "name": "key"},
                "inHeader": {"type": "apiKey", "in": "header", "name": "X-Custom"},
                "inCookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
            }
        },
        "paths": {
            "/orders": {"get": {"operationId": "listOrders", "security": [{"inQuery": []}], "responses": ok}},
            "/items": {"get": {"operationId": "listItems", "security": [{"inHeader": []}], "responses": ok}},
            "/carts": {"get": {"operationId": "listCarts", "security": [{"inCookie": []}], "responses": ok}},
        },
    }
    path = folder / "keys.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@pytest.fixture
def keys(tmp_path: Path) -> Iterator[tuple[str, str]]:
    spec = keys_spec(tmp_path)
    handle = start(port=0, spec=str(spec))
    try:
        yield str(spec), handle.base_url
    finally:
        handle.stop()


@pytest.fixture
def petstore() -> Iterator[str]:
    handle = start(port=0, spec=PETSTORE)
    try:
        yield handle.base_url
    finally:
        handle.stop()


def echo_profile(base_url: str) -> dict[str, str]:
    """A config profile ``echo`` at ``base_url`` whose token is the sandbox's."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "labs-tui" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"profiles:\n  echo:\n    base_url: {base_url}\n    token_env: ECHO_TOKEN\n")
    return {"ECHO_TOKEN": SANDBOX_TOKEN}


# -- 1: an absolute URL under the profile's base URL is matched against the spec ------------------


def test_from_curl_with_the_profiles_url_is_matched_and_its_security_applies(petstore: str) -> None:
    env = echo_profile(petstore)
    command = f"curl {petstore}/pet/1"
    result = run("call", "--spec", PETSTORE, "--profile", "echo", "--from-curl", command, "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert "not checked against the spec" not in result.stderr
    sent = {name.lower() for name in json.loads(result.stdout)["request"]["headers"]}
    assert "api_key" in sent and "authorization" not in sent  # the operation's apiKey header, not Bearer
    assert json.loads(result.stdout)["status"] == 200


def test_a_url_target_under_the_profiles_url_is_matched_too(petstore: str) -> None:
    env = echo_profile(petstore)
    result = run(
        "call", "--spec", PETSTORE, "--profile", "echo", "GET", f"{petstore}/pet/1", "--json", env=env
    )
    assert result.exit_code == 0, result.stderr
    assert "not checked against the spec" not in result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 200 and answer["request"]["url"] == f"{petstore}/pet/1"
    assert "api_key" in {name.lower() for name in answer["request"]["headers"]}


def test_a_url_on_another_host_is_still_not_checked(petstore: str) -> None:
    result = run(
        "call", "--spec", PETSTORE, "--base-url", petstore, "GET", "http://elsewhere.test/v2/pet/1", "--curl"
    )
    assert result.exit_code == 0, result.stderr
    assert "an absolute URL, not checked against the spec" in result.stderr


# -- 2: the operation's apiKey values in an imported command are dropped, never shown -------------


@pytest.mark.parametrize(
    ("path", "flags", "place"),
    [
        (f"/orders?key={SECRET}&limit=2", "", "query parameter key"),
        ("/items", f"-H 'X-Custom: {SECRET}'", "header X-Custom"),
        ("/carts", f"-b 'sid={SECRET}; theme=dark'", "cookie sid"),
    ],
)
def test_from_curl_drops_the_operations_api_key(
    keys: tuple[str, str], path: str, flags: str, place: str
) -> None:
    spec, base = keys
    command = f"curl '{base}{path}' {flags}"
    result = run("call", "--spec", spec, "--base-url", base, "--from-curl", command, "--json")
    assert result.exit_code == 0, result.stderr
    assert f"note: the command's {place} was dropped: the profile's token is sent instead" in result.stderr
    assert SECRET not in result.stderr and SECRET not in result.stdout
    assert json.loads(result.stdout)["status"] == 200  # the sandbox took the profile's token there


def test_from_curl_query_key_keeps_the_other_parameters(keys: tuple[str, str]) -> None:
    spec, base = keys
    command = f"curl '{base}/orders?key={SECRET}&limit=2'"
    result = run("call", "--spec", spec, "--base-url", base, "--from-curl", command, "--curl")
    assert result.exit_code == 0, result.stderr
    assert "limit=2" in result.stdout and SECRET not in result.stdout + result.stderr


def test_a_saved_request_loses_the_operations_api_keys(keys: tuple[str, str], tmp_path: Path) -> None:
    spec, base = keys
    saved = SavedRequest(name="items", method="GET", path="/items", headers=(("X-Custom", SECRET),))
    file = save_request(saved, tmp_path)
    result = run("call", "--spec", spec, "--base-url", base, "--from", str(file), "--json")
    assert result.exit_code == 0, result.stderr
    assert (
        "the saved request's header X-Custom was dropped: the profile's token is sent instead"
        in result.stderr
    )
    assert SECRET not in result.stderr + result.stdout
    assert json.loads(result.stdout)["status"] == 200

    saved = SavedRequest(name="orders", method="GET", path="/orders", query=(("key", SECRET), ("limit", "2")))
    file = save_request(saved, tmp_path)
    result = run("call", "--spec", spec, "--base-url", base, "--from", str(file), "--json")
    assert result.exit_code == 0, result.stderr
    assert "query parameter key was dropped" in result.stderr and SECRET not in result.stderr + result.stdout
    assert json.loads(result.stdout)["status"] == 200


# -- 3: a concrete path wins over a templated one --------------------------------------------------


def test_a_method_the_concrete_path_lacks_is_not_the_templated_operation(petstore: str) -> None:
    result = run("call", "POST", "/pet/findByStatus", "--spec", PETSTORE, "--base-url", petstore)
    assert "POST /pet/findByStatus is not in the spec (it lists GET for this path)" in result.stderr
    assert "Invalid input" not in result.stdout + result.stderr  # POST /pet/{petId}'s 405 description
    assert "405" in result.stdout + result.stderr
