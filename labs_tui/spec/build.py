"""An OpenAPI 3.x document (Swagger 2.0 is converted first) to the ``Spec`` model.

Only what the endpoint list, the builder and the sandbox read is built here: operations with
their parameters, bodies and responses, servers, security schemes, webhooks and the pinnable
versions. Schemas stay the document's own mappings, ``$ref`` and all, and are resolved on demand.
Anything malformed inside an operation becomes a one-line entry in ``Operation.problems`` (and
``Spec.problems``) rather than stopping the load. Nothing here prints or does I/O beyond the
resolver's own fetches of referenced files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from labs_tui.spec.engine import Engine
from labs_tui.spec.model import (
    DEFAULT_VERSION_HEADER,
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
)
from labs_tui.spec.refs import Resolver

# OpenAPI 3.2 adds QUERY; other methods may appear under ``additionalOperations``.
METHOD_KEYS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_UPPER = {method: method.upper() for method in METHOD_KEYS}
MAX_OPERATIONS = 100_000
_VERSION = re.compile(r"^\d+(?:\.\d+)*$")

_Details = tuple[tuple[Parameter, ...], RequestBody | None, tuple[Response, ...], tuple[str, ...]]


def text(value: Any) -> str:
    """A document value as display text: strings as they are, numbers and booleans as written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if type(value) is dict or isinstance(value, Mapping) else {}


