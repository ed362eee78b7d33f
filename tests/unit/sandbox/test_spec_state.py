"""Stateful spec mode's ids and records, tested on ``StatefulMode`` directly and on a real sandbox.

A created item gets a fresh id the server assigns (uuid4 for ``format: uuid``, the next integer for
integer ids, a unique string otherwise), found through ``$ref`` and ``allOf``; an id the client may
set is kept; a GET by the id returns what the client sent plus the id (generated values only for
required properties it lacked and for readOnly ones); an id never created is a 404.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from labs_tui.sandbox.app import SandboxRequest
from labs_tui.sandbox.spec_state import StatefulMode
from labs_tui.sandbox.validate import Checker
from labs_tui.spec import Spec, load_spec

THIRD_PARTY = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party"
TOKENS = {"Authorization": "Bearer sandbox-token", "api_key": "sandbox-token"}


def _document(item: dict[str, Any], param: dict[str, Any], *, post_answer: bool = True) -> dict[str, Any]:
    """A collection (POST, GET) and its item path (GET, PUT, PATCH, DELETE) over the schema ``Thing``."""
    ref = {"$ref": "#/components/schemas/Thing"}
    wrapped = {"allOf": [ref, {"properties": {"links": {"type": "object"}}}]}  # as Train Travel does
    json_body = {"content": {"application/json": {"schema": ref}}}
    ok = {"description": "ok", "content": {"application/json": {"schema": wrapped}}}
    post_responses = {"201": ok} if post_answer else {"405": {"description": "invalid"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "post": {"requestBody": json_body, "responses": post_responses},
                "get": {"responses": {"200": {"description": "all", "content": {"application/json": {
                    "schema": {"type": "array", "items": wrapped}}}}}},
            },
            "/things/{thingId}": {
                "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": param}],
                "get": {"responses": {"200": ok, "404": {"description": "none"}}},
                "put": {"requestBody": json_body, "responses": {"200": ok}},
                "patch": {"requestBody": json_body, "responses": {"200": ok}},
                "delete": {"responses": {"204": {"description": "gone"}}},
            },
        },
        "components": {"schemas": {"Thing": item}},
    }  # fmt: skip


def _thing(id_schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    props = {
        "id": id_schema,
        "name": {"type": "string", "examples": ["generated name"]},
        "colour": {"type": "string", "examples": ["generated colour"]},
        "size": {"type": "integer", "examples": [99]},
    }
    return {"type": "object", "properties": {**props, **extra.pop("properties", {})}, **extra}


FIXED_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"  # what a generator gives for format: uuid
UUID_ID = {"type": "string", "format": "uuid", "readOnly": True, "examples": [FIXED_UUID]}
INT_ID = {"type": "integer", "readOnly": True, "example": 25, "default": 40}


def _spec(tmp_path: Path, document: dict[str, Any]) -> Spec:
    path = tmp_path / "things.json"
    path.write_text(json.dumps(document))
    return load_spec(path, use_cache=False)


class Driver:
    """Sends requests to a ``StatefulMode`` as the app would, answering (status-less) values."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.mode = StatefulMode(spec, Checker(spec))

    def _op(self, method: str, path: str) -> Any:
        return next(op for op in self.spec.operations if op.method == method and op.path == path)

    def post(self, body: dict[str, Any]) -> Any:
        request = SandboxRequest(
            "POST", "/things", headers=[("Content-Type", "application/json")], body=json.dumps(body).encode()
        )
        stored = self.mode.answer(self._op("POST", "/things"), request, {})
        assert stored is not None and not stored.missing
        return stored.value

    def item(self, method: str, key: Any, body: dict[str, Any] | None = None) -> Any:
        raw = json.dumps(body).encode() if body is not None else b""
        headers = [("Content-Type", "application/json")] if body is not None else []
        request = SandboxRequest(method, f"/things/{key}", headers=headers, body=raw)
        return self.mode.answer(self._op(method, "/things/{thingId}"), request, {"thingId": str(key)})


