"""``labs-tui sandbox`` itself: its first line, its request log, SIGTERM, and one-line usage errors."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from labs_tui.cli import main

URL = re.compile(r"http://127\.0\.0\.1:\d+/labs/v1")


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The command running as a real process on a free port, and the base URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "labs_tui", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = URL.search(first)
        assert found, first
        assert "sandbox-token" in first and "sandbox-limited-token" in first
        yield process, found.group()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_serves_logs_and_exits_0_on_sigterm(served: tuple[subprocess.Popen[str], str]) -> None:
    process, base_url = served
    with httpx.Client() as c:
        response = c.get(base_url + "/examples/demo", headers={"Authorization": "Bearer sandbox-token"})
    assert response.json() == {"proofOfConcept": "Labs example"}
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert out == ""  # the one line was already read; nothing else on stdout
    rid = response.headers["x-request-id"]
    assert f"GET /labs/v1/examples/demo pin=- 200 requestId={rid}" in err.splitlines()
    assert "Traceback" not in err and "sandbox-token" not in err


def test_ctrl_c_exits_0_without_traceback(served: tuple[subprocess.Popen[str], str]) -> None:
    process, _ = served
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in err


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_sees_the_behaviour(served: tuple[subprocess.Popen[str], str]) -> None:
    _, base_url = served

    def curl(*args: str) -> str:
        done = subprocess.run(["curl", "-s", "-i", *args], capture_output=True, text=True, timeout=10)
        return done.stdout

    pinned = curl(
        base_url + "/examples/demo",
        "-H",
        "Authorization: Bearer sandbox-token",
        "-H",
        "X-Labs-API-Version: 1.0",
    )
    assert pinned.startswith("HTTP/1.1 200")
    assert "X-Labs-API-Version: 1.0" in pinned and pinned.endswith('{"name":"Labs example"}')
    limited = curl(base_url + "/examples/demo", "-H", "Authorization: Bearer sandbox-limited-token")
    assert limited.startswith("HTTP/1.1 403") and '"statusCode":403' in limited
    assert curl(base_url + "/examples/demo").startswith("HTTP/1.1 401")
    assert curl("-X", "POST", base_url + "/examples/demo").startswith("HTTP/1.1 405")


def test_gateway_flag_reaches_the_server(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "labs_tui",
            "sandbox",
            "--port",
            "0",
            "--gateway-errors",
            "--rate-limit",
            "off",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        found = URL.search(process.stdout.readline())
        assert found
        with httpx.Client() as c:
            response = c.get(found.group() + "/examples/demo")
        assert (response.status_code, response.text) == (403, "RBAC: access denied")
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["sandbox", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "not loopback"),
        (["--host", "192.168.1.10"], "not loopback"),
        (["--rate-limit", "ten"], "--rate-limit"),
        (["--rate-limit", "10/0"], "--rate-limit"),
        (["--rate-limit", "0/10"], "--rate-limit"),
        (["--rate-limit", "10"], "--rate-limit"),
        (["--port", "99999"], "--port"),
        (["--port", "http"], "--port"),
        (["--latency", "-5"], "--latency"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    code, output = run(*args)
    assert code == 2
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_port_in_use_is_one_line_exit_2() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, output = run("--port", str(port))
    assert code == 2
    assert output.strip() == f"error: port {port} on 127.0.0.1 is already in use"


def test_help_documents_the_behaviour() -> None:
    code, output = run("--help")
    assert code == 0
    flat = " ".join(output.split())
    for needle in (
        "sandbox-token",
        "sandbox-limited-token",
        "X-Labs-API-Version",
        '{"name": "Labs example"}',
        '{"proofOfConcept": "Labs example"}',
        "Retry-After",
        "RBAC: access denied",
        "Header.Payload.Signature",
        "--allow-remote",
        "--latency",
        "--spec",
        "405",
        "SIGTERM",
    ):
        assert needle in flat, needle
