"""Checks and text for the request builder: parameter hints and validation, the URL line, the body.

Pure functions (no Textual import) so they are unit-tested directly. They judge only what the spec
says about a value (required, type, enum), read through the core's describe model
(``labs_tui.spec.describe``); the server stays the authority on everything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

from labs_tui.spec import Parameter, schema_node


def schema_type(schema: Mapping[str, Any]) -> str:
    """The type a typed-in value is checked against (the core describe model's ``value_type``)."""
    return schema_node(schema).value_type


def param_hint(schema: Mapping[str, Any]) -> str:
    """``integer · enum: 1, 2 · default: 1``: what the spec says a value should be (``SchemaNode.hint``)."""
    return schema_node(schema).hint()


def validate_param(param: Parameter, schema: Mapping[str, Any], value: str) -> str | None:
    """A one-line reason the value would be rejected, or None. Empty optional values are skipped."""
    if value == "":
        return f"{param.name} is required" if (param.required or param.location == "path") else None
    if "${" in value:
        return None  # a ${NAME} variable: filled at send time (saved requests), the server checks the value
    kind = schema_type(schema)
    if kind == "integer":
        try:
            int(value)
        except ValueError:
            return f"{param.name} must be an integer"
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            return f"{param.name} must be a number"
    elif kind == "boolean" and value.lower() not in ("true", "false"):
        return f"{param.name} must be true or false"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and value not in [str(v) for v in enum]:
        return f"{param.name} must be one of: {', '.join(str(v) for v in enum[:8])}"
    return None


def fill_path(path: str, values: Mapping[str, str]) -> str:
    """The path with ``{name}`` replaced by percent-encoded values; unfilled ones stay visible."""
    for name, value in values.items():
        if value:
            path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def check_json(text: str) -> str | None:
    """Why ``text`` is not JSON (one line, with line and column), or None when it is (or is blank)."""
    return parse_json(text)[1]


BLANK = object()  # what parse_json gives for a blank text (not JSON's null)


def parse_json(text: str) -> tuple[Any, str | None]:
    """``text`` parsed once: (value, None), (BLANK, None) when blank, or (None, why it is not JSON)."""
    if not text.strip():
        return BLANK, None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"body is not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"


def example_text(value: Any) -> str:
    """An example value as the body editor shows it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def mask_token(token: str | None) -> str:
    """``Bearer ********oken``: enough to tell tokens apart, never enough to use one."""
    if not token:
        return "(no token)"
    tail = token[-4:] if len(token) >= 12 else ""
    return f"Bearer ********{tail}"


# -- parameters on the wire (OpenAPI style/explode, through labs_tui.client's serialisers) -------


def param_style(param: Parameter) -> str:
    return param.style or {"query": "form", "cookie": "form"}.get(param.location, "simple")


def wire_params(
    rows: Iterable[tuple[Parameter, Mapping[str, Any], str]],
) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """Typed values to what the request carries: path texts (percent-encoded), query pairs, header
    pairs and cookie pairs, each serialised by the parameter's ``style``/``explode``."""
    from labs_tui.client import coerce, cookie_pairs, header_value, path_value, query_pairs

    path: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    cookies: list[tuple[str, str]] = []
    for param, schema, text in rows:
        if text == "":
            continue
        value = coerce(text, schema_type(schema))
        if param.location == "path":
            path[param.name] = path_value(param.name, value, param_style(param), param.explode)
        elif param.location == "query":
            query += query_pairs(param.name, value, param_style(param), param.explode)
        elif param.location == "header":
            headers.append((param.name, header_value(value, param.explode)))
        elif param.location == "cookie":
            cookies += cookie_pairs(param.name, value, param.explode)
    return path, query, headers, cookies


def cookie_header(pairs: Iterable[tuple[str, str]]) -> str:
    """``a=1; b=2``: cookie pairs as one ``Cookie`` header value."""
    return "; ".join(f"{name}={quote(value, safe='')}" for name, value in pairs)


_PATH_SAFE = "/!$&'()*+,;=:@-._~%{}"


def target_text(template: str, path_texts: Mapping[str, str], query: Iterable[tuple[str, str]]) -> str:
    """The URL line's editable part: the path with filled placeholders, then ``?query``."""
    # The template's own text is percent-encoded where a URL cannot carry it as is (spaces, controls,
    # non-ASCII): the line is editable text, so spec text in it must be inert, and this is how it is sent.
    path = quote(template, safe=_PATH_SAFE)
    for name, text in path_texts.items():
        path = path.replace(quote("{" + name + "}", safe=_PATH_SAFE), text)
    path = path if path.startswith("/") else "/" + path
    encoded = urlencode(list(query))
    return path + (f"?{encoded}" if encoded else "")


def parse_target(
    template: str, params: Iterable[tuple[Parameter, Mapping[str, Any]]], text: str
) -> tuple[dict[str, str] | None, dict[str, str], list[tuple[str, str]]]:
    """What a typed URL line says about the form: path param texts (None when the path does not
    match the operation's template), known query params' texts, and the query pairs no param names."""
    path, _, query = text.strip().partition("?")
    pattern = "".join(
        f"(?P<p{index}>[^/]*)" if part.startswith("{") else re.escape(quote(part, safe=_PATH_SAFE))
        for index, part in enumerate(re.split(r"(\{[^{}/]+\})", template))
    )
    names = {f"p{index}": part[1:-1] for index, part in enumerate(re.split(r"(\{[^{}/]+\})", template))}
    found = re.fullmatch(pattern, path if path.startswith("/") else "/" + path)
    path_values = (
        {names[group]: unquote(value) for group, value in found.groupdict().items()} if found else None
    )
    by_name = {p.name: (p, s) for p, s in params if p.location == "query"}
    grouped: dict[str, list[str]] = {}
    extras: list[tuple[str, str]] = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in by_name:
            grouped.setdefault(name, []).append(value)
            continue
        base, bracket, rest = name.partition("[")
        deep = base in by_name and param_style(by_name[base][0]) == "deepObject"
        if bracket and rest.endswith("]") and deep:
            grouped.setdefault(base, []).append(f"{rest[:-1]}={value}")
            continue
        extras.append((name, value))
    texts: dict[str, str] = {}
    for name, values in grouped.items():
        param, schema = by_name[name]
        if len(values) > 1 or schema_type(schema) in ("array", "object"):
            texts[name] = ", ".join(values)
        else:
            texts[name] = values[0]
    return path_values, texts, extras


# -- bodies: schema problems -----------------------------------------------------------------------


def body_problems(checker: Any, schema: Any, text: str, limit: int = 20) -> list[str]:
    """``/pointer: message`` lines for a JSON body against its request schema; invalid JSON is one line."""
    value, problem = parse_json(text)
    if problem:
        return [problem]
    return [] if value is BLANK else value_problems(checker, schema, value, limit)


def value_problems(checker: Any, schema: Any, value: Any, limit: int = 20) -> list[str]:
    """``/pointer: message`` lines for a parsed JSON body against its request schema."""
    return [
        f"{found.path or '(root)'}: {found.message}"
        for found in checker.problems(schema, value, "request", limit=limit)
    ]
