"""Benchmark: time to the first screen of labs-tui beside a bare Textual app, measured in the same run.

Each run is a fresh Python process (interpreter start, imports, app start, first paint), so nothing is
shared between runs but the OS file cache. Two kinds of process are started, alternately:

- reference: a bare Textual ``App`` with a ``Header`` and a ``Footer``; it notes the time right after its
  first refresh and exits;
- ours: ``make_app(Settings())`` as ``labs-tui`` with no arguments starts it: the bundled spec, the
  sandbox profile with the embedded sandbox started in its worker; it notes the time after the first
  refresh that shows the endpoint list (the spec loaded and the list filled) and exits.

Both run headless (``App.run(headless=True)``: the layout and every widget's render run, only the
terminal write is skipped). The figure is the wall time from just before spawning the process to that
note (one monotonic clock, system-wide on Linux); the median of several runs, after one warm-up run of
each kind (it fills the parsed-spec cache and the OS file cache, as any second start would find them).
Each process reports its own peak RSS (``resource.getrusage``). XDG dirs point into a temporary
directory, so the user's config and caches are never read or written.

Run: ``make bench`` or ``.venv/bin/python benchmarks/first_screen.py [--runs N]``.
Target (issue 8): ours <= 1.6x the bare app. Informative: always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _child

TARGET_RATIO = 1.6
HERE = Path(__file__).resolve().parent


def _report(started: str) -> None:
    import resource

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"painted": time.monotonic(), "rss_kib": peak_kib, "started": started}), flush=True)


def child_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            _report("bare")
            self.exit()

    Bare().run(headless=True)


def child_labs() -> None:
    from typing import Any

    from labs_tui.tui.app import make_app
    from labs_tui.tui.settings import Settings

    app = make_app(Settings())

    async def auto_pilot(pilot: Any) -> None:
        import asyncio

        from labs_tui.tui.screens.main import MainScreen

        def shown() -> bool:
            screen = app.screen
            if app.spec is None or not isinstance(screen, MainScreen):
                return False
            return str(screen.endpoints.border_title).startswith("Endpoints ")

        deadline = time.monotonic() + 60
        while not shown() and time.monotonic() < deadline:
            await asyncio.sleep(0.002)

        def painted() -> None:
            _report("labs" if shown() else "labs (timed out)")
            app.exit()

        app.call_after_refresh(painted)

    app.run(headless=True, auto_pilot=auto_pilot)


def run_once(kind: str, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds from spawn to first paint, and the child's peak RSS in KiB."""
    started = time.monotonic()
    note = _child.run_child(str(Path(__file__).resolve()), ["--child", kind], env=env, timeout=120)
    if note["started"] != kind:
        raise RuntimeError(f"{kind} run did not reach its first screen")
    return note["painted"] - started, int(note["rss_kib"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=("bare", "labs"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        child_bare()
        return 0
    if args.child == "labs":
        child_labs()
        return 0

    with tempfile.TemporaryDirectory(prefix="labs-bench-") as home:
        env = dict(os.environ)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = str(Path(home) / name.lower())
        env.pop("LABS_TUI_PROFILE", None)
        times: dict[str, list[float]] = {"bare": [], "labs": []}
        rss: dict[str, list[int]] = {"bare": [], "labs": []}
        try:
            cold_labs, _ = run_once("labs", env)  # fills the parsed-spec cache
            run_once("bare", env)
            for _ in range(args.runs):
                for kind in ("bare", "labs"):
                    seconds, peak = run_once(kind, env)
                    times[kind].append(seconds)
                    rss[kind].append(peak)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"first screen: could not measure: {error}")
            return 0

    bare = statistics.median(times["bare"])
    ours = statistics.median(times["labs"])
    ratio = ours / bare
    met = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"first screen, median of {args.runs} runs each (process start -> first paint, headless)")
    print(
        f"  labs-tui (bundled spec, embedded sandbox) {ours * 1000:7.1f} ms"
        f" | bare Textual app (Header+Footer) {bare * 1000:7.1f} ms"
        f" | ratio {ratio:.2f}x (target <= {TARGET_RATIO}x) {met}"
    )
    print(
        f"  spread: labs-tui {min(times['labs']) * 1000:.0f}-{max(times['labs']) * 1000:.0f} ms,"
        f" bare {min(times['bare']) * 1000:.0f}-{max(times['bare']) * 1000:.0f} ms;"
        f" first start with an empty parsed-spec cache {cold_labs * 1000:.0f} ms"
    )
    print(
        f"  peak RSS: labs-tui {statistics.median(rss['labs']) / 1024:.1f} MiB"
        f" | bare {statistics.median(rss['bare']) / 1024:.1f} MiB"
        f" | ratio {statistics.median(rss['labs']) / statistics.median(rss['bare']):.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
