"""Hostile specs through ``load_spec`` and ``labs-tui endpoints/describe``: a spec or one line, never a crash.

The small files live in ``data/``; the big ones (alias bombs, nesting 50 000 deep, a 20 MB string, a
spec pointing at a refused URL) are written at test time so the repository stays small. Every load runs
in a thread with a join bound, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from labs_tui.spec import SpecError, load_spec
from labs_tui.spec.model import Spec

from .conftest import assert_no_terminal_control, assert_one_line_error, run_cli
from .hostile_server import closed_port

DATA = Path(__file__).parent / "data"
HANG_GUARD_S = 60.0
DEPTH = 50_000


def _minimal(extra_response: Any = None, description: str = "d") -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if extra_response is not None:
        response["x-deep"] = extra_response
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": response}}}},
    }


def alias_bomb(tmp: Path) -> Path:
    lines = ["openapi: 3.0.3", "info: {title: bomb, version: '1'}", "x-bomb:"]
    lines.append('  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
    for level in range(1, 10):
        refs = ",".join([f"*l{level - 1}"] * 10)
        lines.append(f"  l{level}: &l{level} [{refs}]")
    lines.append("paths: {/x: {get: {responses: {'200': {description: *l9}}}}}")
    return _write(tmp / "alias_bomb.yaml", "\n".join(lines) + "\n")


def alias_bomb_in_mapping_keys(tmp: Path) -> Path:
    lines = ["openapi: 3.0.3", "info: {title: bomb, version: '1'}", "paths:"]
    lines.append("  /a: &a {get: {responses: {'200': {description: ok}}}}")
    for level in range(1, 12):
        lines.append(f"  /l{level}: &l{level}")
        for index in range(8):
            lines.append(f"    k{index}: *{'a' if level == 1 else f'l{level - 1}'}")
    return _write(tmp / "alias_bomb_keys.yaml", "\n".join(lines) + "\n")


def deep_json(tmp: Path) -> Path:
    text = json.dumps(_minimal("HOLE")).replace('"HOLE"', '{"a":' * DEPTH + "1" + "}" * DEPTH)
    return _write(tmp / "deep.json", text)


def deep_json_arrays(tmp: Path) -> Path:
    return _write(tmp / "deep_arrays.json", "[" * DEPTH + "]" * DEPTH)


def deep_yaml_flow(tmp: Path) -> Path:
    head = (
        "openapi: 3.0.3\ninfo: {title: deep, version: '1'}\n"
        "paths: {/x: {get: {responses: {'200': {description: d}}}}}\n"
    )
    return _write(tmp / "deep.yaml", head + "x-deep: " + "[" * DEPTH + "]" * DEPTH + "\n")


def deep_yaml_block(tmp: Path) -> Path:
    depth = 3_000  # block nesting costs depth² bytes of indentation; 3 000 is already ~9 MB
    lines = ["openapi: 3.0.3", "info: {title: deep, version: '1'}", "paths: {}", "x-deep:"]
    lines += [" " * (index + 1) + "k:" for index in range(depth)]
    return _write(tmp / "deep_block.yaml", "\n".join(lines) + " 1\n")


def deep_schema_refs(tmp: Path) -> Path:
    """A schema chain 5 000 levels deep through properties (each its own component)."""
    schemas = {
        f"S{i}": {"type": "object", "properties": {"n": {"$ref": f"#/components/schemas/S{i + 1}"}}}
        for i in range(5_000)
    }
    spec = _minimal()
    spec["paths"]["/x"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/S0"}}
    }
    spec["components"] = {"schemas": schemas}
    return _write(tmp / "deep_refs.json", json.dumps(spec))


def enormous_strings(tmp: Path) -> Path:
    spec = _minimal(description="D" * (20 * 1024 * 1024))
    spec["paths"]["/x"]["get"]["summary"] = "S" * (2 * 1024 * 1024)
    spec["paths"]["/x"]["get"]["operationId"] = "I" * 100_000
    return _write(tmp / "enormous.json", json.dumps(spec))


def enormous_path(tmp: Path) -> Path:
    spec = _minimal()
    spec["paths"] = {"/" + "p" * 1_000_000: spec["paths"]["/x"]}
    return _write(tmp / "enormous_path.json", json.dumps(spec))


def url_refs(tmp: Path) -> Path:
    text = (
        (DATA / "external_refs.yaml").read_text().replace("REFUSED_URL", f"http://127.0.0.1:{closed_port()}")
    )
    return _write(tmp / "external_refs.yaml", text)


def unicode_trash(tmp: Path) -> Path:
    text = 'openapi: 3.0.3\ninfo: {title: "\\uD800", version: \'1\'}\npaths: {"/\\u202e": {}}\n'
    return _write(tmp / "trash.yaml", text)


def many_operations(tmp: Path) -> Path:
    paths = {f"/p{i}": {"get": {"responses": {"200": {"description": "d"}}}} for i in range(20_000)}
    return _write(
        tmp / "many.json",
        json.dumps({"openapi": "3.0.0", "info": {"title": "m", "version": "1"}, "paths": paths}),
    )


def not_utf8(tmp: Path) -> Path:
    path = tmp / "utf16_no_bom.yaml"
    path.write_bytes("openapi: 3.0.3\n".encode("utf-16-le"))
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GENERATED: dict[str, Callable[[Path], Path]] = {
    f.__name__: f
    for f in (
        alias_bomb,
        alias_bomb_in_mapping_keys,
        deep_json,
        deep_json_arrays,
        deep_yaml_flow,
        deep_yaml_block,
        deep_schema_refs,
        enormous_strings,
        enormous_path,
        url_refs,
        unicode_trash,
        many_operations,
        not_utf8,
    )
}
COMMITTED = sorted(p.name for p in DATA.iterdir() if p.name != "external_refs.yaml")
ALL = [*COMMITTED, *GENERATED]


@pytest.fixture
def hostile_spec(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    name: str = request.param
    if name in GENERATED:
        return GENERATED[name](tmp_path)
    return DATA / name


def bounded(function: Callable[[], Any]) -> Any:
    box: list[Any] = []

    def run() -> None:
        try:
            box.append(("ok", function()))
        except BaseException as error:  # noqa: BLE001 - reported to the test thread
            box.append(("raised", error))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)
    assert box, f"did not finish within {HANG_GUARD_S} s"
    kind, value = box[0]
    if kind == "raised":
        raise value
    return value


@pytest.mark.parametrize("hostile_spec", ALL, indirect=True)
def test_load_spec_returns_a_spec_or_one_line_spec_error(hostile_spec: Path) -> None:
    try:
        spec = bounded(lambda: load_spec(str(hostile_spec), use_cache=False))
    except SpecError as error:
        message = str(error)
        assert message and "\n" not in message and len(message) < 1000
        return
    assert isinstance(spec, Spec)
    for operation in spec.operations[:20]:
        schemas = [p.schema for p in operation.parameters]
        if operation.request_body is not None:
            schemas += [m.schema for m in operation.request_body.content]
        for response in operation.responses:
            schemas += [m.schema for m in getattr(response, "content", ())]
        for schema in schemas[:20]:
            bounded(lambda schema=schema: (spec.example(schema), spec.resolve(schema)))  # type: ignore[misc]
    spec.filter("x")


@pytest.mark.parametrize("hostile_spec", ALL, indirect=True)
def test_endpoints_cli_lists_or_fails_in_one_line(hostile_spec: Path) -> None:
    for extra in ((), ("--json",)):
        args = ("endpoints", "--spec", str(hostile_spec), *extra)
        result: Result = bounded(lambda args=args: run_cli(*args))  # type: ignore[misc]
        assert_one_line_error(result)
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and len(errors[0]) < 1000, result.stderr


@pytest.mark.parametrize("hostile_spec", ALL, indirect=True)
def test_describe_every_operation_or_fail_in_one_line(hostile_spec: Path) -> None:
    try:
        spec = load_spec(str(hostile_spec), use_cache=False)
    except SpecError:
        result = bounded(lambda: run_cli("describe", "GET", "/x", "--spec", str(hostile_spec)))
        assert_one_line_error(result)
        assert result.exit_code == 2
        return
    for operation in spec.operations[:4]:
        for extra in ((), ("--json",)):
            args = ("describe", operation.method.upper(), operation.path, "--spec", str(hostile_spec), *extra)
            result = bounded(lambda args=args: run_cli(*args))  # type: ignore[misc]
            assert_one_line_error(result)
            assert result.exit_code in (0, 2), result.output


def test_cycles_of_every_shape_load_and_describe() -> None:
    spec = load_spec(str(DATA / "cycles_every_shape.yaml"), use_cache=False)
    assert {op.operation_id for op in spec.operations} >= {
        "getSelf",
        "getMutual",
        "postAllOf",
        "getItems",
        "getMap",
        "getRefOnly",
    }
    where = str(DATA / "cycles_every_shape.yaml")
    for op_id in ("getSelf", "getMutual", "postAllOf", "getItems", "getMap", "getRefOnly"):
        result = bounded(lambda op_id=op_id: run_cli("describe", op_id, "--spec", where))  # type: ignore[misc]
        assert_one_line_error(result)
        assert result.exit_code == 0, result.output


def test_broken_refs_are_problems_not_crashes() -> None:
    spec = load_spec(str(DATA / "broken_refs.yaml"), use_cache=False)
    assert len(spec.operations) == 5
    assert spec.problems


def test_external_refs_to_a_missing_file_and_a_refused_url(tmp_path: Path) -> None:
    spec = bounded(lambda: load_spec(str(url_refs(tmp_path)), use_cache=False))
    assert spec.problems
    text = " ".join(str(p) for p in spec.problems)
    assert "does-not-exist" in text


def test_duplicate_operation_ids_keep_every_operation() -> None:
    spec = load_spec(str(DATA / "duplicate_ids.yaml"), use_cache=False)
    assert len(spec.operations) == 5
    result = run_cli("describe", "same", "--spec", str(DATA / "duplicate_ids.yaml"))
    assert_one_line_error(result)


def test_markup_and_escapes_in_the_spec_reach_stdout_inert() -> None:
    where = str(DATA / "markup_escapes.json")
    for args in (("endpoints", "--spec", where), ("describe", "GET", "/markup/{id\x1b[1m}", "--spec", where)):
        result = run_cli(*args)
        assert_one_line_error(result)
        assert result.exit_code == 0, result.output
        assert_no_terminal_control(result.stdout_bytes)
        assert "[reverse]" in result.stdout
    described = run_cli("describe", "GET", "/markup/{id\x1b[1m}", "--spec", where).stdout
    assert "[reverse]SUMMARY[/reverse]" in described


def test_the_spec_cache_never_holds_more_than_the_spec(tmp_path: Path) -> None:
    """Specs fetched from a URL are cached; a refused URL leaves no cache file and no traceback."""
    url = f"http://127.0.0.1:{closed_port()}/spec.yaml"
    result = run_cli("endpoints", "--spec", url)
    assert_one_line_error(result)
    assert result.exit_code == 2


def test_a_spec_path_with_escapes_is_named_inertly_in_the_error(tmp_path: Path) -> None:
    """The error names the file; a file name with ESC/OSC must not reach stderr raw."""
    where = tmp_path / "evil\x1b]52;c;ZWNobw==\x07\x1b[2J.yaml"
    where.write_text("")
    for args in (("endpoints", "--spec", str(where)), ("call", "GET", "/x", "--spec", str(where))):
        result = run_cli(*args)
        assert result.exit_code == 2
        assert_one_line_error(result)
        assert "evil" in result.stderr