def test_uuid_ids_are_fresh_uuid4s_found_through_allof(tmp_path: Path) -> None:
    things = Driver(_spec(tmp_path, _document(_thing(UUID_ID), {"type": "string", "format": "uuid"})))
    first = things.post({"name": "A"})
    second = things.post({"name": "B"})
    assert first["id"] != second["id"]
    assert uuid.UUID(first["id"]).version == 4 and uuid.UUID(second["id"]).version == 4
    assert first["id"] != FIXED_UUID  # not the schema's example
    assert first == {"id": first["id"], "name": "A"}  # what was sent plus the id, nothing generated
    assert things.item("GET", first["id"]).value == first
    assert things.item("GET", second["id"]).value == second
    never = things.item("GET", str(uuid.uuid4()))
    assert never is not None and never.missing.startswith("No things with thingId")


def test_integer_ids_count_up_and_a_post_without_an_answer_schema_still_stores(tmp_path: Path) -> None:
    document = _document(_thing(INT_ID, required=["name"]), {"type": "integer"}, post_answer=False)
    things = Driver(_spec(tmp_path, document))  # like Petstore's POST /pet: no success response documented
    things.post({"name": "A"})
    things.post({"name": "B", "colour": "red"})
    assert things.item("GET", 1).value == {"id": 1, "name": "A"}  # not the example's 25, no extra fields
    assert things.item("GET", 2).value == {"id": 2, "name": "B", "colour": "red"}
    assert things.item("GET", 3).missing


def test_string_ids_are_unique(tmp_path: Path) -> None:
    things = Driver(
        _spec(tmp_path, _document(_thing({"type": "string", "readOnly": True}), {"type": "string"}))
    )
    ids = [things.post({"name": n})["id"] for n in "ABC"]
    assert len(set(ids)) == 3 and all(isinstance(i, str) for i in ids)
    assert [things.item("GET", i).value["name"] for i in ids] == ["A", "B", "C"]


def test_an_id_the_client_may_set_is_kept_and_a_read_only_one_is_not(tmp_path: Path) -> None:
    settable = Driver(_spec(tmp_path, _document(_thing({"type": "integer"}), {"type": "integer"})))
    assert settable.post({"id": 42, "name": "A"}) == {"id": 42, "name": "A"}
    assert settable.item("GET", 42).value == {"id": 42, "name": "A"}
    assert settable.post({"name": "B"})["id"] == 1

    read_only = Driver(_spec(tmp_path, _document(_thing(INT_ID), {"type": "integer"})))
    made = read_only.post({"id": 42, "name": "A"})
    assert made == {"id": 1, "name": "A"}
    assert read_only.item("GET", 42).missing


def test_integer_ids_count_on_past_client_ids_and_never_reuse_a_deleted_one(tmp_path: Path) -> None:
    things = Driver(_spec(tmp_path, _document(_thing({"type": "integer"}), {"type": "integer"})))
    assert [things.post({"name": n})["id"] for n in "ABC"] == [1, 2, 3]
    assert things.item("DELETE", 2) is None
    assert things.post({"id": 4, "name": "D"})["id"] == 4
    assert [things.post({"name": n})["id"] for n in "EF"] == [5, 6]
    assert things.item("GET", 2).missing


