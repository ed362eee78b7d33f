"""Does an answer match what the spec documents for it? The response check behind ``call``, compare and
the TUI's Schema tab.

``check_response`` picks the documented schema for the status that came back (exact, then ``2XX``-style,
then ``default``) and the media type received (else the operation's JSON media type), validates the body
with the spec engine's ``SchemaChecker`` (3.0 with ``nullable``, 3.1 as JSON Schema 2020-12, ``$ref``s
through ``components``), and walks the body beside the schema for properties it does not list
("undocumented": reported apart, since most schemas allow them and they are what changes between
minors). ``oneOf``/``anyOf`` are judged by the branch the body matches, so the Labs demo's 1.0 answer
(``name``) matches its 1.0 variant and a latest answer (``proofOfConcept``) the latest one.

Bounded: at most ``limit`` problems of each kind, at most ``MAX_NODES`` values walked, and a caller that
must stay responsive passes ``max_bytes`` to get ``skipped`` ("body over N MB") instead of a long check.
Nothing here prints, does I/O or imports Textual; only JSON bodies against JSON media types are checked.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from labs_tui.client.model import CallResult
from labs_tui.spec.model import MediaType, Operation, Response, Spec
from labs_tui.spec.validate import MAX_PROBLEMS, SchemaChecker, SchemaProblem, pointer

__all__ = [
    "MAX_CHECK_BYTES",
    "MAX_NODES",
    "Validation",
    "check_response",
    "response_schema",
    "validation_json",
]

MAX_CHECK_BYTES = 4 * 1024 * 1024
"""Bodies larger than this are not checked unless the caller asks (``max_bytes=None``): a dense 12 MB
JSON array takes ~9 s to validate here (benchmarks/validation.py), ~0.7 s per MB."""
MAX_NODES = 500_000
"""Values the undocumented-property walk visits at most; past it the walk stops (``walk_cut``)."""
_MAX_BRANCH_DEPTH = 16
_CHECKERS: dict[int, tuple[Spec, SchemaChecker]] = {}
_CHECKERS_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Validation:
    """What checking one answer against its documented schema found.

    ``schema`` names what it was checked against (``"200 application/json"``); ``errors`` are where the
    body breaks the schema (JSON pointers, ``""`` for the root); ``undocumented`` the pointers of
    properties no applicable schema lists. ``skipped`` says why the body was not checked at all.
    """

    schema: str
    errors: tuple[SchemaProblem, ...] = ()
    undocumented: tuple[str, ...] = ()
    skipped: str | None = None
    variants: tuple[str, ...] = ()
    """The ``oneOf``/``anyOf`` branches of the top schema the body matched, by component name or title."""
    walk_cut: bool = False
    """The undocumented walk stopped at ``MAX_NODES`` values: ``undocumented`` may be incomplete."""
    more_errors: bool = False
    """There are more errors than the ``limit`` reported."""

    @property
    def conforms(self) -> bool:
        """Checked and no errors (undocumented properties do not make a body non-conforming)."""
        return self.skipped is None and not self.errors


def _checker(spec: Spec) -> SchemaChecker:
    """One checker per spec, so its validators are built once and reused across answers."""
    with _CHECKERS_LOCK:
        found = _CHECKERS.get(id(spec))
        if found is not None and found[0] is spec:
            return found[1]
        if len(_CHECKERS) > 8:
            _CHECKERS.clear()
        checker = SchemaChecker(spec)
        _CHECKERS[id(spec)] = (spec, checker)
        return checker


def _base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    base = _base(media_type)
    return base == "application/json" or base.endswith("+json") or base.endswith("/json")


def _pick_media(response: Response, content_type: str) -> MediaType | None:
    """The documented media type for what was received: exact, ``type/*``, ``*/*``, else the JSON one."""
    by_type = {_base(media.media_type): media for media in response.content}
    received = _base(content_type)
    if received:
        for key in (received, received.split("/", 1)[0] + "/*", "*/*"):
            if key in by_type:
                return by_type[key]
    for media in response.content:
        if _is_json(media.media_type):
            return media
    return None


def response_schema(operation: Operation, status: int, content_type: str) -> tuple[str, Any] | None:
    """(``"<status> <media type>"``, schema) documented for this answer, or None when there is none.

    The status is looked up exact, then ``2XX``-style, then ``default``; only JSON media types count.
    """
    response = operation.response(status)
    if response is None:
        return None
    media = _pick_media(response, content_type)
    if media is None or not _is_json(media.media_type):
        return None
    schema = media.schema
    if isinstance(schema, bool):
        return f"{response.status} {media.media_type}", schema
    if not isinstance(schema, Mapping) or not schema:
        return None
    return f"{response.status} {media.media_type}", schema


def check_response(
    spec: Spec,
    operation: Operation | None,
    result: CallResult,
    *,
    max_bytes: int | None = MAX_CHECK_BYTES,
    limit: int = MAX_PROBLEMS,
) -> Validation | None:
    """Check ``result``'s body against what ``operation`` documents for its status and media type.

    None when nothing can be checked: no answer, no operation, a HEAD, or no JSON schema documented for
    the status. A body larger than ``max_bytes`` is not checked (``skipped`` says so); None lifts the bound.
    """
    if operation is None or result.status is None or result.network_error is not None:
        return None
    if result.request.method.upper() == "HEAD":
        return None
    found = response_schema(operation, result.status, result.content_type)
    if found is None:
        return None
    label, schema = found
    if result.truncated:
        return Validation(label, skipped="the body was cut at the body cap")
    size = result.size or len(result.body)
    if max_bytes is not None and size > max_bytes:
        return Validation(label, skipped=f"body over {_size(max_bytes)}")
    if result.content_kind == "empty" or (not result.body and result.text is None and result.json is None):
        return Validation(label, errors=(SchemaProblem("", "the body is empty; the spec documents one"),))
    if result.content_kind != "json" or result.json_error is not None:
        what = _base(result.content_type) or "no content type"
        detail = f" ({result.json_error})" if result.json_error else f" ({what})"
        return Validation(label, errors=(SchemaProblem("", "the body is not JSON" + detail[:200]),))
    checker = _checker(spec)
    value = result.json
    walk = _Walk(spec, checker, limit)
    problems = checker.problems(schema, value, "response", limit + 1)
    errors = tuple(_explained(walk, schema, value, p) for p in problems[:limit])
    walk.run(schema, value)
    return Validation(
        label,
        errors=errors,
        undocumented=tuple(walk.found),
        variants=tuple(walk.variants),
        walk_cut=walk.cut,
        more_errors=len(problems) > limit,
    )


def validation_json(validation: Validation | None) -> dict[str, Any] | None:
    """``{"schema", "errors": [{"path", "message"}], "undocumented"}`` for ``--json`` (``skipped`` only
    when the body was not checked); None stays None."""
    if validation is None:
        return None
    out: dict[str, Any] = {
        "schema": validation.schema,
        "errors": [{"path": p.path, "message": p.message} for p in validation.errors],
        "undocumented": list(validation.undocumented),
    }
    if validation.skipped is not None:
        out["skipped"] = validation.skipped
    return out


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB" if size >= 1024 else f"{size} bytes"


_NO_BRANCH = ("is not valid under any of the given schemas", "is valid under each of")


def _explained(walk: _Walk, schema: Any, value: Any, problem: SchemaProblem) -> SchemaProblem:
    """A ``oneOf``/``anyOf`` failure said per variant (its name and its first problem) instead of the
    validator's "<the whole value> is not valid under any of the given schemas"."""
    if not problem.message.endswith(_NO_BRANCH) and _NO_BRANCH[1] not in problem.message:
        return problem
    node, here = walk.schema_at(schema, value, problem.path)
    if node is None:
        return problem
    resolved = walk.spec.resolve(node)
    for keyword in ("oneOf", "anyOf"):
        branches = resolved.get(keyword)
        if not isinstance(branches, list) or not branches:
            continue
        parts = []
        for branch in branches[:6]:
            found = walk.checker.problems(branch, here, "response", 1)
            name = _branch_name(walk.spec, branch)
            if found:
                parts.append(f"{name}: {found[0].path or '(root)'} {found[0].message}")
            else:
                parts.append(f"{name}: matches")
        verdict = "matches none of" if problem.message.endswith(_NO_BRANCH[0]) else "matches more than one of"
        return SchemaProblem(problem.path, f"{verdict} its {keyword} variants: " + "; ".join(parts))
    return problem


