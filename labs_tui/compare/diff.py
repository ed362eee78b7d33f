"""The structural diff of two JSON values: added, removed, changed, type_changed and renamed.

A key gone and another come under the same parent with an equal value is one rename. Arrays are
compared by index, or by an id-like key when every item on both sides is an object carrying a
unique one (then moves are not differences). The walk uses an explicit work list, so depth never
hits Python's recursion limit, and each node is visited once (values are canonicalised only for
rename candidates), so a 1 MB body diffs in time linear in its size. Pure; no I/O.
"""

from __future__ import annotations

import json
import math
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

ChangeKind = Literal["renamed", "added", "removed", "changed", "type_changed", "status", "header"]
ID_KEYS = ("id", "uuid", "key", "name", "slug", "code", "ref", "handle")
_SIMPLE_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


class _Missing:
    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class IdStep:
    """An array item found by its id-like key: ``items[id=42]``."""

    key: str
    value: str | int


Step = str | int | IdStep


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``a`` / ``b`` are MISSING where a side has no value (added, removed, renamed)."""

    kind: ChangeKind
    path: str
    a: Any = MISSING
    b: Any = MISSING
    from_path: str | None = None  # renamed: the old path; ``path`` is the new one
    steps: tuple[Step, ...] = ()
    from_steps: tuple[Step, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``{kind, path, from?, a?, b?}`` as the CLI's ``--json`` writes it."""
        out: dict[str, Any] = {"kind": self.kind, "path": self.path}
        if self.from_path is not None:
            out["from"] = self.from_path
        if self.a is not MISSING:
            out["a"] = self.a
        if self.b is not MISSING:
            out["b"] = self.b
        return out

    def describe(self) -> str:
        """``name -> proofOfConcept``, ``items[0].x``: the short form the summary line lists."""
        if self.kind == "renamed":
            return f"{self.from_path} -> {self.path}"
        return self.path or "(body)"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__


def render_path(steps: Sequence[Step]) -> str:
    parts: list[str] = []
    for step in steps:
        if isinstance(step, IdStep):
            shown = step.value if isinstance(step.value, int) else json.dumps(step.value, ensure_ascii=False)
            parts.append(f"[{step.key}={shown}]")
        elif isinstance(step, int):
            parts.append(f"[{step}]")
        elif _SIMPLE_KEY.match(step):
            parts.append("." + step if parts else step)
        else:
            parts.append("[" + json.dumps(step, ensure_ascii=False) + "]")
    return "".join(parts)


def _canon(value: Any) -> str | None:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)
    except (TypeError, ValueError, RecursionError):
        return None


def _same_scalar(x: Any, y: Any) -> bool:
    if x == y:
        return True
    return isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)


def id_key(xs: Sequence[Any], ys: Sequence[Any]) -> str | None:
    if not xs or not ys:
        return None
    items = [*xs, *ys]
    if not all(isinstance(item, Mapping) for item in items):
        return None
    for key in ID_KEYS:
        ok = True
        for side in (xs, ys):
            seen: set[Any] = set()
            for item in side:
                value = item.get(key, MISSING)
                if isinstance(value, bool) or not isinstance(value, str | int) or value in seen:
                    ok = False
                    break
                seen.add(value)
            if not ok:
                break
        if ok:
            return key
    return None


_Task = tuple[tuple[Step, ...], Any, Any] | Change


def _change(kind: ChangeKind, steps: tuple[Step, ...], a: Any = MISSING, b: Any = MISSING) -> Change:
    return Change(kind, render_path(steps), a, b, steps=steps)


def diff(a: Any, b: Any) -> list[Change]:
    """The differences from ``a`` to ``b``, in document order; ``[]`` when they are equal."""
    out: list[Change] = []
    work: list[_Task] = [((), a, b)]
    while work:
        task = work.pop()
        if isinstance(task, Change):
            out.append(task)
            continue
        steps, x, y = task
        if x is y:
            continue
        tx, ty = json_type(x), json_type(y)
        if tx != ty:
            out.append(_change("type_changed", steps, x, y))
        elif tx == "object":
            work.extend(reversed(_object_tasks(steps, x, y)))
        elif tx == "array":
            work.extend(reversed(_array_tasks(steps, x, y)))
        elif not _same_scalar(x, y):
            out.append(_change("changed", steps, x, y))
    return out


def _object_tasks(steps: tuple[Step, ...], x: Mapping[Any, Any], y: Mapping[Any, Any]) -> list[_Task]:
    removed = [k for k in x if k not in y]
    added = [k for k in y if k not in x]
    renamed_to: dict[Any, Any] = {}
    if removed and added:
        by_value: dict[str, deque[Any]] = {}
        for key in added:
            canon = _canon(y[key])
            if canon is not None:
                by_value.setdefault(canon, deque()).append(key)
        for key in removed:
            canon = _canon(x[key])
            candidates = by_value.get(canon) if canon is not None else None
            if candidates:
                renamed_to[key] = candidates.popleft()
    renamed_new = set(renamed_to.values())
    tasks: list[_Task] = []
    for key in x:
        here = (*steps, str(key))
        if key in y:
            tasks.append((here, x[key], y[key]))
        elif key in renamed_to:
            new = (*steps, str(renamed_to[key]))
            tasks.append(
                Change("renamed", render_path(new), from_path=render_path(here), steps=new, from_steps=here)
            )
        else:
            tasks.append(_change("removed", here, a=x[key]))
    for key in added:
        if key not in renamed_new:
            tasks.append(_change("added", (*steps, str(key)), b=y[key]))
    return tasks


def _array_tasks(steps: tuple[Step, ...], x: Sequence[Any], y: Sequence[Any]) -> list[_Task]:
    tasks: list[_Task] = []
    key = id_key(x, y)
    if key is not None:
        by_id = {item[key]: item for item in y}
        in_x = {item[key] for item in x}
        for item in x:
            here = (*steps, IdStep(key, item[key]))
            if item[key] in by_id:
                tasks.append((here, item, by_id[item[key]]))
            else:
                tasks.append(_change("removed", here, a=item))
        for item in y:
            if item[key] not in in_x:
                tasks.append(_change("added", (*steps, IdStep(key, item[key])), b=item))
        return tasks
    common = min(len(x), len(y))
    for index in range(common):
        tasks.append(((*steps, index), x[index], y[index]))
    for index in range(common, len(x)):
        tasks.append(_change("removed", (*steps, index), a=x[index]))
    for index in range(common, len(y)):
        tasks.append(_change("added", (*steps, index), b=y[index]))
    return tasks
