"""``labs-tui call`` against the hostile server: a clear answer or a one-line error per route, no leak.

Each route is called twice (human output and ``--json``) with a profile from the config file whose token
is distinctive, a 2 s timeout and a 1 MiB body cap. A run must end (a thread join guards against hangs),
show no traceback, write no terminal control byte and never print the token. The spec given with
``--spec`` lists ``servers`` on the *other* host: nothing may go there.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from .conftest import (
    BODY_CAP,
    TIMEOUT_S,
    TOKEN,
    assert_no_terminal_control,
    assert_one_line_error,
    assert_token_absent,
    cli_env,
    run_cli,
)
from .hostile_server import MARKUP, HostileServer, closed_port

HANG_GUARD_S = TIMEOUT_S + 15


def bounded(*args: str, env: dict[str, str] | None = None) -> Result:
    """``run_cli`` in a thread; fail (instead of hanging the suite) if it does not end in time."""
    box: list[Result] = []
    worker = threading.Thread(target=lambda: box.append(run_cli(*args, env=env)), daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)
    assert box, f"labs-tui {' '.join(args)} did not finish within {HANG_GUARD_S} s"
    return box[0]


def call(route: str, spec_path: Path, *extra: str) -> Result:
    return bounded("call", "GET", f"/{route}", "--profile", "hostile", "--spec", str(spec_path), *extra)


# (route, exit code, text that must be on stdout in human mode)
CASES: list[tuple[str, int, str]] = [
    ("text-error", 1, "RBAC: access denied"),
    ("html-error", 1, "502 Bad Gateway"),
    ("invalid-json", 1, "half an obj"),
    ("header-request-id", 1, "hdr-rid-0042"),
    ("retry-date", 1, "slow down"),
    ("binary", 0, "<binary body"),
    ("big", 0, "(truncated)"),
    ("gzip-bomb", 0, "(truncated)"),
    ("trickle", 3, f"not complete within {TIMEOUT_S:g} s"),
    ("reset", 3, "closed mid-body"),
    ("loop", 3, "more than 10 redirects"),
    ("redirect-away", 0, "caught"),
    ("markup-text", 0, "[reverse]MARKED[/reverse]"),
    ("markup-json", 0, "[reverse]MARKED[/reverse]"),
    ("markup-error", 1, "[bold red]LOUD[/]"),
    ("echo-auth", 0, "Bearer ***"),
    ("echo-auth-error", 1, "bad token Bearer ***"),
]


@pytest.mark.parametrize(("route", "code", "shown"), CASES, ids=[c[0] for c in CASES])
def test_human_output(
    route: str,
    code: int,
    shown: str,
    config_path: Path,
    spec_path: Path,
    other: HostileServer,
    user_dirs: Path,
) -> None:
    started = time.monotonic()
    result = call(route, spec_path)
    elapsed = time.monotonic() - started
    assert_one_line_error(result)
    assert result.exit_code == code, result.stdout + result.stderr
    assert shown in result.stdout
    assert TOKEN not in result.stdout + result.stderr
    assert elapsed < TIMEOUT_S + 10
    for line in result.stderr.splitlines():
        assert line.startswith(("note: ", "error: ")), line
    assert other.authorizations() == []
    assert_token_absent(user_dirs)


@pytest.mark.parametrize(("route", "code", "shown"), CASES, ids=[c[0] for c in CASES])
def test_json_output(
    route: str, code: int, shown: str, config_path: Path, spec_path: Path, other: HostileServer
) -> None:
    result = call(route, spec_path, "--json")
    assert_one_line_error(result)
    assert result.exit_code == code
    data = json.loads(result.stdout)
    assert TOKEN not in result.stdout + result.stderr
    if code == 3:
        assert data["error"]["message"] and "\n" not in data["error"]["message"]
    assert other.authorizations() == []


def test_the_token_reached_the_profile_host_only(
    config_path: Path, spec_path: Path, hostile: HostileServer, other: HostileServer
) -> None:
    """Positive control: the token does go to its own host (else every 'absent' assertion is vacuous)."""
    result = call("redirect-away", spec_path, "--json")
    assert result.exit_code == 0
    assert hostile.authorizations() == [f"Bearer {TOKEN}"]
    assert [s.path for s in other.seen] == ["/catch"]
    assert other.authorizations() == []
    assert "not sent to 127.0.0.1" in result.stderr


def test_allowed_host_gets_the_token_on_redirect(
    user_dirs: Path, spec_path: Path, hostile: HostileServer, other: HostileServer
) -> None:
    """An explicitly allowed host is the only way another origin gets the token."""
    where = user_dirs / "config" / "labs-tui" / "config.yaml"
    where.parent.mkdir(parents=True, exist_ok=True)
    host_port = other.url.removeprefix("http://")
    where.write_text(
        f"profiles:\n  hostile:\n    base_url: {hostile.url}\n    token_env: ASTRO_API_TOKEN\n"
        f"    allowed_hosts: [{host_port}]\n"
        "timeouts:\n  request: 2\n",
        encoding="utf-8",
    )
    result = call("redirect-away", spec_path)
    assert result.exit_code == 0
    assert other.authorizations() == [f"Bearer {TOKEN}"]


def test_retry_after_as_http_date_becomes_seconds(config_path: Path, spec_path: Path) -> None:
    data = json.loads(call("retry-date", spec_path, "--json").stdout)
    assert 80 <= data["retryAfter"] <= 91
    assert data["error"]["requestId"] == "rid-429"


def test_request_id_from_the_header(config_path: Path, spec_path: Path) -> None:
    data = json.loads(call("header-request-id", spec_path, "--json").stdout)
    assert (data["requestId"], data["requestIdSource"]) == ("hdr-rid-0042", "header")


def test_invalid_json_is_shown_as_text_with_a_note(config_path: Path, spec_path: Path) -> None:
    result = call("invalid-json", spec_path)
    assert "not JSON" in result.stderr
    assert '{"message": "half an obj' in result.stdout


def test_markup_and_escapes_are_shown_as_visible_text(config_path: Path, spec_path: Path) -> None:
    result = call("markup-text", spec_path)
    assert MARKUP in result.stdout
    assert "␛]52;c;" in result.stdout  # the OSC 52 write is visible, and inert
    data = json.loads(call("markup-json", spec_path, "--json").stdout)
    assert data["body"]["[reverse]key[/reverse]"] == MARKUP
    assert data["body"]["summary"].startswith(MARKUP)
    assert "\x1b" in data["body"]["summary"]  # JSON keeps the data exact; it is escaped as \u001b on stdout


def test_big_body_stops_at_the_cap(config_path: Path, spec_path: Path) -> None:
    data = json.loads(call("big", spec_path, "--json").stdout)
    assert len(data["body"].encode()) == BODY_CAP
    result = call("big", spec_path)
    assert "cut at 1048576 bytes" in result.stderr


def test_refused_port_is_one_line(config_path: Path, spec_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = bounded("call", "GET", "/anything", "--profile", "hostile", "--base-url", url, "--timeout", "2")
    assert_one_line_error(result)
    assert result.exit_code == 3
    assert "connection refused" in result.stdout


def test_exports_hide_the_token_unless_asked(config_path: Path, spec_path: Path) -> None:
    for flag in ("--curl", "--httpie"):
        result = call("echo-auth", spec_path, flag)
        assert result.exit_code == 0
        assert TOKEN not in result.stdout
        assert "$ASTRO_API_TOKEN" in result.stdout or "${ASTRO_API_TOKEN}" in result.stdout


def test_compare_against_markup_and_token_echo(config_path: Path, spec_path: Path) -> None:
    result = bounded(
        "compare",
        "GET",
        "/echo-auth",
        "--profile",
        "hostile",
        "--spec",
        str(spec_path),
        "--versions",
        "1.0,latest",
    )
    assert_one_line_error(result)
    assert TOKEN not in result.stdout + result.stderr
    result = bounded(
        "compare",
        "GET",
        "/markup-json",
        "--profile",
        "hostile",
        "--spec",
        str(spec_path),
        "--versions",
        "1.0,latest",
        "--json",
    )
    assert_one_line_error(result)


GZIP_PROBE = """
import asyncio, resource, sys
from labs_tui.client import Client, build_request, resolve_profile
profile = resolve_profile("live", base_url=sys.argv[1], env={"ASTRO_API_TOKEN": "x" * 12})
request = build_request(profile, method="GET", path="/gzip-bomb")
async def main():
    async with Client(profile, timeout=20, body_cap=int(sys.argv[2])) as client:
        return await client.send(request)
