"""The spec engine: load an OpenAPI description (bundled, file or URL) and answer questions about it.

Public: ``load_spec``, ``Spec`` and its parts (see ``model``), ``SpecError``, ``BUNDLED_SPEC``.
Everything else in this package is private to it. No Textual import, no printing.
"""

from labs_tui.spec.loader import BUNDLED_SPEC, load_spec
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

__all__ = [
    "BUNDLED_SPEC",
    "DEFAULT_VERSION_HEADER",
    "HTTP_METHODS",
    "Header",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Spec",
    "SpecError",
    "load_spec",
]
