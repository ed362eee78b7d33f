"""Spec mode as faithful as the spec: valid answers, validated requests, declared auth, Prefer, state.

Every body the sandbox generates is checked with openapi-schema-validator, in the spec's dialect.
"""

# ruff: noqa: E501 (the spec fixture keeps one schema per line)

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)

from labs_tui.sandbox.generate import generate, pattern_string
from labs_tui.sandbox.validate import Checker
from labs_tui.spec import BUNDLED_SPEC, load_spec

DATA = Path(__file__).resolve().parents[2] / "data" / "specs"
THIRD_PARTY = sorted((DATA / "third_party").glob("*.json"))

SHOP = """\
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers: [{url: https://shop.example.com/v1}]
security: [{bearer: []}]
paths:
  /items:
    get:
      operationId: listItems
      security: []
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50}}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string, enum: [a, b]}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {min: {type: integer}}}}
      responses:
        "200":
          description: items
          headers:
            X-Total: {required: true, schema: {type: integer, minimum: 0}}
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Item"}}
              examples:
                two: {$ref: "#/components/examples/TwoItems"}
                none: {value: []}
        "422":
          description: invalid
          content:
            application/json:
              schema: {$ref: "#/components/schemas/HTTPValidationError"}
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Item"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        "400":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "401":
          description: who are you
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /items/{itemId}:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getItem
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        "404":
          description: none
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
    put:
      operationId: putItem
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Item"}
      responses:
        "200":
          description: replaced
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
    patch:
      operationId: patchItem
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200":
          description: changed
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
    delete:
      operationId: deleteItem
      responses:
        "204": {description: gone}
        "404":
          description: none
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /items/search:
    get:
      operationId: searchItems
      security: [{basic: []}, {key: []}, {cookieKey: []}, {queryKey: []}]
      responses:
        "200":
          description: found
          content:
            application/xml:
              schema: {$ref: "#/components/schemas/Item"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    key: {type: apiKey, in: header, name: X-Key}
    cookieKey: {type: apiKey, in: cookie, name: key}
    queryKey: {type: apiKey, in: query, name: key}
  examples:
    TwoItems:
      value:
        - {id: 3fa85f64-5717-4562-b3fc-2c963f66afa6, name: Lamp, price: 10, createdAt: "2024-01-01T00:00:00Z"}
        - {id: 4fa85f64-5717-4562-b3fc-2c963f66afa6, name: Desk, price: 99.5, createdAt: "2024-01-02T00:00:00Z"}
  schemas:
    Item:
      type: object
      required: [name, price]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        name: {type: string, minLength: 2, maxLength: 40, pattern: "^[A-Z][a-z]+$"}
        price: {type: number, exclusiveMinimum: true, minimum: 0, multipleOf: 0.5}
        secret: {type: string, writeOnly: true}
        createdAt: {type: string, format: date-time, readOnly: true}
        email: {type: string, format: email, nullable: true}
        kind: {oneOf: [{$ref: "#/components/schemas/Book"}, {$ref: "#/components/schemas/Toy"}]}
        extra: {allOf: [{type: object, required: [a], properties: {a: {type: integer, minimum: 5}}}, {type: object, required: [b], properties: {b: {type: string, format: ipv4}}}]}
    Book: {type: object, required: [isbn], properties: {isbn: {type: string, pattern: "^[0-9]{13}$"}}, additionalProperties: false}
    Toy: {type: object, required: [age], properties: {age: {type: integer, maximum: 3}}, additionalProperties: false}
    Error:
      type: object
      required: [message, statusCode, requestId]
      properties:
        message: {type: string}
        statusCode: {type: integer}
        requestId: {type: string}
        fieldErrors:
          type: array
          items: {type: object, properties: {field: {type: string}, code: {type: string}, message: {type: string}}}
    HTTPValidationError:
      type: object
      properties:
        detail:
          type: array
          items:
            type: object
            required: [loc, msg, type]
            properties:
              loc: {type: array, items: {anyOf: [{type: string}, {type: integer}]}}
              msg: {type: string}
              type: {type: string}
"""

TOKEN = {"Authorization": "Bearer sandbox-token"}


def _validator(spec: Any, schema: Any) -> Any:
    root = {**schema, "components": spec.document.get("components", {})}
    if spec.openapi_version.startswith(("2", "3.0")):
        return OAS30ReadValidator(root, format_checker=oas30_format_checker)
    return OAS31Validator(root, format_checker=oas31_format_checker)


@pytest.fixture
def shop_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


@pytest.fixture
def shop(make_sandbox: Callable[..., Any], shop_file: Path) -> Any:
    return make_sandbox(spec=shop_file, rate_limit=None)


def _client(handle: Any, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=handle.base_url, headers=headers, timeout=10)


