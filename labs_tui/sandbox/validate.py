"""Schema checks for the spec sandbox: requests in and generated answers out, one validator for both.

The validator is the spec engine's (``labs_tui.spec.validate``, the spec's own dialect). This adds what
only a server needs: parameters arrive as text and are first deserialised by
their ``style``/``explode`` (simple, form, label, matrix, deepObject, space/pipe delimited) and
coerced to the schema's primitive types. Nothing here prints or does I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote

from labs_tui.spec.model import Parameter, Spec
from labs_tui.spec.validate import SchemaChecker

_CACHE_LIMIT = 4096


class Checker(SchemaChecker):
    """The spec's schema checks plus what the sandbox needs to read parameters off the wire."""

    def __init__(self, spec: Spec) -> None:
        super().__init__(spec)
        self._styles: dict[str, dict[tuple[Any, Any], Mapping[str, Any]]] = {}

    def style_of(self, param: Parameter, path: str) -> Mapping[str, Any]:
        """The parameter's own ``style``/``explode`` in the path item ``path`` (the model drops them)."""
        styles = self._styles.get(path)
        if styles is None:
            spec = self.spec
            styles = {}
            paths = spec.document.get("paths") if isinstance(spec.document, Mapping) else None
            raw_item = paths.get(path) if isinstance(paths, Mapping) else None
            item = spec.resolve(raw_item) if isinstance(raw_item, Mapping) else {}
            groups = [item.get("parameters")]
            groups += [op.get("parameters") for op in item.values() if isinstance(op, Mapping)]
            for group in groups:
                for raw in group if isinstance(group, list) else ():
                    node = spec.resolve(raw) if isinstance(raw, Mapping) else {}
                    if "style" in node or "explode" in node:
                        styles[(node.get("name"), node.get("in"))] = node
            if len(self._styles) > _CACHE_LIMIT:
                self._styles.clear()
            self._styles[path] = styles
        return styles.get((param.name, param.location), {})


# ---- parameters: text on the wire -> values --------------------------------------------------


def schema_kind(spec: Spec, schema: Any) -> str:
    """The main JSON type a schema asks for ('' when open): follows $ref, allOf, type arrays."""
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if kinds else ""
    if isinstance(kind, str) and kind:
        return kind
    for key in ("allOf", "oneOf", "anyOf"):
        branches = node.get(key)
        if isinstance(branches, list):
            for branch in branches:
                found = schema_kind(spec, branch)
                if found:
                    return found
    if "properties" in node:
        return "object"
    if "items" in node:
        return "array"
    return ""


def coerce(spec: Spec, schema: Any, text: str) -> Any:
    """A primitive parameter value from its text, by the schema's type; the text when it does not parse."""
    kind = schema_kind(spec, schema)
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind == "null" and text in ("", "null"):
        return None
    if kind in ("object", "array"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _item_schema(spec: Spec, schema: Any) -> Any:
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    return node.get("items", {})


def _property_schema(spec: Spec, schema: Any, name: str) -> Any:
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    props = node.get("properties")
    if isinstance(props, Mapping) and name in props:
        return props[name]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else {}


def _split_object(spec: Spec, schema: Any, parts: list[str], explode: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if explode:
        for part in parts:
            key, _, value = part.partition("=")
            result[key] = coerce(spec, _property_schema(spec, schema, key), value)
        return result
    for index in range(0, len(parts) - 1, 2):
        key = parts[index]
        result[key] = coerce(spec, _property_schema(spec, schema, key), parts[index + 1])
    return result


def deserialize(checker: Checker, param: Parameter, raw: list[str], path: str = "") -> Any:
    """The value of one parameter from its raw text(s), by location, style and explode."""
    spec = checker.spec
    location = param.location
    default_style = {"query": "form", "cookie": "form"}.get(location, "simple")
    raw_param = checker.style_of(param, path)
    style = raw_param.get("style", default_style)
    explode = raw_param.get("explode", style == "form")
    kind = schema_kind(spec, param.schema)
    if kind == "array":
        items = _item_schema(spec, param.schema)
        if location == "query" and style == "form" and explode:
            values = raw
        else:
            text = raw[0] if raw else ""
            if style == "label":
                text = text[1:] if text.startswith(".") else text
                sep = "." if explode else ","
            elif style == "matrix":
                text = text.split("=", 1)[1] if "=" in text else ""
                sep = f";{param.name}=" if explode else ","
            else:
                sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
            values = text.split(sep) if text != "" else []
        return [coerce(spec, items, value) for value in values]
    if kind == "object" and style != "deepObject":
        text = raw[0] if raw else ""
        if style == "label":
            text = text[1:] if text.startswith(".") else text
        if style == "matrix":
            text = text.lstrip(";")
        sep = "." if style == "label" and explode else ";" if style == "matrix" and explode else ","
        parts = text.split(sep) if text else []
        return _split_object(spec, param.schema, parts, explode or style == "matrix" and explode)
    text = raw[0] if raw else ""
    if style == "label" and text.startswith("."):
        text = text[1:]
    elif style == "matrix" and text.startswith(f";{param.name}="):
        text = text[len(param.name) + 2 :]
    return coerce(spec, param.schema, text)


def deep_object(spec: Spec, param: Parameter, query: Mapping[str, list[str]]) -> dict[str, Any] | None:
    prefix = param.name + "["
    found: dict[str, Any] = {}
    for key, values in query.items():
        if key.startswith(prefix) and key.endswith("]"):
            name = key[len(prefix) : -1]
            found[name] = coerce(spec, _property_schema(spec, param.schema, name), values[0])
    return found or None


def query_values(query: str) -> dict[str, list[str]]:
    parsed = parse_qs(query, keep_blank_values=True)
    return {unquote(key): value for key, value in parsed.items()}
