"""The parts split out of the spec sandbox, tested directly: stateful mode answers with data (the
app makes the replies), the head's framing, and the value builder for schemas without a ``type``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labs_tui.sandbox.app import SandboxRequest
from labs_tui.sandbox.framing import _body_plan
from labs_tui.sandbox.generate import _Builder
from labs_tui.sandbox.spec_state import StatefulMode, Stored
from labs_tui.sandbox.validate import Checker
from labs_tui.spec import Spec, load_spec

PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {
            "get": {"responses": {"200": {"description": "all", "content": {"application/json": {
                "schema": {"type": "array", "items": PET}}}}}},
            "post": {"responses": {"201": {"description": "made", "content": {"application/json": {
                "schema": PET}}}}},
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"responses": {"200": {"description": "one", "content": {"application/json": {
                "schema": PET}}}}},
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
    },
}  # fmt: skip


@pytest.fixture
def spec(tmp_path: Path) -> Spec:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(DOCUMENT))
    return load_spec(path, use_cache=False)


def _op(spec: Spec, method: str, path: str) -> Any:
    return next(op for op in spec.operations if op.method == method and op.path == path)


def test_stateful_mode_answers_with_data(spec: Spec) -> None:
    mode = StatefulMode(spec, Checker(spec))
    post = _op(spec, "POST", "/pets")
    assert mode.serves(post)

    made = mode.answer(post, SandboxRequest("POST", "/pets", body=b'{"name": "Rex"}'), {})
    assert made is not None and made.missing == ""
    assert made.value["name"] == "Rex" and isinstance(made.value["id"], int)
    key = str(made.value["id"])

    read = mode.answer(
        _op(spec, "GET", "/pets/{petId}"), SandboxRequest("GET", f"/pets/{key}"), {"petId": key}
    )
    assert read == Stored(made.value)
    listed = mode.answer(_op(spec, "GET", "/pets"), SandboxRequest("GET", "/pets"), {})
    assert listed == Stored([made.value])

    delete = _op(spec, "DELETE", "/pets/{petId}")
    assert mode.answer(delete, SandboxRequest("DELETE", f"/pets/{key}"), {"petId": key}) is None
    gone = mode.answer(
        _op(spec, "GET", "/pets/{petId}"), SandboxRequest("GET", f"/pets/{key}"), {"petId": key}
    )
    assert gone is not None and gone.missing == f"No pets with petId '{key}'."


def test_stateful_mode_leaves_an_empty_list_to_the_documented_answer(spec: Spec) -> None:
    mode = StatefulMode(spec, Checker(spec))
    assert mode.answer(_op(spec, "GET", "/pets"), SandboxRequest("GET", "/pets"), {}) is None


@pytest.mark.parametrize(
    ("headers", "kind", "status"),
    [
        (b"Content-Length: 3\r\n", "length", 0),
        (b"Transfer-Encoding: chunked\r\n", "chunked", 0),
        (b"", "none", 0),
        (b"X-A: 1\r\n folded\r\n", "problem", 400),
        (b"Bad Name: 1\r\n", "problem", 400),
        (b"Transfer-Encoding: gzip\r\n", "problem", 501),
        (b"Content-Length: 3\r\nContent-Length: 3\r\n", "problem", 400),
    ],
)
def test_body_plan_reads_the_framing_headers(headers: bytes, kind: str, status: int) -> None:
    plan = _body_plan(b"POST /x HTTP/1.1\r\nHost: a\r\n" + headers + b"\r\n")
    assert (plan.kind, plan.status) == (kind, status)


def test_body_plan_expects_continue_only_for_a_body() -> None:
    head = b"POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
    assert _body_plan(head % 3).expect_continue is True
    assert _body_plan(head % 0).expect_continue is False


@pytest.mark.parametrize(
    ("schema", "check"),
    [
        ({"properties": {"a": {"type": "string"}}, "required": ["a"]}, lambda v: v == {"a": "string"}),
        ({"items": {"type": "integer"}}, lambda v: isinstance(v, list)),
        ({"pattern": "^ab+$"}, lambda v: isinstance(v, str) and v.startswith("ab")),
        ({"minimum": 3}, lambda v: isinstance(v, int | float) and v >= 3),
        ({"enum": [None, "x"]}, lambda v: v == "x"),
        ({"enum": [None]}, lambda v: v is None),
        ({}, lambda v: v == {}),
    ],
)
def test_builder_infers_the_kind_of_an_untyped_schema(spec: Spec, schema: dict[str, Any], check: Any) -> None:
    assert check(_Builder(Checker(spec), "response").build(schema, 0, ()))
