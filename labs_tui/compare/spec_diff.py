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

The work is split by job: ``spec_changes`` (the result shapes), ``spec_schema`` (the schema
walk), ``spec_nodes`` (raw nodes and the parts built from them); this module matches operations
and compares their parameters, body, responses and security, and must not walk schemas itself.

Pure: returns data (``SpecDiff``); the CLI and the TUI render it through the inert-text functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from labs_tui.compare.spec_changes import Endpoint, EndpointChanges, SpecChange, SpecDiff, _change
from labs_tui.compare.spec_nodes import _refs, _same_response, _Side
from labs_tui.compare.spec_schema import MAX_DEPTH, _mapping, _SchemaDiffer
from labs_tui.gcpause import gc_paused
from labs_tui.spec.model import Operation, Parameter, RequestBody, Response, Spec

_TEMPLATE_PARAM = re.compile(r"\{[^{}/]*\}")


def path_shape(path: str) -> str:
    """``path`` with every ``{name}`` made ``{}``: the key two versions' operations are matched by."""
    return _TEMPLATE_PARAM.sub("{}", path)


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


# -- operations ------------------------------------------------------------------------------------


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
