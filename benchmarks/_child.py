"""Shared by the benchmarks: run a measurement in a fresh interpreter and read back its figures.

Each measured case runs in its own process so its imports, caches and peak RSS are its own. The
child prints one JSON object (the last line starting with ``{``); anything else it prints is ignored.
Not a benchmark itself: ``make bench`` skips files whose name starts with ``_``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def run_child(
    script: str, args: list[str], *, env: dict[str, str] | None = None, timeout: float = 600
) -> dict[str, Any]:
    """Run ``python script *args`` and return the last JSON object it printed; raise on failure."""
    done = subprocess.run(
        [sys.executable, script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(args)} failed (exit {done.returncode}): {' | '.join(tail)}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result
