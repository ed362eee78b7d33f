"""An OpenAPI 3.x document (Swagger 2.0 is converted first) to the ``Spec`` model.

Only what the endpoint list, the builder and the sandbox read is built: operations with
their parameters, bodies and responses, servers, security schemes, webhooks and the pinnable
versions. Schemas stay the document's own mappings, ``$ref`` and all, and are resolved on demand.
Anything malformed inside an operation becomes a one-line entry in ``Operation.problems`` (and
``Spec.problems``) rather than stopping the load. Nothing here prints or does I/O beyond the
resolver's own fetches of referenced files.

This module reads the document's top level (info, servers, the pinnable versions and their header)
and assembles the ``Spec``; its parts: ``build_operations`` (path items to operations),
``build_lazy`` (``LazyOperation``, details on first read), ``build_values`` (reading text, examples
and security from the document). The TUI imports all four before its first paint: each further
module costs start-up time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from labs_tui.spec.build_operations import METHOD_KEYS, OperationBuilder
from labs_tui.spec.build_values import mapping, security_requirements, text
from labs_tui.spec.engine import Engine
from labs_tui.spec.model import DEFAULT_VERSION_HEADER, Server, ServerVariable, Spec
from labs_tui.spec.refs import Resolver

__all__ = ["build_spec", "text"]

_VERSION = re.compile(r"^\d+(?:\.\d+)*$")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _version_candidates(document: Mapping[str, Any]) -> Any:
    yield from mapping(mapping(document.get("components")).get("parameters")).values()
    for item in mapping(document.get("paths")).values():
        if not isinstance(item, Mapping):
            continue
        for level in (item, *(item[m] for m in METHOD_KEYS if isinstance(item.get(m), Mapping))):
            params = level.get("parameters")
            if isinstance(params, list):
                yield from params


def _versions(document: Mapping[str, Any], resolver: Resolver) -> tuple[str, tuple[str, ...], str | None]:
    declared = mapping(mapping(document.get("info")).get("x-labs-versions"))
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


def _servers(value: Any) -> tuple[Server, ...]:
    servers = []
    for raw in value if isinstance(value, list) else ():
        if not isinstance(raw, Mapping) or not isinstance(raw.get("url"), str):
            continue
        variables = []
        for name, var in mapping(raw.get("variables")).items():
            var = mapping(var)
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
    builder = OperationBuilder(document, resolver)
    for ref, reason in sorted(resolver.check(known_refs).items()):
        builder.problems.append(f"broken $ref '{resolver.shown(ref)}': {reason}")
    operations = builder.path_items(document.get("paths"))
    webhooks = builder.path_items(document.get("webhooks"))
    info = mapping(document.get("info"))
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
        security=security_requirements(document.get("security")),
        version_header=header,
        known_versions=known,
        latest_version=latest,
        document=document,
        problems=tuple(all_problems),
        _engine=engine,
    )
    engine.attach(spec.operations)
    return spec
