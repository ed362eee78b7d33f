"""The start, in a real pseudo-terminal: keys pressed at first sight are not lost, and the first-frame
override of ``LabsApp._display`` acts on the first frame only.

Pilot runs the app headless, where neither the race between the first paint and the sandbox nor
``_display`` exists, so these tests spawn ``python -m labs_tui`` (or a small script) on a pty, read what
the terminal receives, and type into it like a user.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ROOT = Path(__file__).resolve().parents[2]
ROWS, COLUMNS = 40, 120
ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>$]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]"
)


class Terminal:
    """A child process on a pty of ROWS x COLUMNS; ``text`` is what it wrote, escape sequences removed."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import fcntl
        import pty
        import struct
        import termios

        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
                os.chdir(ROOT)
                os.execve(sys.executable, [sys.executable, *argv], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.raw = b""
        self.closed = False

    @property
    def text(self) -> str:
        return ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def read_until(self, *wanted: str, timeout: float = 30.0) -> float:
        """Read until every string in ``wanted`` has been shown; the monotonic time it happened."""
        import select

        deadline = time.monotonic() + timeout
        while not all(w in self.text for w in wanted):
            if self.closed or time.monotonic() > deadline:
                missing = [w for w in wanted if w not in self.text]
                raise AssertionError(f"never shown: {missing}; last output: {self.text[-600:]!r}")
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                self._read()
        return time.monotonic()

    def drain(self, seconds: float) -> None:
        import select

        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                self._read()

    def _read(self) -> None:
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:  # the child closed the terminal
            chunk = b""
        if chunk:
            self.raw += chunk
        else:
            self.closed = True

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.drain(0.1)  # keep the pty drained so the child never blocks on a write
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.pid = 0
                return os.waitstatus_to_exitcode(status)
        raise AssertionError(f"the child did not exit; last output: {self.text[-600:]!r}")

    def close(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        os.close(self.fd)


@pytest.fixture
def terminal_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABS_TUI", "PYTEST", "XDG_"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(ROOT))
    return env


@pytest.fixture
def spawn(terminal_env: dict[str, str]) -> Iterator[Any]:
    started: list[Terminal] = []

    def _spawn(*argv: str) -> Terminal:
        term = Terminal(list(argv), terminal_env)
        started.append(term)
        return term

    yield _spawn
    for term in started:
        term.close()


def test_ctrl_j_at_first_sight_waits_for_the_sandbox_and_sends(spawn: Any) -> None:
    """ctrl+j the moment the endpoint shows: the send waits for the sandbox, then the answer arrives."""
    term = spawn("-m", "labs_tui", "--endpoint", "GET /examples/demo")
    term.read_until("/examples/demo", "palette")
    term.write(b"\x0a")  # ctrl+j, at once
    term.read_until("200", "Labs example", timeout=30)
    assert "not sent" not in term.text
    assert "still starting" not in term.text


def test_ctrl_t_at_first_sight_waits_for_the_sandbox_and_compares(spawn: Any) -> None:
    """ctrl+t the moment the endpoint shows: the versions dialog opens once the sandbox is up."""
    term = spawn("-m", "labs_tui", "--endpoint", "GET /examples/demo")
    term.read_until("/examples/demo", "palette")
    term.write(b"\x14")  # ctrl+t, at once
    term.read_until("Compare", timeout=30)
    assert "not compared" not in term.text
    assert "still starting" not in term.text


DISPLAY_CHILD = textwrap.dedent(
    """
    import asyncio, json, sys

    from labs_tui.tui.app import LabsApp, make_app
    from labs_tui.tui.screens.help import HelpScreen
    from labs_tui.tui.settings import Settings

    frames = []
    display = LabsApp._display

    def recorded(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None:
            frames.append({"batch": self._batch_count, "held": len(self._held_frames)})

    LabsApp._display = recorded
    app = make_app(Settings(profile="sandbox", base_url="http://127.0.0.1:9", start_sandbox=False, env={}))

    async def later_batch():
        # After the first screen: a screen pushed inside a batch that spans an await, as Textual's own
        # screen pops do. Frames drawn in it are Textual's business, not the start-up override's.
        with app.batch_update():
            await app.push_screen(HelpScreen([]))
            await asyncio.sleep(0.2)
        app.pop_screen()
        app.set_timer(0.5, app.exit)

    app.call_later(lambda: app.set_timer(0.5, later_batch))
    app.run()
    json.dump(frames, open(sys.argv[1], "w"))
    """
)


def test_display_override_holds_frames_only_before_the_first_frame(spawn: Any, tmp_path: Path) -> None:
    script = tmp_path / "display_child.py"
    script.write_text(DISPLAY_CHILD)
    log = tmp_path / "frames.json"
    term = spawn(str(script), str(log))
    term.read_until("/examples/demo", "palette")
    assert term.wait() == 0, term.text[-600:]
    frames = json.loads(log.read_text())
    first = next(i for i, frame in enumerate(frames) if frame["batch"] == 0)
    assert any(frame["held"] for frame in frames[:first]), "the start-up batch held no frame: test is moot"
    assert any(frame["batch"] for frame in frames[first + 1 :]), "no later batch drew a frame: test is moot"
    late = [i for i, frame in enumerate(frames) if i > first and frame["held"]]
    assert not late, f"frames held after the first frame was written (call #{late}): {frames}"
