"""What the spec says about one operation, as data: the model ``labs-tui describe`` and the Docs tab render.

``describe(spec, operation)`` returns an ``OperationDoc``: parameters with their type, constraints,
enum, default and example; the request body and the responses per media type, each with a schema
outline; response headers; the security requirements. A schema outline is a tree of
``SchemaNode`` (``outline.py``: type, description, constraints, enum, default, example,
oneOf/anyOf/allOf variants, cycles and broken references marked, children built lazily).

The outline's names (``SchemaNode``, ``schema_node``, ``value_text``, ...) stay importable from
here. No Textual, no Rich, no printing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from labs_tui.spec.model import Operation, Spec
from labs_tui.spec.outline import (
    CONSTRAINT_KEYS,
    ENUM_SHOWN,
    Child,
    ChildKind,
    Resolve,
    SchemaNode,
    ref_name,
    schema_node,
    shorten,
    value_text,
)

# The outline's names, which lived here before ``outline.py``, stay importable from this module.
__all__ = [
    "CONSTRAINT_KEYS",
    "ENUM_SHOWN",
    "BodyDoc",
    "Child",
    "ChildKind",
    "HeaderDoc",
    "MediaDoc",
    "OperationDoc",
    "ParameterDoc",
    "Resolve",
    "ResponseDoc",
    "SchemaNode",
    "SecurityDoc",
    "describe",
    "describe_operation",
    "ref_name",
    "schema_node",
    "shorten",
    "value_text",
]


@dataclass(frozen=True, slots=True)
class ParameterDoc:
    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    description: str
    deprecated: bool
    schema: Any  # as the spec holds it
    node: SchemaNode
    has_example: bool = False
    example: Any = None  # the parameter's own example, else its schema's

    @property
    def type_text(self) -> str:
        return self.node.type_text


class MediaDoc:
    """One media type of a body: its schema outline and an example (the spec's, else built on first use)."""

    def __init__(
        self, media_type: str, schema: Any, node: SchemaNode, example_given: bool, build: Any
    ) -> None:
        self.media_type = media_type
        self.schema = schema  # as the spec holds it (``Spec.expand`` gives the JSON form)
        self.node = node
        self.example_given = example_given  # True when the spec gives the example, False when built
        self._build: Callable[[], Any] = build

    @cached_property
    def example(self) -> Any:
        return self._build()


@dataclass(frozen=True, slots=True)
class HeaderDoc:
    name: str
    description: str
    required: bool
    schema: Any
    node: SchemaNode


@dataclass(frozen=True, slots=True)
class ResponseDoc:
    status: str
    description: str
    headers: tuple[HeaderDoc, ...]
    content: tuple[MediaDoc, ...]


@dataclass(frozen=True, slots=True)
class BodyDoc:
    required: bool
    description: str
    content: tuple[MediaDoc, ...]


@dataclass(frozen=True, slots=True)
class SecurityDoc:
    """One way to authenticate: every scheme named must be satisfied (``schemes`` empty: none needed)."""

    schemes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, what it is, scopes)


@dataclass(frozen=True, slots=True)
class OperationDoc:
    operation: Operation
    parameters: tuple[ParameterDoc, ...]
    request_body: BodyDoc | None
    responses: tuple[ResponseDoc, ...]
    security: tuple[SecurityDoc, ...] | None  # None: the spec says nothing about auth
    security_inherited: bool  # the operation has none of its own: the spec's default applies
    problems: tuple[str, ...] = field(default=())

    @property
    def permission(self) -> str | None:
        return self.operation.required_permission


def _scheme_text(spec: Spec, name: str) -> str:
    scheme = spec.security_schemes.get(name)
    if scheme is None:
        return "not declared in the spec"
    if scheme.type == "http":
        text = f"http {scheme.scheme}".strip()
        return f"{text} ({scheme.bearer_format})" if scheme.bearer_format else text
    if scheme.type == "apiKey":
        return f"api key in {scheme.location} {scheme.parameter_name}".strip()
    return scheme.type


def _media(spec: Spec, content: Sequence[Any], direction: str) -> tuple[MediaDoc, ...]:
    out = []
    for item in content:
        given = bool(item.has_example)

        def build(item: Any = item, given: bool = given) -> Any:
            return item.example if given else spec.example(item.schema, direction=direction)

        out.append(
            MediaDoc(item.media_type, item.schema, schema_node(item.schema, spec.resolve), given, build)
        )
    return tuple(out)


def describe(spec: Spec, operation: Operation) -> OperationDoc:
    """The model of ``operation`` (see the module docstring); schemas are outlined lazily."""
    resolve = spec.resolve
    parameters = []
    for param in operation.parameters:
        node = schema_node(param.schema, resolve)
        has_example = param.has_example or node.has_example
        example = param.example if param.has_example else node.example
        parameters.append(
            ParameterDoc(
                param.name,
                param.location,
                param.required,
                param.description.strip(),
                param.deprecated,
                param.schema,
                node,
                has_example,
                example,
            )
        )
    body = operation.request_body
    body_doc = (
        BodyDoc(body.required, body.description.strip(), _media(spec, body.content, "request"))
        if body is not None
        else None
    )
    responses = tuple(
        ResponseDoc(
            response.status,
            response.description.strip(),
            tuple(
                HeaderDoc(h.name, h.description.strip(), h.required, h.schema, schema_node(h.schema, resolve))
                for h in response.headers
            ),
            _media(spec, response.content, "response"),
        )
        for response in operation.responses
    )
    requirements = operation.security if operation.security is not None else spec.security
    security: tuple[SecurityDoc, ...] | None = None
    if operation.security is not None or spec.security:
        security = tuple(
            SecurityDoc(tuple((name, _scheme_text(spec, name), tuple(scopes)) for name, scopes in r.items()))
            for r in requirements
        )
    return OperationDoc(
        operation,
        tuple(parameters),
        body_doc,
        responses,
        security,
        operation.security is None,
        operation.problems,
    )


describe_operation = describe  # the name ``labs_tui.spec`` exports (``describe`` is this module's name)
