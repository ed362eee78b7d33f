"""A spec diffed with itself is empty: the bundled spec, and generated ones (refs, cycles, all shapes)."""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labs_tui.compare import diff_specs
from labs_tui.spec import Spec, load_spec

NAMES = st.text(alphabet="abcdefgh_", min_size=1, max_size=6)
TYPES = st.sampled_from(["string", "integer", "number", "boolean"])


@functools.cache
def schemas(refs: tuple[str, ...]) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.builds(lambda t: {"type": t}, TYPES),
        st.builds(
            lambda vs: {"type": "string", "enum": vs}, st.lists(NAMES, min_size=1, max_size=4, unique=True)
        ),
        st.builds(lambda n: {"type": "string", "maxLength": n, "format": "uuid"}, st.integers(0, 99)),
        *([st.sampled_from([{"$ref": f"#/components/schemas/{r}"} for r in refs])] if refs else []),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda i: {"type": "array", "items": i}, inner),
            st.builds(
                lambda props, req: {"type": "object", "properties": props, "required": sorted(props)[:req]},
                st.dictionaries(NAMES, inner, max_size=4),
                st.integers(0, 2),
            ),
            st.builds(lambda vs: {"oneOf": vs}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda vs: {"allOf": vs}, st.lists(inner, min_size=1, max_size=2)),
        ),
        max_leaves=6,
    )


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    names = tuple(draw(st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=3)))
    components = {name: draw(schemas(names)) for name in names}  # refs among them may form cycles
    paths: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 4))):
        path = f"/r{index}/{{id}}"
        ops: dict[str, Any] = {}
        for method in draw(st.lists(st.sampled_from(["get", "post", "delete"]), unique=True, min_size=1)):
            params = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
            for name in draw(st.lists(NAMES, unique=True, max_size=3)):
                where = draw(st.sampled_from(["query", "header"]))
                params.append(
                    {
                        "name": name,
                        "in": where,
                        "required": draw(st.booleans()),
                        "schema": draw(schemas(names)),
                    }
                )
            op: dict[str, Any] = {
                "parameters": params,
                "deprecated": draw(st.booleans()),
                "responses": {
                    status: {
                        "description": "x",
                        "headers": {"X-H": {"schema": draw(schemas(names))}},
                        "content": {"application/json": {"schema": draw(schemas(names))}},
                    }
                    for status in draw(
                        st.lists(st.sampled_from(["200", "201", "404", "default"]), unique=True, min_size=1)
                    )
                },
            }
            if method == "post":
                op["requestBody"] = {
                    "required": draw(st.booleans()),
                    "content": {"application/json": {"schema": draw(schemas(names))}},
                }
            if draw(st.booleans()):
                op["security"] = [{"bearer": []}]
            ops[method] = op
        paths[path] = ops
    return {
        "openapi": "3.0.3",
        "info": {"title": "generated", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def load(document: dict[str, Any], folder: str, name: str) -> Spec:
    path = Path(folder) / f"{name}.json"
    path.write_text(json.dumps(document))
    return load_spec(str(path), use_cache=False)


def test_the_bundled_spec_against_itself() -> None:
    assert diff_specs(load_spec(None), load_spec("bundled", use_cache=False)).empty
    spec = load_spec(None)
    assert diff_specs(spec, spec).empty


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_generated_spec_against_a_copy_of_itself(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        old = load(document, folder, "old")
        new = load(json.loads(json.dumps(document)), folder, "new")
        result = diff_specs(old, new)
        assert result.empty, result.to_json()
        assert diff_specs(old, old).empty


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_removed_operation_is_always_seen(document: dict[str, Any]) -> None:
    smaller = json.loads(json.dumps(document))
    path = next(iter(smaller["paths"]))
    method = next(iter(smaller["paths"][path]))
    del smaller["paths"][path][method]
    with tempfile.TemporaryDirectory() as folder:
        result = diff_specs(load(document, folder, "old"), load(smaller, folder, "new"))
    assert [(e.method, e.path) for e in result.removed] == [(method.upper(), path)]
    assert result.breaking_count >= 1
