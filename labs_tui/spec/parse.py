"""Bytes to a JSON-like document: the one place that decodes and parses spec text.

JSON is tried first with ``json.loads`` (fast, exact); YAML follows with libyaml's ``CSafeLoader``
when present. The YAML loader here keeps every mapping key as the text the author wrote (``200:``
becomes ``"200"``, ``on:`` stays ``"on"``), keeps dates and binary scalars as strings, and bounds
merge keys and aliases so that a "billion laughs" document fails fast instead of eating memory.
The result only ever holds dict, list, str, int, float, bool and None, with no cycles.

Every failure is a ``SpecError`` with one line naming the source and, when known, the line. This
module does no I/O and never prints.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from labs_tui.spec.model import SpecError

try:
    _BaseLoader: type[Any] = yaml.CSafeLoader
    HAVE_LIBYAML = True
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader
    HAVE_LIBYAML = False

# Merged (``<<``) entries the whole document may copy; more means an expansion attack.
MERGE_BUDGET = 200_000
# Aliases make a small file stand for a huge tree; the expanded tree may hold at most this many
# nodes (or one per byte of input, when that is larger): a file without aliases never exceeds it.
EXPANSION_FLOOR = 1_000_000

_ANCHOR = re.compile(r"(?:^|[\s\[{,:!-])&[^\s\[\]{},]")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader (C-accelerated when possible) with string keys and bounded merge keys."""

    merge_budget: int

    def _flatten(self, node: yaml.MappingNode, active: set[int]) -> None:
        if not any(key.tag == _MERGE_TAG for key, _ in node.value):
            return
        if id(node) in active:
            raise yaml.constructor.ConstructorError(
                None, None, "a merge key refers to its own mapping", node.start_mark
            )
        active.add(id(node))
        merged: list[tuple[Any, Any]] = []
        own: list[tuple[Any, Any]] = []
        for key, value in node.value:
            if key.tag != _MERGE_TAG:
                own.append((key, value))
                continue
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in reversed(sources):
                if not isinstance(source, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a merge key must refer to a mapping", source.start_mark
                    )
                self._flatten(source, active)
                merged.extend(source.value)
        active.discard(id(node))
        self.merge_budget -= len(merged)
        if self.merge_budget < 0:
            raise yaml.constructor.ConstructorError(
                None, None, "YAML merge keys expand past a safe size (an alias bomb?)", node.start_mark
            )
        # Later entries win in a dict, so keep only the last of each key: the list stays as short
        # as the mapping's distinct keys, however often it is merged again.
        seen: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in merged + own:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(id(key_node))
            seen[name] = (key_node, value_node)
        node.value = list(seen.values())

    def _construct_map(self, node: yaml.MappingNode) -> Iterator[dict[str, Any]]:
        data: dict[str, Any] = {}
        yield data
        self._flatten(node, set())
        construct = self.construct_object
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "a mapping key must be a plain value, not a list or mapping",
                    key_node.start_mark,
                )
            data[key] = construct(value_node)

    def _construct_text(self, node: yaml.ScalarNode) -> str:
        return str(node.value)

    def _construct_set(self, node: yaml.MappingNode) -> Iterator[dict[str, Any]]:
        data: dict[str, Any] = {}
        yield data
        for key_node, _ in node.value:
            data[str(getattr(key_node, "value", ""))] = None


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader._construct_map)
_Loader.add_constructor("tag:yaml.org,2002:omap", _Loader._construct_map)
_Loader.add_constructor("tag:yaml.org,2002:set", _Loader._construct_set)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader._construct_text)
_Loader.add_constructor("tag:yaml.org,2002:binary", _Loader._construct_text)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: BOMs honoured, UTF-8 otherwise; binary input is refused in one line."""
    if not data or data.isspace():
        raise SpecError("the file is empty", source=source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise SpecError(f"not valid {encoding} text: {error.reason}", source=source) from None
    if b"\x00" in data[:8192]:
        raise SpecError("binary data, not an OpenAPI document", source=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SpecError(
            "not UTF-8 text (binary data?), not an OpenAPI document", source=source, line=line
        ) from None


_LEADING_SPACE = re.compile(r"\s*")


def first_char(text: str) -> str:
    """The first non-blank character ('' for blank text), without copying the text."""
    end = _LEADING_SPACE.match(text)
    position = end.end() if end else 0
    return text[position : position + 1]


def parse_text(text: str, source: str) -> tuple[Any, str]:
    """Text to a document and the syntax it was written in (``"json"`` or ``"yaml"``)."""
    first = first_char(text)
    if not first:
        raise SpecError("the file is empty", source=source)
    # Only the message and line are kept: the exception's traceback would hold this frame, and
    # with it the parsed YAML document, in a reference cycle that outlives the spec.
    json_error: tuple[str, int] | None = None
    try:
        return json.loads(text), "json"
    except json.JSONDecodeError as error:
        json_error = (error.msg, error.lineno)
    except RecursionError:
        raise SpecError("nesting too deep", source=source) from None
    except ValueError as error:  # e.g. integers too long to convert
        raise SpecError(f"malformed JSON: {error}", source=source) from None
    if source.lower().endswith(".json") and json_error is not None:
        raise SpecError(f"malformed JSON: {json_error[0]}", source=source, line=json_error[1])
    try:
        document = _load_yaml(text, source)
    except SpecError:
        if first in "{[" and json_error is not None:
            raise SpecError(f"malformed JSON: {json_error[0]}", source=source, line=json_error[1]) from None
        raise
    return document, "yaml"


def _load_yaml(text: str, source: str) -> Any:
    loader = _Loader(text)
    loader.merge_budget = MERGE_BUDGET
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "malformed YAML"
        if "maximum nesting depth" in problem or "nesting depth" in str(error):
            raise SpecError("nesting too deep", source=source, line=line) from None
        raise SpecError(f"malformed YAML: {problem}", source=source, line=line) from None
    except yaml.YAMLError as error:
        raise SpecError(f"malformed YAML: {error}", source=source) from None
    except RecursionError:
        raise SpecError("nesting too deep", source=source) from None
    finally:
        loader.dispose()
    if _ANCHOR.search(text):
        check_expansion(document, source, budget=max(EXPANSION_FLOOR, len(text)))
    return document


def check_expansion(document: Any, source: str, *, budget: int) -> None:
    """Refuse documents whose aliases expand past ``budget`` nodes, or that contain themselves.

    Shared subtrees are measured once (memoised by identity), so the check costs the size of the
    file, not the size of the expansion.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = node.values() if isinstance(node, dict) else node
            total = 1
            for child in children:
                total += sizes.get(id(child), 1) if isinstance(child, dict | list) else 1
            on_path.discard(key)
            sizes[key] = total
            if total > budget:
                raise SpecError("YAML aliases expand past a safe size (an alias bomb?)", source=source)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise SpecError("a YAML alias refers to a node that contains it (a cycle)", source=source)
        on_path.add(key)
        stack.append((node, True))
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list) and id(child) not in sizes:
                if id(child) in on_path:
                    raise SpecError("a YAML alias refers to a node that contains it (a cycle)", source=source)
                stack.append((child, False))


def parse_bytes(data: bytes, source: str) -> tuple[Any, str]:
    """Decode and parse; see ``parse_text``."""
    return parse_text(decode(data, source), source)
