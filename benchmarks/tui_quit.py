"""ctrl+q right after a body at the cap arrived: the time until the TUI process has exited.

The app runs for real in a 140x45 pseudo-terminal (``pty.fork``, ``TERM=xterm-256color``, XDG dirs in a
temporary directory), opened on one endpoint of a generated spec whose server is a loopback server in its
own process. It sends the request (ctrl+j), waits until the status line shows the size ("MB"), waits
``--settle`` seconds, presses ctrl+q and times the exit. Bodies: a ~48 MB JSON array and 48 MB of text;
reference (same run): the same with a 2-byte JSON body (Textual's own exit). Each case runs ``--runs``
times; the median is printed.

Run: ``.venv/bin/python benchmarks/tui_quit.py [--runs 3] [--settle 0.3]``; the app is the one of the tree
this file is in. Target (issue 12): ctrl+q ->
exit well under 1 s (<= 1 s here) for a body at the cap.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import _child

TARGET_S = 1.0
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROUTES = ("json", "text", "small")


def serve() -> None:
    """Serve the bodies on a free loopback port (printed) until stdin closes."""
    size = 48 * 1024 * 1024
    records = json.dumps([{"id": i, "name": f"record {i}", "tags": ["a", "b"]} for i in range(size // 61)])
    bodies = {
        "/json": (records.encode(), "application/json"),
        "/text": ((b"x" * 79 + b"\n") * (size // 80), "text/plain"),
        "/small": (b"{}", "application/json"),
    }

    _child.serve_bodies(bodies)


def spec_for(url: str) -> dict[str, Any]:
    paths = {
        f"/{route}": {
            "get": {"operationId": f"Get{route.title()}", "responses": {"200": {"description": "a body"}}}
        }
        for route in ROUTES
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Quit", "version": "1.0"},
        "servers": [{"url": url}],
        "paths": paths,
    }


def _drain(fd: int, seconds: float) -> None:
    """Read and drop the terminal's output for ``seconds`` (the app settles after the body arrived)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                pass


def one_run(route: str, url: str, spec: str, home: str, settle: float) -> float:
    """Seconds from ctrl+q to the process's exit."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="140", LINES="45")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = os.path.join(home, name.lower())
    argv = [
        sys.executable,
        "-m",
        "labs_tui",
        "--spec",
        spec,
        "--base-url",
        url,
        "--endpoint",
        f"Get{route.title()}",
    ]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app of the tree this file is in (``-m`` puts the cwd first on the path)
        os.chdir(ROOT)
        os.execve(sys.executable, argv, env)
    seen = bytearray()

    def wait_for(needle: bytes, limit: float) -> None:
        end = time.monotonic() + limit
        while needle not in seen:
            if time.monotonic() > end:
                os.kill(pid, signal.SIGKILL)
                raise RuntimeError(f"{route}: {needle!r} not seen within {limit} s")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen.extend(os.read(fd, 65536))
                except OSError:
                    pass
                del seen[:-4096]

    try:
        wait_for(f"/{route}".encode(), 30)
        time.sleep(1.0)
        seen.clear()
        os.write(fd, b"\n")  # ctrl+j: send
        wait_for(b" B" if route == "small" else b"MB", 120)
        _drain(fd, settle)
        os.write(fd, b"\x11")  # ctrl+q
        pressed = time.monotonic()
        while True:
            if select.select([fd], [], [], 0.01)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return time.monotonic() - pressed
            if time.monotonic() - pressed > 60:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return 60.0
    finally:
        os.close(fd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=0.3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stdin is not None
    url = server.stdout.readline().strip()
    try:
        with tempfile.TemporaryDirectory() as home:
            spec = os.path.join(home, "spec.json")
            with open(spec, "w", encoding="utf-8") as handle:
                json.dump(spec_for(url), handle)
            times = {
                route: [one_run(route, url, spec, home, args.settle) for _ in range(args.runs)]
                for route in ROUTES
            }
    except RuntimeError as error:
        print(f"tui quit: could not measure: {error}")
        return 0
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    reference = statistics.median(times["small"])
    print(f"ctrl+q -> process exit, {args.settle:g} s after the body arrived (median of {args.runs})")
    print(f"  reference: a 2-byte body {reference:.3f} s (Textual's own exit)")
    for route in ("json", "text"):
        median = statistics.median(times[route])
        met = "met" if median <= TARGET_S else "MISSED"
        print(
            f"  {route:<5} ~48 MB  {median:.3f} s (ratio {median / reference:.2f}x)"
            f" | target <= {TARGET_S:g} s {met}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
