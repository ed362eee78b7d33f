"""Example values built from schemas: body templates for the builder and answers for the sandbox.

Precedence for one schema: ``example``, then ``examples`` (first), ``default``, ``const``, the first
``enum`` value; otherwise a value made from the type (``allOf`` merged, the first non-null branch
of ``oneOf``/``anyOf``, type arrays and ``nullable`` understood, common string formats honoured).

The work is bounded three ways: a depth limit, a reference already being expanded is cut (an
empty value of its type stands in), and a total node budget. Nothing here prints or does I/O;
``$ref`` is followed through the caller's ``resolve``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

MAX_DEPTH = 10
MAX_NODES = 5_000
MAX_PROPERTIES = 200

Direction = Literal["request", "response"] | None
Resolve = Callable[[Any], Mapping[str, Any]]

FORMAT_EXAMPLES: Mapping[str, Any] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "duration": "PT1H",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uri-reference": "/example",
    "iri": "https://example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "binary": "",
    "password": "********",
    "regex": ".*",
    "json-pointer": "/example",
}

_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean")


_MISSING = object()  # a schema without a documented example


def _documented(schema: Mapping[str, Any]) -> Any:
    """The schema's documented value, in the module's precedence; ``_MISSING`` when it has none."""
    for key in ("example", "x-example"):
        if key in schema:
            return schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        non_null = [value for value in enum if value is not None]
        return non_null[0] if non_null else None
    return _MISSING


class _Builder:
    def __init__(self, resolve: Resolve, direction: Direction) -> None:
        self.resolve = resolve
        self.direction = direction
        self.nodes = 0

    def empty_of(self, schema: Mapping[str, Any]) -> Any:
        kind = schema_type(schema)
        return {} if kind == "object" else [] if kind == "array" else None

    def build(self, node: Any, depth: int, expanding: tuple[str, ...]) -> Any:
        self.nodes += 1
        if not isinstance(node, Mapping):
            return None
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in expanding:
                target = self.resolve({"$ref": ref})
                return self.empty_of(target)
            expanding = (*expanding, ref)
        schema = self.resolve(node) if isinstance(ref, str) else node
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            return self.empty_of(schema)

        documented = _documented(schema)
        if documented is not _MISSING:
            return documented

        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            return self.build(self.merge_all_of(schema, depth, expanding), depth, expanding)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                return self.first_branch(branches, depth, expanding)
        return self.of_kind(schema, depth, expanding)

    def first_branch(self, branches: list[Any], depth: int, expanding: tuple[str, ...]) -> Any:
        """The first branch that is not plain ``null``; None when all are."""
        for branch in branches:
            if schema_type(self.resolve(branch)) != "null":
                return self.build(branch, depth + 1, expanding)
        return None

    def of_kind(self, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]) -> Any:
        kind = schema_type(schema)
        if kind == "object":
            return self.build_object(schema, depth, expanding)
        if kind == "array":
            return self.build_array(schema, depth, expanding)
        if kind == "string":
            return string_example(schema)
        if kind == "integer":
            return int(number_example(schema, integer=True))
        if kind == "number":
            return number_example(schema, integer=False)
        if kind == "boolean":
            return True
        return None

    def build_array(self, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]) -> list[Any]:
        """One item (from ``items``, a draft-4 tuple's first or ``prefixItems``'), or none if it recurses."""
        items = schema.get("items")
        if isinstance(items, list):  # draft-4 style tuple
            items = items[0] if items else {}
        if not isinstance(items, Mapping):
            prefix = schema.get("prefixItems")
            items = prefix[0] if isinstance(prefix, list) and prefix else {}
        if isinstance(items, Mapping) and items.get("$ref") in expanding:
            return []
        item = self.build(items, depth + 1, expanding)
        return [] if item is None and not items else [item]

    def merge_all_of(
        self, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]
    ) -> dict[str, Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(merged.get("required") or [])
        parts: list[Any] = list(schema.get("allOf") or [])
        guard = 0
        while parts and guard < 64:
            guard += 1
            part = parts.pop(0)
            ref = part.get("$ref") if isinstance(part, Mapping) else None
            if isinstance(ref, str) and ref in expanding:
                continue
            resolved = self.resolve(part)
            parts[0:0] = list(resolved.get("allOf") or [])
            for key, value in resolved.items():
                if key == "properties" and isinstance(value, Mapping):
                    for name, prop in value.items():
                        properties.setdefault(name, prop)
                elif key == "required" and isinstance(value, list):
                    required.extend(r for r in value if r not in required)
                elif key not in ("allOf", "$ref"):
                    merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
            merged.setdefault("type", "object")
        if required:
            merged["required"] = required
        return merged

    def build_object(self, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]) -> Any:
        result: dict[str, Any] = {}
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            for count, (name, prop) in enumerate(properties.items()):
                if count >= MAX_PROPERTIES or self.nodes > MAX_NODES:
                    break
                resolved = self.resolve(prop) if isinstance(prop, Mapping) else {}
                if self.direction == "request" and resolved.get("readOnly") is True:
                    continue
                if self.direction == "response" and resolved.get("writeOnly") is True:
                    continue
                result[str(name)] = self.build(prop, depth + 1, expanding)
        extra = schema.get("additionalProperties")
        if not result and isinstance(extra, Mapping) and extra:
            result["key"] = self.build(extra, depth + 1, expanding)
        return result


def schema_type(schema: Mapping[str, Any]) -> str | None:
    """The one type a schema stands for: a type array's first non-null entry, or inferred."""
    kind = schema.get("type")
    if isinstance(kind, list):
        named = [k for k in kind if isinstance(k, str) and k != "null"]
        if not named:
            return "null" if "null" in kind else None
        return sorted(named, key=lambda k: _TYPE_ORDER.index(k) if k in _TYPE_ORDER else 99)[0]
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "allOf" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if "enum" in schema or "pattern" in schema or "format" in schema:
        return "string"
    return None


