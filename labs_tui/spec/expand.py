"""A schema with its ``$ref``s expanded into one JSON-like tree, for display (``describe``, docs panes).

Each expanded reference keeps its name (``x-ref``); a reference met again inside its own expansion
is not expanded but marked ``x-cycle: true``; past the depth limit or the node budget a subtree is
marked ``x-truncated: true``. The result is therefore finite and JSON-serialisable for every input.
Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

MAX_DEPTH = 12
MAX_NODES = 4_000

_NESTED_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_NESTED_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")
_NESTED_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")


class _Expander:
    def __init__(self, resolve: Callable[[Any], Mapping[str, Any]], max_depth: int, max_nodes: int) -> None:
        self.resolve = resolve
        self.max_depth = max_depth
        self.budget = max_nodes

    def expand(self, node: Any, depth: int, stack: tuple[str, ...]) -> Any:
        if not isinstance(node, Mapping):
            return node if isinstance(node, bool) else {}
        self.budget -= 1
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                return {"$ref": ref, "x-cycle": True}
            if depth >= self.max_depth or self.budget <= 0:
                return {"$ref": ref, "x-truncated": True}
            target = self.resolve(node)
            if not target:
                return {"$ref": ref, "x-broken": True}
            stack = (*stack, ref)
            result = self._expand_keys(target, depth, stack)
            result["x-ref"] = ref
            return result
        if depth >= self.max_depth or self.budget <= 0:
            return {"x-truncated": True}
        return self._expand_keys(node, depth, stack)

    def _expand_keys(self, node: Mapping[str, Any], depth: int, stack: tuple[str, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in _NESTED_MAPS and isinstance(value, Mapping):
                result[key] = {str(k): self.expand(v, depth + 1, stack) for k, v in value.items()}
            elif key in _NESTED_ONE and isinstance(value, Mapping):
                result[key] = self.expand(value, depth + 1, stack)
            elif key in _NESTED_LISTS and isinstance(value, list):
                result[key] = [self.expand(v, depth + 1, stack) for v in value]
            else:
                result[key] = value
        return result


def expand_schema(
    schema: Any,
    resolve: Callable[[Any], Mapping[str, Any]],
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Any:
    """``schema`` with references expanded, cycles and overflow marked (see the module docstring)."""
    return _Expander(resolve, max_depth, max_nodes).expand(schema, 0, ())
