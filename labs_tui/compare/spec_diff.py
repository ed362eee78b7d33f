"""What changed between two versions of a spec: endpoints added and removed, and per endpoint the
parameters, request body, responses, security and deprecation that differ, each change classified
breaking or not by the one table in ``labs_tui.compare.breaking``.

Operations are matched by method and path template, the template's parameter names normalised
(``/a/{id}`` and ``/a/{key}`` are one operation; a path parameter is matched by its position).
Schemas are compared through their ``$ref``s (``Spec.resolve``), walked to ``MAX_DEPTH`` with
cycles cut, and each pair of schema nodes is compared once (a component used by a thousand
operations costs one walk). A property path reads ``200 application/json /items/0/name``: ``0``
is an array's item. A property that disappears while one of the same type appears at the same
position (or with an equal schema) is one rename, as the runtime compare (``compare.diff``)
reports renamed keys.

Speed: operations are compared on the document's raw nodes first. A part (parameters, body, one
response) whose nodes are equal, and whose ``$ref``s reach equal nodes (each reference checked once),
is skipped without building anything; only differing parts are built into the model's shapes.

Pure: returns data (``SpecDiff``); the CLI and the TUI render it through the inert-text functions.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from labs_tui.compare.breaking import RULES, is_breaking
from labs_tui.compare.diff import MISSING
from labs_tui.gcpause import gc_paused
from labs_tui.spec.model import Header, MediaType, Operation, Parameter, RequestBody, Response, Spec

MAX_DEPTH = 48
_TEMPLATE_PARAM = re.compile(r"\{[^{}/]*\}")
_MAX_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_MIN_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")


def path_shape(path: str) -> str:
    """``path`` with every ``{name}`` made ``{}``: the key two versions' operations are matched by."""
    return _TEMPLATE_PARAM.sub("{}", path)


@dataclass(frozen=True, slots=True)
class SpecChange:
    """One change in one operation; ``before``/``after`` are MISSING where a side has nothing to say."""

    kind: str  # a key of ``breaking.RULES``
    where: str  # "query limit", "request application/json /name", "200 application/json /items/0/id"
    breaking: bool
    before: Any = MISSING
    after: Any = MISSING

    def to_json(self) -> dict[str, Any]:
        """``{kind, where, breaking, from?, to?}`` as ``diff-spec --json`` writes it."""
        out: dict[str, Any] = {"kind": self.kind, "where": self.where, "breaking": self.breaking}
        if self.before is not MISSING:
            out["from"] = self.before
        if self.after is not MISSING:
            out["to"] = self.after
        return out

    def detail(self) -> str:
        """``a -> b``, ``was a``, ``now b`` or ``""``: the values, compact, for one line."""
        before = "" if self.before is MISSING else _short(self.before)
        after = "" if self.after is MISSING else _short(self.after)
        if before and after:
            return f"{before} -> {after}"
        if before:
            return f"was {before}"
        if after:
            return f"now {after}"
        return ""


def _short(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path}


