"""Answers checked against the schema their spec documents: the schema picked, errors as JSON pointers,
undocumented properties apart, oneOf judged by the branch matched, big bodies skipped honestly."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from labs_tui.client import (
    MAX_CHECK_BYTES,
    CallRequest,
    CallResult,
    Client,
    build_request,
    check_response,
    resolve_profile,
    validation_json,
)
from labs_tui.sandbox import start
from labs_tui.spec import Spec, load_spec

THING = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "note": {"type": "string", "nullable": True},
        "a/b": {"type": "integer"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    },
}
ITEM = {"type": "object", "properties": {"id": {"type": "integer"}}}


def spec_of(
    version: str, responses: dict[str, Any], folder: Path, schemas: dict[str, Any] | None = None
) -> Spec:
    document = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": {"operationId": "GetThings", "responses": responses}}},
        "components": {"schemas": {"Thing": THING, "Item": ITEM, **(schemas or {})}},
    }
    where = folder / f"spec-{version}.json"
    where.write_text(json.dumps(document), encoding="utf-8")
    return load_spec(str(where))


def json_response(schema: Any, media: str = "application/json") -> dict[str, Any]:
    return {"description": "d", "content": {media: {"schema": schema}}}


def answer(
    body: Any, status: int = 200, content_type: str = "application/json", method: str = "GET"
) -> CallResult:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    value: Any = None
    kind, error = "empty", None
    if raw:
        try:
            value, kind = json.loads(raw), "json"
        except ValueError as exc:
            kind = "json" if content_type.endswith("json") else "text"
            error = f"not JSON after all: {exc}" if kind == "json" else None
    return CallResult(
        CallRequest(method, "http://127.0.0.1/things"),
        status=status,
        body=raw,
        size=len(raw),
        content_type=content_type,
        content_kind=kind,  # type: ignore[arg-type]
        text=raw.decode("utf-8", "replace") if raw else None,
        json=value,
        json_error=error,
    )


THING_REF = {"$ref": "#/components/schemas/Thing"}


@pytest.fixture
def spec30(tmp_path: Path) -> Spec:
    return spec_of(
        "3.0.3",
        {
            "200": json_response(THING_REF),
            "4XX": json_response({"type": "object", "required": ["message"], "properties": {"message": {}}}),
            "default": json_response({"type": "object", "properties": {"oops": {"type": "string"}}}),
        },
        tmp_path,
    )


def check(spec: Spec, result: CallResult, **kwargs: Any) -> Any:
    return check_response(spec, spec.find("GetThings"), result, **kwargs)


def test_a_conforming_body_has_no_errors_and_30_reads_nullable(spec30: Spec) -> None:
    found = check(spec30, answer({"name": "x", "note": None, "items": [{"id": 1}]}))
    assert found is not None
    assert found.schema == "200 application/json"
    assert found.errors == () and found.undocumented == ()
    assert found.conforms


def test_errors_point_at_the_value_and_undocumented_properties_are_apart(spec30: Spec) -> None:
    body = {"name": 3, "a/b": "x", "unexpected": 1, "items": [{"id": 1}, {"id": "two", "extra": True}]}
    found = check(spec30, answer(body))
    assert found is not None
    paths = {problem.path for problem in found.errors}
    assert paths == {"/name", "/a~1b", "/items/1/id"}
    assert all(problem.message for problem in found.errors)
    assert found.undocumented == ("/unexpected", "/items/1/extra")
    assert not found.conforms


def test_a_missing_required_property_is_an_error_at_the_object(spec30: Spec) -> None:
    found = check(spec30, answer({"note": "n"}))
    assert found is not None
    assert [(p.path, "name" in p.message) for p in found.errors] == [("", True)]


def test_status_falls_back_to_the_range_then_default(spec30: Spec) -> None:
    ranged = check(spec30, answer({"other": 1}, status=404))
    assert ranged is not None and ranged.schema == "4XX application/json"
    assert [p.path for p in ranged.errors] == [""]  # message is required
    default = check(spec30, answer({"oops": 1}, status=503))
    assert default is not None and default.schema == "default application/json"
    assert [p.path for p in default.errors] == ["/oops"]


def test_no_documented_schema_is_none(tmp_path: Path) -> None:
    spec = spec_of("3.0.3", {"200": {"description": "no content"}, "201": json_response({})}, tmp_path)
    assert check(spec, answer({"x": 1})) is None
    assert check(spec, answer({"x": 1}, status=201)) is None  # an empty schema documents nothing
    assert check(spec, answer({"x": 1}, status=500)) is None  # no 500, no 5XX, no default
    assert check_response(spec, None, answer({"x": 1})) is None


def test_the_media_type_received_is_picked_else_the_json_one(tmp_path: Path) -> None:
    response = {
        "description": "d",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/problem+json": {"schema": {"type": "array"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
    spec = spec_of("3.1.0", {"200": response}, tmp_path)
    problem = check(spec, answer({"a": 1}, content_type="application/problem+json; charset=utf-8"))
    assert problem is not None and problem.schema == "200 application/problem+json"
    assert [p.path for p in problem.errors] == [""]
    fallback = check(spec, answer({"a": 1}, content_type="application/vnd.other+json"))
    assert fallback is not None and fallback.schema == "200 application/json" and fallback.conforms
    assert check(spec, answer(b"plain words", content_type="text/plain")) is None  # only JSON is checked
    html = check(spec, answer(b"<html></html>", content_type="text/html"))
    assert html is not None and html.schema == "200 application/json"
    assert [(p.path, p.message.startswith("the body is not JSON")) for p in html.errors] == [("", True)]


def test_an_empty_body_where_one_is_documented_is_an_error_and_head_is_not_checked(spec30: Spec) -> None:
    empty = check(spec30, answer(b""))
    assert empty is not None and [p.path for p in empty.errors] == [""]
    assert check(spec30, answer(b"", method="HEAD")) is None


def test_31_is_2020_12_with_prefix_items_and_type_lists(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "pair": {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"$ref": "#/components/schemas/Item"}],
            },
            "maybe": {"type": ["string", "null"]},
        },
    }
    spec = spec_of("3.1.0", {"2XX": json_response(schema)}, tmp_path)
    good = check(spec, answer({"pair": ["a", {"id": 1}], "maybe": None}, status=201))
    assert good is not None and good.schema == "2XX application/json" and good.conforms
    bad = check(spec, answer({"pair": [1, {"id": 1, "more": 2}], "maybe": 5}))
    assert bad is not None
    assert {p.path for p in bad.errors} == {"/pair/0", "/maybe"}
    assert bad.undocumented == ("/pair/1/more",)
    # nullable is a 3.0 keyword: under 3.1 it is an unknown keyword, so a null is refused
    strict = spec_of("3.1.0", {"200": json_response({"type": "string", "nullable": True})}, tmp_path / "..")
    found = check(strict, answer(None))
    assert found is not None and [p.path for p in found.errors] == [""]


def test_one_of_is_judged_by_the_branch_the_body_matches(tmp_path: Path) -> None:
    schemas = {
        "Old": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "New": {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}},
    }
    schema = {"oneOf": [{"$ref": "#/components/schemas/New"}, {"$ref": "#/components/schemas/Old"}]}
    spec = spec_of("3.1.0", {"200": json_response(schema)}, tmp_path, schemas)
    old = check(spec, answer({"name": "x"}))
    assert old is not None and old.conforms and old.undocumented == () and old.variants == ("Old",)
    new = check(spec, answer({"title": "x", "extra": 1}))
    assert new is not None and new.conforms and new.variants == ("New",)
    assert new.undocumented == ("/extra",)  # judged against New only: "name" would not be listed either
    neither = check(spec, answer({"other": 1}))
    assert neither is not None and [p.path for p in neither.errors] == [""]
    assert neither.variants == () and neither.undocumented == ("/other",)
    assert neither.errors[0].message == (
        "matches none of its oneOf variants: New: (root) 'title' is a required property;"
        " Old: (root) 'name' is a required property"
    )
    both = check(spec, answer({"name": "x", "title": "y"}))
    assert both is not None and [p.path for p in both.errors] == [""]
    assert both.errors[0].message == "matches more than one of its oneOf variants: New: matches; Old: matches"


def test_a_nested_one_of_failure_is_said_per_variant(tmp_path: Path) -> None:
    schemas = {"Num": {"type": "integer", "title": "Number"}, "Txt": {"type": "string"}}
    schema = {
        "type": "object",
        "properties": {
            "list": {
                "type": "array",
                "items": {
                    "oneOf": [{"$ref": "#/components/schemas/Num"}, {"$ref": "#/components/schemas/Txt"}]
                },
            }
        },
    }
    spec = spec_of("3.1.0", {"200": json_response(schema)}, tmp_path, schemas)
    found = check(spec, answer({"list": [1, "a", None]}))
    assert found is not None
    assert [(p.path, p.message) for p in found.errors] == [
        (
            "/list/2",
            "matches none of its oneOf variants: Num: (root) None is not of type 'integer';"
            " Txt: (root) None is not of type 'string'",
        )
    ]


def test_all_of_lists_the_properties_of_every_part(tmp_path: Path) -> None:
    schema = {"allOf": [THING_REF, {"type": "object", "properties": {"extra": {"type": "boolean"}}}]}
    spec = spec_of("3.0.3", {"200": json_response(schema)}, tmp_path)
    found = check(spec, answer({"name": "x", "extra": True, "more": 1}))
    assert found is not None and found.conforms and found.undocumented == ("/more",)


def test_maps_and_free_form_objects_have_nothing_undocumented(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "anything": {"type": "object"},
            "closed": {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
        },
    }
    spec = spec_of("3.0.3", {"200": json_response(schema)}, tmp_path)
    found = check(spec, answer({"labels": {"x": "y"}, "anything": {"z": 1}, "closed": {"a": 1, "b": 2}}))
    assert found is not None
    assert found.undocumented == ()  # "b" is an error (additionalProperties: false), not both
    assert [p.path for p in found.errors] == ["/closed"]


def test_problems_are_bounded(spec30: Spec) -> None:
    body = {"name": "x", "items": [{"id": "no", f"x{i}": i} for i in range(200)]}
    found = check(spec30, answer(body), limit=5)
    assert found is not None and len(found.errors) == 5 and len(found.undocumented) == 5
    assert found.more_errors
    exact = check(spec30, answer({"name": "x", "items": [{"id": "no"}] * 5}), limit=5)
    assert exact is not None and len(exact.errors) == 5 and not exact.more_errors


def test_a_body_over_the_budget_is_not_checked_and_says_so(spec30: Spec) -> None:
    body = {"name": 1, "pad": "x" * 2000}
    found = check(spec30, answer(body), max_bytes=1024)
    assert found is not None and found.skipped == "body over 1 KB"
    assert found.errors == () and not found.conforms
    big = {"name": 1, "pad": "x" * (MAX_CHECK_BYTES + 10)}
    default = check(spec30, answer(big))
    assert default is not None and default.skipped == f"body over {MAX_CHECK_BYTES // (1024 * 1024)} MB"
    unbounded = check(spec30, answer(big), max_bytes=None)
    assert unbounded is not None and [p.path for p in unbounded.errors] == ["/name"]


def test_a_body_cut_at_the_cap_is_not_checked(spec30: Spec) -> None:
    import dataclasses

    cut = dataclasses.replace(answer(b'{"name": "x", "ite', content_type="application/json"), truncated=True)
    found = check(spec30, cut)
    assert found is not None and found.skipped == "the body was cut at the body cap"


def test_validation_json_has_exactly_the_documented_keys(spec30: Spec) -> None:
    found = check(spec30, answer({"name": 3, "unexpected": 1}))
    assert validation_json(found) == {
        "schema": "200 application/json",
        "errors": [{"path": "/name", "message": "3 is not of type 'string'"}],
        "undocumented": ["/unexpected"],
    }
    assert validation_json(None) is None


# -- the Labs demo against the real sandbox ---------------------------------------------------------------


def _sandbox_answers(pins: list[str | None]) -> list[CallResult]:
    spec = load_spec(None)
    operation = spec.find("GetExampleDemo")
    with start(port=0) as sandbox:
        profile = resolve_profile("sandbox", base_url=sandbox.base_url, env={})

        async def send_all() -> list[CallResult]:
            async with Client(profile) as client:
                return [
                    await client.send(
                        build_request(
                            profile, method="GET", path="/examples/demo", operation=operation, pin=pin
                        )
                    )
                    for pin in pins
                ]

        return asyncio.run(send_all())


def test_the_labs_demo_answers_match_their_own_version_variant() -> None:
    spec = load_spec(None)
    operation = spec.find("GetExampleDemo")
    old, latest, unsupported = _sandbox_answers(["1.0", None, "9.9"])
    assert old.json == {"name": "Labs example"} and latest.json == {"proofOfConcept": "Labs example"}
    checked_old = check_response(spec, operation, old)
    checked_latest = check_response(spec, operation, latest)
    assert checked_old is not None and checked_latest is not None
    assert (
        checked_old.conforms
        and checked_old.undocumented == ()
        and checked_old.variants == ("ExampleDemoV1_0",)
    )
    assert checked_latest.conforms and checked_latest.undocumented == ()
    assert checked_latest.variants == ("ExampleDemoLatest",)
    error = check_response(spec, operation, unsupported)
    assert error is not None and error.schema == "400 application/json" and error.conforms
