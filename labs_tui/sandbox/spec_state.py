"""Spec mode's ``stateful`` option: resources kept in memory, so a created item can be read back.

A collection path (``/pets``) and its item path (``/pets/{petId}``) form a resource (``state.py``
finds them). POST stores the body (completed by generation, with a fresh id the item path accepts),
GET lists or reads, PUT replaces, PATCH merges, DELETE removes; a missing item is a 404. Stored
records are fitted to the response schema. The answers are data; ``generic.py`` makes the replies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from labs_tui.sandbox.app import SandboxRequest, clip
from labs_tui.sandbox.generate import generate
from labs_tui.sandbox.spec_answers import negotiate, success_response
from labs_tui.sandbox.spec_request import json_or_none
from labs_tui.sandbox.state import ID_NAMES, Resource, Store, resources
from labs_tui.sandbox.validate import Checker, deserialize
from labs_tui.spec.model import Operation, Spec


@dataclass(frozen=True)
class Stored:
    """What the store answers: a value to send as the success body, or why the item is missing."""

    value: Any = None
    missing: str = ""  # the 404's message


class StatefulMode:
    """The resources of a spec and the records stored under them (thread-safe through ``Store``)."""

    def __init__(self, spec: Spec, checker: Checker) -> None:
        self.spec = spec
        self.checker = checker
        self.resources: dict[str, Resource] = resources(op.path for op in spec.operations)
        self.store = Store()

    def serves(self, operation: Operation) -> bool:
        return operation.path in self.resources

    def answer(
        self, operation: Operation, request: SandboxRequest, path_params: Mapping[str, str]
    ) -> Stored | None:
        """The stored answer to the request; None when the documented answer should be sent instead."""
        resource = self.resources[operation.path]
        _, response = success_response(operation)
        media = negotiate(response, request.header("Accept")) if response is not None else None
        schema = media.schema if media is not None else {}
        body = json_or_none(request)
        if operation.path == resource.collection:
            return self._collection(operation.method, resource, schema, body)
        return self._item(operation.method, resource, schema, body, path_params.get(resource.parameter, ""))

    def _collection(self, method: str, resource: Resource, schema: Any, body: Any) -> Stored | None:
        if method == "POST":
            body = body if isinstance(body, dict) else {}
            record = generate(self.checker, schema, "response") if schema else {}
            record = {**record, **body} if isinstance(record, dict) else dict(body)
            id_name = _id_property(self.spec, schema, resource) or "id"
            if not self._usable_key(resource, body.get(id_name)):
                record[id_name] = self._new_key(schema, id_name, resource)
            record = self._fit(schema, record)
            self.store.put(resource.collection, str(record.get(id_name)), record)
            return Stored(record)
        if method == "GET":
            listed = self.store.all(resource.collection)
            if listed and schema and self.checker.valid(schema, listed, "response"):
                return Stored(listed)
        return None

    def _item(self, method: str, resource: Resource, schema: Any, body: Any, key: str) -> Stored | None:
        current = self.store.get(resource.collection, key)
        if method == "PUT" and isinstance(body, dict):
            record = {**body}
            item_id = _id_property(self.spec, schema, resource)
            if item_id and item_id not in record:
                record[item_id] = current.get(item_id, key) if isinstance(current, dict) else key
            self.store.put(resource.collection, key, self._fit(schema, record))
            return Stored(self._fit(schema, record))
        if current is None and method in ("GET", "PATCH", "DELETE"):
            return Stored(
                missing=f"No {resource.collection.strip('/')} with {resource.parameter} {clip(key, 80)!r}."
            )
        if current is None:
            return None
        if method == "GET":
            return Stored(self._fit(schema, current))
        if method == "PATCH" and isinstance(body, dict):
            merged = {**current, **body} if isinstance(current, dict) else body
            self.store.put(resource.collection, key, merged)
            return Stored(self._fit(schema, merged))
        if method == "DELETE":
            self.store.delete(resource.collection, key)
        return None

    def _usable_key(self, resource: Resource, value: Any) -> bool:
        """Whether an id can address the item: every operation on the item path accepts it."""
        if value is None or value == "" or isinstance(value, dict | list | bool):
            return False
        for item_op in self.spec.operations:
            if item_op.path != resource.item:
                continue
            for param in item_op.parameters:
                if param.location == "path" and param.name == resource.parameter:
                    parsed = deserialize(self.checker, param, [str(value)], resource.item)
                    if not self.checker.valid(param.schema, parsed, "request"):
                        return False
        return True

    def _new_key(self, schema: Any, id_name: str, resource: Resource) -> Any:
        """A fresh id of the record's id type that the item path parameter accepts."""
        node = self.spec.resolve(schema) if isinstance(schema, Mapping) else {}
        prop = self.spec.resolve((node.get("properties") or {}).get(id_name, {}))
        number = self.store.next_id()
        reuse: Any = None
        for candidate in [number, *range(1, 1000)]:
            if prop.get("type") in ("integer", "number"):
                value: Any = candidate
            elif prop.get("format") == "uuid":
                value = f"00000000-0000-4000-8000-{candidate:012d}"
            else:
                value = str(candidate)
            if not self._usable_key(resource, value):
                continue
            if not self.store.has(resource.collection, str(value)):
                return value
            if reuse is None:
                reuse = value
        if reuse is not None:  # every id the item path accepts is taken: the oldest such record goes
            oldest = next(
                (
                    str(r.get(id_name))
                    for r in self.store.all(resource.collection)
                    if isinstance(r, dict) and self._usable_key(resource, r.get(id_name))
                ),
                str(reuse),
            )
            self.store.delete(resource.collection, oldest)
            return next((v for v in [reuse] if str(v) == oldest), _typed(prop, oldest))
        return number

    def _fit(self, schema: Any, record: Any) -> Any:
        """A stored record as the response schema allows it: valid as is, else completed by generation."""
        if not schema or self.checker.valid(schema, record, "response"):
            return record
        generated = generate(self.checker, schema, "response")
        if isinstance(generated, dict) and isinstance(record, dict):
            merged = {**generated}
            for key, value in record.items():
                trial = {**merged, key: value}
                if self.checker.valid(schema, trial, "response"):
                    merged = trial
            return merged
        return generated


def _id_property(spec: Spec, schema: Any, resource: Resource) -> str | None:
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    props = node.get("properties") if isinstance(node.get("properties"), Mapping) else {}
    if not props:
        return None
    candidates = [resource.parameter, *ID_NAMES]
    lowered = {str(name).lower(): str(name) for name in props}
    for candidate in candidates:
        if candidate.lower() in lowered:
            return lowered[candidate.lower()]
    return None


def _typed(prop: Mapping[str, Any], text: str) -> Any:
    if prop.get("type") in ("integer", "number"):
        try:
            return int(text)
        except ValueError:
            return text
    return text