def test_only_required_and_read_only_properties_are_generated(tmp_path: Path) -> None:
    item = _thing(
        UUID_ID,
        required=["id", "name", "size"],
        properties={
            "created": {"type": "string", "format": "date-time", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
        },
    )
    things = Driver(_spec(tmp_path, _document(item, {"type": "string", "format": "uuid"})))
    made = things.post({"name": "A", "secret": "s3"})
    assert set(made) == {"id", "name", "size", "created"}  # size required, created readOnly; no secret
    assert made["name"] == "A" and made["size"] == 99
    assert things.item("GET", made["id"]).value == made


def test_put_and_patch_keep_the_id_and_server_owned_values(tmp_path: Path) -> None:
    item = _thing(INT_ID, properties={"created": {"type": "string", "format": "date-time", "readOnly": True}})
    things = Driver(_spec(tmp_path, _document(item, {"type": "integer"})))
    made = things.post({"name": "A"})
    replaced = things.item("PUT", 1, {"name": "B"}).value
    assert replaced == {"id": 1, "name": "B", "created": made["created"]}
    patched = things.item("PATCH", 1, {"colour": "red"}).value
    assert patched == {**replaced, "colour": "red"}
    assert things.item("GET", 1).value == patched
    assert things.item("DELETE", 1) is None and things.item("GET", 1).missing


def test_the_real_sandbox_keeps_two_train_travel_bookings_apart(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(spec=THIRD_PARTY / "train-travel-3.1.json", rate_limit=None, stateful=True)
    sent: list[dict[str, Any]] = [
        {"trip_id": "4f4e4e10-c824-4d63-b37a-d8d698862f1d", "passenger_name": "A"},
        {"trip_id": "4f4e4e10-c824-4d63-b37a-d8d698862f1d", "passenger_name": "B", "has_dog": True},
    ]
    with httpx.Client(base_url=handle.base_url, headers=TOKENS, timeout=10) as c:
        created = [c.post("/bookings", json=body) for body in sent]
        assert [r.status_code for r in created] == [201, 201]
        ids = [r.json()["id"] for r in created]
        assert ids[0] != ids[1] and all(uuid.UUID(i).version == 4 for i in ids)
        for booking_id, body, answer in zip(ids, sent, created, strict=True):
            read = c.get(f"/bookings/{booking_id}")
            assert read.status_code == 200
            assert read.json() == answer.json() == {"id": booking_id, **body}
        never = c.get(f"/bookings/{uuid.uuid4()}")
        assert never.status_code == 404
        assert never.headers["content-type"].startswith("application/problem+json")  # as documented


def test_the_real_sandbox_reads_back_a_petstore_pet_exactly(make_sandbox: Callable[..., Any]) -> None:
    handle = make_sandbox(spec=THIRD_PARTY / "petstore-3.0.json", rate_limit=None, stateful=True)
    assert handle.base_url.endswith("/v2")
    with httpx.Client(base_url=handle.base_url, headers=TOKENS, timeout=10) as c:
        assert c.post("/pet", json={"name": "A", "photoUrls": []}).status_code == 200  # no body documented
        xml = b"<Pet><name>B</name><photoUrls><photoUrl>u</photoUrl></photoUrls></Pet>"
        assert c.post("/pet", content=xml, headers={"Content-Type": "application/xml"}).status_code == 200
        assert c.get("/pet/1").json() == {"id": 1, "name": "A", "photoUrls": []}
        assert c.get("/pet/2").json() == {"id": 2, "name": "B", "photoUrls": ["u"]}
        assert c.get("/pet/3").status_code == 404


def test_cli_call_creates_two_bookings_and_reads_each_back(make_sandbox: Callable[..., Any]) -> None:
    from click.testing import CliRunner

    from labs_tui.cli import main

    spec = str(THIRD_PARTY / "train-travel-3.1.json")
    handle = make_sandbox(spec=spec, rate_limit=None, stateful=True)
    common = ["--spec", spec, "--base-url", handle.base_url, "--json"]

    def call(*args: str) -> dict[str, Any]:
        result = CliRunner().invoke(main, ["call", *args, *common], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.stdout))

    sent = [{"trip_id": "4f4e4e10-c824-4d63-b37a-d8d698862f1d", "passenger_name": n} for n in "AB"]
    made = [call("POST", "create-booking", "-d", json.dumps(body))["body"] for body in sent]
    assert made[0]["id"] != made[1]["id"]
    for answer, body in zip(made, sent, strict=True):
        read = call("GET", "get-booking", "-p", f"bookingId={answer['id']}")
        assert read["status"] == 200 and read["body"] == {"id": answer["id"], **body}
