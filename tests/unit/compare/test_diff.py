"""The structural diff: each kind of change, renames, arrays by index and by id, and properties."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from labs_tui.compare import MISSING, Change, IdStep, diff


def kinds(changes: list[Change]) -> list[tuple[str, str]]:
    return [(c.kind, c.describe()) for c in changes]


def test_equal_values_have_no_changes() -> None:
    assert diff({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}) == []


def test_the_labs_rename() -> None:
    changes = diff({"name": "Labs example"}, {"proofOfConcept": "Labs example"})
    assert kinds(changes) == [("renamed", "name -> proofOfConcept")]
    assert changes[0].to_json() == {"kind": "renamed", "path": "proofOfConcept", "from": "name"}


def test_added_removed_changed_type_changed() -> None:
    a = {"keep": 1, "gone": "x", "num": 1, "flag": True, "deep": {"v": [1, 2]}}
    b = {"keep": 1, "num": 2, "flag": 1, "deep": {"v": [1, 3, 4]}, "new": None}
    assert kinds(diff(a, b)) == [
        ("removed", "gone"),
        ("changed", "num"),
        ("type_changed", "flag"),
        ("changed", "deep.v[1]"),
        ("added", "deep.v[2]"),
        ("added", "new"),
    ]
    removed = diff(a, b)[0]
    assert removed.a == "x" and removed.b is MISSING
    assert removed.to_json() == {"kind": "removed", "path": "gone", "a": "x"}


def test_rename_needs_an_equal_value_and_the_same_parent() -> None:
    assert kinds(diff({"a": 1}, {"b": 2})) == [("removed", "a"), ("added", "b")]
    assert kinds(diff({"p": {"a": 1}}, {"q": {"a": 1}})) == [("renamed", "p -> q")]
    assert kinds(diff({"p": {"a": 1}, "q": {}}, {"p": {}, "q": {"b": 1}})) == [
        ("removed", "p.a"),
        ("added", "q.b"),
    ]


def test_arrays_of_objects_match_by_id_key() -> None:
    a = {"items": [{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]}
    b = {"items": [{"id": 2, "v": "b"}, {"id": 3, "v": "c"}, {"id": 1, "v": "z"}]}
    changes = diff(a, b)
    assert kinds(changes) == [("changed", "items[id=1].v"), ("added", "items[id=3]")]
    assert changes[0].steps == ("items", IdStep("id", 1), "v")


def test_keys_that_need_quoting_and_root_changes() -> None:
    assert kinds(diff({"a.b": 1}, {"a.b": 2})) == [("changed", '["a.b"]')]
    assert kinds(diff([1], {"a": 1})) == [("type_changed", "(body)")]


def test_deep_nesting_does_not_recurse() -> None:
    a: Any = 0
    b: Any = 1
    for _ in range(5000):
        a, b = [a], [b]
    changes = diff(a, b)
    assert len(changes) == 1 and changes[0].kind == "changed"


def test_large_body_diff_is_one_change() -> None:
    a: dict[str, Any] = {
        "rows": [{"id": i, "name": f"n{i}", "tags": ["x", "y"], "n": i * 1.5} for i in range(20000)]
    }
    b = copy.deepcopy(a)
    b["rows"][12345]["tags"][1] = "z"
    assert kinds(diff(a, b)) == [("changed", "rows[id=12345].tags[1]")]


json_scalars = (
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=3)
)
keys = st.sampled_from(["id", "name", "a", "b", "c", "d"])
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)


def _container(root: Any, steps: tuple[Any, ...]) -> Any:
    node = root
    for step in steps:
        if isinstance(step, IdStep):
            node = next(item for item in node if item.get(step.key) == step.value)
        else:
            node = node[step]
    return node


def patch(a: Any, changes: list[Change]) -> Any:
    """Apply a diff to a copy of ``a``; used to prove every difference was accounted for."""
    root = {"": copy.deepcopy(a)}
    removals: list[tuple[Any, Any]] = []
    for change in changes:
        steps = ("", *change.steps)
        parent, last = _container(root, steps[:-1]), steps[-1]
        if change.kind == "renamed":
            old = ("", *change.from_steps)
            parent[last] = _container(root, old[:-1]).pop(old[-1])
        elif change.kind == "removed":
            removals.append((parent, last))
        elif change.kind == "added" and isinstance(parent, list):
            parent.append(change.b)
        else:
            parent[last] = change.b
    for parent, last in reversed(removals):
        if isinstance(last, IdStep):
            parent.remove(next(item for item in parent if item.get(last.key) == last.value))
        else:
            del parent[last]
    return root[""]


@given(json_values)
def test_property_a_value_equals_itself(value: Any) -> None:
    assert diff(value, copy.deepcopy(value)) == []


@given(json_values, json_values)
@settings(max_examples=300)
def test_property_every_difference_is_accounted_for(a: Any, b: Any) -> None:
    changes = diff(a, b)
    assert (changes == []) == (diff(b, a) == [])
    assert diff(patch(a, changes), b) == []


@given(
    st.dictionaries(st.sampled_from(["a", "b", "c"]), json_values, max_size=3),
    json_values,
    st.booleans(),
)
def test_property_rename_found_whichever_side_first(base: dict[str, Any], value: Any, first: bool) -> None:
    old = {"old": value, **base} if first else {**base, "old": value}
    new = {**base, "new": value} if first else {"new": value, **base}
    assert kinds(diff(old, new)) == [("renamed", "old -> new")]
    assert kinds(diff(new, old)) == [("renamed", "new -> old")]
