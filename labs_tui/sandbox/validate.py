"""Schema checks for the spec sandbox: requests in and generated answers out, one validator for both.

The validator is ``openapi-schema-validator`` in the spec's dialect: OpenAPI 3.0 (``nullable``,
draft-4 style, readOnly/writeOnly by direction) or 3.1+ (JSON Schema 2020-12). ``$ref``s resolve
against the spec's own ``components``. Parameters arrive as text and are first deserialised by
their ``style``/``explode`` (simple, form, label, matrix, deepObject, space/pipe delimited) and
coerced to the schema's primitive types. Nothing here prints or does I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote

from labs_tui.spec.model import Parameter, Spec

MAX_ERRORS = 20
_CACHE_LIMIT = 4096


class Checker:
    """Validates values against schemas of one spec; validators are built lazily and cached."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        version = spec.openapi_version or "3.0"
        self.dialect_31 = not version.startswith(("2", "3.0"))
        components = spec.document.get("components") if isinstance(spec.document, Mapping) else None
        self._components = components if isinstance(components, Mapping) else {}
        self._cache: dict[tuple[int, str], Any] = {}
        self._styles: dict[str, dict[tuple[Any, Any], Mapping[str, Any]]] = {}

    def _validator(self, schema: Mapping[str, Any], direction: str) -> Any:
        key = (id(schema), direction)
        found = self._cache.get(key)
        if found is not None:
            return found
        import openapi_schema_validator as osv

        root = {**schema, "components": self._components}
        if self.dialect_31:
            cls = _oas31_by_direction().get(direction, osv.OAS31Validator)
            validator = cls(root, format_checker=osv.oas31_format_checker)
        else:
            cls = {"response": osv.OAS30ReadValidator, "request": osv.OAS30WriteValidator}.get(
                direction, osv.OAS30Validator
            )
            validator = cls(root, format_checker=osv.oas30_format_checker)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = (schema, validator)  # the schema kept alive so its id stays unique
        return self._cache[key]

    def errors(self, schema: Any, value: Any, direction: str = "") -> list[str]:
        """One short line per problem of ``value`` against ``schema`` ([] when valid or no schema)."""
        if isinstance(schema, bool):
            return [] if schema else ["no value is allowed here"]
        if not isinstance(schema, Mapping) or not schema:
            return []
        _, validator = self._validator(schema, direction)
        found: list[str] = []
        try:
            for error in validator.iter_errors(value):
                where = "/".join(str(part) for part in error.absolute_path)
                found.append(f"{where or '(root)'}: {error.message[:200]}")
                if len(found) >= MAX_ERRORS:
                    break
        except Exception:  # an external or broken $ref, an odd regex: cannot judge, so accept
            return []
        return found

    def valid(self, schema: Any, value: Any, direction: str = "") -> bool:
        return not self.errors(schema, value, direction)

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


_OAS31_CLASSES: dict[str, Any] = {}


def _oas31_by_direction() -> dict[str, Any]:
    """OAS 3.1 validators that, like the 3.0 read/write ones, refuse writeOnly properties in a
    response and readOnly ones in a request (and do not require them there)."""
    if _OAS31_CLASSES:
        return _OAS31_CLASSES
    import openapi_schema_validator as osv
    from jsonschema.exceptions import ValidationError
    from jsonschema.validators import extend

    def refuse(flag: str, side: str) -> Any:
        def keyword(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if value is True:
                yield ValidationError(f"a {flag} property is not allowed in a {side}")

        return keyword

    def required_except(flag: str) -> Any:
        def keyword(validator: Any, required: Any, instance: Any, schema: Any) -> Any:
            if not validator.is_type(instance, "object") or not isinstance(required, list):
                return
            props = schema.get("properties") if isinstance(schema.get("properties"), Mapping) else {}
            for name in required:
                if name in instance:
                    continue
                sub = props.get(name) if isinstance(props, Mapping) else None
                if isinstance(sub, Mapping) and sub.get(flag) is True:
                    continue
                yield ValidationError(f"{name!r} is a required property")

        return keyword

    base = osv.OAS31Validator
    _OAS31_CLASSES["response"] = extend(
        base, {"writeOnly": refuse("writeOnly", "response"), "required": required_except("writeOnly")}
    )
    _OAS31_CLASSES["request"] = extend(
        base, {"readOnly": refuse("readOnly", "request"), "required": required_except("readOnly")}
    )
    return _OAS31_CLASSES
