"""Loading the corpus: versions, conversion, references, parameters, webhooks, versions of the pin."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs_tui.spec import BUNDLED_SPEC, Operation, Spec, SpecError, load_spec


def op(spec: Spec, ref: str) -> Operation:
    found = spec.find(ref)
    assert found is not None, ref
    return found


def test_bundled_spec_lists_the_demo_endpoint_with_its_pins() -> None:
    spec = load_spec()
    assert spec.source == "bundled"
    assert load_spec("bundled").operations == spec.operations
    assert BUNDLED_SPEC.is_file()
    demo = op(spec, "GetExampleDemo")
    assert demo.key == "GET /examples/demo"
    assert spec.known_versions == ("1.0", "1.1")
    assert spec.latest_version == "1.1"
    assert spec.version_header == "X-Labs-API-Version"
    assert spec.servers[0].url == "https://api.astronomer.io/labs/v1"
    assert spec.security_schemes["JWT"].scheme == "bearer"
    assert [r.status for r in demo.responses] == ["200", "400", "401", "403", "429", "500"]
    assert [h.name for h in demo.response(429).headers] == ["Retry-After", "X-Request-Id"]  # type: ignore[union-attr]
    assert spec.problems == ()
    assert "getexampledemo" in demo.search_key


def test_missing_file_and_other_schemes_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load_spec(str(tmp_path / "nope.yaml"))
    with pytest.raises(SpecError, match="is a directory"):
        load_spec(str(tmp_path))
    with pytest.raises(SpecError, match="only http"):
        load_spec("ftp://example.com/spec.yaml")


def test_swagger2_is_converted(corpus: Path) -> None:
    spec = load_spec(str(corpus / "swagger2.json"))
    assert spec.openapi_version == "2.0"
    assert [s.url for s in spec.servers] == [
        "https://petstore.example.com/v2",
        "http://petstore.example.com/v2",
    ]
    assert spec.security_schemes["basic"].type == "http"
    assert spec.security_schemes["api_key"].location == "header"
    listing = op(spec, "listPets")
    limit = listing.parameters[0]
    assert (limit.name, limit.location, limit.schema) == ("limit", "query", {"type": "integer", "minimum": 1})
    assert limit.example == 5
    media = listing.response(200).preferred()  # type: ignore[union-attr]
    assert media is not None and media.example == [{"id": 1, "name": "Rex"}]
    assert spec.resolve(media.schema["items"])["required"] == ["name"]
    add = op(spec, "addPet")
    assert add.parameters == ()
    assert add.request_body is not None and add.request_body.required
    assert add.request_body.content[0].schema == {"$ref": "#/components/schemas/Pet"}
    assert spec.example(add.request_body.content[0].schema, direction="request") == {
        "name": "Rex",
        "nickname": "string",
    }
    upload = op(spec, "uploadPhoto")
    assert [p.name for p in upload.parameters] == ["petId"]
    body = upload.request_body
    assert body is not None and body.content[0].media_type == "multipart/form-data"
    assert body.content[0].schema["properties"]["file"]["format"] == "binary"
    assert op(spec, "getPet").response(404).description == "no such pet"  # type: ignore[union-attr]
    assert spec.problems == ()


def test_openapi_31_type_arrays_webhooks_and_declared_versions(corpus: Path) -> None:
    spec = load_spec(str(corpus / "openapi31.yaml"))
    assert spec.version == "2.0"
    assert [w.operation_id for w in spec.webhooks] == ["onThingCreated"]
    assert spec.find("onThingCreated") is None  # webhooks are listed apart
    thing = op(spec, "getThing").response(200).preferred()  # type: ignore[union-attr]
    assert thing is not None
    assert spec.example(thing.schema) == {
        "id": 0,
        "label": "string",
        "kind": "widget",
        "size": 4.5,
        "nothing": None,
    }
    assert spec.version_header == "X-Api-Version"
    assert spec.known_versions == ("1.0", "1.2", "1.10")
    assert spec.latest_version == "1.10"
    server = spec.servers[0]
    assert [v.name for v in server.variables] == ["region", "base"]
    assert server.expanded() == "https://eu.api.example.com/v1"
    assert server.expanded({"region": "us"}) == "https://us.api.example.com/v1"


def test_openapi_32_query_and_additional_operations(corpus: Path) -> None:
    spec = load_spec(str(corpus / "openapi32.yaml"))
    assert [o.key for o in spec.operations] == ["QUERY /search", "LINK /search"]


def test_parameters_merge_by_name_and_location(corpus: Path) -> None:
    spec = load_spec(str(corpus / "params.yaml"))
    get_user = op(spec, "getUser")
    described = [(p.name, p.location, p.description) for p in get_user.parameters]
    assert described == [
        ("id", "path", "operation level"),
        ("x-trace", "header", "operation level header"),  # header names compare case-insensitively
        ("verbose", "query", ""),
        ("id", "query", "same name other place"),
    ]
    delete = op(spec, "deleteUser")
    assert delete.deprecated
    assert delete.required_permission == "users.delete"
    assert delete.security == ({"bearer": ("admin",)},)
    assert get_user.security is None
    assert [p.name for p in delete.parameters] == ["id", "X-Trace", "verbose"]


def test_known_versions_fall_back_to_the_header_enum(tmp_path: Path) -> None:
    path = tmp_path / "enum.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: e, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n"
        "        - {name: x-labs-api-version, in: header, schema: {enum: ['1.1', '1.0']}}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    spec = load_spec(str(path))
    assert spec.known_versions == ("1.0", "1.1")
    assert spec.version_header == "x-labs-api-version"
    assert spec.latest_version is None


def test_relative_file_references_and_path_item_refs(corpus: Path) -> None:
    spec = load_spec(str(corpus / "relative" / "main.yaml"))
    assert spec.problems == ()
    items = op(spec, "listItems")
    assert items.summary == "Items from a path-item reference"
    media = items.response(200).preferred()  # type: ignore[union-attr]
    assert media is not None and spec.example(media.schema) == [{"sku": "SKU-1"}]
    user = op(spec, "getUser")
    assert [(p.name, p.schema) for p in user.parameters] == [("id", {"type": "string", "format": "uuid"})]
    media = user.response(200).preferred()  # type: ignore[union-attr]
    assert media is not None
    # The referenced file's own "#/..." reference is resolved inside that file, not the main one.
    assert spec.example(media.schema) == {"name": "Ada", "favourite": {"sku": "SKU-1"}}
    assert user.problems == ()


def test_broken_refs_are_reported_where_used_while_the_rest_loads(corpus: Path) -> None:
    spec = load_spec(str(corpus / "broken_ref.yaml"))
    assert len(spec.operations) == 4
    assert op(spec, "getOk").problems == ()
    assert spec.example(op(spec, "getOk").response(200).preferred().schema) == {"id": 0}  # type: ignore[union-attr]
    broken_param = op(spec, "getBrokenParam")
    assert [p.name for p in broken_param.parameters] == ["q"]
    assert len(broken_param.problems) == 1
    assert "#/components/parameters/DoesNotExist" in broken_param.problems[0]
    deep = op(spec, "getBrokenDeep").problems
    assert len(deep) == 1 and "#/components/schemas/Gone" in deep[0]
    missing = op(spec, "getBrokenFile").problems
    assert len(missing) == 1 and "missing-file.yaml" in missing[0] and "no such file" in missing[0]
    assert any("DoesNotExist" in p for p in spec.problems)
    assert all("\n" not in p for p in spec.problems)


def test_cycles_load_and_are_cut(corpus: Path) -> None:
    spec = load_spec(str(corpus / "cycles.yaml"))
    node = op(spec, "createNode").request_body.content[0].schema  # type: ignore[union-attr]
    assert spec.example(node) == {"name": "string", "parent": {}, "children": []}
    assert spec.resolve({"$ref": "#/components/schemas/LoopA"}) == {}
    assert any("circular $ref" in p for p in op(spec, "getLoop").problems)
    pair = op(spec, "getPair").response(200).preferred().schema  # type: ignore[union-attr]
    assert spec.example(pair) == {"right": True, "left": 0}
    expanded = spec.expand(node)
    assert expanded["x-ref"] == "#/components/schemas/Node"
    assert expanded["properties"]["parent"] == {"$ref": "#/components/schemas/Node", "x-cycle": True}
    assert expanded["properties"]["children"]["items"]["x-cycle"] is True


def test_operations_build_their_details_lazily_but_read_like_plain_ones(corpus: Path) -> None:
    spec = load_spec(str(corpus / "params.yaml"))
    lazy = op(spec, "getMe")
    plain = Operation(method="GET", path="/users/me", operation_id="getMe", summary="The caller")
    assert lazy.parameters == ()
    assert [r.status for r in lazy.responses] == ["200"]
    assert repr(lazy).startswith("LazyOperation(method='GET', path='/users/me'")
    assert (lazy.key, lazy.first_tag, plain.first_tag) == ("GET /users/me", "Users", "default")


def test_swagger2_broken_ref_is_named_as_written(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      operationId: getX\n      responses:\n        '200':\n          description: ok\n"
        "          schema: {$ref: '#/definitions/Missing'}\n"
        "definitions:\n  Here: {type: object}\n"
    )
    spec = load_spec(str(path))
    problems = [*spec.problems, *op(spec, "getX").problems]
    assert any("'#/definitions/Missing'" in p for p in problems), problems
    assert not any("#/components/schemas" in p for p in problems), problems


def test_a_yaml_block_scalar_ref_is_not_reported_broken(tmp_path: Path) -> None:
    path = tmp_path / "folded.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      operationId: getX\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema:\n"
        "                $ref: >-\n                  #/components/schemas/Here\n"
        "components:\n  schemas:\n    Here: {type: object}\n"
    )
    spec = load_spec(str(path))
    assert not spec.problems and not op(spec, "getX").problems
