"""Checks and text for the request builder: parameter hints and validation, the URL line, the body.

Pure functions (no Textual import) so they are unit-tested directly. They judge only what the spec
says about a value (required, type, enum), read through the core's describe model
(``labs_tui.spec.describe``); the server stays the authority on everything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from labs_tui.spec import Parameter, schema_node


def schema_type(schema: Mapping[str, Any]) -> str:
    """The type a typed-in value is checked against (the core describe model's ``value_type``)."""
    return schema_node(schema).value_type


def param_hint(schema: Mapping[str, Any]) -> str:
    """``integer · enum: 1, 2 · default: 1``: what the spec says a value should be (``SchemaNode.hint``)."""
    return schema_node(schema).hint()


def validate_param(param: Parameter, schema: Mapping[str, Any], value: str) -> str | None:
    """A one-line reason the value would be rejected, or None. Empty optional values are skipped."""
    if value == "":
        return f"{param.name} is required" if (param.required or param.location == "path") else None
    if "${" in value:
        return None  # a ${NAME} variable: filled at send time (saved requests), the server checks the value
    kind = schema_type(schema)
    if kind == "integer":
        try:
            int(value)
        except ValueError:
            return f"{param.name} must be an integer"
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            return f"{param.name} must be a number"
    elif kind == "boolean" and value.lower() not in ("true", "false"):
        return f"{param.name} must be true or false"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and value not in [str(v) for v in enum]:
        return f"{param.name} must be one of: {', '.join(str(v) for v in enum[:8])}"
    return None


def fill_path(path: str, values: Mapping[str, str]) -> str:
    """The path with ``{name}`` replaced by percent-encoded values; unfilled ones stay visible."""
    for name, value in values.items():
        if value:
            path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def check_json(text: str) -> str | None:
    """Why ``text`` is not JSON (one line, with line and column), or None when it is (or is blank)."""
    if not text.strip():
        return None
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"body is not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"
    return None


def example_text(value: Any) -> str:
    """An example value as the body editor shows it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def mask_token(token: str | None) -> str:
    """``Bearer ********oken``: enough to tell tokens apart, never enough to use one."""
    if not token:
        return "(no token)"
    tail = token[-4:] if len(token) >= 12 else ""
    return f"Bearer ********{tail}"