def _branch_name(spec: Spec, node: Any) -> str:
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        title = spec.resolve(node).get("title")
        if isinstance(title, str) and title:
            return title
    return "(inline schema)"


class _Walk:
    """The body beside its schema: pointers of properties no applicable schema lists, bounded."""

    def __init__(self, spec: Spec, checker: SchemaChecker, limit: int) -> None:
        self.spec = spec
        self.checker = checker
        self.limit = limit
        self.found: list[str] = []
        self.variants: list[str] = []
        self.cut = False

    def applicable(self, node: Any, value: Any, top: bool = False) -> list[Mapping[str, Any]]:
        """The resolved schemas that describe ``value``: ``node``, its ``allOf`` parts, and the
        ``oneOf``/``anyOf`` branches ``value`` matches (all of them when it matches none)."""
        out: list[Mapping[str, Any]] = []
        work: list[tuple[Any, int]] = [(node, 0)]
        while work:
            current, depth = work.pop()
            resolved = self.spec.resolve(current)
            if not resolved:
                continue
            out.append(resolved)
            if depth >= _MAX_BRANCH_DEPTH:
                continue
            parts = resolved.get("allOf")
            if isinstance(parts, list):
                work.extend((part, depth + 1) for part in parts)
            for keyword in ("oneOf", "anyOf"):
                branches = resolved.get(keyword)
                if not isinstance(branches, list) or not branches:
                    continue
                matching = [b for b in branches if self.checker.valid(b, value, "response")]
                if top and current is node:
                    self.variants.extend(_branch_name(self.spec, b) for b in matching)
                work.extend((branch, depth + 1) for branch in (matching or branches))
        return out

    def schema_at(self, schema: Any, value: Any, path: str) -> tuple[Any, Any]:
        """(the schema that describes the value at ``path``, that value); (None, None) when not found.

        Follows ``properties`` / ``additionalProperties`` / ``items`` / ``prefixItems`` through ``$ref``s
        and ``allOf`` parts (the first part that describes the next step)."""
        node, here = schema, value
        for raw in path.split("/")[1:] if path else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            nxt = None
            for candidate in self.applicable(node, here):
                props = candidate.get("properties")
                if isinstance(here, dict) and isinstance(props, Mapping) and part in props:
                    nxt = props[part]
                elif isinstance(here, dict) and isinstance(candidate.get("additionalProperties"), Mapping):
                    nxt = candidate["additionalProperties"]
                elif isinstance(here, list) and part.isdigit():
                    prefix = candidate.get("prefixItems")
                    if isinstance(prefix, list) and int(part) < len(prefix):
                        nxt = prefix[int(part)]
                    elif isinstance(candidate.get("items"), Mapping):
                        nxt = candidate["items"]
                if nxt is not None:
                    break
            if nxt is None:
                return None, None
            if isinstance(here, dict) and part in here:
                here = here[part]
            elif isinstance(here, list) and part.isdigit() and int(part) < len(here):
                here = here[int(part)]
            else:
                return None, None
            node = nxt
        return node, here

    def run(self, schema: Any, value: Any) -> None:
        if isinstance(schema, bool):
            return
        stack: list[tuple[tuple[Any, ...], Any, Any]] = [((), schema, value)]
        visited = 0
        top = True
        while stack:
            if len(self.found) >= self.limit:
                return
            visited += 1
            if visited > MAX_NODES:
                self.cut = True
                return
            parts, node, current = stack.pop()
            if not isinstance(current, dict | list):
                top = False
                continue
            schemas = self.applicable(node, current, top)
            top = False
            if isinstance(current, dict):
                self._object(parts, schemas, current, stack)
            else:
                self._array(parts, schemas, current, stack)

    def _object(
        self,
        parts: tuple[Any, ...],
        schemas: list[Mapping[str, Any]],
        value: dict[str, Any],
        stack: list[tuple[tuple[Any, ...], Any, Any]],
    ) -> None:
        listed = False
        closed = False
        properties: dict[str, list[Any]] = {}
        patterns: list[tuple[str, Any]] = []
        additional: list[Any] = []
        for schema in schemas:
            props = schema.get("properties")
            if isinstance(props, Mapping):
                listed = True
                for name, sub in props.items():
                    properties.setdefault(str(name), []).append(sub)
            pattern_props = schema.get("patternProperties")
            if isinstance(pattern_props, Mapping):
                patterns.extend((str(p), sub) for p, sub in pattern_props.items())
            extra = schema.get("additionalProperties")
            if extra is False:
                closed = True  # the validator reports keys it refuses; not undocumented as well
            elif isinstance(extra, Mapping) and extra:
                additional.append(extra)
        if not listed and not patterns and not additional:
            return  # a free-form object: nothing documented to compare keys with
        pending: list[tuple[tuple[Any, ...], Any, Any]] = []
        for key, child in value.items():
            subs = properties.get(key) or _pattern_matches(patterns, key) or additional
            if subs:
                sub = subs[0] if len(subs) == 1 else {"allOf": subs}
                pending.append(((*parts, key), sub, child))
            elif listed and not closed:
                self.found.append(pointer((*parts, key)))
                if len(self.found) >= self.limit:
                    return
        stack.extend(reversed(pending))

    def _array(
        self,
        parts: tuple[Any, ...],
        schemas: list[Mapping[str, Any]],
        value: list[Any],
        stack: list[tuple[tuple[Any, ...], Any, Any]],
    ) -> None:
        prefix: list[Any] = []
        items: list[Any] = []
        for schema in schemas:
            found_prefix = schema.get("prefixItems")
            if isinstance(found_prefix, list) and not prefix:
                prefix = found_prefix
            found_items = schema.get("items")
            if isinstance(found_items, Mapping) and found_items:
                items.append(found_items)
            elif isinstance(found_items, list) and not prefix:  # draft-4 style tuple items
                prefix = found_items
        pending: list[tuple[tuple[Any, ...], Any, Any]] = []
        for index, child in enumerate(value):
            if not isinstance(child, dict | list):
                continue
            if index < len(prefix):
                sub: Any = prefix[index]
            elif items:
                sub = items[0] if len(items) == 1 else {"allOf": items}
            else:
                continue
            pending.append(((*parts, index), sub, child))
        stack.extend(reversed(pending))


def _pattern_matches(patterns: list[tuple[str, Any]], key: str) -> list[Any]:
    import re

    out = []
    for pattern, sub in patterns:
        try:
            if re.search(pattern, key):
                out.append(sub)
        except re.error:
            continue
    return out
