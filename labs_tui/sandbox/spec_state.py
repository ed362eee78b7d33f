"""Spec mode's ``stateful`` option: resources kept in memory, so a created item can be read back.

A collection path (``/pets``) and its item path (``/pets/{petId}``) form a resource (``state.py``
finds them). POST stores what the client sent under a fresh id the server assigns, GET lists or
reads, PUT replaces, PATCH merges, DELETE removes; a missing item is a 404.

The record's schema is the item GET's answer (else POST's, else the request body's); its id
property is the item path parameter's name or an id-like one (``id``, ``uuid``, ...), found through
``$ref`` and ``allOf``. A new id has the format that property (else the path parameter) asks for:
a uuid4 for ``format: uuid``, the collection's next integer for integers, a unique string
otherwise, and always one every operation on the item path accepts. An id the client sent is kept
when the schema lets the client set it (not ``readOnly``). A record is what the client sent plus
the id, with generated values only for required properties it lacks and for ``readOnly`` ones;
an answer drops what its schema refuses (``writeOnly`` properties). The answers are data;
``spec_replies.py`` makes the replies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from labs_tui.sandbox.app import SandboxRequest, clip
from labs_tui.sandbox.generate import generate
from labs_tui.sandbox.spec_answers import negotiate, success_response
from labs_tui.sandbox.spec_request import SKIP, json_or_none, media_for, parse_body, xml_value
from labs_tui.sandbox.state import ID_NAMES, Resource, Store, resources
from labs_tui.sandbox.validate import Checker, coerce, deserialize
from labs_tui.spec.model import Operation, Spec

_MAX_ALLOF_DEPTH = 8
_SEARCH = 1000  # integer ids tried on from the next one (then 1..) before the oldest record makes room


@dataclass(frozen=True)
class Stored:
    """What the store answers: a value to send as the success body, or why the item is missing."""

    value: Any = None
    missing: str = ""  # the 404's message


@dataclass(frozen=True)
class _Shape:
    """An object schema's properties and required names, merged through ``$ref`` and ``allOf``."""

    properties: Mapping[str, Any]
    required: frozenset[str]


