"""Reading a document's values for the ``Spec`` model: text, mappings, examples, security.

The small readers every part of the build uses (``build``, ``build_operations``): a value as
display text, a node as a mapping (or an empty one), a parameter's or media type's first example,
the security schemes and requirements. They never raise on a malformed node; they read it as empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labs_tui.spec.model import SecurityScheme
from labs_tui.spec.refs import Resolver


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


def mapping(value: Any) -> Mapping[str, Any]:
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def has_extensions(raw: Mapping[str, Any]) -> bool:
    for key in raw:
        if key[:2] == "x-":
            return True
    return False


def first_example(raw: Mapping[str, Any], resolver: Resolver) -> tuple[Any, bool]:
    if "example" in raw:
        return raw["example"], True
    examples = raw.get("examples")
    if isinstance(examples, Mapping):
        for value in examples.values():
            resolved = resolver.resolve(value)
            if "value" in resolved:
                return resolved["value"], True
    return None, False


def security_requirements(value: Any) -> tuple[Mapping[str, tuple[str, ...]], ...]:
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


def security_schemes(value: Any) -> dict[str, SecurityScheme]:
    schemes = {}
    for name, raw in mapping(value).items():
        raw = mapping(raw)
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
