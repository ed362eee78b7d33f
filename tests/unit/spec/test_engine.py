"""Spec lookups and example values: find, match, allowed methods, filter, resolve, example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from labs_tui.spec import Operation, Spec, load_spec
from labs_tui.spec.examples import MAX_DEPTH
from labs_tui.spec.refs import Resolver, refs_in_text, walk_pointer


@pytest.fixture
def params_spec(corpus: Path) -> Spec:
    return load_spec(str(corpus / "params.yaml"))


def test_find_by_operation_id_or_method_and_path(params_spec: Spec) -> None:
    assert params_spec.find("getMe") is params_spec.find("GET /users/me")
    assert params_spec.find("get /users/me/") is params_spec.find("getMe")
    assert params_spec.find("GETME") is params_spec.find("getMe")  # a unique case-insensitive id
    assert params_spec.find("POST /users/me") is None
    assert params_spec.find("") is None


def test_match_prefers_literal_segments_and_decodes_parameters(params_spec: Spec) -> None:
    found = params_spec.match("get", "/users/me")
    assert found is not None and found[0].operation_id == "getMe" and found[1] == {}
    found = params_spec.match("GET", "/users/a%2Fb?verbose=true")
    assert found is not None and found[0].operation_id == "getUser" and found[1] == {"id": "a/b"}
    found = params_spec.match("GET", "/files/report%20one.json")
    assert found is not None and found[1] == {"name": "report one"}
    # a concrete path wins over a templated one for every method: DELETE /users/me is not /users/{id}
    assert params_spec.match("DELETE", "/users/me") is None
    found = params_spec.match("DELETE", "/users/7")
    assert found is not None and found[0].operation_id == "deleteUser"
    assert params_spec.match("GET", "/users") is None
    assert params_spec.match("GET", "/users/1/extra") is None
    assert params_spec.match("PATCH", "/users/1") is None


def test_allowed_methods_for_a_405(params_spec: Spec) -> None:
    assert params_spec.allowed_methods("/users/7") == ("GET", "DELETE")
    assert params_spec.allowed_methods("/files/x.json") == ("GET",)
    assert params_spec.allowed_methods("/users/me") == ("GET",)
    assert params_spec.allowed_methods("/nowhere") == ()


def test_filter_matches_every_word_case_insensitively(params_spec: Spec) -> None:
    def ids(text: str) -> list[str]:
        return [op.operation_id for op in params_spec.filter(text)]

    assert ids("") == ["getUser", "deleteUser", "getMe", "getFile"]
    assert ids("ADMIN") == ["getUser", "deleteUser"]
    assert ids("delete admin") == ["deleteUser"]
    assert ids("caller") == ["getMe"]
    assert ids("files json") == ["getFile"]
    assert ids("zzz") == []


def test_a_hand_built_spec_gets_its_lookups_too() -> None:
    ops = (Operation(method="GET", path="/a/{x}", operation_id="getA"),)
    spec = Spec(source="test", operations=ops)
    assert spec.find("getA") is ops[0]
    assert spec.match("GET", "/a/1") == (ops[0], {"x": "1"})
    spec.operations = ()
    assert spec.find("getA") is None


def test_json_pointer_escapes() -> None:
    document = {"a/b": {"c~d": {"e f": 1}}, "list": [10, 20]}
    assert walk_pointer(document, "/a~1b/c~0d/e%20f") == 1
    assert walk_pointer(document, "/list/1") == 20
    assert walk_pointer(document, "") is document
    resolver = Resolver(document, "/nowhere/spec.yaml")
    problems: list[str] = []
    assert resolver.resolve({"$ref": "#/list/9"}, problems, "here") == {}
    assert problems == ["here: broken $ref '#/list/9': no item '9' in a list of 2"]


def test_ref_siblings_override_the_target() -> None:
    resolver = Resolver({"s": {"type": "string", "description": "old"}}, "/x.yaml")
    assert resolver.resolve({"$ref": "#/s", "description": "new"}) == {"type": "string", "description": "new"}


def test_refs_census_reads_json_and_yaml_forms() -> None:
    text = """{"$ref": "#/a~1b\\u0041"}, $ref: '#/it''s', {$ref: "#/x"}, - $ref: other.yaml#/y}
     "$ref" : "#/z" {"$ref":"#/q\\"x"}"""
    assert refs_in_text(text) == {"#/a~1bA", "#/it's", "#/x", "other.yaml#/y", "#/z", '#/q"x'}


@pytest.fixture
def examples_spec(corpus: Path) -> Spec:
    return load_spec(str(corpus / "examples.yaml"))


def schema(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_examples_merge_all_of_and_honour_formats_and_bounds(examples_spec: Spec) -> None:
    assert examples_spec.example(schema("Pet")) == {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "created": "2024-01-01T00:00:00Z",
        "name": "Rex",
        "kind": "dog",
        "age": 1,
        "weight": 0.5,
        "secret": "string",
        "email": "user@example.com",
        "nick": "string",
    }
    request = examples_spec.example(schema("Pet"), direction="request")
    assert "id" not in request and "secret" in request
    response = examples_spec.example(schema("Pet"), direction="response")
    assert "id" in response and "secret" not in response


def test_examples_of_choices_maps_and_lengths(examples_spec: Spec) -> None:
    assert examples_spec.example(schema("Choice")) == 3
    assert examples_spec.example(schema("Map")) == {"key": 0}
    assert examples_spec.example(schema("Short")) == "str"
    assert examples_spec.example({"type": "string", "minLength": 10}) == "stringxxxx"
    assert examples_spec.example({"type": "integer", "exclusiveMinimum": 5}) == 6
    assert examples_spec.example({"type": "integer", "minimum": 5, "exclusiveMinimum": True}) == 6
    assert examples_spec.example({"type": "string", "nullable": True}) == "string"
    assert examples_spec.example({"type": ["null"]}) is None
    assert examples_spec.example({"const": 7}) == 7
    assert examples_spec.example({"examples": ["first", "second"]}) == "first"
    assert examples_spec.example({}) is None
    assert examples_spec.example({"$ref": "#/components/schemas/Missing"}) is None


def test_example_depth_is_limited() -> None:
    nested: dict[str, Any] = {"type": "string"}
    for _ in range(MAX_DEPTH * 3):
        nested = {"type": "object", "properties": {"child": nested}}
    value = Spec(source="test").example(nested)
    depth = 0
    while isinstance(value, dict) and "child" in value:
        value = value["child"]
        depth += 1
    assert MAX_DEPTH - 1 <= depth <= MAX_DEPTH + 1
    assert value == {}


def test_example_work_is_bounded_on_wide_recursive_schemas() -> None:
    document = {
        "components": {
            "schemas": {
                "Wide": {
                    "type": "object",
                    "properties": {f"p{i}": {"$ref": f"#/components/schemas/W{i}"} for i in range(10)},
                },
                **{
                    f"W{i}": {
                        "type": "object",
                        "properties": {f"q{j}": {"$ref": f"#/components/schemas/W{j}"} for j in range(10)},
                    }
                    for i in range(10)
                },
            }
        }
    }
    spec = Spec(source="test", document=document)
    value = spec.example(schema("Wide"))

    def count(node: Any) -> int:
        return 1 + sum(count(v) for v in node.values()) if isinstance(node, dict) else 1

    assert count(value) < 20_000
