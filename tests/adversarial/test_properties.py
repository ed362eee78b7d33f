"""Property tests: mutated and random specs only ever raise ``SpecError``; the diff engine's laws hold.

Specs are the bundled Labs spec with nodes dropped, replaced, retyped or turned into random ``$ref``s,
plus random bytes; each is written to a file and loaded, and every operation it yields is touched
(parameters, bodies, examples), since much of the engine is lazy. Example counts stay moderate so the
suite keeps to CI time.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labs_tui.compare import diff
from labs_tui.spec import BUNDLED_SPEC, SpecError, load_spec
from labs_tui.spec.model import Spec

BASE: dict[str, Any] = yaml.safe_load(BUNDLED_SPEC.read_text(encoding="utf-8"))
SPEC_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
refs = st.one_of(
    st.sampled_from(
        [
            "#",
            "#/",
            "#/paths",
            "#/components/schemas",
            "#/components/schemas/Nope",
            "#/info/title",
            "#/paths/~1examples~1demo",
            "#/paths/~1examples~1demo/get",
            "#/components/parameters/0",
            "other.yaml#/x",
            "./missing.json",
            "http://127.0.0.1:1/spec.yaml#/a",
            "#/%ZZ",
            "#/~2",
            "",
        ]
    ),
    st.text(max_size=30).map(lambda t: "#/" + t),
)


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out += _nodes(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out += _nodes(value, (*path, index))
    return out


ALL_PATHS = _nodes(BASE)


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    doc: Any = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(ALL_PATHS))
        action = draw(st.sampled_from(["drop", "replace", "retype", "ref", "self-ref"]))
        if not path:
            doc = draw(json_values) if action == "replace" else doc
            continue
        parent: Any = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            current = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        key = path[-1]
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(json_values)
        elif action == "retype":
            parent[key] = (
                [current]
                if isinstance(current, dict)
                else {"0": current}
                if isinstance(current, list)
                else str(current)
                if not isinstance(current, str)
                else 12345
            )
        elif action == "ref":
            parent[key] = {"$ref": draw(refs)}
        else:
            pointer = "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)
            parent[key] = {"$ref": pointer}
    return doc


def _exercise(spec: Spec) -> None:
    """Touch what the engine builds lazily: details, examples, resolution, lookups."""
    for operation in spec.operations[:30]:
        schemas = [p.schema for p in operation.parameters]
        if operation.request_body is not None:
            schemas += [m.schema for m in operation.request_body.content]
        for response in operation.responses:
            schemas += [m.schema for m in getattr(response, "content", ())]
        for schema in schemas:
            spec.example(schema)
            spec.resolve(schema)
        spec.find(operation.key)
        spec.match(operation.method, operation.path)
    spec.filter("a")


def _load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp) / "spec.json"
        where.write_bytes(data)
        try:
            spec = load_spec(str(where), use_cache=False)
        except SpecError as error:
            assert "\n" not in str(error)
            return
        _exercise(spec)


@SPEC_SETTINGS
@given(mutated_specs())
def test_mutated_specs_load_or_raise_spec_error(doc: Any) -> None:
    _load(json.dumps(doc, allow_nan=True).encode())


@SPEC_SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_load_or_raise_spec_error(data: bytes) -> None:
    _load(data)


@SPEC_SETTINGS
@given(mutated_specs(), st.data())
def test_mutated_spec_text_with_random_bytes_spliced_in(doc: Any, data: st.DataObject) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True).encode()
    at = data.draw(st.integers(0, len(text)))
    junk = data.draw(st.binary(min_size=1, max_size=12))
    _load(text[:at] + junk + text[at:])


# -- the diff engine -----------------------------------------------------------------------------

# No floats or bools: Python equality must be JSON equality for the oracle below (1 == True == 1.0).
plain_scalars = st.one_of(st.none(), st.integers(-1000, 1000), st.text(max_size=6))
plain_values = st.recursive(
    plain_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=15,
)
keys = st.text(min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_diff_of_a_value_with_itself_or_its_copy_is_empty(value: Any) -> None:
    assert diff(value, value) == []
    assert diff(value, copy.deepcopy(value)) == []


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, plain_values, max_size=5), keys, keys, st.integers(10_000, 20_000))
def test_a_rename_is_found_whichever_side_comes_first(
    common: dict[str, Any], old: str, new: str, marker: int
) -> None:
    if old == new or old in common or new in common:
        return
    value = {"unique": marker}
    a = {**common, old: value}
    b = {**common, new: copy.deepcopy(value)}
    forward = [c for c in diff(a, b) if c.kind == "renamed"]
    backward = [c for c in diff(b, a) if c.kind == "renamed"]
    assert [(c.from_steps, c.steps) for c in forward] == [((old,), (new,))]
    assert [(c.from_steps, c.steps) for c in backward] == [((new,), (old,))]
    assert all(c.kind == "renamed" for c in diff(a, b))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, plain_values, max_size=6), st.dictionaries(keys, plain_values, max_size=6))
def test_the_changes_account_for_every_differing_key_and_nothing_else(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    differing = {k for k in a.keys() | b.keys() if k not in a or k not in b or a[k] != b[k]}
    touched: set[str] = set()
    for change in diff(a, b):
        assert change.steps, change
        touched.add(str(change.steps[0]))
        if change.from_steps:
            touched.add(str(change.from_steps[0]))
    assert touched == differing