# ---- responses valid against their schema -------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [*THIRD_PARTY, DATA / "openapi31.yaml", DATA / "swagger2.json", DATA / "cycles.yaml", Path(BUNDLED_SPEC)],
    ids=lambda p: p.name,
)
def test_every_generated_response_body_validates(path: Path) -> None:
    spec = load_spec(str(path))
    checker = Checker(spec)
    checked = 0
    for operation in spec.operations:
        for response in operation.responses:
            for media in response.content:
                if not media.schema or "x-cycle" in json.dumps(media.schema):
                    continue
                value = generate(checker, media.schema, "response")
                try:
                    errors = [e.message for e in _validator(spec, media.schema).iter_errors(value)]
                except RecursionError:  # a $ref loop with no base case (cycles.yaml): no value exists
                    continue
                assert not errors, (operation.key, response.status, media.media_type, value, errors)
                checked += 1
    assert checked


def test_generated_values_honour_constraints(shop_file: Path) -> None:
    spec = load_spec(str(shop_file))
    item = {"$ref": "#/components/schemas/Item"}
    value = generate(Checker(spec), item, "response")
    assert not list(_validator(spec, item).iter_errors(value))
    assert value["name"][0].isupper() and 2 <= len(value["name"]) <= 40
    assert value["price"] > 0 and value["price"] % 0.5 == 0
    assert "secret" not in value  # writeOnly stays out of responses
    assert set(value["kind"]) in ({"isbn"}, {"age"})  # exactly one oneOf branch
    assert value["extra"]["a"] >= 5 and value["extra"]["b"].count(".") == 3
    request = generate(Checker(spec), item, "request")
    assert "id" not in request and "createdAt" not in request  # readOnly stays out of requests


def test_pattern_strings_match() -> None:
    import re

    for pattern in (r"^[0-9]{13}$", r"^[A-Z]{2}-\d{3,}$", r"^(foo|bar)+baz?$", r"[^abc]x", r"^\w+@\w+\.org$"):
        found = pattern_string(pattern, 1)
        assert found is not None and re.search(pattern, found), (pattern, found)


def test_named_examples_with_refs_resolved_and_required_headers(shop: Any) -> None:
    with _client(shop) as c:
        response = c.get("/items")
    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["Lamp", "Desk"]  # not {"$ref": ...}
    assert int(response.headers["x-total"]) >= 0


def test_xml_answers_in_the_documented_content_type(shop: Any) -> None:
    with _client(shop, **{"X-Key": "sandbox-token"}) as c:
        response = c.get("/items/search")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    assert response.text.startswith("<?xml") and "<name>" in response.text


# ---- requests validated -------------------------------------------------------------------------


def test_invalid_query_gets_the_documented_422_shape(shop: Any) -> None:
    with _client(shop) as c:
        bad_limit = c.get("/items", params={"limit": "0"})
        bad_enum = c.get("/items", params={"tags": "a,zzz"})
        bad_deep = c.get("/items?filter[min]=x")
        good = c.get("/items", params={"limit": "5", "tags": "a,b", "filter[min]": "3"})
    spec_schema = {"$ref": "#/components/schemas/HTTPValidationError"}
    spec = load_spec_text(SHOP)
    for response in (bad_limit, bad_enum, bad_deep):
        assert response.status_code == 422, response.text
        assert not list(_validator(spec, spec_schema).iter_errors(response.json()))
        assert "message" not in response.json()  # the spec's shape, not the sandbox's
    assert good.status_code == 200


