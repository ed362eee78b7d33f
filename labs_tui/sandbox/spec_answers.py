"""Spec mode: the answers, built from what the spec documents for the operation.

Which documented response answers (the success one, or the one documented for a failure), the
content type (``Accept`` negotiated), the body (a named or explicit example, else a generated value),
an error body made informative where its schema allows, required headers, the body's encoding.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from labs_tui.sandbox import prefer
from labs_tui.sandbox.app import REQUEST_ID_HEADER, Reply, clip
from labs_tui.sandbox.generate import generate
from labs_tui.sandbox.spec_request import is_json
from labs_tui.sandbox.validate import Checker
from labs_tui.spec.model import MediaType, Operation, Response, Spec

_MESSAGE_KEYS = ("message", "detail", "error", "title", "error_description", "description")
_STATUS_KEYS = ("statusCode", "status", "code")

Headers = list[tuple[str, str]]


class NoSuchExample(Exception):
    """``Prefer: example=NAME`` names an example the answer does not have (the message says which)."""


def field_error(code: str, name: str, message: str) -> dict[str, str]:
    """One entry of ``fieldErrors``."""
    return {"code": code, "field": name, "message": clip(message, 300)}


def with_implied(methods: Sequence[str]) -> list[str]:
    """An ``Allow`` list: the documented methods, HEAD with GET, and OPTIONS (always answered)."""
    names = list(dict.fromkeys(m.upper() for m in methods))
    if "GET" in names and "HEAD" not in names:
        names.append("HEAD")
    if "OPTIONS" not in names:
        names.append("OPTIONS")
    return names


def success_response(operation: Operation) -> tuple[int, Response | None]:
    """The lowest documented 2xx, else ``2XX`` or ``default`` as 200, else another documented one."""
    exact = sorted(
        (int(r.status), r) for r in operation.responses if r.status.isdigit() and r.status.startswith("2")
    )
    if exact:
        return exact[0]
    for name in ("2XX", "DEFAULT"):
        for response in operation.responses:
            if response.status.upper() == name:
                return 200, response
    # No success documented: a documented redirect, else a bare 200 (the spec is silent; an error
    # status would misreport a valid request).
    for response in operation.responses:
        if response.status.isdigit() and response.status.startswith("3"):
            return int(response.status), response
    return 200, None


def documented_response(operation: Operation, statuses: Sequence[str]) -> tuple[int, Response] | None:
    for wanted in statuses:
        for response in operation.responses:
            if response.status.upper() != wanted.upper():
                continue
            if wanted.isdigit():
                return int(wanted), response
            if wanted.upper() == "DEFAULT":
                first = next((s for s in statuses if s.isdigit()), "400")
                return int(first), response
            first = next((s for s in statuses if s.isdigit() and s[0] == wanted[0]), wanted[0] + "00")
            return int(first), response
    return None


def negotiate(response: Response | None, accept: str | None) -> MediaType | None:
    if response is None or not response.content:
        return None
    if accept:
        wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
        for item in wanted:
            for media in response.content:
                name = media.media_type.split(";")[0].strip().lower()
                if item == name or item == "*/*" or (item.endswith("/*") and name.startswith(item[:-1])):
                    if item == "*/*":
                        break
                    return media
    json_media = [m for m in response.content if is_json(m.media_type.split(";")[0].strip())]
    return json_media[0] if json_media else response.preferred()


def example_value(
    checker: Checker,
    operation: Operation,
    response: Response | None,
    media: MediaType,
    choice: prefer.Preference,
) -> Any:
    """The answer's body: the example ``Prefer`` names, else the first valid documented example,
    else a generated value (``Prefer: dynamic=true`` skips the examples)."""
    named = _named_examples(checker.spec, operation, response, media)
    if choice.example is not None:
        if choice.example not in named:
            listed = ", ".join(named) or "none"
            raise NoSuchExample(
                f"No example named {clip(choice.example, 60)!r} for {operation.key}; "
                f"examples: {clip(listed)}."
            )
        return named[choice.example]
    if not choice.dynamic:
        candidates = list(named.values())
        if media.has_example and not named:
            candidates.append(deref_example(checker.spec, media.example))
        for candidate in candidates:
            if not media.schema or checker.valid(media.schema, candidate, "response"):
                return candidate
    if not media.schema:
        return deref_example(checker.spec, media.example) if media.has_example else None
    return generate(checker, media.schema, "response")


def deref_example(spec: Spec, value: Any) -> Any:
    """An example that is a ``$ref`` to ``components/examples``, resolved to its value."""
    if isinstance(value, Mapping) and set(value) == {"$ref"}:
        resolved = spec.resolve(value)
        return resolved.get("value", resolved) if resolved else value
    return value


def _named_examples(
    spec: Spec, operation: Operation, response: Response | None, media: MediaType
) -> dict[str, Any]:
    raw = _raw_media(spec, operation, response, media.media_type)
    examples = raw.get("examples") if raw else None
    found: dict[str, Any] = {}
    if isinstance(examples, Mapping):
        for name, node in examples.items():
            resolved = spec.resolve(node) if isinstance(node, Mapping) else {}
            if "value" in resolved:
                found[str(name)] = deref_example(spec, resolved["value"])
    elif raw and "example" in raw:
        found["example"] = deref_example(spec, raw["example"])
    return found


def body_reply(spec: Spec, status: int, media: MediaType, value: Any, rid: str, headers: Headers) -> Reply:
    """``value`` encoded for ``media`` (JSON, XML, text or bytes) as a reply with the request id."""
    content_type = media.media_type.split(";")[0].strip() or "application/json"
    if "*" in content_type:
        content_type = "application/json"
    lowered = content_type.lower()
    if is_json(lowered):
        body = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    elif lowered.endswith("/xml") or lowered.endswith("+xml"):
        root = _xml_name(spec, media.schema)
        body = ('<?xml version="1.0"?>' + _to_xml(root, value, 0)).encode("utf-8")
    elif isinstance(value, bytes):
        body = value
    elif isinstance(value, str):
        body = value.encode("utf-8")
    elif lowered.startswith("text/"):
        body = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    else:
        body = b"" if value is None else json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    return Reply(
        status=status,
        body=body,
        content_type=content_type,
        headers=[(REQUEST_ID_HEADER, rid), *headers],
        request_id=rid,
    )


def required_headers(checker: Checker, response: Response) -> Headers:
    """The response's required headers (not Content-Type/Length), each with a generated value."""
    headers: Headers = []
    for header in response.headers:
        if not header.required or header.name.lower() in ("content-type", "content-length"):
            continue
        value = generate(checker, header.schema, "response") if header.schema else "value"
        headers.append((header.name, header_text(value)))
    return headers


