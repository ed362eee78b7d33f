"""The spec diff on hand-made pairs: one test per change kind, matching, $ref walks, cycles, renames."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from labs_tui.compare import RULES, SpecDiff, diff_specs
from labs_tui.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parents[3]


def load(tmp_path: Path, name: str, document: dict[str, Any]) -> Spec:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document))
    return load_spec(str(path), use_cache=False)


def api(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def ok(schema: dict[str, Any] | None = None, status: str = "200") -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok"}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return {status: response}


def one(op: dict[str, Any], path: str = "/things/{id}", method: str = "get") -> dict[str, Any]:
    return {path: {method: {"responses": ok(), **op}}}


def found(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, bool]]:
    result = diff_specs(load(tmp_path, "old", old), load(tmp_path, "new", new))
    return [(c.kind, c.where, c.breaking) for entry in result.changed for c in entry.changes]


def ID(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def Q(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, **extra}


# -- endpoints -------------------------------------------------------------------------------------


def test_added_and_removed_operations(tmp_path: Path) -> None:
    old = api({"/a": {"get": {"responses": ok()}, "delete": {"responses": ok()}}})
    new = api({"/a": {"get": {"responses": ok()}}, "/b": {"post": {"responses": ok()}}})
    result = diff_specs(load(tmp_path, "old", old), load(tmp_path, "new", new))
    assert result.to_json() == {
        "added": [{"method": "POST", "path": "/b"}],
        "removed": [{"method": "DELETE", "path": "/a"}],
        "changed": [],
    }
    assert result.breaking_count == 1


def test_path_parameter_names_are_normalised(tmp_path: Path) -> None:
    old = api({"/a/{id}": {"get": {"parameters": [ID("id")], "responses": ok()}}})
    new = api({"/a/{key}": {"get": {"parameters": [ID("key")], "responses": ok()}}})
    result = diff_specs(load(tmp_path, "old", old), load(tmp_path, "new", new))
    assert not result.added and not result.removed
    assert [(c.kind, c.where, c.before, c.after) for c in result.changed[0].changes] == [
        ("path-parameter-renamed", "path key", "id", "key")
    ]


def test_deprecation(tmp_path: Path) -> None:
    assert found(
        tmp_path, api(one({"parameters": [ID()]})), api(one({"parameters": [ID()], "deprecated": True}))
    ) == [("operation-deprecated", "operation", False)]


def test_security(tmp_path: Path) -> None:
    schemes = {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "K"},
        }
    }
    old = api(one({"parameters": [ID()]}), components=schemes, security=[{"bearer": []}])
    new = api(
        one({"parameters": [ID()], "security": [{"key": []}]}), components=schemes, security=[{"bearer": []}]
    )
    assert found(tmp_path, old, new) == [
        ("security-alternative-removed", "security", True),
        ("security-alternative-added", "security", False),
    ]
    open_old = api(one({"parameters": [ID()]}), components=schemes)
    assert found(tmp_path, open_old, old) == [
        ("security-alternative-removed", "security", True),
        ("security-alternative-added", "security", False),
    ]


# -- parameters ------------------------------------------------------------------------------------


def test_parameter_added_removed_and_required(tmp_path: Path) -> None:
    old = api(one({"parameters": [ID(), Q("a"), Q("b"), Q("c", required=True)]}))
    new = api(one({"parameters": [ID(), Q("b", required=True), Q("c"), Q("d"), Q("e", required=True)]}))
    assert sorted(found(tmp_path, old, new)) == sorted(
        [
            ("parameter-removed", "query a", True),
            ("parameter-became-required", "query b", True),
            ("parameter-became-optional", "query c", False),
            ("parameter-added", "query d", False),
            ("parameter-added-required", "query e", True),
        ]
    )


def test_parameter_location_type_and_enum(tmp_path: Path) -> None:
    old = api(
        one({"parameters": [ID(), Q("moved"), Q("n"), Q("e", schema={"type": "string", "enum": ["x", "y"]})]})
    )
    header = {"name": "moved", "in": "header", "schema": {"type": "string"}}
    new = api(
        one(
            {
                "parameters": [
                    ID(),
                    header,
                    Q("n", schema={"type": "integer"}),
                    Q("e", schema={"type": "string", "enum": ["y", "z"]}),
                ]
            }
        )
    )
    assert sorted(found(tmp_path, old, new)) == sorted(
        [
            ("parameter-location-changed", "query moved", True),
            ("parameter-type-changed", "query n", True),
            ("parameter-enum-narrowed", "query e", True),
            ("parameter-enum-widened", "query e", False),
        ]
    )


def test_parameter_deprecated(tmp_path: Path) -> None:
    old = api(one({"parameters": [ID(), Q("a")]}))
    new = api(one({"parameters": [ID(), Q("a", deprecated=True)]}))
    assert found(tmp_path, old, new) == [("parameter-deprecated", "query a", False)]


# -- request bodies --------------------------------------------------------------------------------


def body(schema: dict[str, Any], required: bool = False, media: str = "application/json") -> dict[str, Any]:
    return {"requestBody": {"required": required, "content": {media: {"schema": schema}}}}


OBJ = {"type": "object", "properties": {"name": {"type": "string"}}}


def test_request_body_added_removed_required_media(tmp_path: Path) -> None:
    bare = api(one({"parameters": [ID()]}, method="post"))
    with_body = api(one({"parameters": [ID()], **body(OBJ)}, method="post"))
    required = api(one({"parameters": [ID()], **body(OBJ, required=True)}, method="post"))
    other_media = api(one({"parameters": [ID()], **body(OBJ, media="text/plain")}, method="post"))
    assert found(tmp_path, bare, with_body) == [("request-body-added", "request", False)]
    assert found(tmp_path, bare, required) == [("request-body-added-required", "request", True)]
    assert found(tmp_path, with_body, bare) == [("request-body-removed", "request", True)]
    assert found(tmp_path, with_body, required) == [("request-body-became-required", "request", True)]
    assert found(tmp_path, required, with_body) == [("request-body-became-optional", "request", False)]
    assert found(tmp_path, with_body, other_media) == [
        ("request-media-type-removed", "request application/json", True),
        ("request-media-type-added", "request text/plain", False),
    ]


def test_request_schema_properties(tmp_path: Path) -> None:
    old_schema = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "gone": {"type": "integer"}},
    }
    new_schema = {
        "type": "object",
        "required": ["b", "must"],
        "properties": {
            "a": {"type": "string", "maxLength": 10},
            "b": {"type": "string"},
            "must": {"type": "boolean"},
            "may": {"type": "object"},
        },
    }
    old = api(one({"parameters": [ID()], **body(old_schema)}, method="post"))
    new = api(one({"parameters": [ID()], **body(new_schema)}, method="post"))
    assert sorted(found(tmp_path, old, new)) == sorted(
        [
            ("request-constraint-tightened", "request application/json /a", True),
            ("request-property-became-optional", "request application/json /a", False),
            ("request-property-became-required", "request application/json /b", True),
            ("request-property-removed", "request application/json /gone", False),
            ("request-property-added-required", "request application/json /must", True),
            ("request-property-added", "request application/json /may", False),
        ]
    )
    assert sorted(found(tmp_path, new, old))[0] == (
        "request-constraint-relaxed",
        "request application/json /a",
        False,
    )


def test_variants(tmp_path: Path) -> None:
    old = api(
        one(
            {"parameters": [ID()], **body({"oneOf": [{"type": "string"}, {"type": "integer"}]})},
            method="post",
        )
    )
    new = api(one({"parameters": [ID()], **body({"oneOf": [{"type": "string"}]})}, method="post"))
    assert found(tmp_path, old, new) == [
        ("request-variant-removed", "request application/json /oneOf/1", True)
    ]
    assert found(tmp_path, new, old) == [
        ("request-variant-added", "request application/json /oneOf/1", False)
    ]


# -- responses -------------------------------------------------------------------------------------


def test_response_statuses(tmp_path: Path) -> None:
    old = api(one({"parameters": [ID()], "responses": {**ok(), **ok(status="404")}}))
    new = api(one({"parameters": [ID()], "responses": ok(status="201")}))
    assert found(tmp_path, old, new) == [
        ("response-success-status-removed", "200", True),
        ("response-status-removed", "404", False),
        ("response-status-added", "201", False),
    ]


def test_response_headers_and_media(tmp_path: Path) -> None:
    def response(headers: dict[str, Any], media: str) -> dict[str, Any]:
        return {
            "200": {
                "description": "ok",
                "headers": headers,
                "content": {media: {"schema": {"type": "string"}}},
            }
        }

    h = {"schema": {"type": "string"}}
    old = api(
        one(
            {
                "parameters": [ID()],
                "responses": response({"X-A": h, "X-B": {**h, "required": True}}, "application/json"),
            }
        )
    )
    new = api(
        one(
            {
                "parameters": [ID()],
                "responses": response({"X-B": h, "X-C": {"schema": {"type": "integer"}}}, "text/csv"),
            }
        )
    )
    assert found(tmp_path, old, new) == [
        ("response-header-removed", "200 header X-A", True),
        ("response-header-became-optional", "200 header X-B", True),
        ("response-media-type-removed", "200 application/json", True),
        ("response-header-added", "200 header X-C", False),
        ("response-media-type-added", "200 text/csv", False),
    ]


def test_response_schema_through_refs_with_property_paths(tmp_path: Path) -> None:
    def doc(item: dict[str, Any]) -> dict[str, Any]:
        schema = {
            "type": "object",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
        }
        return api(
            one({"parameters": [ID()], "responses": ok(schema)}), components={"schemas": {"Item": item}}
        )

    old = doc(
        {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": ["a"]},
                "n": {"type": "integer"},
            },
        }
    )
    new = doc(
        {
            "type": "object",
            "properties": {
                "proofOfConcept": {"type": "string"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "n": {"type": "string"},
                "extra": {"type": "string"},
            },
        }
    )
    result = diff_specs(load(tmp_path, "old", old), load(tmp_path, "new", new))
    changes = {(c.kind, c.where): c for c in result.changed[0].changes}
    where = "200 application/json /items/0"
    assert set(changes) == {
        ("response-property-renamed", f"{where}/name"),
        ("response-enum-widened", f"{where}/kind"),
        ("response-property-became-optional", f"{where}/kind"),
        ("response-type-changed", f"{where}/n"),
        ("response-property-added", f"{where}/extra"),
    }
    renamed = changes[("response-property-renamed", f"{where}/name")]
    assert (renamed.before, renamed.after, renamed.detail()) == (
        "name",
        "proofOfConcept",
        "name -> proofOfConcept",
    )
    assert renamed.to_json() == {
        "kind": "response-property-renamed",
        "where": f"{where}/name",
        "breaking": True,
        "from": "name",
        "to": "proofOfConcept",
    }
    assert changes[("response-type-changed", f"{where}/n")].to_json()["from"] == "integer"


def test_response_property_removed_and_allof(tmp_path: Path) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}, "gone": {"type": "integer"}}}
    old = api(
        one({"parameters": [ID()], "responses": ok({"allOf": [{"$ref": "#/components/schemas/Base"}]})}),
        components={"schemas": {"Base": base}},
    )
    new_base = {"type": "object", "properties": {"id": {"type": "string"}}}
    new = api(
        one({"parameters": [ID()], "responses": ok({"allOf": [{"$ref": "#/components/schemas/Base"}]})}),
        components={"schemas": {"Base": new_base}},
    )
    assert found(tmp_path, old, new) == [("response-property-removed", "200 application/json /gone", True)]


def test_cyclic_schemas_end(tmp_path: Path) -> None:
    def doc(leaf: str) -> dict[str, Any]:
        node = {
            "type": "object",
            "properties": {
                "leaf": {"type": leaf},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "parent": {"$ref": "#/components/schemas/Node"},
            },
        }
        return api(
            one({"parameters": [ID()], "responses": ok({"$ref": "#/components/schemas/Node"})}),
            components={"schemas": {"Node": node}},
        )

    assert found(tmp_path, doc("string"), doc("integer")) == [
        ("response-type-changed", "200 application/json /leaf", True)
    ]
    assert found(tmp_path, doc("string"), doc("string")) == []


# -- the whole -------------------------------------------------------------------------------------


def test_breaking_first_and_breaking_only(tmp_path: Path) -> None:
    old = api(
        {"/x": {"get": {"responses": ok()}}, "/y": {"get": {"parameters": [Q("a")], "responses": ok()}}}
    )
    new = api(
        {
            "/x": {"get": {"parameters": [Q("b")], "responses": ok()}},
            "/y": {"get": {"parameters": [Q("c")], "responses": ok()}},
            "/z": {"get": {"responses": ok()}},
        }
    )
    result = diff_specs(load(tmp_path, "old", old), load(tmp_path, "new", new))
    assert [e.key for e in result.changed] == ["GET /y", "GET /x"]
    assert [c.kind for c in result.changed[0].changes] == ["parameter-removed", "parameter-added"]
    only = result.breaking_only()
    assert only.to_json() == {
        "added": [],
        "removed": [],
        "changed": [
            {
                "method": "GET",
                "path": "/y",
                "changes": [{"kind": "parameter-removed", "where": "query a", "breaking": True}],
            }
        ],
    }
    assert SpecDiff().empty and not result.empty


def test_a_real_pair_of_versions() -> None:
    """rclone's RC API spec, 1.74.1 and 1.75.0 (tests/data/specs/rclone/README.md)."""
    folder = ROOT / "tests" / "data" / "specs" / "rclone"
    old = load_spec(str(folder / "rclone-rc-1.74.1.yaml"), use_cache=False)
    new = load_spec(str(folder / "rclone-rc-1.75.0.yaml"), use_cache=False)
    result = diff_specs(old, new)
    assert [e.key for e in result.added] == ["POST /config/oauthstatus", "POST /config/oauthstop"]
    assert result.removed == ()
    cleanup = next(e for e in result.changed if e.key == "POST /operations/cleanup")
    assert [(c.kind, c.where) for c in cleanup.changes] == [
        ("response-property-removed", "200 application/json /jobid"),
        ("parameter-added", "header Prefer"),
        ("response-status-added", "202"),
    ]
    assert result.changed[0].breaking and not result.changed[-1].breaking
    assert diff_specs(old, load_spec(str(folder / "rclone-rc-1.74.1.yaml"), use_cache=False)).empty


