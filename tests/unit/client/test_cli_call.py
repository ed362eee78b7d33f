"""``labs-tui call`` and ``labs-tui compare`` as a user runs them: output, JSON shape, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from labs_tui.cli import main

ROOT = Path(__file__).resolve().parents[3]
CALL_KEYS = {
    "request",
    "status",
    "reason",
    "elapsedMs",
    "headers",
    "body",
    "contentKind",
    "requestId",
    "requestIdSource",
    "error",
    "retryAfter",
    "servedVersion",
    "hint",
    "bodyEncoding",
    "bodySize",
    "bodyTruncated",
    "bodyCapped",
    "bodyFile",
    "validation",
}


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_subprocess_call_with_pin_shows_name() -> None:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("ASTRO_API_TOKEN", None)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "labs-tui"), "call", "GET", "/examples/demo", "--pin", "1.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("HTTP/1.1 200 OK")
    assert "version 1.0" in done.stdout.splitlines()[0]
    assert '"name": "Labs example"' in done.stdout
    assert "\x1b" not in done.stdout  # not a terminal: no colours


def test_without_a_token_shows_the_401_and_its_request_id(sandbox: Any) -> None:
    result = run("call", "GET", "/examples/demo", "--base-url", sandbox.base_url, "-H", "Authorization:")
    assert result.exit_code == 1
    assert result.stdout.startswith("HTTP/1.1 401 Unauthorized")
    request_id = json.loads(result.stdout.split("\n\n", 1)[1])["requestId"]
    assert f"requestId   {request_id} (from the body)" in result.stdout
    assert "No token was sent" in result.stdout
    words = " ".join(result.stdout.split())  # the hint worded for the CLI: its flag, not the TUI's tab
    assert "-H 'Authorization:'" in words and "Headers tab" not in words


def test_a_burst_shows_the_429_with_its_retry_time(sandbox: Any) -> None:
    codes = [run("call", "GET", "/examples/demo", "--base-url", sandbox.base_url) for _ in range(11)]
    assert [r.exit_code for r in codes[:10]] == [0] * 10
    limited = codes[10]
    assert limited.exit_code == 1 and limited.stdout.startswith("HTTP/1.1 429 Too Many Requests")
    assert "Rate limited: retry in" in limited.stdout and " UTC)" in limited.stdout
    as_json = json.loads(
        run("call", "GET", "/examples/demo", "--base-url", sandbox.base_url, "--json").stdout
    )
    assert as_json["status"] == 429 and 1 <= as_json["retryAfter"] <= 10


def test_compare_reports_the_rename_and_exits_1() -> None:
    result = run("compare", "GET", "/examples/demo", "--versions", "1.0,latest", env={"COLUMNS": "120"})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "1 renamed: name -> proofOfConcept"
    assert any(line.startswith("> name -> proofOfConcept") and "│" in line for line in lines)


def test_compare_narrow_terminal_is_a_unified_diff() -> None:
    result = run("compare", "GET", "/examples/demo", "--versions", "1.0,latest", env={"COLUMNS": "60"})
    assert '- name: "Labs example"' in result.stdout
    assert '+ proofOfConcept: "Labs example" (renamed)' in result.stdout


def test_compare_json_shape() -> None:
    result = run("compare", "GET", "GetExampleDemo", "--versions", "1.0,latest", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"versions", "responses", "changes", "identical"}
    assert data["versions"] == ["1.0", "latest"] and data["identical"] is False
    assert data["changes"] == [{"kind": "renamed", "path": "proofOfConcept", "from": "name"}]
    assert [(r["version"], r["status"], r["servedVersion"]) for r in data["responses"]] == [
        ("1.0", 200, "1.0"),
        ("latest", 200, "1.1"),
    ]
    keys = {"version", "status", "requestId", "servedVersion", "validation"}
    assert all(set(r) == keys for r in data["responses"])


def test_compare_identical_exits_0_and_unsafe_exits_2() -> None:
    same = run("compare", "GET", "/examples/demo", "--versions", "1.1,latest")
    assert (same.exit_code, same.stdout.splitlines()[0]) == (0, "identical")
    unsafe = run("compare", "DELETE", "/examples/demo", "--versions", "1.0,latest")
    assert unsafe.exit_code == 2 and unsafe.stderr.startswith("error: refusing to send DELETE")


def test_call_json_shape_and_redaction(sandbox: Any) -> None:
    result = run("call", "GET", "/examples/demo", "--base-url", sandbox.base_url, "--pin", "1.0", "--json")
    data = json.loads(result.stdout)
    assert set(data) == CALL_KEYS
    assert set(data["request"]) == {"method", "url", "headers"}
    assert data["request"]["headers"]["authorization"] == "Bearer ***"
    assert (data["status"], data["body"], data["contentKind"], data["error"]) == (
        200,
        {"name": "Labs example"},
        "json",
        None,
    )
    assert data["servedVersion"] == "1.0" and data["requestIdSource"] == "header"


def test_network_failure_is_exit_3_with_status_null(free_port: int) -> None:
    url = f"http://127.0.0.1:{free_port}/labs/v1"
    result = run("call", "GET", "/examples/demo", "--base-url", url, "--json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["status"] is None and "connection refused" in data["error"]["message"]
    human = run("call", "GET", "/examples/demo", "--base-url", url)
    assert human.exit_code == 3 and human.stdout.startswith("connection refused:")


def test_live_token_comes_from_the_environment_and_never_shows(raw_server: Any, reply: Any) -> None:
    token = "live-secret-abcdef"

    def echo(request: Any, sock: Any) -> None:
        reply(sock, 200, json.dumps({"saw": request.headers.get("authorization")}).encode())

    server = raw_server({"/labs/v1/x": echo})
    env = {"ASTRO_API_TOKEN": token}
    result = run("call", "GET", "/x", "--profile", "live", "--base-url", f"{server.url}/labs/v1", env=env)
    assert server.seen[0].headers["authorization"] == f"Bearer {token}"
    assert token not in result.stdout and token not in result.stderr
    assert '"saw": "Bearer ***"' in result.stdout
    curl = run(
        "call", "GET", "/x", "--profile", "live", "--base-url", f"{server.url}/labs/v1", "--curl", env=env
    )
    assert '"Authorization: Bearer $ASTRO_API_TOKEN"' in curl.stdout and token not in curl.stdout


def test_control_characters_from_the_server_are_escaped(raw_server: Any, reply: Any) -> None:
    evil = b"\x1b]0;pwned\x07\x1b[2Jhello\x9b31m"
    server = raw_server(
        {
            "/e": lambda r, s: reply(
                s, 500, evil, reason="Bad\x1b[31m", content_type="text/plain; charset=latin-1"
            )
        }
    )
    result = run("call", "GET", "/e", "--base-url", server.url)
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout and "\x07" not in result.stdout
    assert "␛]0;pwned␇" in result.stdout


def test_unknown_path_is_sent_with_a_note(sandbox: Any) -> None:
    result = run("call", "GET", "/examples/other", "--base-url", sandbox.base_url)
    assert result.exit_code == 1 and "HTTP/1.1 404" in result.stdout
    assert "note: GET /examples/other is not in the spec; sending it anyway" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["call", "FETCH", "/x"], "error: METHOD must be one of GET"),
        (["call", "GET"], "error: Missing argument"),
        (["call", "GET", "noSuchOperation"], "error: no operation 'noSuchOperation' in the spec"),
        (["call", "GET", "/x", "--timeout", "soon"], "error: --timeout must be a number"),
        (["call", "GET", "/x", "-H", "no-colon"], "error: -H takes 'Name: value'"),
        (["call", "GET", "/x", "--profile", "nope"], "error: unknown profile 'nope'"),
        (["call", "GET", "/x", "-d", "@/no/such/file"], "error: cannot read the body"),
        (["compare", "GET", "/x", "--versions", "1.0"], "error: give at least two versions"),
        (["call", "GET", "/x", "--spec", "/no/such/spec.yaml"], "error: spec:"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_curl_for_the_sandbox_points_at_the_default_port() -> None:
    result = run("call", "POST", "/examples/demo", "-d", '{"a": "it\'s"}', "--curl")
    assert result.exit_code == 0
    assert result.stdout.startswith("curl -X POST http://127.0.0.1:8765/labs/v1/examples/demo")
    assert '--data-raw \'{"a": "it\'"\'"\'s"}\'' in result.stdout


def test_body_from_a_file_and_httpie(tmp_path: Path) -> None:
    body = tmp_path / "b.json"
    body.write_text('{"x": 1}')
    result = run("call", "PUT", "/examples/demo", "-d", f"@{body}", "--httpie", "--base-url", "http://h.test")
    assert result.stdout.startswith("http --raw='{\"x\": 1}' PUT http://h.test/examples/demo")


def test_python_module_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "labs_tui", "call", "GET", "/examples/demo", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0 and json.loads(done.stdout)["body"] == {"proofOfConcept": "Labs example"}