def overlay(
    checker: Checker,
    schema: Any,
    value: Any,
    message: str,
    status: int,
    rid: str,
    field_errors: Sequence[Mapping[str, str]],
) -> Any:
    """The generated error made informative where its schema allows: message, status, requestId,
    field errors; an RFC 9457 problem (a schema with ``detail`` and ``title``/``type``) gets the
    message as ``detail``, the status phrase as ``title``, ``about:blank`` as ``type`` and the field
    errors as ``errors: [{detail, pointer}]`` (``parameter`` for a parameter)."""
    if not isinstance(value, dict) or not schema:
        return value
    node = checker.spec.resolve(schema)
    props: dict[str, Any] = {}
    for part in [node, *[checker.spec.resolve(b) for b in node.get("allOf") or () if isinstance(b, Mapping)]]:
        found = part.get("properties")
        if isinstance(found, Mapping):
            props.update(found)
    result = dict(value)
    if "detail" in props and ("title" in props or "type" in props) and "message" not in props:
        return _problem_overlay(checker, schema, result, props, message, status, rid, field_errors)
    trials: list[tuple[str, Any]] = []
    for key in _MESSAGE_KEYS:
        if key in props:
            trials.append((key, message))
            break
    for key in _STATUS_KEYS:
        if key in props:
            trials.append((key, status))
    if "requestId" in props:
        trials.append(("requestId", rid))
    if "fieldErrors" in props and field_errors:
        trials.append(("fieldErrors", [dict(item) for item in field_errors]))
    for key, wanted in trials:
        trial = {**result, key: wanted}
        if checker.valid(schema, trial, "response"):
            result = trial
    if not field_errors and "fieldErrors" in result:  # generated field errors would mislead
        trial = {k: v for k, v in result.items() if k != "fieldErrors"}
        if checker.valid(schema, trial, "response"):
            result = trial
    return result


