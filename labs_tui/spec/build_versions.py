"""The versions a spec lets a request pin, and the header that carries the pin.

Read from ``info.x-labs-versions`` (``header``, ``known``, ``latest``) when the document declares
them, else from the enum of a header parameter of that name anywhere in the document. Dotted
numeric versions are sorted numerically; anything else keeps the document's order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from labs_tui.spec.build_operations import METHOD_KEYS
from labs_tui.spec.build_values import mapping, text
from labs_tui.spec.model import DEFAULT_VERSION_HEADER
from labs_tui.spec.refs import Resolver

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


def versions(document: Mapping[str, Any], resolver: Resolver) -> tuple[str, tuple[str, ...], str | None]:
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
