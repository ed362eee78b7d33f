"""Parameter values serialised the way the spec says: OpenAPI's ``style`` and ``explode``.

A user types ``x, y`` into the ``tags`` field; what goes on the wire depends on the parameter:
``tags=x&tags=y`` (query, ``form`` with ``explode``, the default), ``tags=x,y`` (``explode: false``),
``tags=x%20y`` (``spaceDelimited``), ``tags[a]=1`` (``deepObject``), ``.x.y`` (a ``label`` path) ...
This module turns a typed text into the value its schema type asks for (``coerce``) and that value into
the pairs or the text that the request carries (``query_pairs``, ``path_value``, ``header_value``,
``cookie_pairs``). The table is OpenAPI 3.x's "Style Values" and its examples. Pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

__all__ = [
    "DEFAULT_STYLE",
    "coerce",
    "cookie_pairs",
    "default_explode",
    "header_value",
    "path_value",
    "query_pairs",
]

DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def default_explode(style: str) -> bool:
    """OpenAPI: ``explode`` defaults to true for ``form`` and false for every other style."""
    return style == "form"


def coerce(text: str, schema_type: str | None) -> Any:
    """The value a typed ``text`` stands for, given its schema's ``type``.

    Arrays: comma-separated items (or a JSON array). Objects: ``a=1, b=2`` (or a JSON object). Anything
    else stays text: the wire carries text, and a number typed as ``007`` must not become ``7``.
    """
    stripped = text.strip()
    if schema_type == "array":
        if stripped.startswith("["):
            try:
                loaded = json.loads(stripped)
            except ValueError:
                pass
            else:
                if isinstance(loaded, list):
                    return [_text(item) for item in loaded]
        return [item.strip() for item in stripped.split(",")] if stripped else []
    if schema_type == "object":
        if stripped.startswith("{"):
            try:
                loaded = json.loads(stripped)
            except ValueError:
                pass
            else:
                if isinstance(loaded, dict):
                    return {str(k): _text(v) for k, v in loaded.items()}
        pairs = (item.partition("=") for item in stripped.split(",") if item.strip())
        return {key.strip(): value.strip() for key, _, value in pairs}
    return text


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _flat(mapping: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for key, value in mapping.items():
        out += [str(key), _text(value)]
    return out


def query_pairs(
    name: str, value: Any, style: str | None = None, explode: bool | None = None
) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs a query parameter adds (not yet percent-encoded)."""
    style = style or "form"
    explode = default_explode(style) if explode is None else explode
    if isinstance(value, list):
        items = [_text(item) for item in value]
        if style == "form" and explode:
            return [(name, item) for item in items]
        joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, joiner.join(items))]
    if isinstance(value, Mapping):
        if style == "deepObject":
            return [(f"{name}[{key}]", _text(item)) for key, item in value.items()]
        if style == "form" and explode:
            return [(str(key), _text(item)) for key, item in value.items()]
        joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, joiner.join(_flat(value)))]
    return [(name, _text(value))]


def cookie_pairs(name: str, value: Any, explode: bool | None = None) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs a cookie parameter adds to the ``Cookie`` header (``form`` style)."""
    return query_pairs(name, value, "form", explode)


def path_value(name: str, value: Any, style: str | None = None, explode: bool | None = None) -> str:
    """The text that replaces ``{name}`` in a path, percent-encoded (``simple``, ``label``, ``matrix``)."""
    style = style or "simple"
    explode = default_explode(style) if explode is None else explode

    def enc(text: str) -> str:
        return quote(text, safe="")

    if style == "matrix":
        if isinstance(value, list):
            items = [enc(_text(item)) for item in value]
            return "".join(f";{name}={item}" for item in items) if explode else f";{name}=" + ",".join(items)
        if isinstance(value, Mapping):
            if explode:
                return "".join(f";{enc(str(k))}={enc(_text(v))}" for k, v in value.items())
            return f";{name}=" + ",".join(enc(part) for part in _flat(value))
        return f";{name}={enc(_text(value))}"
    prefix = "." if style == "label" else ""
    separator = "." if style == "label" and explode else ","
    if isinstance(value, list):
        return prefix + separator.join(enc(_text(item)) for item in value)
    if isinstance(value, Mapping):
        if explode:
            return prefix + separator.join(f"{enc(str(k))}={enc(_text(v))}" for k, v in value.items())
        return prefix + ",".join(enc(part) for part in _flat(value))
    return prefix + enc(_text(value))


def header_value(value: Any, explode: bool | None = None) -> str:
    """A header parameter's value (``simple`` style): ``a,b`` for arrays, ``k,v`` or ``k=v`` for objects."""
    explode = False if explode is None else explode
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    if isinstance(value, Mapping):
        if explode:
            return ",".join(f"{k}={_text(v)}" for k, v in value.items())
        return ",".join(_flat(value))
    return _text(value)
