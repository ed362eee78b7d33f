"""``LazyOperation``: an ``Operation`` whose details are built the first time someone reads them.

The builder (``build_operations``) makes one per operation in the document with only its names
(method, path, id, summary, tags, ...); parameters, body, responses and problems wait for the few
operations someone opens. The slots are filled through their own descriptors, not ``setattr``, as
thousands of them are made per load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from labs_tui.spec.model import Operation, Parameter, RequestBody, Response, SecurityScheme

if TYPE_CHECKING:
    from labs_tui.spec.build_operations import OperationBuilder

Details = tuple[tuple[Parameter, ...], RequestBody | None, tuple[Response, ...], tuple[str, ...]]
"""Parameters, body, responses and problems: what ``OperationBuilder.details`` builds on first read."""

_FIELDS = (
    "method",
    "path",
    "operation_id",
    "summary",
    "description",
    "tags",
    "deprecated",
    "security",
    "extensions",
    "search_key",
)
# The slots' own setters: a frozen dataclass refuses ``setattr``, and these skip the name lookup
# ``object.__setattr__`` would repeat for every field of thousands of operations.
(
    _set_method,
    _set_path,
    _set_operation_id,
    _set_summary,
    _set_description,
    _set_tags,
    _set_deprecated,
    _set_security,
    _set_extensions,
    _set_search_key,
) = (Operation.__dict__[name].__set__ for name in _FIELDS)


class LazyOperation(Operation):
    """An ``Operation`` whose parameters, body, responses and problems are built on first read.

    Listing, filtering and finding thousands of operations then costs only their names; the
    details (and the ``$ref``s they need) are resolved for the few operations someone opens.
    It reads and compares like any ``Operation``. Until then it holds the builder and the raw
    nodes the details come from.
    """

    __slots__ = ("_builder", "_raw", "_shared", "_inherited", "_built")
    _builder: OperationBuilder
    _raw: Mapping[str, Any]
    _shared: Any
    _inherited: tuple[str, ...]
    _built: Details | None

    def __init__(
        self,
        builder: OperationBuilder,
        raw: Mapping[str, Any],
        shared: Any,
        inherited: tuple[str, ...],
        method: str,
        path: str,
        operation_id: str,
        summary: str,
        description: str,
        tags: tuple[str, ...],
        deprecated: bool,
        security: tuple[Mapping[str, tuple[str, ...]], ...] | None,
        extensions: Mapping[str, Any],
        search_key: str,
    ) -> None:
        _set_method(self, method)
        _set_path(self, path)
        _set_operation_id(self, operation_id)
        _set_summary(self, summary)
        _set_description(self, description)
        _set_tags(self, tags)
        _set_deprecated(self, deprecated)
        _set_security(self, security)
        _set_extensions(self, extensions)
        _set_search_key(self, search_key)
        setter = object.__setattr__
        setter(self, "_builder", builder)
        setter(self, "_raw", raw)
        setter(self, "_shared", shared)
        setter(self, "_inherited", inherited)
        setter(self, "_built", None)

    def _details(
        self,
    ) -> Details:
        built = self._built
        if built is None:
            built = self._builder.details(self.method, self.path, self._raw, self._shared, self._inherited)
            object.__setattr__(self, "_built", built)
        return built

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return self._details()[0]

    @property
    def request_body(self) -> RequestBody | None:
        return self._details()[1]

    @property
    def responses(self) -> tuple[Response, ...]:
        return self._details()[2]

    @property
    def problems(self) -> tuple[str, ...]:
        return self._details()[3]

    @property
    def auth(self) -> tuple[tuple[SecurityScheme, ...], ...] | None:
        return self._builder.auth(self.security)
