"""--spec mode: another API served offline from its spec, through the real spec engine."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from labs_tui.cli import main

PETS = """\
openapi: 3.0.3
info: {title: Pets, version: "2.0"}
servers:
  - url: https://pets.example.com/api/v2
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: Accept, in: header, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: the pets
          content:
            application/json:
              example: [{"id": 1, "name": "Rex"}]
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "400": {description: bad}
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
        - {name: session, in: cookie, required: true, schema: {type: string}}
      responses:
        "200":
          description: one pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
    delete:
      operationId: deletePet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: gone}
  /health:
    get:
      operationId: health
      responses:
        default:
          description: fine
          content:
            text/plain:
              example: ok
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
"""

BARE = """\
openapi: 3.1.0
info: {title: Bare, version: "1"}
paths:
  /:
    get:
      responses:
        "200":
          description: root
          content:
            application/json:
              example: {"hello": "world"}
"""


@pytest.fixture
def pets_file(tmp_path: Path) -> Path:
    path = tmp_path / "pets.yaml"
    path.write_text(PETS, encoding="utf-8")
    return path


@pytest.fixture
def pets(make_sandbox: Callable[..., Any], pets_file: Path) -> Any:
    return make_sandbox(spec=pets_file, rate_limit=None)


def test_served_under_the_first_server_path(pets: Any) -> None:
    assert pets.mode == "spec"
    assert pets.base_url == f"http://127.0.0.1:{pets.port}/api/v2"


def test_documented_example_is_served(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        response = c.get("/pets", params={"limit": "1"}, headers={"X-Trace": "t"})
    assert response.status_code == 200
    assert response.json() == [{"id": 1, "name": "Rex"}]
    assert response.headers["x-request-id"]


def test_missing_required_parameters_are_400_with_field_errors(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        response = c.get("/pets", params={"page": "2"})
    assert response.status_code == 400
    body = response.json()
    assert body["statusCode"] == 400 and body["requestId"] == response.headers["x-request-id"]
    assert {item["field"] for item in body["fieldErrors"]} == {"limit", "X-Trace"}  # Accept is ignored
    assert all(item["code"] == "required" for item in body["fieldErrors"])


def test_missing_cookie_parameter_is_named(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        missing = c.get("/pets/7")
        present = c.get("/pets/7", headers={"Cookie": "session=abc"})
    assert [item["field"] for item in missing.json()["fieldErrors"]] == ["session"]
    assert present.status_code == 200


def test_path_template_matches_and_schema_example_is_generated(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        response = c.get("/pets/42", headers={"Cookie": "session=abc"})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, dict) and {"id", "name"} <= set(body)


def test_required_body_and_invalid_json(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        missing = c.post("/pets")
        broken = c.post("/pets", content=b"{not json", headers={"Content-Type": "application/json"})
        created = c.post("/pets", json={"id": 3, "name": "Tom"})
    assert missing.status_code == 400
    assert missing.json()["fieldErrors"] == [
        {"code": "required", "field": "body", "message": "a request body is required"}
    ]
    assert broken.status_code == 400 and broken.json()["fieldErrors"][0]["code"] == "invalid"
    assert created.status_code == 201 and {"id", "name"} <= set(created.json())


def test_no_content_text_and_default_responses(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        deleted = c.delete("/pets/42")
        health = c.get("/health")
    assert deleted.status_code == 204 and deleted.content == b""
    assert deleted.headers["x-request-id"]
    assert health.status_code == 200
    assert health.headers["content-type"] == "text/plain" and health.text == "ok"


def test_404_and_405_in_the_error_shape(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        unknown = c.get("/owners")
        wrong = c.patch("/pets/42")
        options = c.options("/pets/42")
        outside = c.get(f"http://127.0.0.1:{pets.port}/pets")
    assert unknown.status_code == 404 and unknown.json()["requestId"] == unknown.headers["x-request-id"]
    assert outside.status_code == 404
    assert wrong.status_code == 405 and wrong.json()["statusCode"] == 405
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "DELETE", "HEAD", "OPTIONS"}
    assert options.status_code == 204 and options.headers["allow"] == wrong.headers["allow"]


def test_head_falls_back_to_get(pets: Any) -> None:
    with httpx.Client(base_url=pets.base_url) as c:
        response = c.head("/health")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == "2"


def test_rate_limit_counts_per_operation(make_sandbox: Callable[..., Any], pets_file: Path) -> None:
    handle = make_sandbox(spec=pets_file, rate_limit=(1, 60.0))
    with httpx.Client(base_url=handle.base_url) as c:
        assert c.delete("/pets/1").status_code == 204
        limited = c.delete("/pets/2")  # same operation, other path parameters
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert c.get("/health").status_code == 200
        other_token = c.delete("/pets/3", headers={"Authorization": "Bearer someone-else"})
        assert other_token.status_code == 204


def test_spec_without_servers_is_served_at_the_root(make_sandbox: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text(BARE, encoding="utf-8")
    handle = make_sandbox(spec=path)
    assert handle.base_url == f"http://127.0.0.1:{handle.port}"
    with httpx.Client() as c:
        response = c.get(handle.base_url + "/")
    assert response.json() == {"hello": "world"}


def test_gateway_stands_in_front_in_spec_mode(make_sandbox: Callable[..., Any], pets_file: Path) -> None:
    handle = make_sandbox(spec=pets_file, gateway_errors=True)
    with httpx.Client(base_url=handle.base_url) as c:
        response = c.get("/health")
    assert (response.status_code, response.text) == (403, "RBAC: access denied")


def test_the_bundled_spec_path_means_labs_behaviour(make_sandbox: Callable[..., Any]) -> None:
    import labs_tui

    bundled = Path(labs_tui.__file__).parent / "specs" / "astro-labs-v1.yaml"
    handle = make_sandbox(spec=bundled)
    assert handle.mode == "labs" and handle.base_url.endswith("/labs/v1")
    from labs_tui.spec import load_spec

    assert make_sandbox(spec=load_spec()).mode == "labs"


def test_cli_serves_a_spec(pets_file: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "labs_tui", "sandbox", "--port", "0", "--spec", str(pets_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/api/v2", first)
        assert found, first
        with httpx.Client() as c:
            assert c.get(found.group() + "/health").text == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_cli_bad_spec_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = CliRunner().invoke(main, ["sandbox", "--port", "0", "--spec", str(missing)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


VERSIONED = """\
openapi: 3.0.3
info:
  title: Versioned
  version: "2"
  x-labs-versions: {header: X-Api-Version, known: ["2.0", "2.1"], latest: "2.1"}
servers: [{url: /v2}]
paths:
  /thing:
    get:
      responses:
        "200": {description: ok, content: {application/json: {example: {"a": 1}}}}
"""


def test_spec_declared_versions_are_pinned(make_sandbox: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "versioned.yaml"
    path.write_text(VERSIONED, encoding="utf-8")
    lines: list[str] = []
    handle = make_sandbox(spec=path, log=lines.append, request_ids=iter(["a", "b", "c"]).__next__)
    assert handle.base_url.endswith("/v2")
    with httpx.Client(base_url=handle.base_url) as c:
        latest = c.get("/thing")
        pinned = c.get("/thing", headers={"X-Api-Version": "2.0"})
        bad = c.get("/thing", headers={"X-Api-Version": "1.0"})
    assert latest.headers["x-api-version"] == "2.1" and latest.json() == {"a": 1}
    assert pinned.headers["x-api-version"] == "2.0"
    assert bad.status_code == 400 and "2.0, 2.1" in bad.json()["message"]
    assert lines[1] == "GET /v2/thing pin=2.0 200 requestId=b"


def test_root_spec_option_reaches_the_sandbox_command(pets_file: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "labs_tui", "--spec", str(pets_file), "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "/api/v2" in process.stdout.readline()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0
