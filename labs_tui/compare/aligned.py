"""Two JSON bodies laid out as pretty-printed lines, aligned by key path, each line marked.

The compare engine says *what* differs (``compare.diff``; renames come from it); this module says
*where on screen*: line i on the left and line i on the right describe the same key path, a side
with nothing there gets a blank line. Each line starts with a two-cell gutter holding its mark
(``+`` added, ``-`` removed, ``~`` changed, ``!`` type changed, ``>`` renamed) and a renamed key
carries an arrow label on both sides (``// name -> proofOfConcept``) so the rename reads on its
own line. Marks per line let the view colour them and ``n`` / ``p`` jump between differences.

Pure Python, no Textual: the lines are plain text (the body view sanitizes and highlights them).
The work is bounded: at most ``max_lines`` lines, and nesting deeper than ``MAX_DEPTH`` is shown as
compact JSON on one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from labs_tui.compare.diff import MISSING, Change, json_type, render_path

MAX_LINES = 20_000
MAX_DEPTH = 64
INDENT = "  "
GUTTER = {"=": "  ", "+": "+ ", "-": "- ", "~": "~ ", "!": "! ", ">": "> "}
_LEAF_LIMIT = 2_000

Steps = tuple[str | int, ...]


@dataclass
class Aligned:
    """Parallel lists: ``left[i]`` and ``right[i]`` are one display line each ("" where a side is blank)."""

    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    labels: list[int | None] = field(default_factory=list)  # where the rename label starts, per line
    capped: bool = False

    def __len__(self) -> int:
        return len(self.marks)

    def hunks(self) -> list[int]:
        """The first line of each run of marked lines: where ``n`` / ``p`` stop."""
        starts: list[int] = []
        previous = "="
        for index, mark in enumerate(self.marks):
            if mark != "=" and previous == "=":
                starts.append(index)
            previous = mark
        return starts


def _dumps(value: Any, indent: int | None = 2) -> str:
    try:
        return json.dumps(value, indent=indent, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return json.dumps(repr(value), ensure_ascii=False)


def _same(a: Any, b: Any) -> bool:
    return json_type(a) == json_type(b) and _dumps(a, None) == _dumps(b, None)


class _Builder:
    def __init__(self, renames: Mapping[str, str], max_lines: int) -> None:
        self.out = Aligned()
        self.renames = renames
        self.max_lines = max_lines

    @property
    def full(self) -> bool:
        return len(self.out.marks) >= self.max_lines

    def line(self, left: str | None, right: str | None, mark: str, label: str | None = None) -> None:
        if self.full:
            self.out.capped = True
            return
        gutter = GUTTER.get(mark, "  ")
        left_text = gutter + left if left is not None else ""
        right_text = gutter + right if right is not None else ""
        start: int | None = None
        if label is not None:
            start = max(len(left_text), len(right_text)) + 2
            suffix = f"// {label}"
            left_text = left_text.ljust(start) + suffix if left is not None else left_text
            right_text = right_text.ljust(start) + suffix if right is not None else right_text
        self.out.left.append(left_text)
        self.out.right.append(right_text)
        self.out.marks.append(mark)
        self.out.labels.append(start)

    def one_side(self, value: Any, prefix: str, indent: str, comma: bool, side: str, mark: str) -> None:
        """``value`` pretty-printed on one side only, the other side blank."""
        text = _dumps(value)
        lines = text.split("\n")
        for index, raw in enumerate(lines):
            if self.full:
                self.out.capped = True
                return
            piece = (prefix if index == 0 else "") + raw
            if index == len(lines) - 1 and comma:
                piece += ","
            shown = indent + piece
            self.line(shown if side == "left" else None, shown if side == "right" else None, mark)

    def leaf_text(self, value: Any) -> str:
        text = _dumps(value, None)
        return text if len(text) <= _LEAF_LIMIT else text[: _LEAF_LIMIT - 1] + "…"

    def pair(
        self,
        a: Any,
        b: Any,
        *,
        lprefix: str,
        rprefix: str,
        indent: str,
        lcomma: bool,
        rcomma: bool,
        lsteps: Steps,
        rsteps: Steps,
        depth: int,
        label: str | None = None,
    ) -> None:
        if self.full:
            self.out.capped = True
            return
        if a is MISSING:
            self.one_side(b, rprefix, indent, rcomma, "right", "+")
            return
        if b is MISSING:
            self.one_side(a, lprefix, indent, lcomma, "left", "-")
            return
        lc, rc = ("," if lcomma else ""), ("," if rcomma else "")
        both_dicts = isinstance(a, Mapping) and isinstance(b, Mapping)
        both_lists = isinstance(a, list) and isinstance(b, list)
        if (both_dicts or both_lists) and (a or b) and depth < MAX_DEPTH:
            opener, closer = ("{", "}") if both_dicts else ("[", "]")
            self.line(indent + lprefix + opener, indent + rprefix + opener, ">" if label else "=", label)
            if both_dicts:
                self.dict_children(a, b, indent + INDENT, lsteps, rsteps, depth + 1)
            else:
                self.list_children(a, b, indent + INDENT, lsteps, rsteps, depth + 1)
            self.line(indent + closer + lc, indent + closer + rc, "=")
            return
        if label is not None and _same(a, b):
            self.line(
                indent + lprefix + self.leaf_text(a) + lc,
                indent + rprefix + self.leaf_text(b) + rc,
                ">",
                label,
            )
            return
        if _same(a, b):  # a leaf, or a container too deep to walk (one compact line each)
            self.line(
                indent + lprefix + self.leaf_text(a) + lc, indent + rprefix + self.leaf_text(b) + rc, "="
            )
            return
        mark = ">" if label else ("!" if json_type(a) != json_type(b) else "~")
        if isinstance(a, Mapping | list) or isinstance(b, Mapping | list):
            left_lines = _prefixed(_dumps(a), indent, lprefix, lcomma)
            right_lines = _prefixed(_dumps(b), indent, rprefix, rcomma)
            for index in range(max(len(left_lines), len(right_lines))):
                self.line(
                    left_lines[index] if index < len(left_lines) else None,
                    right_lines[index] if index < len(right_lines) else None,
                    mark,
                    label if index == 0 else None,
                )
            return
        self.line(
            indent + lprefix + self.leaf_text(a) + lc, indent + rprefix + self.leaf_text(b) + rc, mark, label
        )

    def dict_children(
        self,
        a: Mapping[Any, Any],
        b: Mapping[Any, Any],
        indent: str,
        lsteps: Steps,
        rsteps: Steps,
        depth: int,
    ) -> None:
        right_keys = list(b.keys())
        right_index = {key: index for index, key in enumerate(right_keys)}
        rpath_of = {render_path((*rsteps, str(key))): key for key in right_keys}
        targets: dict[Any, Any] = {}
        labels: dict[Any, str] = {}
        for key in a:
            old = render_path((*lsteps, str(key)))
            new = self.renames.get(old)
            if new is not None and new in rpath_of and rpath_of[new] not in a:
                targets[key] = rpath_of[new]
                labels[key] = f"{old} -> {new}"
            elif key in b:
                targets[key] = key
        matched = set(targets.values())
        emitted: set[Any] = set()
        last_left = list(a.keys())[-1] if a else None
        last_right = right_keys[-1] if right_keys else None

        def added_before(limit: int) -> None:
            for rkey in right_keys[:limit]:
                if rkey not in matched and rkey not in emitted:
                    emitted.add(rkey)
                    self.pair(
                        MISSING, b[rkey], lprefix="", rprefix=_key(rkey), indent=indent, lcomma=False,
                        rcomma=rkey != last_right, lsteps=lsteps, rsteps=(*rsteps, str(rkey)), depth=depth,
                    )  # fmt: skip

        for key, value in a.items():
            if self.full:
                self.out.capped = True
                return
            target = targets.get(key)
            lcomma = key != last_left
            if target is None:
                self.pair(
                    value, MISSING, lprefix=_key(key), rprefix="", indent=indent, lcomma=lcomma, rcomma=False,
                    lsteps=(*lsteps, str(key)), rsteps=rsteps, depth=depth,
                )  # fmt: skip
                continue
            added_before(right_index[target])
            emitted.add(target)
            self.pair(
                value, b[target], lprefix=_key(key), rprefix=_key(target), indent=indent, lcomma=lcomma,
                rcomma=target != last_right, lsteps=(*lsteps, str(key)), rsteps=(*rsteps, str(target)),
                depth=depth, label=labels.get(key),
            )  # fmt: skip
        added_before(len(right_keys))

    def list_children(
        self, a: Sequence[Any], b: Sequence[Any], indent: str, lsteps: Steps, rsteps: Steps, depth: int
    ) -> None:
        for index in range(max(len(a), len(b))):
            if self.full:
                self.out.capped = True
                return
            self.pair(
                a[index] if index < len(a) else MISSING,
                b[index] if index < len(b) else MISSING,
                lprefix="", rprefix="", indent=indent, lcomma=index < len(a) - 1, rcomma=index < len(b) - 1,
                lsteps=(*lsteps, index), rsteps=(*rsteps, index), depth=depth,
            )  # fmt: skip


def _key(key: Any) -> str:
    return _dumps(str(key), None) + ": "


def _prefixed(text: str, indent: str, prefix: str, comma: bool) -> list[str]:
    lines = text.split("\n")
    out = [indent + (prefix if i == 0 else "") + line for i, line in enumerate(lines)]
    if comma:
        out[-1] += ","
    return out


def renames_of(changes: Iterable[Change]) -> dict[str, str]:
    """Old path -> new path for every rename the diff found."""
    return {c.from_path: c.path for c in changes if c.kind == "renamed" and c.from_path is not None}


def align(left: Any, right: Any, changes: Iterable[Change] = (), *, max_lines: int = MAX_LINES) -> Aligned:
    """``left`` and ``right`` (parsed JSON) as aligned, marked lines; renames taken from ``changes``."""
    builder = _Builder(renames_of(changes), max_lines)
    builder.pair(
        left,
        right,
        lprefix="",
        rprefix="",
        indent="",
        lcomma=False,
        rcomma=False,
        lsteps=(),
        rsteps=(),
        depth=0,
    )
    return builder.out


def plain_lines(value: Any, *, max_lines: int = MAX_LINES) -> list[str]:
    """One side's body pretty-printed with an empty gutter (for a side that is not compared)."""
    lines = _dumps(value).split("\n")[:max_lines]
    return [GUTTER["="] + line for line in lines]