def _problem_overlay(
    checker: Checker,
    schema: Any,
    value: dict[str, Any],
    props: Mapping[str, Any],
    message: str,
    status: int,
    rid: str,
    field_errors: Sequence[Mapping[str, str]],
) -> Any:
    """A generated problem made to say this occurrence: each member kept only where the schema allows;
    extension members (``errors``, ``requestId``) only where the schema lists them, so the answer
    stays the documented shape (the ``detail`` names the fields and reasons anyway)."""
    errors = []
    for item in field_errors:
        name = item.get("field", "")
        entry = {"detail": item.get("message", "")}
        if name.startswith("/"):
            entry["pointer"] = "#" + name
        elif name and name != "body":
            entry["parameter"] = name
        errors.append(entry)
    trials: list[tuple[str, Any]] = [
        ("detail", message),
        ("title", _phrase(status)),
        ("type", "about:blank"),
        ("status", status),
    ]
    if "requestId" in props:
        trials.append(("requestId", rid))
    if errors and "errors" in props:
        trials.append(("errors", errors))
    result = value
    for key, wanted in trials:
        trial = {**result, key: wanted}
        if checker.valid(schema, trial, "response"):
            result = trial
    if "instance" in result:  # a generated instance names no real occurrence
        trial = {k: v for k, v in result.items() if k != "instance"}
        if checker.valid(schema, trial, "response"):
            result = trial
    if not errors and "errors" in result:
        trial = {k: v for k, v in result.items() if k != "errors"}
        if checker.valid(schema, trial, "response"):
            result = trial
    return result


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _raw_media(
    spec: Spec, operation: Operation, response: Response | None, media_type: str
) -> Mapping[str, Any]:
    if response is None:
        return {}
    paths = spec.document.get("paths") if isinstance(spec.document, Mapping) else None
    item = spec.resolve(paths.get(operation.path, {})) if isinstance(paths, Mapping) else {}
    op = item.get(operation.method.lower()) if isinstance(item, Mapping) else None
    responses = op.get("responses") if isinstance(op, Mapping) else None
    if not isinstance(responses, Mapping):
        return {}
    raw = None
    for key, node in responses.items():
        if str(key).upper() == response.status.upper():
            raw = spec.resolve(node) if isinstance(node, Mapping) else None
    content = raw.get("content") if isinstance(raw, Mapping) else None
    media = content.get(media_type) if isinstance(content, Mapping) else None
    return media if isinstance(media, Mapping) else {}


def header_text(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list):
        text = ",".join(header_text(v) for v in value)
    elif value is None:
        text = ""
    else:
        text = json.dumps(value) if isinstance(value, dict) else str(value)
    return clip(text, 200).replace("\r", " ").replace("\n", " ")


def _xml_name(spec: Spec, schema: Any) -> str:
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    xml = node.get("xml")
    if isinstance(xml, Mapping) and isinstance(xml.get("name"), str):
        return str(xml["name"])
    ref = schema.get("$ref") if isinstance(schema, Mapping) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else "root"


def _to_xml(name: str, value: Any, depth: int) -> str:
    tag = "".join(ch for ch in name if ch.isalnum() or ch in "_-.") or "item"
    if depth > 20:
        return f"<{tag}/>"
    if isinstance(value, dict):
        inner = "".join(_to_xml(str(k), v, depth + 1) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(_to_xml(tag, v, depth + 1) for v in value)
    elif value is None:
        inner = ""
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    else:
        inner = escape(str(value))
    return f"<{tag}>{inner}</{tag}>"
