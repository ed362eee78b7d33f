"""The document's path items (and webhooks) to ``Operation``s: parameters, bodies, responses, auth.

``OperationBuilder.path_items`` makes one ``LazyOperation`` per method of each path item (capped at
``MAX_OPERATIONS``) from its names alone; ``details`` builds the rest when the operation is first
read, and ``auth`` looks its security requirements up in the document's schemes. A malformed node
becomes a one-line problem on the operation (or the spec), never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labs_tui.spec.build_lazy import Details, LazyOperation
from labs_tui.spec.build_values import (
    first_example,
    has_extensions,
    mapping,
    security_requirements,
    security_schemes,
    text,
)
from labs_tui.spec.model import (
    Header,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityScheme,
)
from labs_tui.spec.refs import Resolver

# OpenAPI 3.2 adds QUERY; other methods may appear under ``additionalOperations``.
METHOD_KEYS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_UPPER = {method: method.upper() for method in METHOD_KEYS}
MAX_OPERATIONS = 100_000


class OperationBuilder:
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
            self._schemes = security_schemes(mapping(self.document.get("components")).get("securitySchemes"))
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
                self._default_auth = self._lookup(security_requirements(self.document.get("security")))
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
            content = mapping(raw.get("content"))
            first = next(iter(content.values()), None) if content else None
            schema = mapping(first).get("schema") if first is not None else None
        example, has_example = first_example(raw, self.resolver)
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
        for media_type, raw in mapping(content).items():
            raw = mapping(raw)
            example, has_example = first_example(raw, self.resolver)
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
        for status, raw in mapping(node).items():
            response = self.get(raw, problems, f"{where} response {status}")
            headers = []
            for name, header in mapping(response.get("headers")).items():
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
    ) -> Details:
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
            security_requirements(raw["security"]) if "security" in raw else None,
            {k: v for k, v in raw.items() if k[:2] == "x-"} if has_extensions(raw) else {},
            f"{method} {path} {op_id} {summary} {' '.join(tag_names)}".lower(),
        )

    def path_items(self, items: Any) -> list[Operation]:
        operations: list[Operation] = []
        append = operations.append
        for path, node in mapping(items).items():
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
                    (str(m).upper(), op) for m, op in mapping(item["additionalOperations"]).items()
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
