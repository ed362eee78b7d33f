"""The spec's schema checker: the right dialect per OpenAPI version, problems as JSON pointers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labs_tui.spec import Spec, load_spec
from labs_tui.spec.validate import SchemaChecker, SchemaProblem, pointer


def spec_of(version: str, schemas: dict[str, Any], folder: Path) -> Spec:
    document = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": schemas}
    where = folder / f"spec-{version}.json"
    where.write_text(json.dumps(document), encoding="utf-8")
    return load_spec(str(where))


THING = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "note": {"type": "string", "nullable": True},
        "secret": {"type": "string", "writeOnly": True},
        "a/b": {"type": "integer"},
    },
}


def test_problems_point_at_the_value(tmp_path: Path) -> None:
    checker = SchemaChecker(spec_of("3.0.3", {"Thing": THING}, tmp_path))
    schema = {"$ref": "#/components/schemas/Thing"}
    assert checker.problems(schema, {"name": "x", "a/b": 1}) == []
    found = checker.problems(schema, {"name": 3, "a/b": "no"})
    assert {problem.path for problem in found} == {"/name", "/a~1b"}
    assert checker.problems(schema, {}) == [SchemaProblem("", "'name' is a required property")]


def test_openapi_30_reads_nullable_and_direction(tmp_path: Path) -> None:
    checker = SchemaChecker(spec_of("3.0.3", {"Thing": THING}, tmp_path))
    schema = {"$ref": "#/components/schemas/Thing"}
    assert checker.valid(schema, {"name": "x", "note": None})
    assert not checker.valid(schema, {"name": "x", "secret": "s"}, "response")
    assert checker.valid(schema, {"name": "x", "secret": "s"}, "request")


def test_openapi_31_is_json_schema_2020_12(tmp_path: Path) -> None:
    checker = SchemaChecker(spec_of("3.1.0", {}, tmp_path))
    assert checker.valid({"type": ["string", "null"]}, None)
    assert not checker.valid({"type": "string", "nullable": True}, None)  # nullable is not 3.1
    assert not checker.valid({"prefixItems": [{"type": "integer"}]}, ["x"])


def test_no_schema_or_an_unjudgeable_one_accepts(tmp_path: Path) -> None:
    checker = SchemaChecker(spec_of("3.0.3", {}, tmp_path))
    assert checker.problems({}, 1) == [] and checker.problems(None, 1) == []
    assert checker.problems({"$ref": "other.yaml#/X"}, 1) == []
    assert checker.problems(False, 1)[0].path == ""


def test_pointer_escapes() -> None:
    assert pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"
    assert pointer([]) == ""


def test_a_spec_declares_a_version_header_only_when_it_pins(tmp_path: Path) -> None:
    assert load_spec().declares_version_header()  # the bundled Labs spec
    assert not spec_of("3.0.3", {}, tmp_path).declares_version_header()