def test_invalid_body_gets_the_documented_400_with_field_errors(shop: Any) -> None:
    with _client(shop, **TOKEN) as c:
        wrong = c.post("/items", json={"name": "lamp", "price": -1})
        ro = c.post("/items", json={"name": "Lamp", "price": 1, "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})
        missing = c.post("/items")
        ok = c.post("/items", json={"name": "Lamp", "price": 1.5, "secret": "s"})
    assert wrong.status_code == 400
    body = wrong.json()
    assert body["statusCode"] == 400 and body["requestId"] == wrong.headers["x-request-id"]
    # Each body field by its JSON pointer: the pattern and the exclusive minimum.
    assert {item["field"] for item in body["fieldErrors"]} == {"/name", "/price"}
    assert len(body["fieldErrors"]) == 2
    assert ro.status_code == 400  # readOnly in a request
    assert missing.status_code == 400 and missing.json()["fieldErrors"][0]["code"] == "required"
    assert ok.status_code == 201 and "secret" not in ok.json()


def test_path_parameter_format_and_unsupported_content_type(shop: Any) -> None:
    with _client(shop, **TOKEN) as c:
        bad_id = c.get("/items/not-a-uuid")
        good_id = c.get("/items/3fa85f64-5717-4562-b3fc-2c963f66afa6")
        wrong_type = c.post("/items", content=b"name=Lamp", headers={"Content-Type": "text/plain"})
    # getItem documents no 400 or 422: its documented 404 (and its schema) answers a malformed id
    assert bad_id.status_code == 404 and bad_id.json()["fieldErrors"][0]["field"] == "itemId"
    assert good_id.status_code == 200
    assert wrong_type.status_code == 415


# ---- auth as declared ---------------------------------------------------------------------------


def test_security_schemes_are_enforced(shop: Any) -> None:
    basic = "Basic " + base64.b64encode(b"anyone:sandbox-token").decode()
    with _client(shop) as c:
        assert c.get("/items").status_code == 200  # security: [] is open
        none = c.post("/items", json={"name": "Lamp", "price": 1})
        wrong = c.post("/items", json={"name": "Lamp", "price": 1}, headers={"Authorization": "Bearer nope"})
        limited = c.post(
            "/items",
            json={"name": "Lamp", "price": 1},
            headers={"Authorization": "Bearer sandbox-limited-token"},
        )
        assert c.get("/items/search").status_code == 401
        assert c.get("/items/search", headers={"Authorization": basic}).status_code == 200
        assert c.get("/items/search", headers={"X-Key": "sandbox-token"}).status_code == 200
        assert c.get("/items/search", params={"key": "sandbox-token"}).status_code == 200
        assert c.get("/items/search", headers={"Cookie": "key=sandbox-token"}).status_code == 200
        assert c.get("/items/search", headers={"X-Key": "other"}).status_code == 401
    assert none.status_code == 401 and wrong.status_code == 401
    assert none.headers["www-authenticate"].startswith("Bearer")
    assert set(none.json()) >= {"message", "statusCode", "requestId"}  # the documented 401 schema
    assert limited.status_code == 403


# ---- HTTP semantics -----------------------------------------------------------------------------


def test_literal_paths_win_and_405_lists_their_methods(shop: Any) -> None:
    with _client(shop, **TOKEN) as c:
        wrong = c.delete("/items/search")
        options = c.options("/items/search")
        head = c.head("/items")
        unknown = c.get("/nothing")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, HEAD, OPTIONS"
    assert options.status_code == 204 and options.headers["allow"] == "GET, HEAD, OPTIONS"
    assert head.status_code == 200 and head.content == b""
    assert unknown.status_code == 404 and set(unknown.json()) == {"message", "statusCode", "requestId"}


# ---- Prefer -------------------------------------------------------------------------------------


def test_prefer_picks_status_example_or_generated(shop: Any) -> None:
    uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    with _client(shop, **TOKEN) as c:
        not_found = c.get(f"/items/{uuid}", headers={"Prefer": "code=404"})
        named = c.get("/items", headers={"Prefer": "example=none"})
        dynamic = c.get("/items", headers={"Prefer": "dynamic=true"})
        missing = c.get("/items", headers={"Prefer": "example=nope"})
        undocumented = c.get("/items", headers={"Prefer": "code=418"})
    assert not_found.status_code == 404 and not_found.json()["statusCode"] == 404
    assert named.status_code == 200 and named.json() == []
    assert dynamic.status_code == 200 and dynamic.json() and dynamic.json()[0]["name"] not in ("Lamp", "Desk")
    assert missing.status_code == 404 and "two, none" in missing.json()["message"]
    assert undocumented.status_code == 422


# ---- stateful -----------------------------------------------------------------------------------


def test_stateful_resources_live_in_memory(make_sandbox: Callable[..., Any], shop_file: Path) -> None:
    handle = make_sandbox(spec=shop_file, rate_limit=None, stateful=True)
    with _client(handle, **TOKEN) as c:
        created = c.post("/items", json={"name": "Lamp", "price": 2})
        assert created.status_code == 201
        item_id = created.json()["id"]
        assert c.get(f"/items/{item_id}").json()["name"] == "Lamp"
        assert c.put(f"/items/{item_id}", json={"name": "Desk", "price": 5}).json()["name"] == "Desk"
        patched = c.patch(f"/items/{item_id}", json={"price": 7.5})
        assert patched.json()["price"] == 7.5 and patched.json()["name"] == "Desk"
        assert c.get(f"/items/{item_id}").json()["price"] == 7.5
        assert item_id in [item["id"] for item in c.get("/items").json()]
        assert c.delete(f"/items/{item_id}").status_code == 204
        gone = c.get(f"/items/{item_id}")
        assert gone.status_code == 404 and gone.json()["statusCode"] == 404
        assert c.delete(f"/items/{item_id}").status_code == 404
    plain = make_sandbox(spec=shop_file, rate_limit=None)
    with _client(plain, **TOKEN) as c:
        created = c.post("/items", json={"name": "Lamp", "price": 2})
        assert c.get(f"/items/{created.json()['id']}").status_code == 200  # stateless: always an answer


def load_spec_text(text: str) -> Any:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.yaml"
        path.write_text(text, encoding="utf-8")
        return load_spec(str(path))


def test_cli_stateful_flag(shop_file: Path) -> None:
    import re
    import signal
    import subprocess
    import sys

    command = [
        sys.executable,
        "-m",
        "labs_tui",
        "sandbox",
        "--port",
        "0",
        "--spec",
        str(shop_file),
        "--stateful",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "(stateful)" in first and "sandbox-token" in first
        found = re.search(r"http://127\.0\.0\.1:\d+/v1", first)
        assert found, first
        with httpx.Client(base_url=found.group(), headers=TOKEN) as c:
            created = c.post("/items", json={"name": "Lamp", "price": 2}).json()
            assert c.get(f"/items/{created['id']}").json()["name"] == "Lamp"
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_cli_help_documents_prefer_and_stateful() -> None:
    from click.testing import CliRunner

    from labs_tui.cli import main

    text = CliRunner().invoke(main, ["sandbox", "--help"]).output
    assert "--stateful" in text and "Prefer" in text and "dynamic=true" in text


def test_generation_is_bounded_on_hostile_schemas(tmp_path: Path) -> None:
    import time

    path = tmp_path / "hostile.yaml"
    path.write_text(
        """\
openapi: 3.1.0
info: {title: Hostile, version: "1"}
paths: {}
components:
  schemas:
    Huge: {type: string, pattern: "^(a{1000000}){1000000}$"}
    Deep: {type: object, required: [next], properties: {next: {$ref: "#/components/schemas/Deep"}}}
    Wide: {type: object, minProperties: 100000, additionalProperties: {type: integer}}
""",
        encoding="utf-8",
    )
    spec = load_spec(str(path))
    checker = Checker(spec)
    started = time.monotonic()
    for name in ("Huge", "Deep", "Wide"):
        value = generate(checker, {"$ref": f"#/components/schemas/{name}"}, "response")
        assert len(json.dumps(value)) < 5_000_000
    assert time.monotonic() - started < 10


def test_a_copy_of_the_labs_spec_in_spec_mode_answers_in_the_labs_error_model(
    make_sandbox: Callable[..., Any], tmp_path: Path
) -> None:
    copy = tmp_path / "labs.yaml"
    copy.write_text(Path(BUNDLED_SPEC).read_text(encoding="utf-8"), encoding="utf-8")
    handle = make_sandbox(spec=copy, rate_limit=None)
    assert handle.mode == "spec"
    with _client(handle) as c:
        missing = c.get("/examples/demo")
        limited = c.get("/examples/demo", headers={"Authorization": "Bearer sandbox-limited-token"})
        ok = c.get("/examples/demo", headers=TOKEN)
    assert missing.status_code == 401 and limited.status_code == 403
    for response in (missing, limited):
        body = response.json()
        assert (
            body["statusCode"] == response.status_code
            and body["requestId"] == response.headers["x-request-id"]
        )
        assert "fieldErrors" not in body  # only validation errors carry them
    assert ok.status_code == 200


def test_undeclared_scheme_reads_as_bearer(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(
        spec=DATA / "params.yaml", rate_limit=None
    )  # security: [{bearer: [admin]}], no schemes
    with _client(handle) as c:
        assert c.delete("/users/7").status_code == 401
        assert c.delete("/users/7", headers=TOKEN).status_code == 204


def test_stateful_ids_fit_every_item_operation(make_sandbox: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "orders.yaml"
    path.write_text(
        """\
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}}
  /orders/{orderId}:
    delete:
      parameters: [{name: orderId, in: path, required: true, schema: {type: integer, minimum: 1}}]
      responses: {"204": {description: gone}, "404": {description: none}}
    get:
      parameters: [{name: orderId, in: path, required: true, schema: {type: integer, minimum: 1, maximum: 10}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}, "404": {description: none}}
components:
  schemas:
    Order: {type: object, properties: {id: {type: integer}, item: {type: string}}}
""",
        encoding="utf-8",
    )
    handle = make_sandbox(spec=path, rate_limit=None, stateful=True)
    with _client(handle) as c:
        fillers = [c.post("/orders", json={"item": "filler"}).json()["id"] for _ in range(8)]
        chosen = c.post("/orders", json={"id": 0, "item": "cup"}).json()["id"]  # 0 is no valid orderId
        kept = c.post("/orders", json={"id": 10, "item": "pen"}).json()["id"]
        assert fillers == list(range(1, 9))
        assert chosen == 9 and kept == 10  # within GET's maximum, not only DELETE's minimum
        full = c.post("/orders", json={"id": 11, "item": "mug"}).json()["id"]
        assert full == 1  # every valid id taken: the oldest record makes room
        assert c.get("/orders/1").json()["item"] == "mug"
        assert c.get(f"/orders/{chosen}").json()["item"] == "cup"
