"""The choices in a request body's schema: each ``oneOf``/``anyOf`` the body takes, at any depth.

A body schema can offer alternatives at its root (a ``Cat`` or a ``Dog``) and deeper (a deployment whose
``source`` is a git source or an image source, an array whose items are one of three events). One walk
finds them all, following the variants picked so far (picking a variant can reveal choices inside it),
and builds the schema with each choice replaced by its picked variant: the template is generated from
it and typed text is checked against it, so problems read as pointers into that variant rather than
"is not valid under any of the given schemas".

A choice is addressed by the JSON pointer of the value it shapes (``""`` for the body itself); ``*``
stands for every item of an array (``/events/*``). A branch that is only ``null`` is not a variant (the
``anyOf: [X, {type: null}]`` of an optional field is one shape, not a choice). ``readOnly`` properties
are skipped (a request never sends them). Bounded: at most ``MAX_CHOICES`` choices, ``MAX_DEPTH``
levels, and a reference already being followed is not followed again. Pure: no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from labs_tui.spec.examples import schema_type

MAX_CHOICES = 12
MAX_DEPTH = 12

Resolve = Callable[[Any], Mapping[str, Any]]

_UNION_KEYS = ("oneOf", "anyOf")
_ABOUT_THE_UNION = ("oneOf", "anyOf", "discriminator", "example", "examples", "default")


@dataclass(frozen=True)
class Choice:
    """One place where the body takes one of several shapes."""

    pointer: str  # the value's JSON pointer in the body; "" is the body, "*" every array item
    keyword: str  # "oneOf" or "anyOf"
    titles: tuple[str, ...]  # one per variant, in the spec's order: "Dog", or "variant 2" unnamed
    picked: int  # index into ``titles``
    schema: Any  # the picked variant, with the choices inside it pinned too
    variants: tuple[Any, ...] = ()  # each variant's schema as the spec has it, in ``titles``' order

    @property
    def where(self) -> str:
        """How the UI names the place: "body", or the pointer."""
        return self.pointer or "body"


@dataclass(frozen=True)
class Choices:
    """Every choice found (outermost first, in property order) and the schema with them pinned."""

    found: tuple[Choice, ...]
    pinned: Any


def body_choices(resolve: Resolve, schema: Any, picks: Mapping[str, int] | None = None) -> Choices:
    """The choices in ``schema`` with ``picks`` (pointer -> variant index; 0 when absent) applied."""
    walk = _Walk(resolve, picks or {})
    pinned = walk.node(schema, "", 0, ())
    return Choices(tuple(walk.found), pinned)


def variant_title(resolve: Resolve, variant: Any, index: int) -> str:
    """A variant's name: its ``title``, else its ``$ref``'s last segment, else its type, numbered."""
    resolved = resolve(variant)
    ref = variant.get("$ref") if isinstance(variant, Mapping) else None
    name = resolved.get("title") or (str(ref).rsplit("/", 1)[-1] if ref else None)
    if not name:
        kind = schema_type(resolved)
        name = kind if kind and kind != "object" else None
    return f"variant {index + 1}: {name}" if name else f"variant {index + 1}"


def pointer_child(pointer: str, name: str) -> str:
    """``pointer`` extended by one property name, escaped as JSON pointers escape (``~0``, ``~1``)."""
    return f"{pointer}/{name.replace('~', '~0').replace('/', '~1')}"


def picks_for(
    resolve: Resolve,
    schema: Any,
    picks: Mapping[str, int],
    document: Any,
    fits: Callable[[Any, Any], bool],
) -> dict[str, int]:
    """``picks`` moved to follow ``document``: where the value at a place does not fit the picked
    variant but fits another, that one is picked (outermost places first; a new pick can reveal places
    inside it). ``fits(variant_schema, value)`` judges; a place with no value keeps its pick.

    A variant fits when the value is valid against it; failing that, when the value has its shape (its
    type, required names and const/enum marks: ``shape_of``), so a variant whose inner places are not
    yet right is still recognised by what sets it apart."""
    current = dict(picks)
    for _ in range(MAX_CHOICES):
        moved = False
        for choice in body_choices(resolve, schema, current).found:
            values = values_at(document, choice.pointer)
            if not values or not choice.variants:
                continue

            def all_fit(
                index: int, shallow: bool, choice: Choice = choice, values: list[Any] = values
            ) -> bool:
                variant = choice.variants[index]
                judged = shape_of(resolve, variant) if shallow else variant
                return all(fits(judged, value) for value in values)

            better = None
            for shallow in (False, True):
                if all_fit(choice.picked, shallow):
                    break
                others = [i for i in range(len(choice.variants)) if i != choice.picked]
                better = next((i for i in others if all_fit(i, shallow)), None)
                if better is not None:
                    break
            if better is not None:
                current[choice.pointer] = better
                moved = True
                break  # the places inside may have changed: look again from the outside
        if not moved:
            break
    return current


def shape_of(resolve: Resolve, schema: Any, depth: int = 0) -> dict[str, Any]:
    """What sets a variant apart, as a schema: its type, required names, const/enum (its own and its
    properties'), through ``allOf``; nothing deeper, so inner choices do not decide."""
    resolved = resolve(schema)
    shape: dict[str, Any] = {
        k: resolved[k] for k in ("type", "required", "const", "enum", "nullable") if k in resolved
    }
    properties = resolved.get("properties")
    if isinstance(properties, Mapping):
        marks = {}
        for name, sub in properties.items():
            sub_resolved = resolve(sub)
            mark = {k: sub_resolved[k] for k in ("const", "enum") if k in sub_resolved}
            if mark:
                marks[name] = mark
        if marks:
            shape["properties"] = marks
    parts = resolved.get("allOf")
    if isinstance(parts, list) and depth < MAX_DEPTH:
        shape["allOf"] = [shape_of(resolve, part, depth + 1) for part in parts]
    return shape


def values_at(document: Any, pointer: str) -> list[Any]:
    """The values at ``pointer`` (``*``: in every item), [] where the body has none."""
    found = [document]
    for part in [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]:
        step: list[Any] = []
        for node in found:
            if part == "*" and isinstance(node, list):
                step.extend(node)
            elif isinstance(node, dict) and part in node:
                step.append(node[part])
        found = step
    return found


def replace_at(document: Any, pointer: str, value: Any) -> tuple[Any, bool]:
    """``document`` with the value at ``pointer`` replaced (``*``: in every item); and whether the
    place existed. The place's parent must exist; a missing property is added to an existing object."""
    if pointer == "":
        return value, True
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return _replace(document, parts, value)


def _replace(node: Any, parts: list[str], value: Any) -> tuple[Any, bool]:
    head, rest = parts[0], parts[1:]
    if head == "*" and isinstance(node, list):
        if not rest:
            return [value for _ in node], bool(node)
        results = [_replace(item, rest, value) for item in node]
        return [item for item, _ in results], any(done for _, done in results)
    if isinstance(node, dict):
        if not rest:
            return {**node, head: value}, True
        if head not in node:
            return node, False
        child, done = _replace(node[head], rest, value)
        return ({**node, head: child} if done else node), done
    return node, False


class _Walk:
    def __init__(self, resolve: Resolve, picks: Mapping[str, int]) -> None:
        self.resolve = resolve
        self.picks = picks
        self.found: list[Choice] = []

    def node(self, node: Any, pointer: str, depth: int, following: tuple[str, ...]) -> Any:
        """``node`` with the choices under it pinned; ``node`` itself when none are (a ``$ref`` kept)."""
        if not isinstance(node, Mapping) or depth > MAX_DEPTH or len(self.found) >= MAX_CHOICES:
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in following:
                return node
            resolved = self.resolve(node)
            pinned = self.schema(resolved, pointer, depth, (*following, ref))
            return node if pinned is resolved else pinned
        return self.schema(node, pointer, depth, following)

    def schema(self, schema: Mapping[str, Any], pointer: str, depth: int, following: tuple[str, ...]) -> Any:
        for keyword in _UNION_KEYS:
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                return self.union(schema, keyword, branches, pointer, depth, following)
        changed: dict[str, Any] = {}
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            parts = [self.node(part, pointer, depth + 1, following) for part in all_of]
            if any(new is not old for new, old in zip(parts, all_of, strict=True)):
                changed["allOf"] = parts
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            pinned_properties = dict(properties)
            for name, sub in properties.items():
                if self.resolve(sub).get("readOnly") is True:
                    continue
                new = self.node(sub, pointer_child(pointer, str(name)), depth + 1, following)
                if new is not sub:
                    pinned_properties[name] = new
                    changed["properties"] = pinned_properties
        items = schema.get("items")
        if isinstance(items, Mapping):
            new_items = self.node(items, f"{pointer}/*", depth + 1, following)
            if new_items is not items:
                changed["items"] = new_items
        return {**schema, **changed} if changed else schema

    def union(
        self,
        schema: Mapping[str, Any],
        keyword: str,
        branches: list[Any],
        pointer: str,
        depth: int,
        following: tuple[str, ...],
    ) -> Any:
        shapes = [(i, b) for i, b in enumerate(branches) if schema_type(self.resolve(b)) != "null"]
        if len(shapes) < 2:  # one shape (maybe nullable): no choice, but choices may sit inside it
            pinned = [self.node(b, pointer, depth + 1, following) for b in branches]
            if all(new is old for new, old in zip(pinned, branches, strict=True)):
                return schema
            return {**schema, keyword: pinned}
        rest = {k: v for k, v in schema.items() if k not in _ABOUT_THE_UNION}
        if any(choice.pointer == pointer for choice in self.found):
            # A second union for the same value (inside a variant, or beside it in an allOf): its
            # first shape, not a second picker for one place.
            return self.joined(rest, shapes[0][1], pointer, depth, following)
        picked = self.picks.get(pointer, 0)
        picked = picked if 0 <= picked < len(shapes) else 0
        titles = tuple(variant_title(self.resolve, branch, i) for i, (_, branch) in enumerate(shapes))
        slot = len(self.found)
        variants = tuple(branch for _, branch in shapes)
        self.found.append(Choice(pointer, keyword, titles, picked, None, variants))
        joined = self.joined(rest, shapes[picked][1], pointer, depth, following)
        self.found[slot] = Choice(pointer, keyword, titles, picked, joined, variants)
        return joined

    def joined(
        self, rest: Mapping[str, Any], variant: Any, pointer: str, depth: int, following: tuple[str, ...]
    ) -> Any:
        """The union's own other keywords (pinned) and the variant (pinned), as one schema."""
        pinned = self.node(variant, pointer, depth + 1, following)
        if not rest:
            return pinned
        around = self.schema(rest, pointer, depth, following)
        return {**around, "allOf": [*list(around.get("allOf") or []), pinned]}
