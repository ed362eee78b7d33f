"""The spec diff's schema walk: what changed between two versions of one schema.

Schemas are compared through their ``$ref``s (``Spec.resolve``), walked to ``MAX_DEPTH`` with
cycles cut, and each pair of nodes compared once (memoised by identity). Type, enum, bounds,
required, properties (a property gone while one of the same type appears is a rename) and
``oneOf``/``anyOf`` variants are compared; each finding is a (path suffix, kind, before, after).
This module must not know about operations, parameters or responses beyond the context word it
is given, and must not build ``SpecChange``s.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from typing import Any

from labs_tui.compare.breaking import RULES
from labs_tui.compare.diff import MISSING
from labs_tui.spec.model import Spec

MAX_DEPTH = 48
_MAX_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_MIN_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")

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
