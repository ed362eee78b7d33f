"""``labs-tui call --from FILE`` and ``--from-curl``: saved requests and pasted curl commands, as run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.store.collection import SavedRequest, load_request, save_request

TOKEN = "live-secret-abcdef"


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def echo_route(reply: Any) -> Any:
    def echo(request: Any, sock: Any) -> None:
        seen = {"path": request.path, "auth": request.headers.get("authorization"), "h": request.headers}
        reply(sock, 200, json.dumps(seen).encode())

    return echo


def test_call_from_a_saved_file_against_the_sandbox(sandbox: Any, tmp_path: Path) -> None:
    saved = SavedRequest(
        name="demo pinned", method="GET", path="/examples/demo", pin="1.0", profile="sandbox"
    )
    file = save_request(saved, tmp_path)
    result = run("call", "--from", str(file), "--base-url", sandbox.base_url, "--json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 200
    assert answer["servedVersion"] == "1.0"
    assert answer["request"]["headers"].get("x-labs-api-version") == "1.0"


def test_flags_on_the_command_line_override_the_file(raw_server: Any, reply: Any, tmp_path: Path) -> None:
    server = raw_server({"/labs/v1/things/42": echo_route(reply)})
    saved = SavedRequest(
        name="things",
        method="GET",
        path="/things/{id}",
        path_params={"id": "7"},
        query=(("limit", "5"), ("tag", "a")),
        headers=(("X-Trace", "file"),),
    )
    file = save_request(saved, tmp_path)
    result = run(
        "call", "--from", str(file), "--profile", "live", "--base-url", f"{server.url}/labs/v1",
        "-p", "id=42", "-q", "limit=9", "-H", "X-Trace: cli",
        env={"ASTRO_API_TOKEN": TOKEN},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    seen = server.seen[0]
    assert seen.path == "/labs/v1/things/42?tag=a&limit=9"
    assert seen.headers["x-trace"] == "cli"
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"


def test_variables_come_from_env_over_the_dotenv_beside_the_file(
    raw_server: Any, reply: Any, tmp_path: Path
) -> None:
    server = raw_server({"/labs/v1/things/ws-from-env": echo_route(reply)})
    (tmp_path / ".env").write_text("WS=ws-from-dotenv\nTRACE=from-dotenv\n", encoding="utf-8")
    saved = SavedRequest(
        name="v",
        method="POST",
        path="/things/${WS}",
        headers=(("X-Trace", "${TRACE}"),),
        body='{"w": "${WS}"}',
    )
    file = save_request(saved, tmp_path)
    result = run(
        "call", "--from", str(file), "--profile", "live", "--base-url", f"{server.url}/labs/v1",
        env={"ASTRO_API_TOKEN": TOKEN, "WS": "ws-from-env"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert server.seen[0].path == "/labs/v1/things/ws-from-env"
    assert server.seen[0].headers["x-trace"] == "from-dotenv"


def test_unresolved_variables_are_named_and_nothing_is_sent(
    raw_server: Any, reply: Any, tmp_path: Path
) -> None:
    server = raw_server({"/labs/v1/x": echo_route(reply)})
    saved = SavedRequest(
        name="v", method="GET", path="/x", query=(("a", "${ALPHA}"),), headers=(("B", "${BETA}"),)
    )
    file = save_request(saved, tmp_path)
    result = run("call", "--from", str(file), "--base-url", f"{server.url}/labs/v1", "--profile", "live")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == "error: unresolved variable(s): ALPHA, BETA"
    assert server.seen == []


def test_the_token_is_never_a_variable(raw_server: Any, reply: Any, tmp_path: Path) -> None:
    server = raw_server({"/labs/v1/x": echo_route(reply)})
    result = run(
        "call", "GET", "/x", "-q", "t=${ASTRO_API_TOKEN}",
        "--profile", "live", "--base-url", f"{server.url}/labs/v1",
        env={"ASTRO_API_TOKEN": TOKEN},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "ASTRO_API_TOKEN" in result.stderr and TOKEN not in result.stderr
    assert server.seen == []


def test_from_curl_replaces_the_literal_bearer_token(raw_server: Any, reply: Any) -> None:
    server = raw_server({"/labs/v1/x": echo_route(reply)})
    command = (
        f"curl -X POST {server.url}/labs/v1/x -H 'Authorization: Bearer pasted-secret' "
        "-H 'X-Labs-API-Version: 1.0' -H 'Content-Type: application/json' -d '{\"a\": 1}'"
    )
    result = run(
        "call", "--from-curl", command, "--profile", "live", "--base-url", f"{server.url}/labs/v1",
        env={"ASTRO_API_TOKEN": TOKEN},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    seen = server.seen[0]
    assert seen.method == "POST"
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["x-labs-api-version"] == "1.0"
    assert "note: the command's Authorization header was dropped" in result.stderr
    assert "pasted-secret" not in result.stdout + result.stderr


def test_from_curl_to_another_host_does_not_get_the_token(raw_server: Any, reply: Any) -> None:
    profile_host = raw_server({})
    other = raw_server({"/x": echo_route(reply)})
    other_url = other.url.replace("127.0.0.1", "localhost")
    result = run(
        "call", "--from-curl", f"curl {other_url}/x -H 'Authorization: Bearer pasted'",
        "--profile", "live", "--base-url", f"{profile_host.url}/labs/v1",
        env={"ASTRO_API_TOKEN": TOKEN},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "authorization" not in other.seen[0].headers
    assert "token not sent: localhost is not the host of profile" in result.stderr


def test_from_curl_against_the_sandbox(sandbox: Any) -> None:
    command = f"curl -s '{sandbox.base_url}/examples/demo' -H 'Authorization: Bearer whatever'"
    result = run("call", "--from-curl", command, "--base-url", sandbox.base_url, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["call"], "error: Missing argument: PATH|OPERATION_ID"),
        (["call", "--from-curl", "wget http://x"], "error: --from-curl: not a curl command"),
        (["call", "--from", "/nonexistent/x.yaml"], "error: cannot read /nonexistent/x.yaml"),
    ],
)
def test_bad_sources_are_one_line_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_curl_import_saved_has_no_token(tmp_path: Path) -> None:
    from labs_tui.client.curl import parse_curl
    from labs_tui.store.collection import from_curl

    parsed = parse_curl(
        "curl https://api.example.test/x -H 'Authorization: Bearer pasted-secret' "
        "-H 'X-Labs-API-Version: 1.0'"
    )
    file = save_request(from_curl(parsed, name="imported"), tmp_path)
    assert "pasted-secret" not in file.read_text() and "Authorization" not in file.read_text()
    assert load_request(file).pin == "1.0"


def test_help_lists_the_new_flags() -> None:
    assert "--from FILE" in run("call", "--help").stdout
    assert "--from-curl" in run("call", "--help").stdout
    top = run("--help").stdout
    assert "--open FILE" in top and "--collection DIR" in top


def test_the_group_collection_dotenv_fills_flags(raw_server: Any, reply: Any, tmp_path: Path) -> None:
    server = raw_server({"/labs/v1/x": echo_route(reply)})
    (tmp_path / ".env").write_text("export TRACE='from collection'\n", encoding="utf-8")
    result = run(
        "--collection", str(tmp_path), "call", "GET", "/x", "-H", "X-Trace: ${TRACE}",
        "--profile", "live", "--base-url", f"{server.url}/labs/v1",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert server.seen[0].headers["x-trace"] == "from collection"


def test_a_dollar_escaped_variable_is_sent_literally(raw_server: Any, reply: Any) -> None:
    server = raw_server({"/labs/v1/x": echo_route(reply)})
    result = run(
        "call", "GET", "/x", "-H", "X-T: $${KEEP}", "--profile", "live", "--base-url", f"{server.url}/labs/v1"
    )
    assert result.exit_code == 0, result.stderr
    assert server.seen[0].headers["x-t"] == "${KEEP}"


def test_open_with_a_bad_file_is_one_line_before_the_app(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: no format line\n", encoding="utf-8")
    result = run("--open", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "is not a labs-tui saved request" in result.stderr


def test_open_and_collection_reach_the_app_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import labs_tui.tui.app as app_module

    seen: list[Any] = []

    class FakeApp:
        def run(self) -> None:
            pass

    def fake_make_app(settings: Any) -> FakeApp:
        seen.append(settings)
        return FakeApp()

    monkeypatch.setattr(app_module, "make_app", fake_make_app)
    file = save_request(SavedRequest(name="x", method="GET", path="/examples/demo"), tmp_path / "repo")
    assert run("--open", str(file)).exit_code == 0
    assert seen[-1].open_request.name == "x" and seen[-1].collection_dir == file.parent
    assert run("--open", str(file), "--collection", str(tmp_path)).exit_code == 0
    assert seen[-1].collection_dir == tmp_path
    assert run().exit_code == 0
    assert seen[-1].open_request is None and seen[-1].collection_dir is None