result = asyncio.run(main())
# VmHWM is this process's own high-water mark; ru_maxrss starts from the parent's at fork and survives exec.
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(result.status, result.size, result.truncated, result.network_error, peak)
"""


def test_gzip_bomb_memory_stays_bounded(hostile: HostileServer) -> None:
    """4 GiB inflated on the other side; with a 16 MiB cap the client process stays far below 300 MB."""
    cap = 16 * 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", GZIP_PROBE, hostile.url, str(cap)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    status, size, truncated, error, peak_mb = done.stdout.split()
    assert (status, int(size), truncated, error) == ("200", cap, "True", "None")
    assert int(peak_mb) < 300, f"peak RSS {peak_mb} MB"


def test_subprocess_stdout_bytes_are_clean(config_path: Path, spec_path: Path, user_dirs: Path) -> None:
    """The real process, real pipes: what a terminal would receive has no control byte and no token."""
    import os

    env: dict[str, Any] = {**os.environ, **cli_env()}
    for route in ("markup-text", "markup-error", "echo-auth"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "labs_tui",
                "call",
                "GET",
                f"/{route}",
                "--profile",
                "hostile",
                "--spec",
                str(spec_path),
            ],
            capture_output=True,
            timeout=HANG_GUARD_S,
            env=env,
        )
        assert done.returncode in (0, 1), done.stderr
        assert_no_terminal_control(done.stdout, f"stdout of {route}")
        assert_no_terminal_control(done.stderr, f"stderr of {route}")
        assert TOKEN.encode() not in done.stdout + done.stderr
        assert b"Traceback" not in done.stderr
    assert_token_absent(user_dirs)