class StatefulMode:
    """The resources of a spec and the records stored under them (thread-safe through ``Store``)."""

    def __init__(self, spec: Spec, checker: Checker) -> None:
        self.spec = spec
        self.checker = checker
        self.resources: dict[str, Resource] = resources(op.path for op in spec.operations)
        self.store = Store()
        self._record_schemas: dict[str, Any] = {}

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
        body = self._sent(operation, request)
        if operation.path == resource.collection:
            return self._collection(operation, resource, schema, body)
        return self._item(operation.method, resource, schema, body, path_params.get(resource.parameter, ""))

    # ---- the operations ------------------------------------------------------------------------

    def _collection(self, operation: Operation, resource: Resource, schema: Any, body: Any) -> Stored | None:
        if operation.method == "POST":
            sent = body if isinstance(body, dict) else {}
            record_schema = self._record_schema(resource) or schema or self._request_schema(operation)
            shape = self._shape(record_schema)
            id_name = self._id_name(shape, resource)
            key: Any = sent.get(id_name)
            if not (self._settable(operation, shape, id_name) and self._usable_key(resource, key)):
                key = self._new_key(resource, id_name, shape.properties.get(id_name, {}))
            record = self._complete(shape, {id_name: key, **{k: v for k, v in sent.items() if k != id_name}})
            self.store.put(resource.collection, str(key), record)
            return Stored(self._fit(schema, record))
        if operation.method == "GET":
            node = self.spec.resolve(schema) if isinstance(schema, Mapping) else {}
            items = node.get("items") if node.get("type") == "array" or "items" in node else None
            listed = [self._fit(items, r) for r in self.store.all(resource.collection)]
            if listed and schema and self.checker.valid(schema, listed, "response"):
                return Stored(listed)
        return None

    def _item(self, method: str, resource: Resource, schema: Any, body: Any, key: str) -> Stored | None:
        current = self.store.get(resource.collection, key)
        if method == "PUT" and isinstance(body, dict):
            shape = self._shape(self._record_schema(resource) or schema)
            id_name = self._id_name(shape, resource)
            kept = current if isinstance(current, dict) else {}
            record = {**body, id_name: kept.get(id_name, self._typed_key(shape, id_name, key))}
            for name in shape.properties:  # server-owned values survive a replace
                if name in kept and name not in record and _read_only(self.spec, shape.properties[name]):
                    record[name] = kept[name]
            record = self._complete(shape, record)
            self.store.put(resource.collection, key, record)
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
            if isinstance(current, dict) and isinstance(merged, dict):
                id_name = self._id_name(self._shape(self._record_schema(resource) or schema), resource)
                if id_name in current:  # the record stays where its id says
                    merged[id_name] = current[id_name]
            self.store.put(resource.collection, key, merged)
            return Stored(self._fit(schema, merged))
        if method == "DELETE":
            self.store.delete(resource.collection, key)
        return None

    # ---- schemas ---------------------------------------------------------------------------------

    def _sent(self, operation: Operation, request: SandboxRequest) -> Any:
        """The request body as a value (JSON, a form or XML, as the request's type says); else None."""
        if not request.body:
            return None
        request_type = request.header("Content-Type") or ""
        media_type = request_type.split(";")[0].strip().lower()
        content = operation.request_body.content if operation.request_body is not None else ()
        media = media_for(content, media_type) if content else None
        if media is None:
            return json_or_none(request)
        try:
            if media_type.endswith(("/xml", "+xml")):
                value, ok = xml_value(request.body, media, self.checker)
            else:
                value, ok = parse_body(request.body, media_type, request_type, media, self.checker)
        except Exception:  # the request was validated already; a surprise here only loses the body
            return None
        return value if ok and value is not SKIP else None

    def _record_schema(self, resource: Resource) -> Any:
        """The schema of one stored item: the item GET's success answer (JSON preferred)."""
        if resource.item not in self._record_schemas:
            self._record_schemas[resource.item] = self._find_record_schema(resource)
        return self._record_schemas[resource.item]

    def _find_record_schema(self, resource: Resource) -> Any:
        for operation in self.spec.operations:
            if operation.path == resource.item and operation.method == "GET":
                _, response = success_response(operation)
                media = negotiate(response, "application/json") if response is not None else None
                return media.schema if media is not None else None
        return None

    def _request_schema(self, operation: Operation) -> Any:
        body = operation.request_body
        if body is None or not body.content:
            return None
        media = media_for(body.content, "application/json") or body.content[0]
        return media.schema

    def _shape(self, schema: Any) -> _Shape:
        properties: dict[str, Any] = {}
        required: set[str] = set()
        self._collect(schema, properties, required, 0)
        return _Shape(properties, frozenset(required))

    def _collect(self, schema: Any, properties: dict[str, Any], required: set[str], depth: int) -> None:
        if depth > _MAX_ALLOF_DEPTH or not isinstance(schema, Mapping):
            return
        node = self.spec.resolve(schema)
        props = node.get("properties")
        if isinstance(props, Mapping):
            for name, sub in props.items():
                properties.setdefault(str(name), sub)
        names = node.get("required")
        if isinstance(names, list):
            required.update(str(name) for name in names)
        parts = node.get("allOf")
        for part in parts if isinstance(parts, list) else ():
            self._collect(part, properties, required, depth + 1)

    def _id_name(self, shape: _Shape, resource: Resource) -> str:
        """The record's id property: the path parameter's name or an id-like one; ``id`` when none."""
        lowered = {_plain(name): name for name in shape.properties}
        for candidate in (resource.parameter, *ID_NAMES):
            if _plain(candidate) in lowered:
                return lowered[_plain(candidate)]
        return "id"

    def _settable(self, operation: Operation, shape: _Shape, id_name: str) -> bool:
        """Whether the schemas let a client choose the id (it is not readOnly where it is described)."""
        request = self._shape(self._request_schema(operation))
        for found in (request.properties.get(id_name), shape.properties.get(id_name)):
            if found is not None and _read_only(self.spec, found):
                return False
        return True

    def _complete(self, shape: _Shape, record: dict[str, Any]) -> dict[str, Any]:
        """``record`` plus generated values for the required and readOnly properties it lacks."""
        for name, sub in shape.properties.items():
            if name not in record and (name in shape.required or _read_only(self.spec, sub)):
                record[name] = generate(self.checker, sub, "response")
        return record

    def _fit(self, schema: Any, record: Any) -> Any:
        """A stored record as the answer's schema allows it: as is, without what the schema refuses
        (writeOnly properties), else completed by generation."""
        if not schema or self.checker.valid(schema, record, "response"):
            return record
        if isinstance(record, dict):
            shape = self._shape(schema)
            trimmed = {
                name: value
                for name, value in record.items()
                if not _write_only(self.spec, shape.properties.get(name, {}))
            }
            if self.checker.valid(schema, trimmed, "response"):
                return trimmed
        generated = generate(self.checker, schema, "response")
        if isinstance(generated, dict) and isinstance(record, dict):
            merged = {**generated}
            for key, value in record.items():
                trial = {**merged, key: value}
                if self.checker.valid(schema, trial, "response"):
                    merged = trial
            return merged
        return generated

    # ---- ids -------------------------------------------------------------------------------------

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

    def _path_schema(self, resource: Resource) -> Mapping[str, Any]:
        for operation in self.spec.operations:
            for param in operation.parameters if operation.path == resource.item else ():
                if param.location == "path" and param.name == resource.parameter:
                    return self.spec.resolve(param.schema) if isinstance(param.schema, Mapping) else {}
        return {}

    def _id_kind(self, resource: Resource, prop: Any) -> str:
        """``integer``, ``uuid`` or ``string``: the id property's type, else the path parameter's."""
        for node in (
            self.spec.resolve(prop) if isinstance(prop, Mapping) else {},
            self._path_schema(resource),
        ):
            kind = node.get("type")
            kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
            if "integer" in kinds or "number" in kinds:
                return "integer"
            if node.get("format") == "uuid":
                return "uuid"
            if "string" in kinds:
                return "string"
        return "string"

    def _candidates(self, kind: str, number: int, prop: Any) -> Iterator[Any]:
        if kind == "integer":  # counting on; a freed lower id only when none above is valid
            yield from range(number, number + _SEARCH)
            yield from range(1, min(number, _SEARCH))
            return
        if kind == "uuid":
            for _ in range(3):
                yield str(uuid.uuid4())
            return
        yield str(number)
        yield str(uuid.uuid4())
        sample = generate(self.checker, prop, "response") if isinstance(prop, Mapping) and prop else None
        if isinstance(sample, str):
            yield f"{sample}{number}"
            yield sample

    def _new_key(self, resource: Resource, id_name: str, prop: Any) -> Any:
        """A fresh id of the record's id kind that the id property and the item path accept."""
        number = self.store.next_number(resource.collection)
        kind = self._id_kind(resource, prop)
        reuse: Any = None
        for value in self._candidates(kind, number, prop):
            if not self._usable_key(resource, value):
                continue
            if prop and not self.checker.valid(prop, value, "response"):
                continue
            if not self.store.has(resource.collection, str(value)):
                return value
            if reuse is None:
                reuse = value
        if reuse is None:
            return number if kind == "integer" else str(number)
        # Every id the item path accepts is taken: the oldest such record makes room.
        oldest = next(
            (
                str(record.get(id_name))
                for record in self.store.all(resource.collection)
                if isinstance(record, dict) and self._usable_key(resource, record.get(id_name))
            ),
            str(reuse),
        )
        self.store.delete(resource.collection, oldest)
        return _typed(kind, oldest)

    def _typed_key(self, shape: _Shape, id_name: str, key: str) -> Any:
        """The path's id text as the id property's value (an integer for an integer id)."""
        prop = shape.properties.get(id_name)
        return coerce(self.spec, prop, key) if isinstance(prop, Mapping) else key


def _plain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _read_only(spec: Spec, schema: Any) -> bool:
    return isinstance(schema, Mapping) and spec.resolve(schema).get("readOnly") is True


def _write_only(spec: Spec, schema: Any) -> bool:
    return isinstance(schema, Mapping) and spec.resolve(schema).get("writeOnly") is True


def _typed(kind: str, text: str) -> Any:
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    return text