class _Builder:
    def __init__(self, document: Mapping[str, Any], resolver: Resolver) -> None:
        self.document = document
        self.resolver = resolver
        self.problems: list[str] = []
        self._schemes: dict[str, SecurityScheme] | None = None
        self._default_auth: tuple[tuple[SecurityScheme, ...], ...] | None = None

    @property
    def schemes(self) -> dict[str, SecurityScheme]:
        """The document's security schemes by name, read once."""
        if self._schemes is None:
            self._schemes = _schemes(_mapping(self.document.get("components")).get("securitySchemes"))
        return self._schemes

    def auth(
        self, security: tuple[Mapping[str, tuple[str, ...]], ...] | None
    ) -> tuple[tuple[SecurityScheme, ...], ...] | None:
        """An operation's ``security`` (None: the document's) with each scheme looked up; None when
        neither says anything. A name no scheme declares stays as a scheme of type ""."""
        if security is None:
            if "security" not in self.document:
                return None
            if self._default_auth is None:
                self._default_auth = self._lookup(_security(self.document.get("security")))
            return self._default_auth
        return self._lookup(security)

    def _lookup(
        self, security: tuple[Mapping[str, tuple[str, ...]], ...]
    ) -> tuple[tuple[SecurityScheme, ...], ...]:
        schemes = self.schemes
        return tuple(
            tuple(schemes.get(name) or SecurityScheme(name=name, type="") for name in requirement)
            for requirement in security
        )

    def get(self, node: Any, problems: list[str], where: str) -> Mapping[str, Any]:
        if isinstance(node, Mapping) and "$ref" not in node:
            return node
        if not isinstance(node, Mapping):
            if node is not None:
                problems.append(f"{where}: expected a mapping, found {type(node).__name__}")
            return {}
        return self.resolver.resolve(node, problems, where)

    def parameter(self, node: Any, problems: list[str], where: str) -> Parameter | None:
        raw = self.get(node, problems, where)
        name, location = raw.get("name"), raw.get("in")
        if not isinstance(name, str) or not isinstance(location, str):
            if raw:
                problems.append(f"{where}: a parameter without a name or 'in'")
            return None
        schema = raw.get("schema")
        if not isinstance(schema, Mapping):
            content = _mapping(raw.get("content"))
            first = next(iter(content.values()), None) if content else None
            schema = _mapping(first).get("schema") if first is not None else None
        example, has_example = _first_example(raw, self.resolver)
        return Parameter(
            name=name,
            location=location,
            required=raw.get("required") is True or location == "path",
            description=text(raw.get("description")),
            schema=schema if isinstance(schema, Mapping) else {},
            deprecated=raw.get("deprecated") is True,
            example=example,
            has_example=has_example,
            style=raw["style"] if isinstance(raw.get("style"), str) else "",
            explode=raw["explode"] if isinstance(raw.get("explode"), bool) else None,
        )

    def media(self, content: Any) -> tuple[MediaType, ...]:
        result = []
        for media_type, raw in _mapping(content).items():
            raw = _mapping(raw)
            example, has_example = _first_example(raw, self.resolver)
            schema = raw.get("schema")
            result.append(
                MediaType(
                    media_type=str(media_type),
                    schema=schema if isinstance(schema, Mapping) else {},
                    example=example,
                    has_example=has_example,
                )
            )
        return tuple(result)

    def responses(self, node: Any, problems: list[str], where: str) -> tuple[Response, ...]:
        result = []
        for status, raw in _mapping(node).items():
            response = self.get(raw, problems, f"{where} response {status}")
            headers = []
            for name, header in _mapping(response.get("headers")).items():
                resolved = self.get(header, problems, f"{where} response {status} header {name}")
                schema = resolved.get("schema")
                headers.append(
                    Header(
                        name=str(name),
                        description=text(resolved.get("description")),
                        schema=schema if isinstance(schema, Mapping) else {},
                        required=resolved.get("required") is True,
                    )
                )
            result.append(
                Response(
                    status=str(status),
                    description=text(response.get("description")),
                    headers=tuple(headers),
                    content=self.media(response.get("content")),
                )
            )
        return tuple(result)

    def details(
        self,
        method: str,
        path: str,
        raw: Mapping[str, Any],
        shared: Any,
        inherited: tuple[str, ...],
    ) -> _Details:
        """Parameters (path level, then operation level overriding by (name, in)), body, responses
        and the problems met building them, including broken references reachable from here."""
        problems = list(inherited)
        where = f"{method} {path}"
        merged: dict[tuple[str, str], Parameter] = {}
        for level, params in (("path", shared), ("operation", raw.get("parameters"))):
            if params is not None and not isinstance(params, list):
                problems.append(f"{where}: {level}-level 'parameters' is not a list")
                continue
            for index, node in enumerate(params or ()):
                parameter = self.parameter(node, problems, f"{where} {level} parameter {index}")
                if parameter is not None:
                    merged[parameter.key] = parameter
        body = None
        if "requestBody" in raw:
            resolved = self.get(raw.get("requestBody"), problems, f"{where} requestBody")
            body = RequestBody(
                required=resolved.get("required") is True,
                description=text(resolved.get("description")),
                content=self.media(resolved.get("content")),
            )
        responses = self.responses(raw.get("responses"), problems, where)
        shown = self.resolver.shown
        problems.extend(
            f"{where}: broken $ref '{shown(ref)}': {self.resolver.broken.get(ref, 'cannot be resolved')}"
            for ref in self.resolver.reaches_broken(raw)
            if not any(f"'{shown(ref)}'" in problem for problem in problems)
        )
        return tuple(merged.values()), body, responses, tuple(dict.fromkeys(problems))

    def operation(
        self, method: str, path: str, raw: Mapping[str, Any], shared: Any, inherited: tuple[str, ...]
    ) -> Operation:
        get = raw.get
        tags = get("tags")
        tag_names: tuple[str, ...] = ()
        if type(tags) is list:
            tag_names = tuple([name for name in (t if type(t) is str else text(t) for t in tags) if name])
        elif isinstance(tags, list):
            tag_names = tuple(name for name in (t if isinstance(t, str) else text(t) for t in tags) if name)
        op_id, summary, description = get("operationId"), get("summary"), get("description")
        if type(op_id) is not str:
            op_id = op_id if isinstance(op_id, str) else text(op_id)
        if type(summary) is not str:
            summary = summary if isinstance(summary, str) else text(summary)
        if type(description) is not str:
            description = description if isinstance(description, str) else text(description)
        return LazyOperation(
            self,
            raw,
            shared,
            inherited,
            method,
            path,
            op_id,
            summary,
            description,
            tag_names,
            get("deprecated") is True,
            _security(raw["security"]) if "security" in raw else None,
            {k: v for k, v in raw.items() if k[:2] == "x-"} if _has_extensions(raw) else {},
            f"{method} {path} {op_id} {summary} {' '.join(tag_names)}".lower(),
        )

    def path_items(self, items: Any) -> list[Operation]:
        operations: list[Operation] = []
        append = operations.append
        for path, node in _mapping(items).items():
            if type(path) is not str:
                path = str(path)
            item_problems: list[str] = []
            item = (
                node
                if (type(node) is dict or isinstance(node, Mapping)) and "$ref" not in node
                else self.get(node, item_problems, path)
            )
            if not item and not isinstance(node, Mapping):
                self.problems.extend(item_problems or [f"{path}: the path item is not a mapping"])
                continue
            candidates: list[tuple[str, Any]] = [(_UPPER[m], item[m]) for m in METHOD_KEYS if m in item]
            if "additionalOperations" in item:
                candidates.extend(
                    (str(m).upper(), op) for m, op in _mapping(item["additionalOperations"]).items()
                )
            inherited = tuple(item_problems)
            shared = item.get("parameters")
            for method, raw in candidates:
                if type(raw) is not dict and not isinstance(raw, Mapping):
                    self.problems.append(f"{method} {path}: the operation is not a mapping")
                    continue
                append(self.operation(method, path, raw, shared, inherited))
                if len(operations) > MAX_OPERATIONS:
                    return operations
            if not candidates and item_problems:
                self.problems.extend(item_problems)
        return operations


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
    _builder: _Builder
    _raw: Mapping[str, Any]
    _shared: Any
    _inherited: tuple[str, ...]
    _built: _Details | None

    def __init__(
        self,
        builder: _Builder,
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
    ) -> _Details:
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


def _has_extensions(raw: Mapping[str, Any]) -> bool:
    for key in raw:
        if key[:2] == "x-":
            return True
    return False


