"""The order in which a schema's documented values become its example (module docstring of
``spec/examples.py``): example, x-example, the first of examples, default, const, the first
non-null enum member; then ``oneOf``/``anyOf``'s first non-null branch, then the type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labs_tui.spec import Spec, load_spec


@pytest.fixture
def spec(tmp_path: Path) -> Spec:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}))
    return load_spec(path, use_cache=False)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"example": 1, "x-example": 0, "examples": [2], "default": 3, "const": 4, "enum": [5]}, 1),
        ({"x-example": 0, "examples": [2], "default": 3, "const": 4, "enum": [5]}, 0),
        ({"examples": [2], "default": 3, "const": 4, "enum": [5]}, 2),
        ({"examples": [], "default": 3, "const": 4, "enum": [5]}, 3),
        ({"const": 4, "enum": [5]}, 4),
        ({"enum": [None, 5]}, 5),
        ({"enum": [None], "type": "string"}, None),
        ({"example": None, "type": "string"}, None),
        ({"oneOf": [{"type": "null"}, {"type": "integer", "minimum": 7}]}, 7),
        ({"anyOf": [{"type": "null"}]}, None),
        ({"type": "array", "items": [{"type": "boolean"}]}, [True]),
        ({"type": "array", "prefixItems": [{"type": "string", "example": "p"}]}, ["p"]),
    ],
)
def test_documented_values_win_in_order(spec: Spec, schema: dict[str, Any], expected: Any) -> None:
    assert spec.example(schema) == expected
