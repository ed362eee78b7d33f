"""Networks as users have them, from the command line: proxies, values HTTP cannot carry, a reader
that leaves early (``| head``), and a server that answers 413 before reading the body.

Peers are loopback servers (``raw_server``); a non-loopback target (192.0.2.1, TEST-NET-1) is only
ever named, never reached: a proxy is in front of it, or the command stops before sending.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from .conftest import Seen, respond

ROOT = Path(__file__).resolve().parents[3]
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
NO_PROXY_ENV: dict[str, str | None] = {n: None for n in (*_PROXY_VARS, *(v.lower() for v in _PROXY_VARS))}


def cli(*args: str, env: Mapping[str, str | None] | None = None) -> Any:
    from labs_tui.cli import main

    return CliRunner().invoke(
        main, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", **NO_PROXY_ENV, **(env or {})}
    )


def one_error(result: Any) -> str:
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return str(errors[0])


def ok(seen: Seen, sock: socket.socket) -> None:
    respond(sock, 200, b'{"ok": true}')


# -- proxies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("HTTPS_PROXY", "foo://x", "unsupported proxy scheme"),
        ("HTTP_PROXY", "ftp://proxy.example:21", "unsupported proxy scheme"),
        ("https_proxy", "http://proxy.example:notaport", "invalid port"),
    ],
)
def test_a_bad_proxy_setting_is_one_line_exit_3(var: str, value: str, expected: str) -> None:
    result = cli("call", "GET", "/x", "--base-url", "https://192.0.2.1/", env={var: value})
    assert result.exit_code == 3, result.output
    assert expected in one_error(result)


def test_socks_proxy_without_socksio_is_one_line_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "socksio" else real(name, *a)
    )
    result = cli(
        "call", "GET", "/x", "--base-url", "https://192.0.2.1/", env={"HTTPS_PROXY": "socks5://127.0.0.1:1"}
    )
    assert result.exit_code == 3, result.output
    assert "socksio" in one_error(result)


def test_a_dead_proxy_is_named_as_the_proxy(free_port: int) -> None:
    proxy = f"http://127.0.0.1:{free_port}"
    result = cli("call", "GET", "/x", "--base-url", "http://192.0.2.1/", env={"HTTP_PROXY": proxy})
    assert result.exit_code == 3, result.output
    assert f"proxy {proxy} refused the connection" in result.stdout + result.stderr
    assert "192.0.2.1" not in (result.stdout + result.stderr).split("refused", 1)[0].split("proxy")[-1]


def test_a_working_http_proxy_carries_requests_to_other_hosts(raw_server: Any) -> None:
    target = "http://192.0.2.1/x"
    proxy = raw_server({target: ok})  # a forward proxy sees the absolute URL as the request target
    result = cli("call", "GET", "/x", "--base-url", "http://192.0.2.1/", env={"HTTP_PROXY": proxy.url})
    assert result.exit_code == 0, result.output
    assert [seen.path for seen in proxy.seen] == [target]


def test_loopback_targets_and_the_embedded_sandbox_bypass_proxies(raw_server: Any, free_port: int) -> None:
    server = raw_server({"/a": ok})
    dead = f"http://127.0.0.1:{free_port}"
    env = {"HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead}
    assert cli("call", "GET", "/a", "--base-url", server.url, env=env).exit_code == 0
    assert server.seen
    sandbox = cli("call", "GET", "/examples", env=env)  # the embedded sandbox on 127.0.0.1
    assert "proxy" not in sandbox.output and sandbox.exit_code in (0, 1), sandbox.output


def test_no_proxy_hosts_are_reached_directly() -> None:
    from labs_tui.client.network import proxy_for, proxy_settings

    settings = proxy_settings({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": ".corp.example,api.example.com"})
    assert proxy_for(settings, "https://x.corp.example/") is None
    assert proxy_for(settings, "https://api.example.com/") is None
    assert proxy_for(settings, "https://sub.api.example.com/") is None
    assert proxy_for(settings, "https://other.example/") == "http://p:3128"
    assert proxy_for(settings, "https://localhost:8443/") is None
    assert proxy_for(proxy_settings({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "*"}), "https://a/") is None


# -- values HTTP cannot carry: exit 2 at parse time -----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("-H", "X-A: one\r\nX-Injected: two"),
        ("-H", "X-A: bell\x07"),
        ("-H", "X-A: caf\u00e9"),
        ("--pin", "1.0\r\nX-Injected: two"),
        ("--pin", "1.0\x00"),
    ],
)
def test_header_and_pin_values_http_cannot_carry_exit_2_and_send_nothing(raw_server: Any, args: Any) -> None:
    server = raw_server({"/a": ok})
    result = cli("call", "GET", "/a", "--base-url", server.url, *args)
    assert result.exit_code == 2, result.output
    one_error(result)
    assert server.seen == []


def test_base_url_with_a_line_break_exits_2_for_commands_and_the_app(
    raw_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import labs_tui.cli.tui_cmd

    def app_started(**options: Any) -> None:
        raise AssertionError("the app started with a value HTTP cannot carry")

    monkeypatch.setattr(labs_tui.cli.tui_cmd, "run_tui", app_started)
    server = raw_server({"/a": ok})
    for args in (
        ("call", "GET", "/a", "--base-url", server.url + "/\r\nX: y"),
        ("--base-url", server.url + "/\nX: y", "call", "GET", "/a"),
        ("--base-url", server.url + "/\r\n"),  # the app: refused before the screen is taken
        ("--pin", "1\r\nX: y"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        one_error(result)
    assert server.seen == []


# -- a closed stdout ------------------------------------------------------------------------------


def test_a_reader_that_leaves_early_ends_the_command_quietly(raw_server: Any, tmp_path: Path) -> None:
    big = b'{"items": [' + b",".join(b'"%0100d"' % i for i in range(20000)) + b"]}"

    def large(seen: Seen, sock: socket.socket) -> None:
        respond(sock, 200, big)

    server = raw_server({"/big": large})
    env = {
        **{k: v for k, v in os.environ.items() if k not in NO_PROXY_ENV},
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CACHE_HOME": str(tmp_path / "k"),
        "XDG_STATE_HOME": str(tmp_path / "s"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "labs_tui", "call", "GET", "/big", "--base-url", server.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert len(proc.stdout.read(10)) == 10  # `| head -c 10`
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    stderr, code = err.decode(), proc.returncode
    assert code == 0, stderr
    assert "Traceback" not in stderr and "Broken pipe" not in stderr and "BrokenPipe" not in stderr


# -- a 413 before the body was read ---------------------------------------------------------------


def test_a_413_sent_before_the_body_was_read_shows_as_413(raw_server: Any, tmp_path: Path) -> None:
    def too_large(seen: Seen, sock: socket.socket) -> None:
        respond(sock, 413, b'{"message": "body too large", "statusCode": 413}', reason="Payload Too Large")

    server = raw_server({"/upload": too_large})
    body = tmp_path / "body.bin"
    body.write_bytes(b"a" * (16 * 1024 * 1024))
    args = (
        "call",
        "POST",
        "/upload",
        "--base-url",
        server.url,
        "-d",
        f"@{body}",
        "-H",
        "Content-Type: text/plain",
    )
    for _ in range(3):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert "413" in result.output and "closed before an answer" not in result.output
