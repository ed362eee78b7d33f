"""Values that satisfy a schema, for the spec sandbox's answers (bodies and headers).

Candidates are tried in order and the first one the spec's validator accepts wins: the spec
engine's example (documented ``example``/``default``/``enum``), then a value built here from the
constraints: ``const``/``enum``, formats, ``nullable`` and type arrays, ``allOf`` (merged),
``oneOf``/``anyOf`` (the first branch that validates), numeric bounds and ``multipleOf``, string
lengths and ``pattern`` (a string drawn from the regex's parse tree), array and object sizes,
and readOnly/writeOnly by direction. Everything is bounded (depth, nodes); nothing prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from labs_tui.sandbox.validate import Checker
from labs_tui.spec.examples import FORMAT_EXAMPLES

MAX_DEPTH = 8
_CUT = object()  # a reference met again inside its own expansion
MAX_NODES = 3_000
_MAX_REPEAT = 3
_MAX_COUNT = 1_000  # a repeat's minimum beyond this cannot be met: the candidate then fails validation

try:  # the stdlib regex parser (renamed in 3.11; same API)
    import re._parser as _sre  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre  # type: ignore[no-redef,unused-ignore]


def generate(checker: Checker, schema: Any, direction: str = "response") -> Any:
    """A value valid against ``schema`` when one can be found; else the best candidate."""
    spec = checker.spec
    candidates: list[Any] = []
    try:
        candidates.append(spec.example(schema, direction=direction or None))
    except Exception:  # the engine is bounded, but a spec can still surprise it
        pass
    builder = _Builder(checker, direction)
    built = builder.build(schema, 0, ())
    candidates.append(None if built is _CUT else built)
    valid = [c for c in candidates if checker.valid(schema, c, direction)]
    for candidate in valid:  # best: valid whichever way a reader treats readOnly/writeOnly
        if not direction or checker.valid(schema, candidate):
            return candidate
    return valid[0] if valid else candidates[-1]


def pattern_string(pattern: str, min_length: int = 0) -> str | None:
    """One string the regex ``pattern`` matches (searched, so unanchored parts may be empty)."""
    try:
        tree = _sre.parse(pattern)
    except Exception:
        return None
    try:
        return _from_regex(list(tree), min_length > 0)
    except Exception:
        return None


def _from_regex(items: list[Any], eager: bool) -> str:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_from_class(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = max(low, 1 if eager and high > 0 else 0)
            count = min(count if high is None else min(count, high), max(low, _MAX_REPEAT), _MAX_COUNT)
            out.append("".join(_from_regex(list(sub), eager) for _ in range(count)))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            sub = arg[-1]
            out.append(_from_regex(list(sub), eager))
        elif name == "BRANCH":
            out.append(_from_regex(list(arg[1][0]), eager))
        elif name == "CATEGORY":
            out.append(_from_category(str(arg)))
        elif name in ("AT", "ASSERT", "ASSERT_NOT", "GROUPREF"):
            continue
    return "".join(out)


def _from_category(name: str) -> str:
    if "NOT_DIGIT" in name:
        return "a"
    if "DIGIT" in name:
        return "1"
    if "NOT_SPACE" in name:
        return "a"
    if "SPACE" in name:
        return " "
    if "NOT_WORD" in name:
        return "-"
    return "a"


def _from_class(items: list[Any]) -> str:
    negated = any(str(op) == "NEGATE" for op, _ in items)
    if negated:
        excluded: set[str] = set()
        for op, arg in items:
            if str(op) == "LITERAL":
                excluded.add(chr(arg))
            elif str(op) == "RANGE":
                excluded.update(chr(c) for c in range(arg[0], min(arg[1], arg[0] + 500) + 1))
        for candidate in "aZ0_-x":
            if candidate not in excluded:
                return candidate
        return "~"
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            low, high = arg
            for preferred in "a0A":
                if low <= ord(preferred) <= high:
                    return preferred
            return chr(low)
        if name == "CATEGORY":
            return _from_category(str(arg))
    return "a"


def _enum_value(enum: list[Any]) -> Any:
    """The first non-null member (a null one only when it is all there is)."""
    for value in enum:
        if value is not None:
            return value
    return enum[0]


def _implied_kind(schema: Mapping[str, Any]) -> str | None:
    """The type a schema without ``type`` implies by its keywords; None when none does."""
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return None


class _Builder:
    def __init__(self, checker: Checker, direction: str) -> None:
        self.checker = checker
        self.spec = checker.spec
        self.direction = direction
        self.nodes = 0

    def resolve(self, node: Any) -> Mapping[str, Any]:
        if not isinstance(node, Mapping):
            return {}
        return self.spec.resolve(node) if "$ref" in node else node

    def merged(self, schema: Mapping[str, Any], expanding: tuple[str, ...]) -> dict[str, Any]:
        """``allOf`` folded into one schema: properties and required united, other keys overlaid."""
        result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for branch in schema.get("allOf") or ():
            ref = branch.get("$ref") if isinstance(branch, Mapping) else None
            if isinstance(ref, str) and ref in expanding:
                continue
            part = self.merged(self.resolve(branch), (*expanding, ref) if isinstance(ref, str) else expanding)
            for key, value in part.items():
                if key == "properties" and isinstance(value, Mapping):
                    mine = dict(result.get("properties", {}))
                    for name, sub in value.items():
                        mine[name] = {"allOf": [mine[name], sub]} if name in mine else sub
                    result["properties"] = mine
                elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
                    mine_sub = result.get(key)
                    result[key] = {"allOf": [mine_sub, value]} if isinstance(mine_sub, Mapping) else value
                elif key == "required" and isinstance(value, list):
                    result["required"] = list(dict.fromkeys([*result.get("required", []), *value]))
                elif key not in result:
                    result[key] = value
        return result

    def build(self, node: Any, depth: int, expanding: tuple[str, ...]) -> Any:
        self.nodes += 1
        if isinstance(node, bool) or not isinstance(node, Mapping):
            return None
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in expanding:
                return _CUT
            expanding = (*expanding, ref)
        schema = self.resolve(node)
        if "allOf" in schema:
            schema = self.merged(schema, expanding)
        kinds = schema.get("type")
        kind_list = kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else []
        nullable = schema.get("nullable") is True or "null" in kind_list
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            return None if nullable else _empty(kind_list)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return _enum_value(enum)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                return self.choice(schema, branches, depth, expanding)
        kind = next((k for k in kind_list if k != "null"), None)
        if kind is None:
            if kind_list == ["null"]:
                return None
            kind = _implied_kind(schema)
            if kind is None:
                return {} if not schema else "string"
        return self.of_kind(kind, schema, depth, expanding)

    def choice(
        self, schema: Mapping[str, Any], branches: list[Any], depth: int, expanding: tuple[str, ...]
    ) -> Any:
        """The first ``oneOf``/``anyOf`` branch that validates, with the schema's own properties merged.

        A value valid only for the builder's direction is kept as a fallback: one valid whichever
        way readOnly/writeOnly is read wins. With no valid branch, the first branch's value.
        """
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        fallback: Any = _CUT
        for branch in branches:
            value = self.build(branch, depth + 1, expanding)
            if value is _CUT:
                continue
            if isinstance(value, dict) and base.get("properties"):
                extra = self.build(base, depth + 1, expanding)
                if isinstance(extra, dict):
                    value = {**extra, **value}
            if self.checker.valid(schema, value, self.direction):
                if not self.direction or self.checker.valid(schema, value):
                    return value
                if fallback is _CUT:
                    fallback = value
        if fallback is not _CUT:
            return fallback
        return self.build(branches[0], depth + 1, expanding)

    def of_kind(self, kind: str, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]) -> Any:
        if kind == "object":
            return self.object(schema, depth, expanding)
        if kind == "array":
            return self.array(schema, depth, expanding)
        if kind == "string":
            return self.string(schema)
        if kind in ("integer", "number"):
            return self.number(schema, kind == "integer")
        if kind == "boolean":
            return True
        return None

    def object(self, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]) -> dict[str, Any]:
        props = schema.get("properties")
        props = props if isinstance(props, Mapping) else {}
        required = [r for r in schema.get("required") or () if isinstance(r, str)]
        skip = (
            "readOnly" if self.direction == "request" else "writeOnly" if self.direction == "response" else ""
        )
        result: dict[str, Any] = {}
        for name, sub in props.items():
            resolved = self.resolve(sub)
            if skip and resolved.get(skip) is True:
                continue
            if depth >= MAX_DEPTH - 2 and name not in required:
                continue
            value = self.build(sub, depth + 1, expanding)
            if value is _CUT:
                if name not in required:
                    continue
                value = None
            result[str(name)] = value
        extra = schema.get("additionalProperties")
        for name in required:
            if skip and self.resolve(props.get(name)).get(skip) is True:
                continue
            if name not in result:
                result[name] = (
                    self.build(extra, depth + 1, expanding) if isinstance(extra, Mapping) else "string"
                )
        minimum = schema.get("minProperties")
        if isinstance(minimum, int) and len(result) < minimum and extra is not False:
            for index in range(min(minimum, 50) - len(result)):
                sub = extra if isinstance(extra, Mapping) else {}
                result[f"key{index}"] = self.build(sub, depth + 1, expanding) if sub else "value"
        return result

    def array(self, schema: Mapping[str, Any], depth: int, expanding: tuple[str, ...]) -> list[Any]:
        low: int = _int(schema.get("minItems"), 0)
        high: int | None = _int(schema.get("maxItems"), None)
        count = max(low, 1)
        if high is not None:
            count = min(count, high)
        count = min(count, 20)
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        values: list[Any] = []
        if isinstance(prefix, list):
            values = [self.build(sub, depth + 1, expanding) for sub in prefix[:20]]
        while len(values) < count:
            value = self.build(items, depth + 1, expanding) if isinstance(items, Mapping) else "item"
            if value is _CUT:
                if low == 0:
                    return values
                value = None
            if schema.get("uniqueItems") and value in values:
                if isinstance(value, str):
                    value = f"{value}{len(values)}"
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    value = value + len(values)
            values.append(value)
        return values

    def string(self, schema: Mapping[str, Any]) -> str:
        low: int = _int(schema.get("minLength"), 0)
        high: int | None = _int(schema.get("maxLength"), None)
        fmt = schema.get("format")
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            found = pattern_string(pattern, low)
            if found is not None:
                if len(found) < low:
                    longer = pattern_string(pattern, low)
                    found = longer if longer is not None else found
                return found
        value = FORMAT_EXAMPLES.get(fmt, "string") if isinstance(fmt, str) else "string"
        if not isinstance(value, str):
            value = "string"
        if len(value) < low:
            value = value + "x" * (low - len(value))
        if high is not None and len(value) > high:
            value = value[:high]
        return value

    def number(self, schema: Mapping[str, Any], integer: bool) -> int | float:
        low = schema.get("minimum")
        high = schema.get("maximum")
        ex_low = schema.get("exclusiveMinimum")
        ex_high = schema.get("exclusiveMaximum")
        step = schema.get("multipleOf")
        tiny = 1 if integer else 0.5
        lower: float | None = low if isinstance(low, int | float) and not isinstance(low, bool) else None
        upper: float | None = high if isinstance(high, int | float) and not isinstance(high, bool) else None
        lower_open = ex_low is True
        upper_open = ex_high is True
        if isinstance(ex_low, int | float) and not isinstance(ex_low, bool):
            lower, lower_open = ex_low, True
        if isinstance(ex_high, int | float) and not isinstance(ex_high, bool):
            upper, upper_open = ex_high, True
        value: float = 1  # not 0: generated ids are often reused as path parameters with minimum 1
        if lower is not None and (value < lower or (lower_open and value <= lower)):
            value = lower + (tiny if lower_open else 0)
        if upper is not None and (value > upper or (upper_open and value >= upper)):
            value = upper - (tiny if upper_open else 0)
            if lower is not None and value < lower:
                value = (lower + upper) / 2
        if isinstance(step, int | float) and not isinstance(step, bool) and step > 0:
            value = math.ceil(value / step) * step
            if upper is not None and value > upper:
                value -= step
        if integer:
            value = math.ceil(value) if lower is not None and value < math.ceil(value) else int(value)
            return int(value)
        return int(value) if float(value).is_integer() else value


def _int(value: Any, default: Any) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _empty(kinds: list[Any]) -> Any:
    kind = next((k for k in kinds if k != "null"), None)
    return (
        {}
        if kind == "object"
        else []
        if kind == "array"
        else ""
        if kind == "string"
        else 0
        if kind
        in (
            "integer",
            "number",
        )
        else False
        if kind == "boolean"
        else None
    )
