"""``$ref`` resolution: JSON pointers inside the document and references to other files or URLs.

References are followed on demand and remembered, so loading a spec never walks every schema.
A pointer is unescaped as a URI fragment (``%xx``) and then as a JSON pointer (``~1`` is ``/``,
``~0`` is ``~``). A relative file reference is resolved against the location of the document it
appears in: documents fetched for a reference have their own references rewritten to absolute
form when they are first read, so a node carries enough to be resolved wherever it travels.

Chains of references are bounded (``MAX_HOPS``), cycles are reported rather than followed, and at
most ``MAX_DOCUMENTS`` other documents are read. A broken reference never raises out of
``Resolver.resolve``: it yields an empty mapping and a one-line report. Nothing here prints.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from labs_tui.spec.model import SpecError

MAX_HOPS = 32
MAX_DOCUMENTS = 64
REWRITE_BUDGET = 2_000_000

Fetch = Callable[[str], Any]  # absolute location -> parsed document; raises on failure

EMPTY: Mapping[str, Any] = {}


class RefError(Exception):
    """A reference that cannot be followed; ``str()`` is one line."""


def is_url(text: str) -> bool:
    return text[:8].lower().startswith(("http://", "https://"))


def join_location(base: str, target: str) -> str:
    """Where ``target`` (the part of a ``$ref`` before ``#``) points, seen from document ``base``."""
    if is_url(target):
        return target
    if is_url(base):
        return urljoin(base, target)
    if target.lower().startswith("file://"):
        return unquote(urlsplit(target).path)
    return os.path.normpath(os.path.join(os.path.dirname(base), unquote(target)))


def split_ref(ref: str) -> tuple[str, str]:
    location, _, fragment = ref.partition("#")
    return location, fragment


def walk_pointer(document: Any, fragment: str) -> Any:
    """The node a JSON pointer fragment names (``""`` is the whole document)."""
    if fragment == "":
        return document
    if not fragment.startswith("/"):
        raise RefError(f"'#{fragment}' is not a JSON pointer")
    node = document
    for raw in fragment[1:].split("/"):
        token = unquote(raw) if "%" in raw else raw
        if "~" in token:
            token = token.replace("~1", "/").replace("~0", "~")
        if type(node) is dict or isinstance(node, Mapping):
            if token not in node:
                raise RefError(f"no '{token}' in the document")
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                raise RefError(f"no item '{token}' in a list of {len(node)}")
            node = node[int(token)]
        else:
            raise RefError(f"'{token}' is looked up inside a value that is not a mapping or list")
    return node


def rewrite_refs(document: Any, rewrite: Callable[[str], str], *, budget: int = REWRITE_BUDGET) -> None:
    """Replace every ``$ref`` string in ``document`` in place, visiting shared nodes once."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        budget -= 1
        if budget < 0:
            raise RefError("the document is too large to rewrite its references")
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                node["$ref"] = rewrite(ref)
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


_TAIL = 256
_REF_TEXT = re.compile(r"""\$ref["']?[ \t]*:[ \t]*(?=([^\n]{0,""" + str(_TAIL) + "}))")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
# A fragment (``#...``, any characters), or a relative or absolute URI: no whitespace, starting
# like a path or a scheme. A YAML block indicator (``>-``, ``|``), alias (``*x``) or tag (``!!str``)
# written after ``$ref:`` is not one.
_REF_LIKE = re.compile(r"#.*|[A-Za-z0-9._~%/]\S*", re.DOTALL)


def looks_like_ref(value: str) -> bool:
    """Whether a ``$ref`` value is written as a reference (``#/...``, a relative or absolute URI)."""
    return _REF_LIKE.fullmatch(value) is not None


def _ref_value(rest: str) -> str | None:
    if rest.startswith('"'):
        end = rest.find('"', 1)
        if end > 0 and "\\" not in rest[1:end]:
            return rest[1:end]
        found = _QUOTED.match(rest)
        if found is None:
            return None
        try:
            value = json.loads(f'"{found.group(1)}"')
        except ValueError:
            return found.group(1)
        return value if isinstance(value, str) else None
    if rest.startswith("'"):
        end = 1
        while True:
            end = rest.find("'", end)
            if end < 0:
                return None
            if rest[end + 1 : end + 2] == "'":
                end += 2
                continue
            return rest[1:end].replace("''", "'")
    parts = re.split(r"[\s,}\]]", rest, maxsplit=1)
    if len(parts) == 1 and len(rest) >= _TAIL:
        return None  # cut off by the scan window: let it be checked when used instead
    return parts[0] or None


def refs_in_text(text: str) -> set[str]:
    """Every ``$ref`` value written in JSON or YAML text: a cheap census, no parsing needed.

    The literal-first scan costs a few ms on a multi-MB spec; each distinct line tail is read once.
    """
    found: set[str] = set()
    for rest in set(_REF_TEXT.findall(text)):
        value = _ref_value(rest)
        if value and looks_like_ref(value):
            found.add(value)
    return found


def _as_written(ref: str) -> str:
    return ref


class Resolver:
    """Follows references for one spec; remembers every answer, good or broken."""

    def __init__(self, document: Any, location: str, fetch: Fetch | None = None) -> None:
        self.document = document
        self.location = location
        self._fetch = fetch
        self._documents: dict[str, Any] = {}
        self._targets: dict[str, Any] = {}
        self.broken: dict[str, str] = {}  # ref -> one-line reason
        # How a ref is named in reports: as the user wrote it (a converted Swagger 2.0 spec's
        # refs were rewritten to 3.x form).
        self.shown: Callable[[str], str] = _as_written

    def _document(self, location: str) -> Any:
        if not location or location == self.location:
            return self.document
        if location in self._documents:
            found = self._documents[location]
            if isinstance(found, RefError):
                raise found
            return found
        if self._fetch is None:
            error = RefError(f"cannot read '{location}' (no location to resolve it from)")
        elif len(self._documents) >= MAX_DOCUMENTS:
            error = RefError(f"more than {MAX_DOCUMENTS} referenced documents")
        else:
            try:
                document = self._fetch(location)
                rewrite_refs(document, lambda ref: self._absolute(location, ref))
            except SpecError as failure:
                where = f" line {failure.line}" if failure.line else ""
                error = RefError(f"cannot read '{location}'{where}: {failure.message}")
            except Exception as failure:  # any failure to read one file is that reference's problem
                error = RefError(f"cannot read '{location}': {failure}")
            else:
                self._documents[location] = document
                return document
        self._documents[location] = error
        raise error

    def _absolute(self, base: str, ref: str) -> str:
        location, fragment = split_ref(ref)
        target = join_location(base, location) if location else base
        return f"{target}#{fragment}"

    def lookup(self, ref: str) -> Any:
        """The node ``ref`` points at; raises ``RefError``."""
        if ref in self._targets:
            return self._targets[ref]
        if ref in self.broken:
            raise RefError(self.broken[ref])
        location, fragment = split_ref(ref)
        try:
            target_location = join_location(self.location, location) if location else self.location
            node = walk_pointer(self._document(target_location), fragment)
        except RefError as error:
            self.broken[ref] = " ".join(str(error).split())
            raise RefError(self.broken[ref]) from None
        self._targets[ref] = node
        return node

    def resolve(self, node: Any, problems: list[str] | None = None, where: str = "") -> Mapping[str, Any]:
        """Follow ``$ref`` until a mapping without one; siblings of a ``$ref`` override its target.

        A broken, circular or overlong chain gives ``{}`` and appends a report to ``problems``.
        """
        siblings: dict[str, Any] = {}
        seen: list[str] = []
        current = node
        for _ in range(MAX_HOPS):
            if not isinstance(current, Mapping):
                return EMPTY
            ref = current.get("$ref")
            if not isinstance(ref, str):
                break
            if len(current) > 1:
                siblings = {**{k: v for k, v in current.items() if k != "$ref"}, **siblings}
            if ref in seen:
                self._report(problems, where, f"circular $ref '{self.shown(ref)}'")
                return EMPTY
            seen.append(ref)
            try:
                current = self.lookup(ref)
            except RefError as error:
                self._report(problems, where, f"broken $ref '{self.shown(ref)}': {error}")
                return EMPTY
        else:
            self._report(problems, where, f"$ref chain longer than {MAX_HOPS} at '{self.shown(seen[-1])}'")
            return EMPTY
        if not isinstance(current, Mapping):
            return EMPTY
        return {**current, **siblings} if siblings else current

    @staticmethod
    def _report(problems: list[str] | None, where: str, message: str) -> None:
        if problems is not None:
            line = f"{where}: {message}" if where else message
            if line not in problems:
                problems.append(line)

    def check(self, refs: Iterable[str]) -> dict[str, str]:
        """Try each reference; return the broken ones with their reasons."""
        for ref in refs:
            try:
                target = self.lookup(ref)
            except RefError:
                continue
            if isinstance(target, Mapping) and "$ref" in target:  # a chain: look for a loop in it
                problems: list[str] = []
                self.resolve({"$ref": ref}, problems)
                if problems and ref not in self.broken:
                    self.broken[ref] = problems[0].split(": ", 1)[-1]
        return dict(self.broken)

    def reaches_broken(self, node: Any, budget: int = 20_000) -> list[str]:
        """Broken references reachable from ``node``, following references (each once)."""
        if not self.broken:
            return []
        found: list[str] = []
        seen_nodes: set[int] = set()
        seen_refs: set[str] = set()
        stack = [node]
        while stack and budget > 0:
            current = stack.pop()
            if id(current) in seen_nodes:
                continue
            seen_nodes.add(id(current))
            budget -= 1
            if isinstance(current, Mapping):
                ref = current.get("$ref")
                if isinstance(ref, str) and ref not in seen_refs:
                    seen_refs.add(ref)
                    if ref in self.broken:
                        found.append(ref)
                    else:
                        try:
                            stack.append(self.lookup(ref))
                        except RefError:
                            found.append(ref)
                stack.extend(v for v in current.values() if isinstance(v, Mapping | list))
            elif isinstance(current, list):
                stack.extend(v for v in current if isinstance(v, Mapping | list))
        return found
