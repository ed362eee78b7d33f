"""Spec mode: what a request carries, read for checking against the spec.

The body in its documented media type (JSON, urlencoded and multipart forms coerced field by field
by their schemas, XML read into JSON by the schema's ``xml`` hints, never with entity expansion),
the media type a body is checked against, cookies. Parsing only: the checks are ``validate.py``'s.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from labs_tui.sandbox.app import SandboxRequest
from labs_tui.sandbox.validate import Checker
from labs_tui.spec.model import MediaType

SKIP = object()  # a body in a type the sandbox does not check (its schema is not applied)


def is_json(media_type: str) -> bool:
    return media_type.lower().endswith(("/json", "+json"))


def media_for(content: Sequence[MediaType], media_type: str) -> MediaType | None:
    for media in content:
        if media.media_type.split(";")[0].strip().lower() == media_type:
            return media
    for media in content:
        name = media.media_type.split(";")[0].strip().lower()
        if name == "*/*" or (name.endswith("/*") and media_type.startswith(name[:-1])):
            return media
    if not media_type:
        return content[0] if len(content) == 1 else None
    return None


def is_form(request: SandboxRequest) -> bool:
    media_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    return media_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def parse_body(
    body: bytes, media_type: str, request_type: str, media: MediaType, checker: Checker
) -> tuple[Any, bool]:
    if is_json(media_type) or (not media_type and is_json(media.media_type)):
        try:
            return json.loads(body), True
        except (ValueError, RecursionError):
            return None, False
    if media_type == "application/x-www-form-urlencoded":
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return None, False
        return form_fields(checker, media.schema, form), True
    if media_type == "multipart/form-data":
        return _multipart(body, request_type, media, checker)
    if media_type.endswith(("/xml", "+xml")):
        return _xml_body(body, media, checker)
    return SKIP, True


def form_fields(checker: Checker, schema: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Form fields (text) as a JSON object, each coerced by its property's schema."""
    from labs_tui.sandbox.validate import coerce, schema_kind

    node = checker.spec.resolve(schema) if isinstance(schema, Mapping) else {}
    props = node.get("properties") if isinstance(node.get("properties"), Mapping) else {}
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    result: dict[str, Any] = {}
    for name, values in grouped.items():
        sub = props.get(name, {}) if isinstance(props, Mapping) else {}
        if schema_kind(checker.spec, sub) == "array":
            items = checker.spec.resolve(sub).get("items", {})
            result[name] = [coerce(checker.spec, items, v) for v in values]
        elif len(values) == 1:
            result[name] = coerce(checker.spec, sub, values[0])
        else:
            result[name] = [coerce(checker.spec, sub, v) for v in values]  # repeated: not one value
    return result


def _multipart(body: bytes, request_type: str, media: MediaType, checker: Checker) -> tuple[Any, bool]:
    from email.parser import BytesParser
    from email.policy import HTTP

    try:
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + request_type.encode("latin-1") + b"\r\n\r\n" + body
        )
    except Exception:
        return None, False
    if not message.is_multipart():
        return ({}, True) if body.strip().startswith(b"--") else (None, False)
    pairs: list[tuple[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            return None, False
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = b""
        if part.get_filename() is not None:
            pairs.append((name, payload.decode("latin-1")))
        else:
            pairs.append((name, payload.decode("utf-8", "replace")))
    if not pairs and body.strip():
        return None, False
    return form_fields(checker, media.schema, pairs), True


def xml_value(body: bytes, media: MediaType, checker: Checker) -> tuple[Any, bool]:
    """XML read into JSON by the schema (``xml.name``, wrapped and repeated arrays); unchecked."""
    from xml.etree import ElementTree

    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        return None, False  # no entity expansion, ever
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, ValueError):
        return None, False
    return _xml_value(checker, root, media.schema, 0), True


def _xml_body(body: bytes, media: MediaType, checker: Checker) -> tuple[Any, bool]:
    """XML read into JSON by the schema, then checked; missing properties are not reported
    (attributes and namespaces are not modelled)."""
    value, ok = xml_value(body, media, checker)
    if not ok:
        return None, False
    problems = [e for e in checker.errors(media.schema, value, "request") if "required property" not in e]
    return (SKIP, True) if not problems else (None, False)


def _xml_value(checker: Checker, element: Any, schema: Any, depth: int) -> Any:
    from labs_tui.sandbox.validate import coerce, schema_kind

    spec = checker.spec
    kind = schema_kind(spec, schema)
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    if depth > 20:
        return None
    if kind == "array":
        items = node.get("items", {})
        return [_xml_value(checker, child, items, depth + 1) for child in element]
    if kind == "object" or (kind == "" and len(element)):
        props: dict[str, Any] = {}
        for part in [node, *[spec.resolve(b) for b in node.get("allOf") or () if isinstance(b, Mapping)]]:
            found = part.get("properties")
            if isinstance(found, Mapping):
                props.update(found)
        by_tag: dict[str, str] = {}
        for name, sub in props.items():
            xml = spec.resolve(sub).get("xml") if isinstance(sub, Mapping) else None
            tag = xml.get("name") if isinstance(xml, Mapping) and isinstance(xml.get("name"), str) else name
            by_tag[str(tag)] = str(name)
        result: dict[str, Any] = {}
        for child in element:
            name = by_tag.get(child.tag, child.tag)
            sub = props.get(name, {})
            sub_node = spec.resolve(sub) if isinstance(sub, Mapping) else {}
            if schema_kind(spec, sub) == "array":
                xml = sub_node.get("xml")
                items = sub_node.get("items", {})
                if isinstance(xml, Mapping) and xml.get("wrapped") is True:
                    result[name] = [_xml_value(checker, c, items, depth + 1) for c in child]
                else:
                    result.setdefault(name, []).append(_xml_value(checker, child, items, depth + 1))
            else:
                result[name] = _xml_value(checker, child, sub, depth + 1)
        if not len(element) and (element.text or "").strip():
            return (element.text or "").strip()  # text where an object belongs: invalid, as it should be
        return result
    return coerce(spec, schema, (element.text or "").strip())


def json_or_none(request: SandboxRequest) -> Any:
    if not request.body:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError):
        return None


def request_cookies(request: SandboxRequest) -> dict[str, str]:
    names: dict[str, str] = {}
    for header in request.header_all("Cookie"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        names.update({key: morsel.value for key, morsel in jar.items()})
    return names
