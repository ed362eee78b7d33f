"""Swagger 2.0 to the OpenAPI 3.0 shape the rest of the engine reads.

``host``/``basePath``/``schemes`` become servers; ``body`` and ``formData`` parameters become a
request body (per ``consumes``); response schemas move under ``content`` (per ``produces``);
``definitions``, ``parameters``, ``responses`` and ``securityDefinitions`` move under
``components`` and every ``$ref`` is rewritten to match. ``type: file`` becomes a binary string and
``x-nullable`` becomes ``nullable``. The walk is iterative and visits shared nodes once. Nothing
here prints or does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labs_tui.spec.refs import Resolver

_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
_SCHEMA_KEYS = (
    "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
    "multipleOf",
)  # fmt: skip
WALK_BUDGET = 5_000_000


def rewrite_ref(ref: str) -> str:
    for old, new in _PREFIXES:
        if ref.startswith(old):
            return new + ref[len(old) :]
    return ref


def original_ref(ref: str) -> str:
    """A rewritten ref as the 2.0 document wrote it (``#/definitions/...``), to name it in reports."""
    for old, new in _PREFIXES:
        if ref.startswith(new):
            return old + ref[len(new) :]
    return ref


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _fix_tree(document: Any) -> None:
    seen: set[int] = set()
    stack = [document]
    budget = WALK_BUDGET
    while stack and budget > 0:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        budget -= 1
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                node["$ref"] = rewrite_ref(ref)
            if node.get("type") == "file":
                node["type"] = "string"
                node["format"] = "binary"
            if "x-nullable" in node and "nullable" not in node:
                node["nullable"] = node["x-nullable"] is True
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def _param_schema(raw: Mapping[str, Any]) -> dict[str, Any]:
    schema = {k: raw[k] for k in _SCHEMA_KEYS if k in raw}
    if schema.get("type") == "file":
        schema = {"type": "string", "format": "binary"}
    return schema


def _convert_parameter(raw: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        k: v for k, v in raw.items() if k not in _SCHEMA_KEYS and k != "collectionFormat"
    }
    result["schema"] = raw["schema"] if "schema" in raw else _param_schema(raw)
    if "x-example" in raw and "example" not in result:
        result["example"] = raw["x-example"]
    return result


def _convert_response(raw: Mapping[str, Any], produces: list[str]) -> dict[str, Any]:
    if "$ref" in raw:
        return dict(raw)
    result: dict[str, Any] = {"description": raw.get("description", "")}
    headers = {}
    for name, header in _mapping(raw.get("headers")).items():
        header = _mapping(header)
        headers[str(name)] = {"description": header.get("description", ""), "schema": _param_schema(header)}
    if headers:
        result["headers"] = headers
    if "schema" in raw:
        examples = _mapping(raw.get("examples"))
        content: dict[str, Any] = {}
        for media in produces or ["application/json"]:
            entry: dict[str, Any] = {"schema": raw["schema"]}
            if media in examples:
                entry["example"] = examples[media]
            content[media] = entry
        result["content"] = content
    result.update({k: v for k, v in raw.items() if isinstance(k, str) and k.startswith("x-")})
    return result


def _body_from(params: list[Mapping[str, Any]], consumes: list[str]) -> dict[str, Any] | None:
    body = next((p for p in params if p.get("in") == "body"), None)
    if body is not None:
        media = consumes or ["application/json"]
        return {
            "description": body.get("description", ""),
            "required": body.get("required") is True,
            "content": {m: {"schema": body.get("schema", {})} for m in media},
        }
    form = [p for p in params if p.get("in") == "formData"]
    if not form:
        return None
    properties = {
        str(p.get("name")): {**_param_schema(p), "description": p.get("description", "")} for p in form
    }
    required = [str(p.get("name")) for p in form if p.get("required") is True]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    has_file = any(p.get("type") == "file" for p in form)
    forms = [m for m in consumes if "form" in m] or (
        ["multipart/form-data"] if has_file else ["application/x-www-form-urlencoded"]
    )
    return {"required": bool(required), "content": {m: {"schema": schema} for m in forms}}


def _resolved_param(original: Resolver, node: Any) -> Mapping[str, Any]:
    return original.resolve(node) if isinstance(node, Mapping) else {}


def _plain_parameters(params: list[Mapping[str, Any]], original: Resolver) -> list[Any]:
    """The parameters that stay parameters in 3.0 (body and formData ones become a request body)."""
    plain = [p for p in params if _resolved_param(original, p).get("in") not in ("body", "formData")]
    return [p if "$ref" in p else _convert_parameter(p) for p in plain]


def _convert_path_item(
    item: Mapping[str, Any], original: Resolver, consumes_all: list[str], produces_all: list[str]
) -> dict[str, Any]:
    shared = [p for p in item.get("parameters") or [] if isinstance(p, Mapping)]
    new_item: dict[str, Any] = {k: v for k, v in item.items() if k != "parameters"}
    shared_plain = _plain_parameters(shared, original)
    if shared_plain:
        new_item["parameters"] = shared_plain
    for method, op in item.items():
        if method not in _METHODS or not isinstance(op, Mapping):
            continue
        consumes = [c for c in op.get("consumes") or consumes_all if isinstance(c, str)]
        produces = [p for p in op.get("produces") or produces_all if isinstance(p, str)]
        own = [p for p in op.get("parameters") or [] if isinstance(p, Mapping)]
        everything = [_resolved_param(original, p) for p in shared + own]
        new_op: dict[str, Any] = {
            k: v for k, v in op.items() if k not in ("parameters", "consumes", "produces", "responses")
        }
        plain = _plain_parameters(own, original)
        if plain:
            new_op["parameters"] = plain
        body = _body_from(everything, consumes)
        if body is not None:
            new_op["requestBody"] = body
        new_op["responses"] = {
            str(status): _convert_response(_mapping(resp), produces)
            for status, resp in _mapping(op.get("responses")).items()
        }
        new_item[method] = new_op
    return new_item


def _components(document: Mapping[str, Any], produces_all: list[str]) -> dict[str, Any]:
    components: dict[str, Any] = {}
    if isinstance(document.get("definitions"), Mapping):
        components["schemas"] = document["definitions"]
    # Body and formData parameters are inlined into request bodies where used; they stay listed
    # (unconverted) only so that a census of the document's references still finds them.
    parameters = {
        name: p if p.get("in") in ("body", "formData") else _convert_parameter(p)
        for name, p in _mapping(document.get("parameters")).items()
        if isinstance(p, Mapping)
    }
    if parameters:
        components["parameters"] = parameters
    responses = {
        name: _convert_response(r, produces_all)
        for name, r in _mapping(document.get("responses")).items()
        if isinstance(r, Mapping)
    }
    if responses:
        components["responses"] = responses
    schemes_out = {}
    for name, raw in _mapping(document.get("securityDefinitions")).items():
        raw = _mapping(raw)
        if raw.get("type") == "basic":
            schemes_out[name] = {"type": "http", "scheme": "basic", "description": raw.get("description", "")}
        else:
            schemes_out[name] = dict(raw)
    if schemes_out:
        components["securitySchemes"] = schemes_out
    return components


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def convert_swagger2(document: Mapping[str, Any], location: str) -> dict[str, Any]:
    """A new 3.0-shaped document; ``document`` itself has its ``$ref``s rewritten in place."""
    original = Resolver(document, location)
    schemes = [s for s in document.get("schemes") or [] if isinstance(s, str)] or ["https"]
    host = document.get("host")
    base_path = document.get("basePath") if isinstance(document.get("basePath"), str) else ""
    if isinstance(host, str) and host:
        servers = [{"url": f"{scheme}://{host}{base_path}"} for scheme in schemes]
    else:
        servers = [{"url": base_path or "/"}]
    consumes_all = [c for c in document.get("consumes") or [] if isinstance(c, str)]
    produces_all = [p for p in document.get("produces") or [] if isinstance(p, str)]

    paths: dict[str, Any] = {}
    for path, item in _mapping(document.get("paths")).items():
        if not isinstance(item, Mapping) or "$ref" in item:
            paths[str(path)] = item
        else:
            paths[str(path)] = _convert_path_item(item, original, consumes_all, produces_all)
    components = _components(document, produces_all)

    converted: dict[str, Any] = {
        k: v
        for k, v in document.items()
        if k
        not in (
            "swagger", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions",
            "parameters", "responses", "securityDefinitions",
        )
    }  # fmt: skip
    converted.update({"openapi": "3.0.3", "servers": servers, "paths": paths, "components": components})
    _fix_tree(converted)
    return converted