def _first_example(raw: Mapping[str, Any], resolver: Resolver) -> tuple[Any, bool]:
    if "example" in raw:
        return raw["example"], True
    examples = raw.get("examples")
    if isinstance(examples, Mapping):
        for value in examples.values():
            resolved = resolver.resolve(value)
            if "value" in resolved:
                return resolved["value"], True
    return None, False


def _security(value: Any) -> tuple[Mapping[str, tuple[str, ...]], ...]:
    if not isinstance(value, list):
        return ()
    result = []
    for requirement in value:
        if isinstance(requirement, Mapping):
            result.append(
                {
                    str(name): tuple(text(s) for s in scopes) if isinstance(scopes, list) else ()
                    for name, scopes in requirement.items()
                }
            )
    return tuple(result)


def _servers(value: Any) -> tuple[Server, ...]:
    servers = []
    for raw in value if isinstance(value, list) else ():
        if not isinstance(raw, Mapping) or not isinstance(raw.get("url"), str):
            continue
        variables = []
        for name, var in _mapping(raw.get("variables")).items():
            var = _mapping(var)
            enum = var.get("enum")
            variables.append(
                ServerVariable(
                    name=str(name),
                    default=text(var.get("default")),
                    enum=tuple(text(e) for e in enum) if isinstance(enum, list) else (),
                    description=text(var.get("description")),
                )
            )
        servers.append(
            Server(url=raw["url"], description=text(raw.get("description")), variables=tuple(variables))
        )
    return tuple(servers)


def _schemes(value: Any) -> dict[str, SecurityScheme]:
    schemes = {}
    for name, raw in _mapping(value).items():
        raw = _mapping(raw)
        schemes[str(name)] = SecurityScheme(
            name=str(name),
            type=text(raw.get("type")),
            scheme=text(raw.get("scheme")).lower(),
            bearer_format=text(raw.get("bearerFormat")),
            location=text(raw.get("in")),
            parameter_name=text(raw.get("name")),
            description=text(raw.get("description")),
        )
    return schemes


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _version_candidates(document: Mapping[str, Any]) -> Any:
    yield from _mapping(_mapping(document.get("components")).get("parameters")).values()
    for item in _mapping(document.get("paths")).values():
        if not isinstance(item, Mapping):
            continue
        for level in (item, *(item[m] for m in METHOD_KEYS if isinstance(item.get(m), Mapping))):
            params = level.get("parameters")
            if isinstance(params, list):
                yield from params


def _versions(document: Mapping[str, Any], resolver: Resolver) -> tuple[str, tuple[str, ...], str | None]:
    declared = _mapping(_mapping(document.get("info")).get("x-labs-versions"))
    header = text(declared.get("header")) or DEFAULT_VERSION_HEADER
    known_raw = declared.get("known")
    known: list[str] = [text(v) for v in known_raw if text(v)] if isinstance(known_raw, list) else []
    if not known:
        wanted = header.lower()
        for raw in _version_candidates(document):
            param = resolver.resolve(raw)
            if text(param.get("in")) != "header" or text(param.get("name")).lower() != wanted:
                continue
            enum = resolver.resolve(param.get("schema")).get("enum")
            if isinstance(enum, list) and enum:
                known = [text(v) for v in enum if text(v)]
                header = text(param.get("name"))
                break
    unique = list(dict.fromkeys(known))
    if all(_VERSION.match(v) for v in unique):
        unique.sort(key=_version_key)
    latest = text(declared.get("latest")) or None
    return header, tuple(unique), latest


def build_spec(
    document: Mapping[str, Any],
    *,
    source: str,
    engine: Engine,
    openapi_version: str,
    known_refs: set[str] = frozenset(),  # type: ignore[assignment]
    problems: list[str] | None = None,
) -> Spec:
    """The ``Spec`` for a (3.x-shaped) document; ``known_refs`` are checked up front for problems."""
    resolver = engine.resolver
    builder = _Builder(document, resolver)
    for ref, reason in sorted(resolver.check(known_refs).items()):
        builder.problems.append(f"broken $ref '{resolver.shown(ref)}': {reason}")
    operations = builder.path_items(document.get("paths"))
    webhooks = builder.path_items(document.get("webhooks"))
    info = _mapping(document.get("info"))
    header, known, latest = _versions(document, resolver)
    all_problems = list(dict.fromkeys([*(problems or []), *builder.problems]))
    spec = Spec(
        source=source,
        title=text(info.get("title")),
        version=text(info.get("version")),
        openapi_version=openapi_version,
        description=text(info.get("description")),
        servers=_servers(document.get("servers")),
        operations=tuple(operations),
        webhooks=tuple(webhooks),
        security_schemes=builder.schemes,
        security=_security(document.get("security")),
        version_header=header,
        known_versions=known,
        latest_version=latest,
        document=document,
        problems=tuple(all_problems),
        _engine=engine,
    )
    engine.attach(spec.operations)
    return spec
