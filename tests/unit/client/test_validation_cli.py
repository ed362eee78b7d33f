"""``call`` and ``compare`` report whether each answer matches the schema its spec documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from labs_tui.cli import main

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "local", "version": "1"},
    "paths": {
        "/thing": {
            "get": {
                "operationId": "GetThing",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["name"],
                                    "properties": {"name": {"type": "string"}, "size": {"type": "integer"}},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/free": {"get": {"responses": {"200": {"description": "no schema"}}}},
    },
}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def local(raw_server: Any, reply: Any, body: bytes) -> Any:
    def answer(request: Any, sock: Any) -> None:
        reply(sock, 200, body, reason="OK")

    return raw_server({"/thing": answer, "/free": answer})


def spec_file(tmp_path: Path) -> str:
    where = tmp_path / "local.json"
    where.write_text(json.dumps(SPEC), encoding="utf-8")
    return str(where)


def test_call_json_reports_an_off_schema_answer(raw_server: Any, reply: Any, tmp_path: Path) -> None:
    body = json.dumps({"name": 3, "size": 1, "unexpected": "\x1b]0;title\x07"}).encode()
    server = local(raw_server, reply, body)
    result = run("call", "GET", "/thing", "--spec", spec_file(tmp_path), "--base-url", server.url, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["validation"] == {
        "schema": "200 application/json",
        "errors": [{"path": "/name", "message": "3 is not of type 'string'"}],
        "undocumented": ["/unexpected"],
    }


def test_call_json_validation_is_null_when_no_schema_is_documented(
    raw_server: Any, reply: Any, tmp_path: Path
) -> None:
    server = local(raw_server, reply, b'{"anything": 1}')
    result = run("call", "GET", "/free", "--spec", spec_file(tmp_path), "--base-url", server.url, "--json")
    assert json.loads(result.stdout)["validation"] is None


def test_call_human_prints_one_line_per_problem_under_the_status_line(
    raw_server: Any, reply: Any, tmp_path: Path
) -> None:
    body = json.dumps({"size": "big", "odd\x1b[2J": 1}).encode()
    server = local(raw_server, reply, body)
    result = run("call", "GET", "/thing", "--spec", spec_file(tmp_path), "--base-url", server.url)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("HTTP/1.1 200 OK")
    assert lines[1] == "schema (root): 'name' is a required property (200 application/json)"
    assert lines[2] == "schema /size: 'big' is not of type 'integer' (200 application/json)"
    assert lines[3].startswith("schema /odd") and lines[3].endswith(
        "undocumented (not in 200 application/json)"
    )
    assert "\x1b" not in result.stdout  # the server's key is shown inert


def test_call_human_prints_nothing_more_when_the_answer_conforms(sandbox: Any) -> None:
    result = run("call", "GET", "/examples/demo", "--base-url", sandbox.base_url, "--pin", "1.0")
    assert result.exit_code == 0
    assert "schema" not in result.stdout
    data = json.loads(
        run("call", "GET", "/examples/demo", "--base-url", sandbox.base_url, "--pin", "1.0", "--json").stdout
    )
    assert data["validation"] == {"schema": "200 application/json", "errors": [], "undocumented": []}


def test_compare_reports_per_side_whether_the_answer_matches_its_shape(sandbox: Any) -> None:
    human = run(
        "compare", "GET", "/examples/demo", "--base-url", sandbox.base_url, "--versions", "1.0,latest"
    )
    assert "1.0: matches 200 application/json (ExampleDemoV1_0)" in human.stdout
    assert "latest: matches 200 application/json (ExampleDemoLatest)" in human.stdout
    data = json.loads(
        run(
            "compare",
            "GET",
            "/examples/demo",
            "--base-url",
            sandbox.base_url,
            "--versions",
            "1.0,latest",
            "--json",
        ).stdout
    )
    assert [r["validation"] for r in data["responses"]] == [
        {"schema": "200 application/json", "errors": [], "undocumented": []}
    ] * 2
    assert all("status" in r and "servedVersion" in r for r in data["responses"])


def test_compare_reports_an_off_schema_side(raw_server: Any, reply: Any, tmp_path: Path) -> None:
    def answer(request: Any, sock: Any) -> None:
        pinned = request.headers.get("x-labs-api-version") == "1.0"
        reply(sock, 200, json.dumps({"name": "x"} if pinned else {"name": None}).encode(), reason="OK")

    server = raw_server({"/thing": answer})
    args = ["compare", "GET", "/thing", "--spec", spec_file(tmp_path), "--base-url", server.url]
    human = run(*args, "--versions", "1.0,latest")
    assert "1.0: matches 200 application/json" in human.stdout
    assert "latest: does not match 200 application/json: 2 schema problems" in human.stdout
    # the 3.0 dialect's own two words on a null where nullable is not set
    assert "  schema /name: None for not nullable (200 application/json)" in human.stdout
    assert "  schema /name: None is not of type 'string' (200 application/json)" in human.stdout
    data = json.loads(run(*args, "--versions", "1.0,latest", "--json").stdout)
    assert data["responses"][0]["validation"]["errors"] == []
    assert {e["path"] for e in data["responses"][1]["validation"]["errors"]} == {"/name"}
