"""The core describe model (``labs_tui.spec.describe``) and ``labs-tui describe``, which renders it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.spec import Spec, load_spec
from labs_tui.spec.describe import SchemaNode, describe, schema_node

LONG = "A description that goes on " + "and on " * 40 + "until the very end."


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "description": "the bottom"}
    for level in range(levels, 0, -1):
        node = {"type": "object", "properties": {f"level{level}": node}}
    return node


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Describe", "version": "1"},
    "security": [{"bearer": []}],
    "paths": {
        "/things/{id}": {
            "post": {
                "operationId": "makeThing",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "description": LONG,
                        "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 99},
                        "example": 7,
                    },
                    {
                        "name": "order",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "string", "enum": ["asc", "desc"], "default": "asc"},
                    },
                    {"name": "code", "in": "query", "schema": {"type": "string", "pattern": "^[A-Z]{3}$"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                        "application/x-www-form-urlencoded": {
                            "schema": {"type": "object", "properties": {"name": {"type": "string"}}}
                        },
                    },
                },
                "responses": {
                    "201": {
                        "description": "made",
                        "headers": {"Location": {"description": "where it is", "schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "default": {
                        "description": "an error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}},
                    },
                },
            }
        }
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
            "Thing": {
                "type": "object",
                "description": LONG,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 40, "example": "box"},
                    "parent": {"$ref": "#/components/schemas/Thing"},
                    "shape": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Circle"},
                            {"type": "string", "nullable": True},
                        ]
                    },
                    "broken": {"$ref": "#/components/schemas/Missing"},
                    "deep": _deep(7),
                },
            },
            "Circle": {"type": "object", "properties": {"radius": {"type": "number", "minimum": 0}}},
        },
    },
}


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "describe.yaml"
    path.write_text(yaml.safe_dump(DOCUMENT, sort_keys=False))
    return path


@pytest.fixture
def spec(spec_file: Path) -> Spec:
    return load_spec(str(spec_file))


def _child(node: SchemaNode, label: str) -> SchemaNode:
    for child in node.children:
        if child.label == label:
            return child.node
    raise AssertionError(f"no {label!r} in {[c.label for c in node.children]}")


def test_parameters_carry_type_constraints_enum_default_example_and_deprecation(spec: Spec) -> None:
    operation = spec.find("makeThing")
    assert operation is not None
    doc = describe(spec, operation)
    ident, order, code = doc.parameters
    assert (ident.name, ident.location, ident.required) == ("id", "path", True)
    assert ident.type_text == "integer (int64)"
    assert ident.node.constraints == (("minimum", 1), ("maximum", 99))
    assert ident.has_example and ident.example == 7
    assert ident.description == LONG  # whole, never cut
    assert order.deprecated and order.node.enum == ("asc", "desc") and order.node.default == "asc"
    assert order.node.facts() == ['one of "asc", "desc"', 'default "asc"']
    assert code.node.constraints == (("pattern", "^[A-Z]{3}$"),)
    assert doc.security is not None and doc.security_inherited
    assert doc.security[0].schemes == (("bearer", "http bearer (JWT)", ()),)


def test_bodies_and_responses_per_media_type_with_outlines_cycles_broken_refs_and_variants(
    spec: Spec,
) -> None:
    operation = spec.find("makeThing")
    assert operation is not None
    doc = describe(spec, operation)
    assert doc.request_body is not None and doc.request_body.required
    json_body, form = doc.request_body.content
    assert (json_body.media_type, form.media_type) == (
        "application/json",
        "application/x-www-form-urlencoded",
    )
    assert json_body.example["name"] == "box" and not json_body.example_given
    thing = json_body.node
    assert thing.name == "Thing" and thing.description == LONG
    assert [(c.label, c.required) for c in thing.children][:2] == [("name", True), ("parent", False)]
    assert _child(thing, "name").constraints == (("minLength", 1), ("maxLength", 40))
    assert _child(thing, "parent").cycle and _child(thing, "parent").name == "Thing"
    broken = _child(thing, "broken")
    assert broken.broken and broken.ref == "#/components/schemas/Missing"
    shape = _child(thing, "shape")
    assert [c.label for c in shape.children] == ["oneOf 1", "oneOf 2"]
    assert _child(shape, "oneOf 1").name == "Circle"
    assert _child(shape, "oneOf 2").type_text == "string | null"
    created, default = doc.responses
    assert created.headers[0].name == "Location" and created.headers[0].node.type_text == "string"
    assert default.content[0].node.broken


def test_nesting_of_any_depth_is_there_on_demand(spec: Spec) -> None:
    operation = spec.find("makeThing")
    assert operation is not None
    node = _child(describe(spec, operation).request_body.content[0].node, "deep")  # type: ignore[union-attr]
    shallow = list(node.walk(4))
    assert [level for level, _ in shallow] == [1, 2, 3, 4]
    fourth = shallow[-1][1].node
    assert fourth.children  # the fifth level is built when asked for
    full = list(node.walk())
    assert len(full) == 7 and full[-1][1].node.description == "the bottom"


def test_schema_node_alone_gives_the_builders_type_and_hint() -> None:
    node = schema_node({"type": ["null", "integer"], "format": "int32", "enum": [1, 2], "default": 1})
    assert node.value_type == "integer"
    assert node.hint() == "integer (int32) · enum: 1, 2 · default: 1"
    assert schema_node({}).value_type == "string"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def test_cli_describe_renders_the_model_whole(spec_file: Path) -> None:
    code, out = _run("describe", "makeThing", "--spec", str(spec_file))
    assert code == 0
    assert LONG in out  # descriptions are never cut
    assert "id (path, required) integer (int64)  [minimum 1; maximum 99]  (example 7)" in out
    assert 'order (query, optional, deprecated) string  [one of "asc", "desc"; default "asc"]' in out
    assert "application/x-www-form-urlencoded" in out
    assert "parent: Thing (cycle: refers back to itself, not expanded)" in out
    assert "broken: (broken $ref #/components/schemas/Missing)" in out
    assert "oneOf 1: Circle object" in out and "oneOf 2: string | null" in out
    assert "header Location: string  - where it is" in out
    assert "auth (the spec's default): bearer (http bearer (JWT))" in out
    assert "level7: string  - the bottom" in out
    code, shallow = _run("describe", "makeThing", "--spec", str(spec_file), "--depth", "3")
    assert code == 0 and "level7:" not in shallow and "nested, deeper than --depth 3" in shallow


def test_cli_describe_json_keeps_its_keys_and_adds_the_model_facts(spec_file: Path) -> None:
    code, out = _run("describe", "makeThing", "--spec", str(spec_file), "--json")
    assert code == 0
    described = json.loads(out)
    assert {
        "method",
        "path",
        "operationId",
        "parameters",
        "requestBody",
        "responses",
        "security",
        "problems",
    } <= set(described)
    ident = described["parameters"][0]
    assert {"name", "in", "required", "description", "deprecated", "schema"} <= set(ident)
    assert ident["type"] == "integer (int64)" and ident["format"] == "int64"
    assert ident["constraints"] == {"minimum": 1, "maximum": 99}
    assert ident["example"] == 7 and ident["description"] == LONG
    assert described["parameters"][1]["enum"] == ["asc", "desc"]
    assert described["parameters"][1]["default"] == "asc"
