"""Benchmark: the command palette (ctrl+p) at 22,000 operations: time to open it, time per keystroke.

Loads the same generated spec as ``endpoint_filter.py`` (22,000 operations), starts the real app headless
(``run_test``, no sandbox) and presses ctrl+p: the figure is from the key until the palette is on screen
with its first list drawn and the app idle. Then it types ``get deployment`` one character at a time and
times each keystroke until the palette's search has finished and the app is idle. Open is measured
three times (the first open includes building the endpoint hits' texts, once per spec).

Run: ``.venv/bin/python benchmarks/palette.py [--operations N]``. Targets (issue 14): open < 0.3 s,
each keystroke < 50 ms of search work. Informative: always exits 0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _child
from endpoint_filter import make_spec

OPEN_TARGET_S = 0.3
QUERY = "get deployment"


def child(spec_path: str) -> dict[str, Any]:
    import asyncio

    from textual._wait import wait_for_idle
    from textual.command import CommandPalette

    from labs_tui.tui.app import make_app
    from labs_tui.tui.settings import Settings

    settings = Settings(
        profile="sandbox",
        base_url="http://127.0.0.1:9/v1",
        start_sandbox=False,
        env={},
        spec_source=spec_path,
    )
    app = make_app(settings)
    out: dict[str, Any] = {}

    async def settle(pilot: Any) -> None:
        await app.workers.wait_for_complete()
        await wait_for_idle(0)
        await pilot.pause()

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            deadline = time.monotonic() + 120
            while app.spec is None and time.monotonic() < deadline:
                await pilot.pause(0.05)
            out["operations"] = len(app.spec.operations) if app.spec else 0
            opens: list[float] = []
            keys: list[float] = []
            for attempt in range(3):
                started = time.perf_counter()
                await pilot.press("ctrl+p")
                while not isinstance(app.screen, CommandPalette):
                    await pilot.pause(0)
                await settle(pilot)
                opens.append(time.perf_counter() - started)
                if attempt == 2:
                    for char in QUERY:
                        started = time.perf_counter()
                        await pilot.press("space" if char == " " else char)
                        await settle(pilot)
                        keys.append(time.perf_counter() - started)
                await pilot.press("escape")
                await settle(pilot)
            out["open_s"], out["keys_s"] = opens, keys
            # The endpoint provider alone: every hit of each keystroke's search, without the palette's UI.
            from labs_tui.tui.commands import LabsCommands

            provider = LabsCommands(app.screen)
            searches: list[float] = []
            for end in range(1, len(QUERY) + 1):
                started = time.perf_counter()
                _ = [hit async for hit in provider.search(QUERY[:end])]
                searches.append(time.perf_counter() - started)
            out["search_s"] = searches

    asyncio.run(run())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=22_000)
    parser.add_argument("--child", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        spec_path = Path(folder) / "big.json"
        spec_path.write_text(json.dumps(make_spec(args.operations)), encoding="utf-8")
        result = _child.run_child(__file__, ["--child", str(spec_path)])
    opens, keys = result["open_s"], result["keys_s"]
    print(f"palette at {result['operations']} operations")
    print(
        f"  open (ctrl+p -> drawn, idle): first {opens[0]:.3f} s,"
        f" then {', '.join(f'{o:.3f}' for o in opens[1:])} s"
        f"  (target < {OPEN_TARGET_S} s)"
    )
    search = result["search_s"]
    print(
        f"  provider search alone: median {statistics.median(search) * 1000:.1f} ms,"
        f" worst {max(search) * 1000:.1f} ms per keystroke"
    )
    print(
        f"  typing {QUERY!r}: median {statistics.median(keys) * 1000:.1f} ms, worst {max(keys) * 1000:.1f} ms"
        " per keystroke (search finished, idle)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
