"""A schema outline, as data: the tree of ``SchemaNode`` the describe model and the type hints read.

A ``SchemaNode`` says what one schema declares: type, description (whole, never cut), constraints,
enum, default, example, oneOf/anyOf/allOf variants. A ``$ref`` met again inside its own expansion is
a node marked ``cycle`` (never followed); a broken one is a node marked ``broken`` with the
reference, where it is used. Children are computed lazily (``node.children``), so nesting of any
depth is available on demand and a renderer decides how deep to show (``children`` of a node past
its limit are there when asked for).

``schema_node(schema)`` outlines a schema alone (no spec: references are not followed); the
request builder's type hints use it. ``describe.py`` builds an operation's model from these
outlines. No Textual, no Rich, no printing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

Resolve = Callable[[Any], Mapping[str, Any]]
ChildKind = Literal["property", "items", "additional", "oneOf", "anyOf", "allOf", "not"]

CONSTRAINT_KEYS = (
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "const",
)
ENUM_SHOWN = 10  # values a one-line hint lists before "..."
_COMBINERS: tuple[ChildKind, ...] = ("oneOf", "anyOf", "allOf")


def value_text(value: Any) -> str:
    """A JSON value as compact one-line text (``"a"``, ``1``, ``{"k": 2}``)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis when longer (never silently)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 0)] + "\u2026"


def ref_name(ref: str) -> str:
    """``#/components/schemas/Node`` -> ``Node``."""
    return ref.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Child:
    """An edge of the outline: a property (``name``, ``required``), the items, a variant, ..."""

    kind: ChildKind
    name: str  # the property name; for a variant its number from 1; "" otherwise
    node: SchemaNode
    required: bool = False

    @property
    def label(self) -> str:
        if self.kind == "property":
            return self.name
        if self.kind == "additional":
            return "additional properties"
        if self.kind in _COMBINERS:
            return f"{self.kind} {self.name}"
        return self.kind