@dataclass(frozen=True, slots=True)
class EndpointChanges:
    """The changes to one operation present in both versions (``path`` is the new version's)."""

    method: str
    path: str
    changes: tuple[SpecChange, ...]
    old_path: str = ""

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def breaking(self) -> int:
        """How many of the changes break a client."""
        return sum(1 for change in self.changes if change.breaking)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class SpecDiff:
    """Operations added and removed, and those changed (breaking ones first, each breaking-first)."""

    added: tuple[Endpoint, ...] = ()
    removed: tuple[Endpoint, ...] = ()
    changed: tuple[EndpointChanges, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def breaking_count(self) -> int:
        """Breaking changes in all: every removed operation plus every breaking change."""
        return len(self.removed) + sum(entry.breaking for entry in self.changed)

    def breaking_only(self) -> SpecDiff:
        """Only what breaks a client: removed operations and breaking changes."""
        changed = tuple(
            replace(entry, changes=tuple(c for c in entry.changes if c.breaking))
            for entry in self.changed
            if entry.breaking
        )
        return SpecDiff(added=(), removed=self.removed, changed=changed)

    def to_json(self) -> dict[str, Any]:
        """``{"added": [{method, path}], "removed": [...], "changed": [{method, path, changes}]}``."""
        return {
            "added": [e.to_json() for e in self.added],
            "removed": [e.to_json() for e in self.removed],
            "changed": [e.to_json() for e in self.changed],
        }


def diff_specs(old: Spec, new: Spec) -> SpecDiff:
    """What changed from ``old`` to ``new``; an empty ``SpecDiff`` when they describe the same API.

    The cyclic collector waits meanwhile (``gc_paused``): a large diff makes hundreds of thousands of
    small objects while two large documents are alive, and each full collection would walk them all.
    """
    if old is new:
        return SpecDiff()
    with gc_paused():
        differ = _SpecDiffer(old, new)
        if old.document and differ.same(old.document, new.document) and _same_model(old, new):
            return SpecDiff()  # two copies of one document (a download that did not change): one look
        return differ.run()


def _same_model(old: Spec, new: Spec) -> bool:
    """Equal documents describe the same operations; a Spec built in code may hold others."""
    return len(old.operations) == len(new.operations) and all(
        a.method == b.method and a.path == b.path for a, b in zip(old.operations, new.operations, strict=True)
    )


# -- schemas ---------------------------------------------------------------------------------------

_Found = tuple[str, str, Any, Any]  # (property path suffix, kind, before, after)


def _kind(ctx: str, what: str) -> str:
    kind = f"{ctx}-{what}"
    if kind not in RULES and ctx == "parameter":  # an object parameter's properties read as a body's
        kind = f"request-{what}"
    return kind


def _types(schema: Mapping[str, Any]) -> tuple[str, ...]:
    declared = schema.get("type")
    if isinstance(declared, str):
        found = {declared}
    elif isinstance(declared, list):
        found = {t for t in declared if isinstance(t, str)}
    else:
        return ()
    if schema.get("nullable") is True:
        found.add("null")
    return tuple(sorted(found))


def _type_text(types: tuple[str, ...]) -> str:
    return "|".join(types) if types else "any"


def _canon(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if type(value) is dict or isinstance(value, Mapping) else {}


class _SchemaDiffer:
    """Compares schema pairs once each (memoised by node identity), cycles cut, depth bounded."""

    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self.memo: dict[tuple[int, int, str], tuple[Any, Any, list[_Found]]] = {}
        self.active: set[tuple[int, int, str]] = set()

    def compare(self, ctx: str, a: Any, b: Any, depth: int = 0) -> list[_Found]:
        if a is b and a is not None:
            return []
        ra = self.old.resolve(a) if type(a) is dict or isinstance(a, Mapping) else {}
        rb = self.new.resolve(b) if type(b) is dict or isinstance(b, Mapping) else {}
        if ra is rb:
            return []
        key = (id(ra), id(rb), ctx)
        memo = self.memo.get(key)
        if memo is not None:
            return memo[2]
        if key in self.active or depth > MAX_DEPTH:
            return []
        self.active.add(key)
        try:
            found = self._compare(ctx, ra, rb, depth)
        finally:
            self.active.discard(key)
        self.memo[key] = (ra, rb, found)  # the nodes are kept so their ids stay theirs
        return found

    def _flatten(self, schema: Mapping[str, Any], spec: Spec) -> Mapping[str, Any]:
        """``allOf`` merged into one schema's properties, required and type (one level of nesting)."""
        parts = schema.get("allOf")
        if not isinstance(parts, list) or not parts:
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = dict(_mapping(schema.get("properties")))
        required: list[Any] = list(schema.get("required") or [])
        for part in parts[:64]:
            resolved = spec.resolve(part) if isinstance(part, Mapping) else {}
            properties.update(_mapping(resolved.get("properties")))
            more = resolved.get("required")
            required.extend(more if isinstance(more, list) else [])
            for name in ("type", "enum", "items", "format"):
                if name in resolved and name not in merged:
                    merged[name] = resolved[name]
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def _compare(self, ctx: str, a: Mapping[str, Any], b: Mapping[str, Any], depth: int) -> list[_Found]:
        a = self._flatten(a, self.old)
        b = self._flatten(b, self.new)
        out: list[_Found] = []
        ta, tb = _types(a), _types(b)
        if ta and tb and ta != tb:
            out.append(("", _kind(ctx, "type-changed"), _type_text(ta), _type_text(tb)))
            return out
        self._enum(ctx, a, b, out)
        self._constraints(ctx, a, b, out)
        self._properties(ctx, a, b, depth, out)
        items_a, items_b = a.get("items"), b.get("items")
        if isinstance(items_a, Mapping) and isinstance(items_b, Mapping):
            out.extend(("/0" + s, k, x, y) for s, k, x, y in self.compare(ctx, items_a, items_b, depth + 1))
        extra_a, extra_b = a.get("additionalProperties"), b.get("additionalProperties")
        if isinstance(extra_a, Mapping) and isinstance(extra_b, Mapping):
            out.extend(("/*" + s, k, x, y) for s, k, x, y in self.compare(ctx, extra_a, extra_b, depth + 1))
        for word in ("oneOf", "anyOf"):
            self._variants(ctx, word, a.get(word), b.get(word), depth, out)
        return out

    def _enum(self, ctx: str, a: Mapping[str, Any], b: Mapping[str, Any], out: list[_Found]) -> None:
        ea, eb = a.get("enum"), b.get("enum")
        if not isinstance(ea, list) and not isinstance(eb, list):
            return
        if not isinstance(eb, list):
            out.append(("", _kind(ctx, "enum-widened"), ea, "any"))
            return
        if not isinstance(ea, list):
            out.append(("", _kind(ctx, "enum-narrowed"), "any", eb))
            return
        canon_a = {_canon(v) for v in ea}
        canon_b = {_canon(v) for v in eb}
        gone = [v for v in ea if _canon(v) not in canon_b]
        new = [v for v in eb if _canon(v) not in canon_a]
        if gone:
            out.append(("", _kind(ctx, "enum-narrowed"), gone, MISSING))
        if new:
            out.append(("", _kind(ctx, "enum-widened"), MISSING, new))

    def _constraints(self, ctx: str, a: Mapping[str, Any], b: Mapping[str, Any], out: list[_Found]) -> None:
        for name in (*_MAX_BOUNDS, *_MIN_BOUNDS, "pattern", "format", "multipleOf"):
            va, vb = a.get(name), b.get(name)
            if va == vb:
                continue
            tightened = vb is not None
            if va is not None and vb is not None and name in _MAX_BOUNDS + _MIN_BOUNDS:
                try:
                    tightened = vb < va if name in _MAX_BOUNDS else vb > va
                except TypeError:
                    tightened = True
            if ctx == "response":
                what = "constraint-changed"
            else:
                what = "constraint-tightened" if tightened else "constraint-relaxed"
            before = MISSING if va is None else {name: va}
            after = MISSING if vb is None else {name: vb}
            out.append(("", _kind(ctx, what), before, after))

    def _properties(
        self, ctx: str, a: Mapping[str, Any], b: Mapping[str, Any], depth: int, out: list[_Found]
    ) -> None:
        pa, pb = _mapping(a.get("properties")), _mapping(b.get("properties"))
        if not pa and not pb:
            return
        req_a = set(a.get("required") or []) if isinstance(a.get("required"), list) else set()
        req_b = set(b.get("required") or []) if isinstance(b.get("required"), list) else set()
        removed = [k for k in pa if k not in pb]
        added = [k for k in pb if k not in pa]
        renamed = self._renames(pa, pb, removed, added) if removed and added else {}
        renamed_new = set(renamed.values())
        for name, schema in pa.items():
            here = f"/{name}"
            if name in pb:
                for s, k, x, y in self.compare(ctx, schema, pb[name], depth + 1):
                    out.append((here + s, k, x, y))
                if name in req_a and name not in req_b:
                    out.append((here, _kind(ctx, "property-became-optional"), MISSING, MISSING))
                elif name in req_b and name not in req_a:
                    out.append((here, _kind(ctx, "property-became-required"), MISSING, MISSING))
            elif name in renamed:
                out.append((here, _kind(ctx, "property-renamed"), name, renamed[name]))
            else:
                out.append((here, _kind(ctx, "property-removed"), self._type_of(schema, self.old), MISSING))
        for name in added:
            if name in renamed_new:
                continue
            what = "property-added-required" if name in req_b and ctx != "response" else "property-added"
            out.append((f"/{name}", _kind(ctx, what), MISSING, self._type_of(pb[name], self.new)))

    def _type_of(self, schema: Any, spec: Spec) -> str:
        resolved = spec.resolve(schema) if isinstance(schema, Mapping) else {}
        return _type_text(_types(resolved))

    def _renames(
        self, pa: Mapping[str, Any], pb: Mapping[str, Any], removed: list[str], added: list[str]
    ) -> dict[str, str]:
        """Removed name -> added name: an equal schema, else the same type at the same position."""
        out: dict[str, str] = {}
        taken: set[str] = set()
        canon_b: dict[str, deque[str]] = {}
        for name in added:
            canon_b.setdefault(_canon(pb[name]), deque()).append(name)
        for name in removed:
            candidates = canon_b.get(_canon(pa[name]))
            if candidates:
                out[name] = candidates.popleft()
                taken.add(out[name])
        position = {name: index for index, name in enumerate(pa)}
        keys_b = list(pb)
        added_set = set(added)
        for name in removed:
            if name in out:
                continue
            index = position[name]
            if index < len(keys_b):
                candidate = keys_b[index]
                if (
                    candidate in added_set
                    and candidate not in taken
                    and self._type_of(pa[name], self.old) == self._type_of(pb[candidate], self.new)
                ):
                    out[name] = candidate
                    taken.add(candidate)
        return out

    def _variants(self, ctx: str, word: str, la: Any, lb: Any, depth: int, out: list[_Found]) -> None:
        la = la if isinstance(la, list) else []
        lb = lb if isinstance(lb, list) else []
        for index in range(min(len(la), len(lb))):
            here = f"/{word}/{index}"
            out.extend(
                (here + s, k, x, y) for s, k, x, y in self.compare(ctx, la[index], lb[index], depth + 1)
            )
        for index in range(len(lb), len(la)):
            out.append(
                (
                    f"/{word}/{index}",
                    _kind(ctx, "variant-removed"),
                    self._type_of(la[index], self.old),
                    MISSING,
                )
            )
        for index in range(len(la), len(lb)):
            out.append(
                (f"/{word}/{index}", _kind(ctx, "variant-added"), MISSING, self._type_of(lb[index], self.new))
            )


# -- operations ------------------------------------------------------------------------------------


def _change(kind: str, where: str, before: Any = MISSING, after: Any = MISSING) -> SpecChange:
    return SpecChange(kind, where, is_breaking(kind), before, after)


def _media_key(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


def _security_alternatives(requirements: Iterable[Mapping[str, Sequence[str]]]) -> list[str]:
    out: list[str] = []
    for requirement in requirements:
        parts = []
        for name in sorted(requirement):
            scopes = sorted(str(s) for s in requirement[name] or ())
            parts.append(f"{name}[{','.join(scopes)}]" if scopes else str(name))
        text = "+".join(parts) or "(anonymous)"
        if text not in out:
            out.append(text)
    return out


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` string inside ``node``: read off its JSON text (C speed), walked when in doubt."""
    if type(node) is dict and len(node) == 1:  # the common ``{"$ref": ...}``, and its lists
        ref = node.get("$ref")
        if type(ref) is str:
            return [ref]
    elif type(node) is list and all(type(item) is dict and len(item) == 1 for item in node):
        refs = [item.get("$ref") for item in node]
        if all(type(ref) is str for ref in refs):
            return refs
    elif type(node) is dict and all(type(item) is dict and len(item) == 1 for item in node.values()):
        refs = [item.get("$ref") for item in node.values()]  # e.g. responses that are all references
        if all(type(ref) is str for ref in refs):
            return refs
    try:
        text = json.dumps(node, ensure_ascii=False, check_circular=False)
    except (TypeError, ValueError, RecursionError):
        text = None
    if text is not None:
        parts = text.split('"$ref": "')  # an escaped quote in a value never reads as this
        found = [part[: part.find('"')] for part in parts[1:]]
        if not any("\\" in ref for ref in found):
            return found
    found_walk: list[str] = []  # a reference with an escaped character in it, or a value JSON cannot hold
    work = [node]
    while work:
        item = work.pop()
        if isinstance(item, Mapping):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found_walk.append(ref)
            work.extend(value for value in item.values() if isinstance(value, Mapping | list))
        elif isinstance(item, list):
            work.extend(value for value in item if isinstance(value, Mapping | list))
    return found_walk


class _Side:
    """One version's raw operation nodes, and the parts of an operation built only when needed.

    ``Operation``'s parameters, body and responses are built on first read by the loader, which
    costs far more than comparing raw nodes; the diff reads the document's nodes and builds the
    model's shapes only for the parts whose nodes differ.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.paths = _mapping(spec.document.get("paths"))
        self.by_ref: dict[str, Mapping[str, Any]] = {}
        self.params: dict[int, tuple[Mapping[str, Any], Parameter | None]] = {}

    def raw(self, op: Operation) -> tuple[Mapping[str, Any], Any] | None:
        item = self.paths.get(op.path)
        node = item.get(op.method.lower()) if isinstance(item, Mapping) else None
        if not isinstance(node, Mapping):
            return None
        return node, item.get("parameters") if isinstance(item, Mapping) else None

    def get(self, node: Any) -> Mapping[str, Any]:
        if type(node) is not dict and not isinstance(node, Mapping):
            return {}
        ref = node.get("$ref")
        if isinstance(ref, str) and len(node) == 1:  # the same shared component, read once
            found = self.by_ref.get(ref)
            if found is None:
                found = self.by_ref[ref] = self.spec.resolve(node)
            return found
        return self.spec.resolve(node)

    def parameter(self, node: Any) -> Parameter | None:
        raw = self.get(node)
        cached = self.params.get(id(raw))
        if cached is not None:
            return cached[1]
        name, location = raw.get("name"), raw.get("in")
        param = None
        if isinstance(name, str) and isinstance(location, str):
            schema = raw.get("schema")
            if not isinstance(schema, Mapping):
                content = _mapping(raw.get("content"))
                first = next(iter(content.values()), None)
                schema = _mapping(first).get("schema")
            param = Parameter(
                name=name,
                location=location,
                required=raw.get("required") is True or location == "path",
                schema=schema if isinstance(schema, Mapping) else {},
                deprecated=raw.get("deprecated") is True,
            )
        self.params[id(raw)] = (raw, param)  # the node is kept so its id stays its own
        return param

    def parameters(self, shared: Any, own: Any) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], Parameter] = {}
        for params in (shared, own):
            for node in params if isinstance(params, list) else ():
                param = self.parameter(node)
                if param is not None:
                    merged[param.key] = param
        return tuple(merged.values())

    def media(self, content: Any) -> tuple[MediaType, ...]:
        out = []
        for name, node in _mapping(content).items():
            schema = self.get(node).get("schema")
            out.append(MediaType(str(name), schema=schema if isinstance(schema, Mapping) else {}))
        return tuple(out)

    def body(self, node: Mapping[str, Any]) -> RequestBody | None:
        if "requestBody" not in node:
            return None
        raw = self.get(node.get("requestBody"))
        return RequestBody(required=raw.get("required") is True, content=self.media(raw.get("content")))

    def response(self, status: str, node: Any) -> Response:
        raw = self.get(node)
        headers = []
        for name, header in _mapping(raw.get("headers")).items():
            resolved = self.get(header)
            schema = resolved.get("schema")
            headers.append(
                Header(
                    str(name),
                    schema=schema if isinstance(schema, Mapping) else {},
                    required=resolved.get("required") is True,
                )
            )
        return Response(str(status), headers=tuple(headers), content=self.media(raw.get("content")))


def _same_response(response: Response) -> Response:
    return response


class _SpecDiffer:
    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self.a = _Side(old)
        self.b = _Side(new)
        self.schemas = _SchemaDiffer(old, new)
        self.clean: dict[str, bool] = {}

    def run(self) -> SpecDiff:
        old_by: dict[tuple[str, str], Operation] = {}
        for op in self.old.operations:
            old_by.setdefault((op.method, path_shape(op.path)), op)
        seen: set[tuple[str, str]] = set()
        added: list[Endpoint] = []
        changed: list[EndpointChanges] = []
        for op in self.new.operations:
            key = (op.method, path_shape(op.path))
            if key in seen:
                continue
            seen.add(key)
            before = old_by.get(key)
            if before is None:
                added.append(Endpoint(op.method, op.path))
                continue
            changes = self.operation(before, op)
            if changes:
                ordered = tuple(sorted(changes, key=lambda c: not c.breaking))
                changed.append(EndpointChanges(op.method, op.path, ordered, before.path))
        removed = [Endpoint(op.method, op.path) for key, op in old_by.items() if key not in seen]
        changed.sort(key=lambda entry: entry.breaking == 0)
        return SpecDiff(tuple(added), tuple(removed), tuple(changed))

    # -- raw nodes: equal, with every $ref they reach equal too ------------------------------------

    def _ref_clean(self, ref: str) -> bool:
        known = self.clean.get(ref)
        if known is not None:
            return known
        if not ref.startswith("#"):  # relative to each document's own location: compare in full
            self.clean[ref] = False
            return False
        self.clean[ref] = True  # a cycle back here adds nothing
        node = {"$ref": ref}
        target_a, target_b = self.old.resolve(node), self.new.resolve(node)
        clean = target_a == target_b and all(self._ref_clean(inner) for inner in _refs(target_a))
        self.clean[ref] = clean
        return clean

    def same(self, x: Any, y: Any) -> bool:
        """Whether two raw nodes are equal and so is everything their ``$ref``s reach."""
        if x is None and y is None:
            return True
        if x != y:
            return False
        return all(self._ref_clean(ref) for ref in set(_refs(x)))

    def operation(self, a: Operation, b: Operation) -> list[SpecChange]:
        out: list[SpecChange] = []
        if a.deprecated != b.deprecated:
            kind = "operation-deprecated" if b.deprecated else "operation-undeprecated"
            out.append(_change(kind, "operation"))
        self._security(a, b, out)
        raw_a, raw_b = self.a.raw(a), self.b.raw(b)
        if raw_a is None or raw_b is None:  # not where the document says: read the built model
            self._parameters(a.path, a.parameters, b.path, b.parameters, out)
            self._request_body(a.request_body, b.request_body, out)
            self._responses(
                {r.status.upper(): (r, partial(_same_response, r)) for r in a.responses},
                {r.status.upper(): (r, partial(_same_response, r)) for r in b.responses},
                out,
            )
            return out
        (node_a, shared_a), (node_b, shared_b) = raw_a, raw_b
        if (
            a.path != b.path
            or not self.same(shared_a, shared_b)
            or not self.same(node_a.get("parameters"), node_b.get("parameters"))
        ):
            params_a = self.a.parameters(shared_a, node_a.get("parameters"))
            params_b = self.b.parameters(shared_b, node_b.get("parameters"))
            self._parameters(a.path, params_a, b.path, params_b, out)
        if not self.same(node_a.get("requestBody"), node_b.get("requestBody")):
            self._request_body(self.a.body(node_a), self.b.body(node_b), out)
        responses_a, responses_b = node_a.get("responses"), node_b.get("responses")
        if not self.same(responses_a, responses_b):
            by_a = {
                str(s).upper(): (n, partial(self.a.response, str(s), n))
                for s, n in _mapping(responses_a).items()
            }
            by_b = {
                str(s).upper(): (n, partial(self.b.response, str(s), n))
                for s, n in _mapping(responses_b).items()
            }
            self._responses(by_a, by_b, out)
        return out

    def _schema(self, ctx: str, where: str, a: Any, b: Any, out: list[SpecChange]) -> None:
        for suffix, kind, before, after in self.schemas.compare(ctx, a, b):
            out.append(_change(kind, f"{where} {suffix}" if suffix else where, before, after))

    def _security(self, a: Operation, b: Operation, out: list[SpecChange]) -> None:
        alt_a = _security_alternatives(a.security if a.security is not None else self.old.security)
        alt_b = _security_alternatives(b.security if b.security is not None else self.new.security)
        if alt_a == alt_b:
            return
        if not alt_a:  # no requirement at all: anyone could call it
            alt_a = ["(anonymous)"]
        if not alt_b:
            alt_b = ["(anonymous)"]
        for alternative in alt_a:
            if alternative not in alt_b:
                out.append(_change("security-alternative-removed", "security", before=alternative))
        for alternative in alt_b:
            if alternative not in alt_a:
                out.append(_change("security-alternative-added", "security", after=alternative))

    @staticmethod
    def _param_keys(path: str, parameters: Sequence[Parameter]) -> dict[tuple[str, str], Parameter]:
        names = [m.group()[1:-1] for m in _TEMPLATE_PARAM.finditer(path)]
        out: dict[tuple[str, str], Parameter] = {}
        for param in parameters:
            if param.location == "path" and param.name in names:
                key = ("path", f"#{names.index(param.name)}")
            else:
                key = param.key
            out.setdefault(key, param)
        return out

    def _parameters(
        self,
        path_a: str,
        params_a: Sequence[Parameter],
        path_b: str,
        params_b: Sequence[Parameter],
        out: list[SpecChange],
    ) -> None:
        pa, pb = self._param_keys(path_a, params_a), self._param_keys(path_b, params_b)
        gone = [key for key in pa if key not in pb]
        new = [key for key in pb if key not in pa]
        moved: dict[tuple[str, str], tuple[str, str]] = {}
        for key in gone:
            for other in new:
                if other not in moved.values() and pa[key].name == pb[other].name:
                    moved[key] = other
                    break
        for key, old in pa.items():
            where = f"{old.location} {old.name}"
            if key in moved:
                fresh = pb[moved[key]]
                out.append(_change("parameter-location-changed", where, old.location, fresh.location))
                self._parameter(old, fresh, f"{fresh.location} {fresh.name}", out)
            elif key not in pb:
                out.append(_change("parameter-removed", where))
            else:
                fresh = pb[key]
                if fresh.name != old.name:
                    out.append(_change("path-parameter-renamed", f"path {fresh.name}", old.name, fresh.name))
                self._parameter(old, fresh, f"{fresh.location} {fresh.name}", out)
        moved_to = set(moved.values())
        for key in new:
            if key in moved_to:
                continue
            fresh = pb[key]
            kind = "parameter-added-required" if fresh.required else "parameter-added"
            out.append(_change(kind, f"{fresh.location} {fresh.name}"))

    def _parameter(self, a: Parameter, b: Parameter, where: str, out: list[SpecChange]) -> None:
        if a is b:
            return
        if a.required != b.required:
            kind = "parameter-became-required" if b.required else "parameter-became-optional"
            out.append(_change(kind, where))
        if b.deprecated and not a.deprecated:
            out.append(_change("parameter-deprecated", where))
        self._schema("parameter", where, a.schema, b.schema, out)

    def _request_body(self, ra: RequestBody | None, rb: RequestBody | None, out: list[SpecChange]) -> None:
        if ra is None and rb is None:
            return
        if ra is None:
            assert rb is not None
            kind = "request-body-added-required" if rb.required else "request-body-added"
            out.append(_change(kind, "request"))
            return
        if rb is None:
            out.append(_change("request-body-removed", "request"))
            return
        if ra.required != rb.required:
            kind = "request-body-became-required" if rb.required else "request-body-became-optional"
            out.append(_change(kind, "request"))
        media_a = {_media_key(m.media_type): m for m in ra.content}
        media_b = {_media_key(m.media_type): m for m in rb.content}
        for name, media in media_a.items():
            if name not in media_b:
                out.append(_change("request-media-type-removed", f"request {name}"))
            else:
                self._schema("request", f"request {name}", media.schema, media_b[name].schema, out)
        for name in media_b:
            if name not in media_a:
                out.append(_change("request-media-type-added", f"request {name}"))

    def _responses(
        self,
        by_a: Mapping[str, tuple[Any, Callable[[], Response]]],
        by_b: Mapping[str, tuple[Any, Callable[[], Response]]],
        out: list[SpecChange],
    ) -> None:
        """Statuses -> (raw node, the built response); only statuses whose nodes differ are built."""
        for status, (node, build) in by_a.items():
            if status not in by_b:
                success = status.startswith("2")
                out.append(
                    _change(
                        "response-success-status-removed" if success else "response-status-removed", status
                    )
                )
            elif not (isinstance(node, Mapping) and self.same(node, by_b[status][0])):
                self._response(status, build(), by_b[status][1](), out)
        for status in by_b:
            if status not in by_a:
                out.append(_change("response-status-added", status))

    def _response(self, status: str, a: Response, b: Response, out: list[SpecChange]) -> None:
        headers_a = {h.name.lower(): h for h in a.headers}
        headers_b = {h.name.lower(): h for h in b.headers}
        for name, header in headers_a.items():
            where = f"{status} header {header.name}"
            fresh = headers_b.get(name)
            if fresh is None:
                out.append(_change("response-header-removed", where))
                continue
            if header.required != fresh.required:
                kind = (
                    "response-header-became-required" if fresh.required else "response-header-became-optional"
                )
                out.append(_change(kind, where))
            self._schema("response", where, header.schema, fresh.schema, out)
        for name, header in headers_b.items():
            if name not in headers_a:
                out.append(_change("response-header-added", f"{status} header {header.name}"))
        media_a = {_media_key(m.media_type): m for m in a.content}
        media_b = {_media_key(m.media_type): m for m in b.content}
        for name, media in media_a.items():
            if name not in media_b:
                out.append(_change("response-media-type-removed", f"{status} {name}"))
            else:
                self._schema("response", f"{status} {name}", media.schema, media_b[name].schema, out)
        for name in media_b:
            if name not in media_a:
                out.append(_change("response-media-type-added", f"{status} {name}"))


__all__ = [
    "MAX_DEPTH",
    "Endpoint",
    "EndpointChanges",
    "SpecChange",
    "SpecDiff",
    "diff_specs",
    "path_shape",
]
