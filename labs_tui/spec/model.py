"""The parsed form of an OpenAPI document: plain, immutable data that every other part reads.

This module only declares shapes. Loading, ``$ref`` resolution and indexing live in the sibling
modules; nothing here does I/O, and nothing here imports Textual.

Schemas are kept as the JSON-like mappings the document holds (they may still contain ``$ref``);
``Spec.resolve`` follows a reference and ``Spec.example`` builds an example value, both bounded so
that cyclic schemas never recurse forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS: tuple[str, ...] = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE")
DEFAULT_VERSION_HEADER = "X-Labs-API-Version"

JSON = Any
Schema = Mapping[str, Any]


class SpecError(Exception):
    """Any input that cannot be used as an API description.

    ``str(error)`` is always one line saying what is wrong and where (source, and line when known).
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        self.message = " ".join(message.split())
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {self.message}" if where else self.message)


@dataclass(frozen=True, slots=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Server:
    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()

    def expanded(self, values: Mapping[str, str] | None = None) -> str:
        """The URL with ``{variables}`` replaced by the given values or their defaults."""
        url = self.url
        for var in self.variables:
            url = url.replace("{" + var.name + "}", (values or {}).get(var.name, var.default))
        return url


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool = False
    description: str = ""
    schema: Schema = field(default_factory=dict)
    deprecated: bool = False
    example: JSON = None
    has_example: bool = False
    style: str = ""  # OpenAPI ``style`` as written ("" : the location's default)
    explode: bool | None = None  # OpenAPI ``explode`` as written (None: the style's default)

    @property
    def key(self) -> tuple[str, str]:
        return (self.name.lower() if self.location == "header" else self.name, self.location)


@dataclass(frozen=True, slots=True)
class MediaType:
    media_type: str
    schema: Schema = field(default_factory=dict)
    example: JSON = None
    has_example: bool = False


def preferred_media(content: tuple[MediaType, ...]) -> MediaType | None:
    """The JSON media type among ``content`` if there is one (``*/json``, ``*+json``), else the first."""
    for media in content:
        if media.media_type.split(";")[0].strip().endswith("json"):
            return media
    return content[0] if content else None


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool = False
    description: str = ""
    content: tuple[MediaType, ...] = ()

    def preferred(self) -> MediaType | None:
        """The JSON media type if there is one, else the first."""
        return preferred_media(self.content)


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    description: str = ""
    schema: Schema = field(default_factory=dict)
    required: bool = False


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str = ""
    headers: tuple[Header, ...] = ()
    content: tuple[MediaType, ...] = ()

    def preferred(self) -> MediaType | None:
        """The JSON media type if there is one, else the first."""
        return preferred_media(self.content)


@dataclass(frozen=True, slots=True)
class Operation:
    method: str  # upper case
    path: str
    operation_id: str = ""
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    request_body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[Mapping[str, tuple[str, ...]], ...] | None = None  # None: inherits the spec's
    extensions: Mapping[str, JSON] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # one-line reports, e.g. a broken $ref used here
    search_key: str = ""  # lower-cased "method path operationId summary tags", precomputed
    # ``security`` (else the spec's) with each scheme name looked up: alternatives, each a set of schemes
    # that must all be met. () = no credentials; None = the spec says nothing about auth.
    auth: tuple[tuple[SecurityScheme, ...], ...] | None = None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def first_tag(self) -> str:
        return self.tags[0] if self.tags else "default"

    @property
    def required_permission(self) -> str | None:
        """The permission the endpoint needs, when the spec says (``x-required-permission`` and kin)."""
        for name in ("x-required-permission", "x-permission", "x-labs-permission"):
            value = self.extensions.get(name)
            if isinstance(value, str) and value:
                return value
        return None

    def response(self, status: int | str) -> Response | None:
        """The documented response for a status: exact, then ``4XX``-style, then ``default``."""
        text = str(status)
        by_status = {r.status.upper(): r for r in self.responses}
        return by_status.get(text) or by_status.get(text[:1] + "XX") or by_status.get("DEFAULT")


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str
    type: str  # "http", "apiKey", "oauth2", "openIdConnect", "mutualTLS"; "" for a name not declared
    scheme: str = ""  # for http: "bearer", "basic"
    bearer_format: str = ""
    location: str = ""  # for apiKey: "header" | "query" | "cookie"
    parameter_name: str = ""  # for apiKey
    description: str = ""


@dataclass(slots=True)
class Spec:
    """A loaded API description: what the endpoint list, the builder, the sandbox and the CLI read.

    Built by ``labs_tui.spec.load_spec``; the methods below are implemented by the engine modules
    (``refs``, ``examples``, ``index``) and are bounded on every input.
    """

    source: str  # the path or URL it came from, or "bundled"
    title: str = ""
    version: str = ""
    openapi_version: str = ""  # "2.0", "3.0.3", "3.1.0", "3.2.0", ...
    description: str = ""
    servers: tuple[Server, ...] = ()
    operations: tuple[Operation, ...] = ()
    webhooks: tuple[Operation, ...] = ()
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=dict)
    security: tuple[Mapping[str, tuple[str, ...]], ...] = ()
    version_header: str = DEFAULT_VERSION_HEADER
    known_versions: tuple[str, ...] = ()  # minors of the pin header, oldest first, e.g. ("1.0", "1.1")
    latest_version: str | None = None  # what an unpinned request gets, when the spec says
    document: Mapping[str, Any] = field(default_factory=dict)  # the normalised document
    problems: tuple[str, ...] = ()  # one-line reports that did not stop loading
    notice: str | None = None  # e.g. "offline: using the cached copy from 3 h ago"
    _engine: Any = field(default=None, repr=False, compare=False)  # resolver state, set by the loader

    def _lookups(self) -> Any:
        # A Spec built by hand (tests, the TUI's fixtures) gets its engine on first use.
        if self._engine is None:
            from labs_tui.spec.engine import Engine

            self._engine = Engine(self.document, self.source)
        if self._engine.attached is not self.operations:
            self._engine.attach(self.operations)
        return self._engine

    def find(self, ref: str) -> Operation | None:
        """The operation named by an operationId, or by ``"METHOD PATH"`` (method in any case)."""
        found: Operation | None = self._lookups().find(ref)
        return found

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation serving a concrete path (query ignored) and its decoded path parameters.

        Literal segments win over templated ones, and a concrete path (no ``{param}``) that matches is
        the only candidate, whatever the method (OpenAPI); ``None`` when no template and method match.
        """
        found: tuple[Operation, dict[str, str]] | None = self._lookups().match(method, path)
        return found

    def declares_version_header(self) -> bool:
        """Whether the spec pins versions by a header (``x-labs-versions``, or a header parameter named
        like ``version_header``): only then does a client offer a version pin."""
        info = self.document.get("info") if isinstance(self.document, Mapping) else None
        if self.known_versions or (isinstance(info, Mapping) and "x-labs-versions" in info):
            return True
        wanted = self.version_header.lower()
        return any(
            p.location == "header" and p.name.lower() == wanted
            for op in self.operations
            for p in op.parameters
        )

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        """Methods documented for a concrete path, in HTTP_METHODS order: the ``Allow`` of a 405."""
        methods: tuple[str, ...] = self._lookups().allowed_methods(path)
        return methods

    def filter(self, text: str) -> list[Operation]:
        """Operations matching every word of ``text``, best first (the rules: ``labs_tui.spec.filter``).

        A word matches the method, path, operationId, summary or tags as a substring, or by its
        letters in order within one word of them; substring matches rank first.
        """
        found: list[Operation] = self._lookups().filter(text)
        return found

    def resolve(self, node: Any) -> Mapping[str, Any]:
        """``node`` with its ``$ref`` chain followed (bounded); ``{}`` when broken or not a mapping."""
        resolved: Mapping[str, Any] = self._lookups().resolve(node)
        return resolved

    def example(self, schema: Any, *, direction: str | None = None) -> Any:
        """An example value for ``schema`` (bounded depth, cycles cut).

        ``direction="request"`` leaves out readOnly properties, ``"response"`` writeOnly ones.
        """
        return self._lookups().example(schema, direction)

    def expand(self, schema: Any) -> Any:
        """``schema`` with ``$ref``s expanded for display; cycles marked ``x-cycle`` (never followed),
        names kept as ``x-ref``, overflow marked ``x-truncated``, broken refs ``x-broken``."""
        from labs_tui.spec.expand import expand_schema

        return expand_schema(schema, self.resolve)

    @property
    def all_problems(self) -> tuple[str, ...]:
        """Load-time problems plus those met since (e.g. a broken ``$ref`` resolved on demand)."""
        extra = tuple(p for p in self._lookups().runtime_problems if p not in self.problems)
        return self.problems + extra
