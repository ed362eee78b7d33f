"""JSON Schema validation in a spec's own dialect, shared by the sandbox and the response checks.

The validator is ``openapi-schema-validator`` (on ``jsonschema``): OpenAPI 3.0 schemas are read with its
3.0 dialect (``nullable``, ``readOnly``/``writeOnly`` by direction), 3.1 and later as JSON Schema 2020-12
with the same read/write rule added. ``$ref``s resolve against the spec's own ``components``. A problem is
reported with a JSON pointer to the offending value (``""`` for the root). Validators are built on first
use and cached per schema. Nothing here prints or does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from labs_tui.spec.model import Spec

__all__ = ["MAX_PROBLEMS", "SchemaChecker", "SchemaProblem", "pointer"]

MAX_PROBLEMS = 20
_CACHE_LIMIT = 4096
_OAS31_CLASSES: dict[str, Any] = {}


@dataclass(frozen=True)
class SchemaProblem:
    path: str
    """A JSON pointer (RFC 6901) to the value that fails, ``""`` for the whole document."""
    message: str


def pointer(parts: Any) -> str:
    """The JSON pointer for a sequence of keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


class SchemaChecker:
    """Validates values against schemas of one spec; validators are built lazily and cached."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        version = spec.openapi_version or "3.0"
        self.dialect_31 = not version.startswith(("2", "3.0"))
        components = spec.document.get("components") if isinstance(spec.document, Mapping) else None
        self._components = components if isinstance(components, Mapping) else {}
        self._cache: dict[tuple[int, str], Any] = {}

    def _validator(self, schema: Mapping[str, Any], direction: str) -> Any:
        key = (id(schema), direction)
        found = self._cache.get(key)
        if found is not None:
            return found
        import openapi_schema_validator as osv

        root = {**schema, "components": self._components}
        if self.dialect_31:
            cls = _oas31_by_direction().get(direction, osv.OAS31Validator)
            validator = cls(root, format_checker=osv.oas31_format_checker)
        else:
            cls = {"response": osv.OAS30ReadValidator, "request": osv.OAS30WriteValidator}.get(
                direction, osv.OAS30Validator
            )
            validator = cls(root, format_checker=osv.oas30_format_checker)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = (schema, validator)  # the schema kept alive so its id stays unique
        return self._cache[key]

    def problems(
        self, schema: Any, value: Any, direction: str = "", limit: int = MAX_PROBLEMS
    ) -> list[SchemaProblem]:
        """What is wrong with ``value`` against ``schema``, at most ``limit`` ([] when valid or no schema).

        ``direction`` is ``"response"`` (writeOnly refused), ``"request"`` (readOnly refused) or ``""``.
        A schema that cannot be judged (an external or broken ``$ref``, an odd regex) accepts.
        """
        if isinstance(schema, bool):
            return [] if schema else [SchemaProblem("", "no value is allowed here")]
        if not isinstance(schema, Mapping) or not schema:
            return []
        _, validator = self._validator(schema, direction)
        found: list[SchemaProblem] = []
        try:
            for error in validator.iter_errors(value):
                found.append(SchemaProblem(pointer(error.absolute_path), error.message[:200]))
                if len(found) >= limit:
                    break
        except Exception:  # noqa: BLE001 - cannot judge, so accept
            return []
        return found

    def errors(self, schema: Any, value: Any, direction: str = "") -> list[str]:
        """One short line per problem (``where: message``, ``(root)`` for the whole value)."""
        return [
            f"{problem.path.lstrip('/') or '(root)'}: {problem.message}"
            for problem in self.problems(schema, value, direction)
        ]

    def valid(self, schema: Any, value: Any, direction: str = "") -> bool:
        return not self.problems(schema, value, direction, limit=1)


def _oas31_by_direction() -> dict[str, Any]:
    """OAS 3.1 validators that, like the 3.0 read/write ones, refuse writeOnly properties in a
    response and readOnly ones in a request (and do not require them there)."""
    if _OAS31_CLASSES:
        return _OAS31_CLASSES
    import openapi_schema_validator as osv
    from jsonschema.exceptions import ValidationError
    from jsonschema.validators import extend

    def refuse(flag: str, side: str) -> Any:
        def keyword(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if value is True:
                yield ValidationError(f"a {flag} property is not allowed in a {side}")

        return keyword

    def required_except(flag: str) -> Any:
        def keyword(validator: Any, required: Any, instance: Any, schema: Any) -> Any:
            if not validator.is_type(instance, "object") or not isinstance(required, list):
                return
            props = schema.get("properties") if isinstance(schema.get("properties"), Mapping) else {}
            for name in required:
                if name in instance:
                    continue
                sub = props.get(name) if isinstance(props, Mapping) else None
                if isinstance(sub, Mapping) and sub.get(flag) is True:
                    continue
                yield ValidationError(f"{name!r} is a required property")

        return keyword

    base = osv.OAS31Validator
    _OAS31_CLASSES["response"] = extend(
        base, {"writeOnly": refuse("writeOnly", "response"), "required": required_except("writeOnly")}
    )
    _OAS31_CLASSES["request"] = extend(
        base, {"readOnly": refuse("readOnly", "request"), "required": required_except("readOnly")}
    )
    return _OAS31_CLASSES
