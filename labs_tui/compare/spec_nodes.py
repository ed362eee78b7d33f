"""The spec diff's view of one version's raw document: operation nodes, ``$ref``s, lazy parts.

Operations are compared on the document's raw nodes first; only the parts whose nodes differ are
built into the model's shapes (``Parameter``, ``RequestBody``, ``Response``) here, each shared
component resolved once. ``_refs`` lists the references a node holds, so equal nodes can be
trusted only when what they reach is equal too. This module must not compare two versions or
decide what a change is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from labs_tui.compare.spec_schema import _mapping
from labs_tui.spec.model import Header, MediaType, Operation, Parameter, RequestBody, Response, Spec


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` string inside ``node``: read off its JSON text (C speed), walked when in doubt."""
    if type(node) is dict and len(node) == 1:  # the common ``{"$ref": ...}``, and its lists
        ref = node.get("$ref")
        if type(ref) is str:
            return [ref]
    elif type(node) is list and all(type(item) is dict and len(item) == 1 for item in node):
        refs = [item.get("$ref") for item in node]
        if all(type(ref) is str for ref in refs):
            return refs
    elif type(node) is dict and all(type(item) is dict and len(item) == 1 for item in node.values()):
        refs = [item.get("$ref") for item in node.values()]  # e.g. responses that are all references
        if all(type(ref) is str for ref in refs):
            return refs
    try:
        text = json.dumps(node, ensure_ascii=False, check_circular=False)
    except (TypeError, ValueError, RecursionError):
        text = None
    if text is not None:
        parts = text.split('"$ref": "')  # an escaped quote in a value never reads as this
        found = [part[: part.find('"')] for part in parts[1:]]
        if not any("\\" in ref for ref in found):
            return found
    found_walk: list[str] = []  # a reference with an escaped character in it, or a value JSON cannot hold
    work = [node]
    while work:
        item = work.pop()
        if isinstance(item, Mapping):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found_walk.append(ref)
            work.extend(value for value in item.values() if isinstance(value, Mapping | list))
        elif isinstance(item, list):
            work.extend(value for value in item if isinstance(value, Mapping | list))
    return found_walk


class _Side:
    """One version's raw operation nodes, and the parts of an operation built only when needed.

    ``Operation``'s parameters, body and responses are built on first read by the loader, which
    costs far more than comparing raw nodes; the diff reads the document's nodes and builds the
    model's shapes only for the parts whose nodes differ.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.paths = _mapping(spec.document.get("paths"))
        self.by_ref: dict[str, Mapping[str, Any]] = {}
        self.params: dict[int, tuple[Mapping[str, Any], Parameter | None]] = {}

    def raw(self, op: Operation) -> tuple[Mapping[str, Any], Any] | None:
        item = self.paths.get(op.path)
        node = item.get(op.method.lower()) if isinstance(item, Mapping) else None
        if not isinstance(node, Mapping):
            return None
        return node, item.get("parameters") if isinstance(item, Mapping) else None

    def get(self, node: Any) -> Mapping[str, Any]:
        if type(node) is not dict and not isinstance(node, Mapping):
            return {}
        ref = node.get("$ref")
        if isinstance(ref, str) and len(node) == 1:  # the same shared component, read once
            found = self.by_ref.get(ref)
            if found is None:
                found = self.by_ref[ref] = self.spec.resolve(node)
            return found
        return self.spec.resolve(node)

    def parameter(self, node: Any) -> Parameter | None:
        raw = self.get(node)
        cached = self.params.get(id(raw))
        if cached is not None:
            return cached[1]
        name, location = raw.get("name"), raw.get("in")
        param = None
        if isinstance(name, str) and isinstance(location, str):
            schema = raw.get("schema")
            if not isinstance(schema, Mapping):
                content = _mapping(raw.get("content"))
                first = next(iter(content.values()), None)
                schema = _mapping(first).get("schema")
            param = Parameter(
                name=name,
                location=location,
                required=raw.get("required") is True or location == "path",
                schema=schema if isinstance(schema, Mapping) else {},
                deprecated=raw.get("deprecated") is True,
            )
        self.params[id(raw)] = (raw, param)  # the node is kept so its id stays its own
        return param

    def parameters(self, shared: Any, own: Any) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], Parameter] = {}
        for params in (shared, own):
            for node in params if isinstance(params, list) else ():
                param = self.parameter(node)
                if param is not None:
                    merged[param.key] = param
        return tuple(merged.values())

    def media(self, content: Any) -> tuple[MediaType, ...]:
        out = []
        for name, node in _mapping(content).items():
            schema = self.get(node).get("schema")
            out.append(MediaType(str(name), schema=schema if isinstance(schema, Mapping) else {}))
        return tuple(out)

    def body(self, node: Mapping[str, Any]) -> RequestBody | None:
        if "requestBody" not in node:
            return None
        raw = self.get(node.get("requestBody"))
        return RequestBody(required=raw.get("required") is True, content=self.media(raw.get("content")))

    def response(self, status: str, node: Any) -> Response:
        raw = self.get(node)
        headers = []
        for name, header in _mapping(raw.get("headers")).items():
            resolved = self.get(header)
            schema = resolved.get("schema")
            headers.append(
                Header(
                    str(name),
                    schema=schema if isinstance(schema, Mapping) else {},
                    required=resolved.get("required") is True,
                )
            )
        return Response(str(status), headers=tuple(headers), content=self.media(raw.get("content")))


def _same_response(response: Response) -> Response:
    return response
