"""Fixtures for the adversarial suite: the hostile servers, a profile bound to one of them, a token to hunt.

Every test here runs with isolated XDG dirs (the root conftest); the helpers below scan those dirs for the
token after the app has written whatever it writes, and check terminal output for escape sequences.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from .hostile_server import HostileServer, hostile_pair, route_spec

TOKEN = "tok-ADVERSARIAL-7f3c9e1d5b2a"
TIMEOUT_S = 1.0
BODY_CAP = 1024 * 1024
# ESC, BEL, CSI (8-bit), OSC (8-bit), DCS: any of these reaching a terminal can act on it. Searched in the
# decoded text (the control pictures are UTF-8 whose bytes hold 0x90); raw C1 bytes decode as surrogates.
TERMINAL_CONTROL = re.compile("[\x1b\x07\x9b\x9d\x90\udc9b\udc9d\udc90]")


@pytest.fixture
def servers() -> Iterator[tuple[HostileServer, HostileServer]]:
    """(hostile, other): two loopback servers; hostile's /redirect-away points at other."""
    with hostile_pair() as pair:
        yield pair


@pytest.fixture
def hostile(servers: tuple[HostileServer, HostileServer]) -> HostileServer:
    return servers[0]


@pytest.fixture
def other(servers: tuple[HostileServer, HostileServer]) -> HostileServer:
    return servers[1]


@pytest.fixture
def user_dirs(isolated_user_dirs: Path) -> Path:
    return isolated_user_dirs


@pytest.fixture
def config_path(user_dirs: Path, hostile: HostileServer) -> Path:
    """A config with a ``hostile`` profile (token from ASTRO_API_TOKEN), a short timeout and a 1 MiB cap."""
    where = user_dirs / "config" / "labs-tui" / "config.yaml"
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(
        "# adversarial suite\n"
        "profiles:\n"
        f"  hostile:\n    base_url: {hostile.url}\n    token_env: ASTRO_API_TOKEN\n"
        f"timeouts:\n  request: {TIMEOUT_S}\n"
        f"body_cap: {BODY_CAP}\n",
        encoding="utf-8",
    )
    return where


@pytest.fixture
def spec_path(tmp_path: Path, other: HostileServer) -> Path:
    """The hostile routes as a spec whose ``servers`` point at the *other* host."""
    where = tmp_path / "hostile-spec.json"
    where.write_text(json.dumps(route_spec([other.url])), encoding="utf-8")
    return where


def cli_env(**extra: str) -> dict[str, str]:
    env = {"ASTRO_API_TOKEN": TOKEN, "COLUMNS": "120", "NO_COLOR": "1"}
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """``labs-tui ARGS`` in-process; exceptions are caught so a crash shows up as a failed assertion."""
    from labs_tui.cli import main

    return CliRunner().invoke(main, list(args), env=env if env is not None else cli_env())


def assert_no_terminal_control(data: bytes, where: str = "output") -> None:
    text = data.decode("utf-8", "surrogateescape")
    found = TERMINAL_CONTROL.search(text)
    if found is not None:
        context = text[max(0, found.start() - 40) : found.end() + 40]
        raise AssertionError(f"a terminal control byte reached the {where}: {context!r}")


def assert_one_line_error(result: Result) -> None:
    """No traceback; stderr's ``error:`` lines are one line each, and stdout/stderr carry no raw controls."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert_no_terminal_control(result.stdout_bytes, "stdout")
    assert_no_terminal_control(result.stderr_bytes, "stderr")


def files_under(root: Path) -> list[Path]:
    return [Path(d) / f for d, _, names in os.walk(root) for f in names]


def assert_token_absent(root: Path, token: str = TOKEN) -> list[Path]:
    """Fail if any file under ``root`` holds ``token`` (raw, or as UTF-16); return the files scanned."""
    files = files_under(root)
    needles = (token.encode(), token.encode("utf-16-le"))
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"the token is written in {path}"
    return files


def plain(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
