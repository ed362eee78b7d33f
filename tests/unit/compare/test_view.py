"""side_by_side on bodies with many renames: every row lands on its renamed path, nothing else moves.

The rows are checked against what they must be, and (as a property) against a plain reading of the
rule "a row under a rename's old path takes its new path", applied rename by rename.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from labs_tui.client.model import CallRequest, Diagnosis
from labs_tui.compare import Comparison, VersionResponse, diff, side_by_side
from labs_tui.compare.view import DEFAULT_MAX_ROWS, Row, flatten
from tests.factories import json_result

_REQUEST = CallRequest(method="GET", url="http://127.0.0.1/labs/v1/items")


def _answer(version: str, value: Any) -> VersionResponse:
    result = json_result(value, request=_REQUEST)
    return VersionResponse(version, result, Diagnosis(title="200 OK"))


def _comparison(left: Any, right: Any) -> Comparison:
    return Comparison(
        request=_REQUEST,
        versions=("1.0", "1.1"),
        responses=(_answer("1.0", left), _answer("1.1", right)),
        pairs=(("1.0", "1.1", tuple(diff(left, right))),),
    )


def _body(rows: list[Row]) -> list[tuple[str, str | None, str | None, str, str | None]]:
    return [(r.path, r.left, r.right, r.mark, r.right_path) for r in rows if r.section == "body"]


def test_thousands_of_renames_each_row_on_its_new_path() -> None:
    count = 1500
    left = {
        "items": [
            {"id": f"r{i}", "name": f"n{i}", "meta": {"a.b": i, "list": [i, "x"]}, "n": i}
            for i in range(count)
        ]
    }
    right = {
        "items": [
            {"id": f"r{i}", "displayName": f"n{i}", "info": {"a.b": i, "list": [i, "x"]}, "n": i + (i % 2)}
            for i in range(count)
        ]
    }
    comparison = _comparison(left, right)
    assert sum(c.kind == "renamed" for c in comparison.changes) == 2 * count
    rows = _body(side_by_side(comparison, max_rows=10 * count))
    expected = []
    for i in range(count):
        at = f'items[id="r{i}"]'
        expected += [
            (f"{at}.id", f'"r{i}"', f'"r{i}"', "=", None),
            (f"{at}.name", f'"n{i}"', f'"n{i}"', ">", f"{at}.displayName"),
            (f'{at}.meta["a.b"]', str(i), str(i), ">", f'{at}.info["a.b"]'),
            (f"{at}.meta.list[0]", str(i), str(i), ">", f"{at}.info.list[0]"),
            (f"{at}.meta.list[1]", '"x"', '"x"', ">", f"{at}.info.list[1]"),
            (f"{at}.n", str(i), str(i + i % 2), "~" if i % 2 else "=", None),
        ]
    assert rows == expected


def test_a_rename_does_not_capture_a_sibling_sharing_its_prefix() -> None:
    left = {"a": {"x": 1}, "ab": 2, "a b": 3}
    right = {"c": {"x": 1}, "ab": 2, "a b": 4}
    rows = _body(side_by_side(_comparison(left, right)))
    assert rows == [
        ("a.x", "1", "1", ">", "c.x"),
        ("ab", "2", "2", "=", None),
        ('["a b"]', "3", "4", "~", None),
    ]


def _reference_target(path: str, comparison: Comparison) -> tuple[str, bool]:
    for change in comparison.changes:
        if change.kind != "renamed":
            continue
        old = change.from_path or ""
        if path == old or path.startswith((old + ".", old + "[")):
            return change.path + path[len(old) :], True
    return path, False


_keys = st.sampled_from(["a", "b", "c", "a.b", "a b", "0", "id", "name", "x-y"])
_leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["s", "t", "a.b"]))
_json = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


@given(left=_json, right=_json)
@settings(max_examples=300, deadline=None)
def test_rows_follow_the_rename_rule(left: Any, right: Any) -> None:
    comparison = _comparison(left, right)
    rflat = flatten(right)
    left_rows = [r for r in side_by_side(comparison) if r.section == "body" and r.left is not None]
    assert [r.path for r in left_rows] == list(flatten(left))[:DEFAULT_MAX_ROWS]
    for row in left_rows:
        target, renamed = _reference_target(row.path, comparison)
        if target not in rflat:
            assert (row.right, row.mark, row.right_path) == (None, "-", None)
        else:
            assert row.right == rflat[target]
            assert row.right_path == (target if renamed else None)
            assert (row.mark == ">") == renamed
