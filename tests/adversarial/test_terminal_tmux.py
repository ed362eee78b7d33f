"""The TUI in a real terminal (tmux) against a hostile spec and server: the title and the clipboard hold.

A Pilot test cannot see what reaches a terminal; tmux can. Its own server (a private ``-S`` socket, no user
config) runs with ``set-clipboard on`` (an OSC 52 from the app lands in tmux's paste buffers) and
``allow-rename``/``set-titles`` on (an OSC 0/2 sets ``#{pane_title}``). The app runs in it as a user
starts it, ``python -m labs_tui --spec HOSTILE --base-url URL``, with a throwaway HOME and XDG dirs, and
keys are sent: open an endpoint whose parameters' example/default and summary carry OSC 0/OSC 52, its
body example too, send (the error's requestId and message carry them plus U+202E), ctrl+y, ctrl+r,
"Export request as curl" from the palette. After each step the pane title is still the one set
before the app started and every paste buffer is either absent or the inert text the app meant to
copy. Skipped when tmux is not installed; the tmux server is always killed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import labs_tui
from labs_tui.text import inert_line

from .hostile_terminal import (
    PWNED_CLIP,
    PWNED_TITLE,
    REQUEST_ID,
    hostile_terminal_server,
    write_spec,
)

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

MARKER = "labs-tui-terminal-test"
STEP_S = 8.0  # the longest any one step may take on a loaded machine
TMUX_CONF = """\
set -g set-clipboard on
set -g allow-rename on
set -g set-titles on
set -g remain-on-exit on
"""


class Tmux:
    """One tmux server on its own socket, one session ``t`` whose pane runs ``command`` after an Enter."""

    def __init__(self, conf: Path) -> None:
        assert TMUX is not None
        # A socket of its own in a short private folder (socket paths are limited to ~100 bytes).
        self.folder = Path(tempfile.mkdtemp(prefix="labs-tui-tmux-"))
        self.base = [TMUX, "-S", str(self.folder / "socket"), "-f", str(conf)]

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10)
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def title(self) -> str:
        return self.run("display-message", "-p", "-t", "t", "#{pane_title}").rstrip("\n")

    def window_name(self) -> str:
        return self.run("display-message", "-p", "-t", "t", "#{window_name}").rstrip("\n")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t")

    def buffers(self) -> dict[str, str]:
        names = self.run("list-buffers", "-F", "#{buffer_name}", check=False).split()
        return {name: self.run("show-buffer", "-b", name, check=False) for name in names}

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "t", *(["-l"] if literal else []), *keys)

    def click(self, line_holding: str, label: str) -> None:
        """A left click (SGR mouse report) on ``label`` in the first screen line holding ``line_holding``."""
        lines = self.screen().splitlines()
        rows = [row for row, line in enumerate(lines) if line_holding in line]
        assert rows, f"{line_holding!r} is not on the screen"
        row = rows[0]
        column = lines[row].index(line_holding) + line_holding.index(label)
        for final in ("M", "m"):  # press, release; 1-based coordinates
            report = f"\x1b[<0;{column + 1};{row + 1}{final}"
            self.run("send-keys", "-t", "t", "-H", *(f"{ord(c):02x}" for c in report))

    def kill(self) -> None:
        try:
            subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=10)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def wait_for(what: str, condition: Callable[[], bool], tmux: Tmux) -> None:
    deadline = time.monotonic() + STEP_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the screen:\n{tmux.screen()}")
        time.sleep(0.1)


def assert_untouched(tmux: Tmux, step: str, allowed: set[str]) -> None:
    """The title is still ours; every paste buffer is one the app meant to fill, with inert text."""
    title = tmux.title()
    assert title == MARKER, f"after {step} the pane title is {title!r}"
    assert PWNED_TITLE not in tmux.window_name(), f"after {step} the window was renamed"
    for name, content in tmux.buffers().items():
        assert content != PWNED_CLIP, f"after {step} the attacker's OSC 52 filled {name}"
        for char in ("\x1b", "\x07", "\x9c", "\x9d", "\u202e"):
            assert char not in content, f"after {step} paste buffer {name} holds a raw {char!r}: {content!r}"
        assert any(content.startswith(copied) for copied in allowed), (
            f"after {step} paste buffer {name} holds what the app did not copy: {content!r}"
        )


def close_dialog(tmux: Tmux, title: str) -> None:
    tmux.keys("Escape")  # then wait: a key right after ESC would read as alt+key
    wait_for("the dialog to close", lambda: title not in tmux.screen(), tmux)


def export_curl(tmux: Tmux, buffers: int) -> None:
    tmux.keys("C-p")
    wait_for("the palette", lambda: "Search for commands" in tmux.screen(), tmux)
    tmux.keys("export request as curl", literal=True)
    wait_for("the curl hit", lambda: "Export request as curl" in tmux.screen(), tmux)
    tmux.keys("Enter")
    wait_for("the curl dialog", lambda: "Copied: curl command" in tmux.screen(), tmux)
    wait_for("curl on the clipboard", lambda: len(tmux.buffers()) >= buffers, tmux)


def test_the_window_title_and_the_clipboard_never_change(tmp_path: Path) -> None:
    home = tmp_path / "home"
    dirs = {
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
    }
    for where in dirs.values():
        where.mkdir(parents=True)
    conf = tmp_path / "tmux.conf"
    conf.write_text(TMUX_CONF, encoding="utf-8")
    spec = write_spec(tmp_path / "hostile-spec.json")
    tree = Path(labs_tui.__file__).resolve().parents[1]
    tmux = Tmux(conf)
    with hostile_terminal_server() as url:
        env = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(tree),
            **{var: str(where) for var, where in dirs.items()},
        }
        app = [
            sys.executable,
            "-m",
            "labs_tui",
            "--spec",
            str(spec),
            "--base-url",
            f"{url}/v1",
            "--endpoint",
            "OscError",
        ]
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # The pane waits for an Enter, so the marker title is set before the app writes a byte.
        command = f'read go; exec env -i TERM="$TERM" {assignments} {shlex.join(app)}'
        try:
            tmux.run("new-session", "-d", "-s", "t", "-x", "160", "-y", "50", "sh", "-c", command)
            tmux.run("select-pane", "-t", "t", "-T", MARKER)
            assert tmux.title() == MARKER
            tmux.keys("Enter")
            wait_for("the app", lambda: "Endpoints" in tmux.screen(), tmux)
            copied: set[str] = set()  # what the app meant to put on the clipboard (prefixes)

            # Waits look for text shown either way; the inert form is checked after the title and buffers,
            # so a regression fails on what the attacker did, not on a timeout.
            wait_for("the placeholders", lambda: "e.g. x" in tmux.screen(), tmux)
            assert_untouched(tmux, "opening an endpoint with hostile examples", copied)
            assert "e.g. x␛]0;pwned␇" in tmux.screen()

            tmux.keys("C-j")
            wait_for("the error", lambda: "requestId" in tmux.screen() and "rid-" in tmux.screen(), tmux)
            assert_untouched(tmux, "sending", copied)
            assert "rid-␛]0;pwned" in tmux.screen()

            copied.add(inert_line(REQUEST_ID))
            tmux.keys("C-y")
            wait_for("the requestId on the clipboard", lambda: len(tmux.buffers()) >= 1, tmux)
            assert_untouched(tmux, "ctrl+y", copied)

            copied.add("### Hostile")  # the report's heading names the spec's info.title
            tmux.keys("C-r")
            wait_for("the report dialog", lambda: "Copied: Support report" in tmux.screen(), tmux)
            wait_for("the report on the clipboard", lambda: len(tmux.buffers()) >= 2, tmux)
            assert_untouched(tmux, "ctrl+r", copied)
            close_dialog(tmux, "Copied: Support report")

            copied.add("curl ")
            export_curl(tmux, buffers=3)
            assert_untouched(tmux, "export as curl", copied)
            close_dialog(tmux, "Copied: curl command")

            tmux.keys("C-p")
            wait_for("the palette", lambda: "Search for commands" in tmux.screen(), tmux)
            tmux.keys("osc-body", literal=True)
            wait_for("the endpoint hit", lambda: "POST /osc-body" in tmux.screen(), tmux)
            tmux.keys("Enter")
            wait_for("the body endpoint", lambda: "POST   http" in tmux.screen(), tmux)
            tmux.click("Params  Headers  Body  Docs", "Body")
            wait_for("the body example", lambda: "raw " in tmux.screen(), tmux)
            assert_untouched(tmux, "showing the body example", copied)
            assert "raw ␛]0;pwned␇" in tmux.screen()

            export_curl(tmux, buffers=4)  # now with the body
            assert_untouched(tmux, "export as curl with the body", copied)
            close_dialog(tmux, "Copied: curl command")

            tmux.keys("C-q")
            wait_for("the app to quit", lambda: "Endpoints" not in tmux.screen(), tmux)
            assert_untouched(tmux, "quitting", copied)
        finally:
            tmux.kill()
