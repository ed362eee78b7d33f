"""The choices in a request body: every oneOf/anyOf at any depth, pinned by the variants picked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labs_tui.spec import Spec, body_choices, load_spec, replace_at
from labs_tui.spec.validate import SchemaChecker

REF = "#/components/schemas/"

SCHEMAS: dict[str, Any] = {
    "Git": {
        "title": "Git source",
        "type": "object",
        "required": ["repo"],
        "properties": {"kind": {"const": "git"}, "repo": {"type": "string", "format": "uri"}},
    },
    "Image": {
        "type": "object",
        "required": ["image"],
        "properties": {
            "kind": {"const": "image"},
            "image": {"type": "string"},
            "pull": {"oneOf": [{"$ref": REF + "Always"}, {"$ref": REF + "Never"}]},
        },
    },
    "Loop": {
        "type": "object",
        "properties": {
            "next": {"$ref": REF + "Loop"},
            "either": {"oneOf": [{"$ref": REF + "Loop"}, {"$ref": REF + "Always"}]},
        },
    },
    "Always": {"type": "object", "required": ["always"], "properties": {"always": {"type": "boolean"}}},
    "Never": {"type": "object", "required": ["never"], "properties": {"never": {"type": "integer"}}},
    "Deployment": {
        "type": "object",
        "required": ["name", "source"],
        "properties": {
            "id": {"type": "string", "readOnly": True, "oneOf": [{"type": "string"}, {"type": "integer"}]},
            "name": {"type": "string"},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "source": {
                "oneOf": [{"$ref": REF + "Git"}, {"$ref": REF + "Image"}],
                "description": "where from",
            },
            "events": {
                "type": "array",
                "items": {"anyOf": [{"$ref": REF + "Always"}, {"$ref": REF + "Never"}]},
            },
        },
    },
}


@pytest.fixture
def spec(tmp_path: Path) -> Spec:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": SCHEMAS},
    }
    where = tmp_path / "spec.json"
    where.write_text(json.dumps(document), encoding="utf-8")
    return load_spec(str(where))


DEPLOYMENT = {"$ref": REF + "Deployment"}


def test_nested_choices_are_found_in_order_and_null_only_or_read_only_ones_are_not(spec: Spec) -> None:
    found = body_choices(spec.resolve, DEPLOYMENT).found
    assert [(c.pointer, c.keyword, c.titles, c.picked) for c in found] == [
        ("/source", "oneOf", ("variant 1: Git source", "variant 2: Image"), 0),
        ("/events/*", "anyOf", ("variant 1: Always", "variant 2: Never"), 0),
    ]
    assert found[0].where == "/source"


def test_a_pick_reveals_the_choices_inside_the_variant(spec: Spec) -> None:
    found = body_choices(spec.resolve, DEPLOYMENT, {"/source": 1}).found
    assert [c.pointer for c in found] == ["/source", "/source/pull", "/events/*"]
    assert found[0].picked == 1


def test_the_template_and_the_check_follow_the_picks(spec: Spec) -> None:
    choices = body_choices(spec.resolve, DEPLOYMENT, {"/source": 1, "/source/pull": 1, "/events/*": 1})
    template = spec.example(choices.pinned, direction="request")
    assert template["source"] == {"kind": "image", "image": "string", "pull": {"never": 0}}
    assert template["events"] == [{"never": 0}]
    assert "id" not in template
    checker = SchemaChecker(spec)
    assert checker.problems(choices.pinned, template, "request") == []
    wrong = {**template, "source": {"kind": "image"}}
    # Against the picked variant the problem is a pointer into it, not "not valid under any of".
    assert [(p.path, p.message) for p in checker.problems(choices.pinned, wrong, "request")] == [
        ("/source", "'image' is a required property")
    ]


def test_a_picked_variant_alone_makes_the_value_at_its_place(spec: Spec) -> None:
    choices = body_choices(spec.resolve, DEPLOYMENT, {"/source": 1})
    source = choices.found[0]
    assert spec.example(source.schema, direction="request") == {
        "kind": "image",
        "image": "string",
        "pull": {"always": True},
    }


def test_an_out_of_range_pick_falls_back_to_the_first_variant(spec: Spec) -> None:
    assert body_choices(spec.resolve, DEPLOYMENT, {"/source": 9}).found[0].picked == 0


def test_a_root_union_and_its_sibling_keywords(spec: Spec) -> None:
    schema = {
        "description": "a pet",
        "required": ["name"],
        "properties": {"name": {"type": "string"}},
        "oneOf": [{"$ref": REF + "Git"}, {"$ref": REF + "Image"}],
        "example": {"name": "not the variant's"},
    }
    choices = body_choices(spec.resolve, schema, {"": 1})
    assert [(c.where, c.picked) for c in choices.found] == [("body", 1), ("/pull", 0)]
    value = spec.example(choices.pinned, direction="request")
    assert value == {"name": "string", "kind": "image", "image": "string", "pull": {"always": True}}


def test_no_union_keeps_the_schema_itself(spec: Spec) -> None:
    plain = {"$ref": REF + "Git"}
    choices = body_choices(spec.resolve, plain)
    assert choices.found == () and choices.pinned is plain


def test_replace_at_keeps_everything_else() -> None:
    body = {
        "name": "mine",
        "source": {"repo": "x"},
        "events": [{"always": True}, {"always": False}],
        "a/b": 1,
    }
    assert replace_at(body, "/source", {"image": "i"}) == ({**body, "source": {"image": "i"}}, True)
    assert replace_at(body, "/events/*", {"never": 0})[0]["events"] == [{"never": 0}, {"never": 0}]
    assert replace_at(body, "/a~1b", 2)[0]["a/b"] == 2
    assert replace_at(body, "/new", 1) == ({**body, "new": 1}, True)
    assert replace_at(body, "/missing/deeper", 1) == (body, False)
    assert replace_at(body, "", [1]) == ([1], True)
    assert replace_at("text", "/x", 1) == ("text", False)


def test_a_cycle_is_followed_once(spec: Spec) -> None:
    found = body_choices(spec.resolve, {"$ref": REF + "Loop"}, {"/either": 0}).found
    assert [c.pointer for c in found] == ["/either"]


def test_picks_follow_the_body(spec: Spec) -> None:
    from labs_tui.spec import picks_for
    from labs_tui.spec.choices import values_at

    checker = SchemaChecker(spec)

    def fits(variant: Any, value: Any) -> bool:
        return not checker.problems(variant, value, "request", limit=1)

    body = {
        "name": "n",
        "source": {"kind": "image", "image": "i", "pull": {"never": 1}},
        "events": [{"never": 2}],
    }
    assert values_at(body, "/events/*") == [{"never": 2}] and values_at(body, "/nope") == []
    picks = picks_for(spec.resolve, DEPLOYMENT, {}, body, fits)
    # Image (a pick that reveals /source/pull), then Never inside it, and Never for every event.
    assert picks == {"/source": 1, "/source/pull": 1, "/events/*": 1}
    # A body that fits what is picked moves nothing; a place the body lacks keeps its pick.
    assert picks_for(spec.resolve, DEPLOYMENT, picks, body, fits) == picks
    assert picks_for(spec.resolve, DEPLOYMENT, {"/source": 1}, {"name": "n"}, fits) == {"/source": 1}
