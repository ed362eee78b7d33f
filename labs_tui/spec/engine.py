"""The lookups behind ``Spec``'s methods: find, match, allowed methods, filter, resolve, example.

Indexes are built the first time they are needed and kept; a spec that is only listed never pays
for the route table. Path templates are matched segment by segment, literal segments before
templated ones (OpenAPI's rule for ``/users/me`` against ``/users/{id}``). Nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from labs_tui.spec.examples import Direction, build_example
from labs_tui.spec.filter import FilterIndex
from labs_tui.spec.model import HTTP_METHODS, Operation
from labs_tui.spec.refs import Fetch, Resolver

_PARAM = re.compile(r"\{([^{}/]+)\}")


class _Route:
    __slots__ = ("template", "names", "by_method")

    def __init__(self, template: str, names: list[str]) -> None:
        self.template = template
        self.names = names
        self.by_method: dict[str, Operation] = {}


class _Node:
    """One path segment of the route trie: literal children, patterned children, a ``{param}`` child."""

    __slots__ = ("literal", "patterned", "param", "route")

    def __init__(self) -> None:
        self.literal: dict[str, _Node] = {}
        self.patterned: dict[str, tuple[re.Pattern[str], _Node]] = {}
        self.param: _Node | None = None
        self.route: _Route | None = None


def _split(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


class _Router:
    """Concrete paths to templates in one walk down a segment trie; no regex per template."""

    def __init__(self, operations: Sequence[Operation]) -> None:
        self.root = _Node()
        for op in operations:
            node = self.root
            names: list[str] = []
            for segment in _split(op.path):
                params = _PARAM.findall(segment) if "{" in segment else ()
                if not params:
                    child = node.literal.get(segment)
                    if child is None:
                        child = node.literal[segment] = _Node()
                    node = child
                elif segment == "{" + params[0] + "}":
                    node.param = node.param or _Node()
                    node = node.param
                else:
                    if segment not in node.patterned:
                        pattern = re.compile(
                            "".join(
                                "([^/]+?)" if i % 2 else re.escape(part)
                                for i, part in enumerate(_PARAM.split(segment))
                            )
                            + r"\Z"
                        )
                        node.patterned[segment] = (pattern, _Node())
                    node = node.patterned[segment][1]
                names.extend(params)
            if node.route is None:
                node.route = _Route(op.path, names)
            node.route.by_method.setdefault(op.method, op)

    def matches(self, path: str) -> Iterator[tuple[_Route, dict[str, str]]]:
        """Every template matching ``path``, literal segments preferred at each level."""
        segments = _split(path)
        stack: list[tuple[_Node, int, tuple[str, ...]]] = [(self.root, 0, ())]
        while stack:
            node, depth, values = stack.pop()
            if depth == len(segments):
                if node.route is not None:
                    route = node.route
                    yield route, {n: unquote(v) for n, v in zip(route.names, values, strict=False)}
                continue
            segment = segments[depth]
            # Pushed in reverse order of preference: the stack pops literal first.
            if node.param is not None and segment:
                stack.append((node.param, depth + 1, (*values, segment)))
            for pattern, child in reversed(node.patterned.values()):
                found = pattern.match(segment)
                if found is not None:
                    stack.append((child, depth + 1, (*values, *found.groups())))
            literal = node.literal.get(segment)
            if literal is not None:
                stack.append((literal, depth + 1, values))


class Engine:
    """Resolver state and lazily built indexes for one spec's operations."""

    def __init__(self, document: Any, location: str, fetch: Fetch | None = None) -> None:
        self.resolver = Resolver(document, location, fetch)
        self.runtime_problems: list[str] = []
        self._operations: Sequence[Operation] = ()
        self.attached: Sequence[Operation] | None = None
        self._by_id: dict[str, Operation] | None = None
        self._by_id_folded: dict[str, list[Operation]] | None = None
        self._by_key: dict[str, Operation] | None = None
        self._routes: _Router | None = None
        self._filter: FilterIndex | None = None

    def attach(self, operations: Sequence[Operation]) -> None:
        self._operations = self.attached = operations
        self._by_id = self._by_id_folded = self._by_key = None
        self._routes = None
        self._filter = None

    def _ids(self) -> tuple[dict[str, Operation], dict[str, list[Operation]], dict[str, Operation]]:
        if self._by_id is None or self._by_id_folded is None or self._by_key is None:
            by_id: dict[str, Operation] = {}
            folded: dict[str, list[Operation]] = {}
            by_key: dict[str, Operation] = {}
            for op in self._operations:
                op_id = op.operation_id
                if op_id:
                    if op_id not in by_id:
                        by_id[op_id] = op
                    folded_id = op_id.casefold()
                    same = folded.get(folded_id)
                    if same is None:
                        folded[folded_id] = [op]
                    else:
                        same.append(op)
                key = f"{op.method} {op.path}"
                if key not in by_key:
                    by_key[key] = op
            self._by_id, self._by_id_folded, self._by_key = by_id, folded, by_key
        return self._by_id, self._by_id_folded, self._by_key

    def warm(self) -> None:
        """Build the id index now (the loader does, while the collector is paused).

        The path router is left for the first ``match``: only the sandbox routes paths, and the
        app's start should not pay for it.
        """
        self._ids()

    def find(self, ref: str) -> Operation | None:
        text = ref.strip()
        if not text:
            return None
        by_id, folded, by_key = self._ids()
        if text in by_id:
            return by_id[text]
        method, _, path = text.partition(" ")
        path = path.strip()
        if path:
            found = by_key.get(f"{method.upper()} {path}")
            if found is None and path.endswith("/") and len(path) > 1:
                found = by_key.get(f"{method.upper()} {path.rstrip('/')}")
            if found is not None:
                return found
        candidates = folded.get(text.casefold(), [])
        return candidates[0] if len(candidates) == 1 else None

    def _router(self) -> _Router:
        if self._routes is None:
            self._routes = _Router(self._operations)
        return self._routes

    def _matching(self, path: str) -> list[tuple[_Route, dict[str, str]]]:
        """The templates serving ``path``, preferred first. A concrete template (no ``{param}``) that
        matches is the only one: OpenAPI matches concrete paths before templated ones, so a method the
        concrete path lacks matches nothing (``/pet/findByStatus`` is never ``/pet/{petId}``)."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        found = list(self._router().matches(path))
        if not found and path.endswith("/") and path.strip("/"):
            found = list(self._router().matches(path.rstrip("/")))
        # The walk takes literal segments first, so a concrete template, when one matches, comes first.
        if found and not found[0][0].names:
            return found[:1]
        return found

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        wanted = method.upper()
        for route, params in self._matching(path):
            op = route.by_method.get(wanted)
            if op is not None:
                return op, params
        return None

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        methods: set[str] = set()
        for route, _ in self._matching(path):
            methods.update(route.by_method)
        order = {m: i for i, m in enumerate(HTTP_METHODS)}
        return tuple(sorted(methods, key=lambda m: (order.get(m, len(order)), m)))

    def filter(self, text: str) -> list[Operation]:
        if self._filter is None:
            self._filter = FilterIndex(self._operations)
        return self._filter.filter(text)

    def resolve(self, node: Any) -> Mapping[str, Any]:
        return self.resolver.resolve(node, self.runtime_problems)

    def example(self, schema: Any, direction: Direction = None) -> Any:
        return build_example(schema, self.resolve, direction=direction)
