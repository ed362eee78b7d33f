"""The spec engine: load an OpenAPI description (bundled, file or URL) and answer questions about it.

Public: ``load_spec``, ``Spec`` and its parts (see ``model``), ``SpecError``, ``BUNDLED_SPEC``,
the endpoint filter (``FilterIndex``, ``filter_operations``; ``Spec.filter`` uses it), the describe
model (``describe_operation``, ``OperationDoc``, ...) and its schema outlines (``SchemaNode``,
``schema_node``, ...), the choices in a request body (``body_choices``, ``Choice``, ``replace_at``).
Everything else in this package is private to it. No Textual import, no printing.

``load_spec`` and ``BUNDLED_SPEC`` are exported lazily (PEP 562 ``__getattr__``): the loader pulls in
the parsers and YAML, which code that only needs the data model (the TUI at start) must not pay for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labs_tui.lazy import lazy_exports
from labs_tui.spec.model import (
    DEFAULT_VERSION_HEADER,
    HTTP_METHODS,
    Header,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityScheme,
    Server,
    ServerVariable,
    Spec,
    SpecError,
)

if TYPE_CHECKING:
    from labs_tui.spec.choices import Choice, Choices, body_choices, picks_for, replace_at
    from labs_tui.spec.describe import MediaDoc, OperationDoc, ParameterDoc, describe_operation
    from labs_tui.spec.filter import FilterIndex, declared_tags, filter_operations, group_by_tag, search_key
    from labs_tui.spec.loader import BUNDLED_SPEC, load_spec
    from labs_tui.spec.outline import Child, SchemaNode, schema_node, value_text
    from labs_tui.spec.sources import previous_copy
    from labs_tui.spec.validate import SchemaChecker, SchemaProblem

__all__ = [
    "Choice",
    "Choices",
    "body_choices",
    "picks_for",
    "replace_at",
    "declared_tags",
    "group_by_tag",
    "search_key",
    "SchemaChecker",
    "SchemaProblem",
    "previous_copy",
    "BUNDLED_SPEC",
    "Child",
    "DEFAULT_VERSION_HEADER",
    "FilterIndex",
    "HTTP_METHODS",
    "Header",
    "MediaDoc",
    "MediaType",
    "Operation",
    "OperationDoc",
    "Parameter",
    "ParameterDoc",
    "RequestBody",
    "Response",
    "SecurityScheme",
    "Server",
    "SchemaNode",
    "ServerVariable",
    "Spec",
    "SpecError",
    "describe_operation",
    "filter_operations",
    "load_spec",
    "schema_node",
    "value_text",
]


if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name is still an error
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "labs_tui.spec.choices": ("Choice", "Choices", "body_choices", "picks_for", "replace_at"),
            "labs_tui.spec.describe": ("MediaDoc", "OperationDoc", "ParameterDoc", "describe_operation"),
            "labs_tui.spec.filter": (
                "FilterIndex",
                "declared_tags",
                "filter_operations",
                "group_by_tag",
                "search_key",
            ),
            "labs_tui.spec.loader": ("BUNDLED_SPEC", "load_spec"),
            "labs_tui.spec.outline": ("Child", "SchemaNode", "schema_node", "value_text"),
            "labs_tui.spec.sources": ("previous_copy",),
            "labs_tui.spec.validate": ("SchemaChecker", "SchemaProblem"),
        },
    )