def string_example(schema: Mapping[str, Any]) -> str:
    fmt = schema.get("format")
    text = str(FORMAT_EXAMPLES.get(fmt, "string")) if isinstance(fmt, str) else "string"
    minimum = schema.get("minLength")
    maximum = schema.get("maxLength")
    if isinstance(minimum, int) and not isinstance(minimum, bool) and len(text) < minimum:
        text = text + "x" * min(minimum - len(text), 1024)
    if isinstance(maximum, int) and not isinstance(maximum, bool) and maximum >= 0 and len(text) > maximum:
        text = text[:maximum]
    return text


def number_example(schema: Mapping[str, Any], *, integer: bool) -> float:
    def num(key: str) -> float | None:
        value = schema.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    low, high = num("minimum"), num("maximum")
    ex_low, ex_high = num("exclusiveMinimum"), num("exclusiveMaximum")
    step = 1.0 if integer else 0.5
    if schema.get("exclusiveMinimum") is True and low is not None:  # OpenAPI 3.0 boolean form
        low += step
    if ex_low is not None and schema.get("exclusiveMinimum") is not True:
        low = max(low if low is not None else ex_low + step, ex_low + step)
    if schema.get("exclusiveMaximum") is True and high is not None:
        high -= step
    if ex_high is not None and schema.get("exclusiveMaximum") is not True:
        high = min(high if high is not None else ex_high - step, ex_high - step)
    value = low if low is not None else 0.0
    if high is not None and value > high:
        value = high
    if integer:
        return float(int(value) if value == int(value) else int(value) + 1)
    return value


def build_example(schema: Any, resolve: Resolve, *, direction: Direction = None) -> Any:
    """An example value for ``schema``; see the module docstring for the rules and bounds."""
    return _Builder(resolve, direction).build(schema, 0, ())