def test_every_kind_is_in_the_readme_table() -> None:
    """The README's breaking-rules table and ``RULES`` say the same."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## What changed in the spec", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (yes|no) \|", section, flags=re.M))
    assert rows == {kind: "yes" if rule.breaking else "no" for kind, rule in RULES.items()}


@pytest.mark.parametrize("kind", sorted(RULES))
def test_rules_have_reasons(kind: str) -> None:
    assert RULES[kind].why and copy.copy(RULES[kind]).breaking in (True, False)


def test_specs_built_by_hand_are_read_through_the_model() -> None:
    """No document behind the operations (a Spec built in code): the built model is compared."""
    from labs_tui.spec import MediaType, Operation, Parameter, Response

    def spec(*params: Parameter, schema: dict[str, Any]) -> Spec:
        response = Response("200", content=(MediaType("application/json", schema=schema),))
        return Spec(
            source="code", operations=(Operation("GET", "/a", parameters=params, responses=(response,)),)
        )

    old = spec(Parameter("q", "query"), schema={"type": "object", "properties": {"id": {"type": "string"}}})
    new = spec(Parameter("q", "query", required=True), schema={"type": "object", "properties": {}})
    result = diff_specs(old, new)
    assert [(c.kind, c.where) for c in result.changed[0].changes] == [
        ("parameter-became-required", "query q"),
        ("response-property-removed", "200 application/json /id"),
    ]


def test_refs_are_read_exactly() -> None:
    """The ``$ref`` reader: text that only looks like a reference, and references JSON must escape."""
    from labs_tui.compare.spec_nodes import _refs

    node = {
        "description": 'says "$ref": "#/not/one"',
        "items": [{"$ref": "#/components/schemas/A"}, {"$ref": '#/components/schemas/q"uote'}],
        "more": {"$ref": "#/components/schemas/back\\slash", "x": 1},
    }
    assert sorted(_refs(node)) == sorted(
        ["#/components/schemas/A", '#/components/schemas/q"uote', "#/components/schemas/back\\slash"]
    )
    assert _refs({"description": 'says "$ref": "#/not/one"'}) == []
    assert _refs([{"$ref": "#/a"}, {"$ref": "#/b"}]) == ["#/a", "#/b"]
    assert _refs({"200": {"$ref": "#/r"}}) == ["#/r"]


def test_a_change_behind_a_shared_ref_is_seen_in_every_operation(tmp_path: Path) -> None:
    def doc(kind: str) -> dict[str, Any]:
        ref = {"$ref": "#/components/schemas/Thing"}
        paths = {f"/p{i}": {"get": {"responses": ok(ref)}} for i in range(3)}
        return api(paths, components={"schemas": {"Thing": {"type": kind}}})

    result = diff_specs(load(tmp_path, "old", doc("string")), load(tmp_path, "new", doc("integer")))
    assert [(e.key, [c.kind for c in e.changes]) for e in result.changed] == [
        (f"GET /p{i}", ["response-type-changed"]) for i in range(3)
    ]
    assert diff_specs(load(tmp_path, "old", doc("string")), load(tmp_path, "new", doc("string"))).empty