class SchemaNode:
    """One schema in an outline. Built lazily: ``children`` resolves and wraps the nested schemas."""

    def __init__(
        self,
        raw: Any,
        resolve: Resolve | None = None,
        *,
        depth: int = 0,
        stack: tuple[str, ...] = (),
    ) -> None:
        self.depth = depth
        self.ref: str = ""  # the $ref this node was reached through, if any
        self.cycle = False  # the $ref refers back to a schema it is inside: not expanded
        self.broken = False  # the $ref cannot be followed
        self._resolve = resolve
        self._stack = stack
        schema: Mapping[str, Any] = {}
        if isinstance(raw, bool):
            schema = {} if raw else {"not": {}}
        elif isinstance(raw, Mapping):
            ref = raw.get("$ref")
            if isinstance(ref, str) and resolve is not None:
                self.ref = ref
                if ref in stack:
                    self.cycle = True
                else:
                    target = resolve(raw)
                    if not target:
                        self.broken = True
                    schema = target
                    self._stack = (*stack, ref)
            elif isinstance(ref, str):
                self.ref = ref
                schema = {k: v for k, v in raw.items() if k != "$ref"}
            else:
                schema = raw
        self.schema: Mapping[str, Any] = schema if not self.cycle else {}

    # -- what the schema says ------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The referenced schema's name (``Node``), or ``""``."""
        return ref_name(self.ref) if self.ref else ""

    @property
    def types(self) -> tuple[str, ...]:
        """The declared types, ``null`` last (3.0's ``nullable`` included); inferred when not declared."""
        kind = self.schema.get("type")
        if isinstance(kind, list):
            kinds = [str(k) for k in kind]
        elif isinstance(kind, str):
            kinds = [kind]
        elif isinstance(self.schema.get("properties"), Mapping):
            kinds = ["object"]
        elif isinstance(self.schema.get("items"), Mapping):
            kinds = ["array"]
        else:
            kinds = []
        if self.schema.get("nullable") is True and "null" not in kinds:
            kinds.append("null")
        return (*(k for k in kinds if k != "null"), *(k for k in kinds if k == "null"))

    @property
    def value_type(self) -> str:
        """The one type a typed-in value is checked against: the first non-null type, else ``string``."""
        kinds = [k for k in self.types if k != "null"]
        return kinds[0] if kinds else "string"

    @property
    def format(self) -> str:
        fmt = self.schema.get("format")
        return fmt if isinstance(fmt, str) else ""

    @property
    def type_text(self) -> str:
        """``string (date-time) | null``, ``integer``, ``""`` when the schema says nothing of its type."""
        kinds = [k for k in self.types if k != "null"]
        text = " | ".join(kinds)
        if self.format:
            text = f"{text} ({self.format})" if text else self.format
        if "null" in self.types:
            text = f"{text} | null" if text else "null"
        return text

    @property
    def shape(self) -> str:
        """``type_text``; for an untyped composition its combiners (``oneOf``); else ``any``."""
        if self.type_text:
            return self.type_text
        combiners = [child.kind for child in self.children if child.kind in _COMBINERS]
        return " + ".join(dict.fromkeys(combiners)) or "any"

    @property
    def description(self) -> str:
        text = self.schema.get("description")
        return text.strip() if isinstance(text, str) else ""

    @property
    def title(self) -> str:
        text = self.schema.get("title")
        return text.strip() if isinstance(text, str) else ""

    @property
    def constraints(self) -> tuple[tuple[str, Any], ...]:
        """``(("minimum", 1), ("pattern", "^a"))``: the validation keywords present, in a fixed order."""
        return tuple(
            (key, self.schema[key])
            for key in CONSTRAINT_KEYS
            if key in self.schema and not isinstance(self.schema[key], Mapping | list)
        )

    @property
    def enum(self) -> tuple[Any, ...] | None:
        values = self.schema.get("enum")
        return tuple(values) if isinstance(values, list) else None

    @property
    def has_default(self) -> bool:
        return "default" in self.schema

    @property
    def default(self) -> Any:
        return self.schema.get("default")

    @property
    def has_example(self) -> bool:
        examples = self.schema.get("examples")
        return "example" in self.schema or (isinstance(examples, list) and bool(examples))

    @property
    def example(self) -> Any:
        if "example" in self.schema:
            return self.schema["example"]
        examples = self.schema.get("examples")
        return examples[0] if isinstance(examples, list) and examples else None

    @property
    def deprecated(self) -> bool:
        return self.schema.get("deprecated") is True

    @property
    def read_only(self) -> bool:
        return self.schema.get("readOnly") is True

    @property
    def write_only(self) -> bool:
        return self.schema.get("writeOnly") is True

    @property
    def composed(self) -> bool:
        return any(isinstance(self.schema.get(key), list) for key in _COMBINERS)

    def facts(self, *, enum_limit: int | None = ENUM_SHOWN) -> list[str]:
        """The schema's rules as short phrases: ``one of "a", "b"``, ``minimum 1``, ``read-only``."""
        facts: list[str] = []
        enum = self.enum
        if enum is not None:
            shown = enum if enum_limit is None else enum[:enum_limit]
            more = ", ..." if len(shown) < len(enum) else ""
            facts.append(f"one of {', '.join(value_text(v) for v in shown)}{more}")
        for key, value in self.constraints:
            facts.append(f"{key} {value_text(value)}")
        if self.has_default:
            facts.append(f"default {value_text(self.default)}")
        if self.read_only:
            facts.append("read-only")
        if self.write_only:
            facts.append("write-only")
        if self.deprecated:
            facts.append("deprecated")
        return facts

    def hint(self) -> str:
        """``integer (int32) · enum: 1, 2 · default: 1``: what a typed-in value should be, on one line."""
        parts = [self.value_type + (f" ({self.format})" if self.format else "")]
        enum = self.enum
        if enum:
            shown = ", ".join(str(v) for v in enum[:8]) + (", ..." if len(enum) > 8 else "")
            parts.append(f"enum: {shown}")
        if self.has_default:
            parts.append(f"default: {self.default}")
        return " · ".join(parts)

    # -- nesting (lazy) ------------------------------------------------------------------------

    def _child(self, raw: Any) -> SchemaNode:
        return SchemaNode(raw, self._resolve, depth=self.depth + 1, stack=self._stack)

    @cached_property
    def children(self) -> tuple[Child, ...]:
        """Properties (with required marks), variants, items, additional properties; built on first use."""
        schema = self.schema
        out: list[Child] = []
        listed = schema.get("required")
        required = set(listed) if isinstance(listed, list) else set()
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            for name, sub in properties.items():
                out.append(Child("property", str(name), self._child(sub), str(name) in required))
        for kind in _COMBINERS:
            branches = schema.get(kind)
            if isinstance(branches, list):
                out.extend(Child(kind, str(n), self._child(b), False) for n, b in enumerate(branches, 1))
        items = schema.get("items")
        if isinstance(items, Mapping):
            out.append(Child("items", "", self._child(items)))
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            out.append(Child("additional", "", self._child(extra)))
        negated = schema.get("not")
        if isinstance(negated, Mapping) and negated:
            out.append(Child("not", "", self._child(negated)))
        return tuple(out)

    def walk(self, max_depth: int | None = None) -> Iterator[tuple[int, Child]]:
        """Every edge below this node, depth first, as ``(level, child)`` (level 1 = own children).

        A generator: a renderer that stops after N lines builds only what it showed.
        """
        todo: list[tuple[int, Child]] = [(1, c) for c in reversed(self.children)]
        while todo:
            level, child = todo.pop()
            yield level, child
            if max_depth is None or level < max_depth:
                todo.extend((level + 1, c) for c in reversed(child.node.children))


def schema_node(schema: Any, resolve: Resolve | None = None) -> SchemaNode:
    """The outline of ``schema``; with ``resolve`` (``Spec.resolve``) its references are followed."""
    return SchemaNode(schema, resolve)
