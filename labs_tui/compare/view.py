"""Comparisons arranged for reading: aligned side-by-side rows, a matrix for 3+ versions, a summary.

The CLI and the TUI's side-by-side view render these rows; nothing here formats for a terminal.
Bodies are flattened to one row per leaf (``path``, JSON text of the value); rows are aligned by
key path, a renamed key sharing one row. Row counts are bounded (``max_rows``) so a huge body
cannot flood a view; the last row then says how many were left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from labs_tui.compare.aligned import Aligned, align
from labs_tui.compare.diff import MISSING, Change, IdStep, Step, id_key, render_path
from labs_tui.compare.engine import (
    Comparison,
    VersionResponse,
    bodies_compared,
    body_value,
    json_bodies_compared,
)

Mark = Literal["=", "~", "+", "-", ">", "!"]
MARKS: dict[str, Mark] = {
    "changed": "~",
    "added": "+",
    "removed": "-",
    "renamed": ">",
    "type_changed": "!",
    "status": "~",
    "header": "~",
}
DEFAULT_MAX_ROWS = 5000
_LEAF_TEXT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Row:
    """One aligned line: ``left`` / ``right`` are None where that side has nothing."""

    path: str
    left: str | None
    right: str | None
    mark: Mark  # "=" same, "~" changed, "+" added, "-" removed, ">" renamed, "!" type changed
    section: Literal["status", "header", "body", "more"] = "body"
    right_path: str | None = None  # for a rename: the new path (``path`` is the old one)


@dataclass(frozen=True, slots=True)
class MatrixRow:
    path: str  # the key path; a renamed key shows each of its names in order: "name -> proofOfConcept"
    values: tuple[str | None, ...]  # one per version, None where absent
    mark: Mark  # "=" all equal, ">" renamed between two versions, "~" otherwise
    paths: tuple[str | None, ...] = ()  # the key path in each version (None where absent)


def value_text(value: Any) -> str:
    if value is MISSING:
        return ""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= _LEAF_TEXT_LIMIT else text[: _LEAF_TEXT_LIMIT - 1] + "…"


def flatten(value: Any, limit: int = DEFAULT_MAX_ROWS * 2) -> dict[str, str]:
    """Leaf path -> JSON text, in document order; arrays of id-carrying objects keyed by id."""
    return {path: text for path, (_, text) in _leaves(value, limit).items()}


def _leaves(value: Any, limit: int) -> dict[str, tuple[tuple[Step, ...], str]]:
    """Leaf path -> (its steps, JSON text): ``flatten`` keeping the steps the rename lookup needs."""
    out: dict[str, tuple[tuple[Step, ...], str]] = {}
    work: list[tuple[tuple[Step, ...], Any]] = [((), value)]
    while work and len(out) < limit:
        steps, node = work.pop()
        if isinstance(node, Mapping) and node:
            work.extend(((*steps, str(k)), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list) and node:
            key = id_key(node, node)
            if key is not None:
                work.extend(((*steps, IdStep(key, item[key])), item) for item in reversed(node))
            else:
                work.extend(((*steps, i), item) for i, item in reversed(list(enumerate(node))))
        else:
            out[render_path(steps) or "(body)"] = (steps, value_text(node))
    return out


class _Renames:
    """Old path -> new path for every rename, found from a row's own ancestors.

    A row is renamed when its path is a rename's old path or lies under it; the first such rename
    (in change order) gives the new path. Renames carrying ``from_steps`` (all that ``diff`` makes)
    are looked up by the row's step prefixes of the lengths that occur, so a row costs its depth,
    not the number of renames; any without steps are matched by text, as a fallback.
    """

    __slots__ = ("by_steps", "lengths", "loose")

    def __init__(self, changes: tuple[Change, ...]) -> None:
        self.by_steps: dict[tuple[Step, ...], tuple[int, str, str]] = {}
        self.loose: list[tuple[int, str, str]] = []
        for order, change in enumerate(c for c in changes if c.kind == "renamed"):
            entry = (order, change.from_path or "", change.path)
            if change.from_steps:
                self.by_steps.setdefault(change.from_steps, entry)
            else:
                self.loose.append(entry)
        self.lengths = sorted({len(steps) for steps in self.by_steps})

    def translate(self, path: str, steps: tuple[Step, ...]) -> tuple[str, bool]:
        best: tuple[int, str, str] | None = None
        for length in self.lengths:
            if length > len(steps):
                break
            entry = self.by_steps.get(steps[:length] if length < len(steps) else steps)
            if entry is not None and (best is None or entry[0] < best[0]) and path.startswith(entry[1]):
                best = entry
        for entry in self.loose:
            if best is not None and entry[0] > best[0]:
                break
            old = entry[1]
            if path == old or path.startswith((old + ".", old + "[")):
                best = entry
                break
        if best is None:
            return path, False
        return best[2] + path[len(best[1]) :], True


def _body_rows(left: Any, right: Any, changes: tuple[Change, ...], max_rows: int) -> Iterator[Row]:
    lflat, rflat = _leaves(left, DEFAULT_MAX_ROWS * 2), flatten(right)
    types = {c.path for c in changes if c.kind == "type_changed"}
    renames = _Renames(changes)
    translate = renames.translate if renames.by_steps or renames.loose else None
    before: dict[int, list[Row]] = {}
    rows: list[Row] = []
    last = -1
    matched_at: dict[str, int] = {}
    for path, (steps, ltext) in lflat.items():
        target, renamed = translate(path, steps) if translate is not None else (path, False)
        rtext = rflat.get(target)
        if rtext is None:
            rows.append(Row(path, ltext, None, "-"))
            continue
        mark: Mark = ">" if renamed else ("=" if ltext == rtext else ("!" if path in types else "~"))
        rows.append(Row(path, ltext, rtext, mark, right_path=target if renamed else None))
        matched_at[target] = len(rows) - 1
    for path, rtext in rflat.items():
        at = matched_at.get(path)
        if at is not None:
            last = at
            continue
        before.setdefault(last, []).append(Row(path, None, rtext, "+"))
    merged = before.get(-1, [])
    for index, row in enumerate(rows):
        merged.append(row)
        merged.extend(before.get(index, []))
    yield from merged[:max_rows]
    if len(merged) > max_rows:
        yield Row(f"… {len(merged) - max_rows} more rows", None, None, "=", section="more")


def _status_text(response: VersionResponse) -> str:
    result = response.result
    if result.network_error is not None:
        return f"network: {result.network_error.message}"
    return f"{result.status} {result.reason}".strip()


def side_by_side(
    comparison: Comparison, left: int = 0, right: int = 1, *, max_rows: int = DEFAULT_MAX_ROWS
) -> list[Row]:
    """Aligned rows for versions ``left`` and ``right``: status, differing headers, then the body."""
    a, b = comparison.responses[left], comparison.responses[right]
    changes = _pair_changes(comparison, left, right)
    status_mark: Mark = "=" if a.result.status == b.result.status else "~"
    rows = [Row("status", _status_text(a), _status_text(b), status_mark, section="status")]
    for change in changes:
        if change.kind == "header":
            left_text = None if change.a is MISSING else str(change.a)
            right_text = None if change.b is MISSING else str(change.b)
            mark: Mark = "+" if left_text is None else ("-" if right_text is None else "~")
            rows.append(Row(change.path, left_text, right_text, mark, section="header"))
    if not bodies_compared(a.result, b.result):
        return rows
    if a.result.content_kind == "json" and b.result.content_kind == "json":
        rows.extend(_body_rows(body_value(a.result), body_value(b.result), changes, max_rows))
    else:
        lt, rt = a.result.text or "", b.result.text or ""
        rows.append(Row("(body)", value_text(lt[:2000]), value_text(rt[:2000]), "=" if lt == rt else "~"))
    return rows


def aligned_sides(comparison: Comparison, left: int = 0, right: int = 1) -> Aligned | None:
    """Both bodies aligned line by line with their marks, when the engine compared them as JSON.

    ``None`` when it did not (a refused or failed side, a non-JSON body): a view then shows each
    answer as it came, never field differences the summary does not count.
    """
    a, b = comparison.responses[left].result, comparison.responses[right].result
    if not json_bodies_compared(a, b):
        return None
    return align(body_value(a), body_value(b), _pair_changes(comparison, left, right))


def _pair_changes(comparison: Comparison, left: int, right: int) -> tuple[Change, ...]:
    if right == left + 1 and left < len(comparison.pairs):
        return comparison.pairs[left][2]
    from labs_tui.compare.engine import diff_results

    changes, _ = diff_results(comparison.responses[left].result, comparison.responses[right].result)
    return tuple(changes)


def matrix(comparison: Comparison, *, max_rows: int = DEFAULT_MAX_ROWS) -> list[MatrixRow]:
    """One row per status and leaf path across all versions, for 3+ versions.

    A key renamed between two neighbouring versions (a ``renamed`` change of that pair, as the
    two-version view shows it) stays on one row, labelled with each of its names and marked ``>``;
    a key that disappears and comes back under the same path later also stays on its row.
    """
    responses = comparison.responses
    rows = [
        MatrixRow(
            "status",
            tuple(_status_text(r) for r in responses),
            "=" if len({r.result.status for r in responses}) == 1 else "~",
        )
    ]
    leaves = [
        _leaves(body_value(r.result), DEFAULT_MAX_ROWS * 2) if r.result.content_kind == "json" else {}
        for r in responses
    ]
    count = len(responses)
    # per row: its path in each version so far, and whether a rename joined it
    found: list[list[str | None]] = []
    renamed: list[bool] = []
    last_path: dict[str, int] = {}  # the row a path was last seen on
    for version, flat in enumerate(leaves):
        claimed: dict[str, int] = {}  # path in this version -> the row a rename brought it to
        if version > 0:
            pair = comparison.pairs[version - 1][2] if version - 1 < len(comparison.pairs) else ()
            renames = _Renames(pair)
            if renames.by_steps or renames.loose:
                for index, paths in enumerate(found):
                    before = paths[version - 1]
                    if before is None or before not in leaves[version - 1]:
                        continue
                    target, moved = renames.translate(before, leaves[version - 1][before][0])
                    if moved and target in flat and target not in claimed:
                        claimed[target] = index
                        renamed[index] = True
        claimed_rows = set(claimed.values())
        for path in flat:
            row = claimed.get(path)
            if row is None:
                row = last_path.get(path)
                if row is None or found[row][version] is not None or row in claimed_rows:
                    row = len(found)
                    found.append([None] * count)
                    renamed.append(False)
            found[row][version] = path
            last_path[path] = row
    for index, paths in enumerate(found[:max_rows]):
        values = tuple(leaves[v][p][1] if p is not None else None for v, p in enumerate(paths))
        names = [p for p in dict.fromkeys(paths) if p is not None]
        if renamed[index]:
            mark: Mark = ">"
        else:
            mark = "=" if len(set(values)) == 1 else "~"
        rows.append(MatrixRow(" -> ".join(names), values, mark, tuple(paths)))
    return rows


def summary_line(changes: tuple[Change, ...] | list[Change], *, listed: int = 3) -> str:
    """``1 renamed: name -> proofOfConcept; 2 added: a, b`` or ``identical``."""
    if not changes:
        return "identical"
    order = ("status", "renamed", "added", "removed", "changed", "type_changed", "header")
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.kind, []).append(change)
    parts = []
    for kind in order:
        group = groups.get(kind)
        if not group:
            continue
        label = kind.replace("_", " ")
        if kind == "status":
            shown = ", ".join(f"{c.a} -> {c.b}" for c in group[:listed])
        else:
            shown = ", ".join(c.describe() for c in group[:listed])
        more = f", +{len(group) - listed} more" if len(group) > listed else ""
        parts.append(f"{len(group)} {label}: {shown}{more}")
    return "; ".join(parts)
